/**
 * Free crops, as pure rules: plant, water, watch grow, harvest for coins.
 * Crops grow in real time; callers pass the current time (`now`, epoch
 * milliseconds) and every function answers for that instant. A crop is plain
 * data, so the server can keep it in a database row and the client can draw
 * it without asking again.
 */
import { type RuleResult, refuse } from "./errors.ts";

export const CROP_KINDS = ["wheat", "carrot", "sunflower", "pumpkin", "tomato", "strawberry", "corn", "eggplant", "grapes", "watermelon"] as const;
export type CropKind = (typeof CROP_KINDS)[number];

/** What a crop looks like as it grows; "ripe" means ready to harvest. */
export const CROP_STAGES = ["seed", "sprout", "growing", "ripe"] as const;
export type CropStage = (typeof CROP_STAGES)[number];

export interface CropInfo {
  readonly kind: CropKind;
  /** Growth time from planting to ripe, without any watering. */
  readonly growMs: number;
  /** Coins earned by harvesting it. */
  readonly coins: number;
  /** The level a player needs to plant it (1: open from the start). */
  readonly level: number;
  /** XP its harvest earns. */
  readonly xp: number;
  /** Sprite key (assets/sprites) for each stage. */
  readonly sprites: Readonly<Record<CropStage, string>>;
  readonly nameFr: string;
  readonly nameEn: string;
}

const MINUTE = 60_000;

/** The crops a player may plant for free, from its level on: quicker crops earn fewer coins. */
export const CROPS: Readonly<Record<CropKind, CropInfo>> = {
  wheat: {
    kind: "wheat",
    growMs: 2 * MINUTE,
    coins: 5,
    level: 1,
    xp: 4,
    sprites: { seed: "crop-seed", sprout: "crop-sprout", growing: "crop-growing", ripe: "wheat" },
    nameFr: "Blé",
    nameEn: "Wheat",
  },
  carrot: {
    kind: "carrot",
    growMs: 5 * MINUTE,
    coins: 10,
    level: 1,
    xp: 5,
    sprites: { seed: "crop-seed", sprout: "crop-sprout", growing: "crop-leaves", ripe: "carrot" },
    nameFr: "Carotte",
    nameEn: "Carrot",
  },
  sunflower: {
    kind: "sunflower",
    growMs: 10 * MINUTE,
    coins: 18,
    level: 1,
    xp: 7,
    sprites: { seed: "crop-seed", sprout: "crop-sprout", growing: "crop-bud", ripe: "sunflower" },
    nameFr: "Tournesol",
    nameEn: "Sunflower",
  },
  pumpkin: {
    kind: "pumpkin",
    growMs: 20 * MINUTE,
    coins: 30,
    level: 1,
    xp: 10,
    sprites: { seed: "crop-seed", sprout: "crop-sprout", growing: "crop-leaves", ripe: "pumpkin" },
    nameFr: "Citrouille",
    nameEn: "Pumpkin",
  },
  // Crops that wait for a level: a little more per minute than a level-1 crop of the same length.
  tomato: {
    kind: "tomato",
    growMs: 3 * MINUTE,
    coins: 8,
    level: 2,
    xp: 5,
    sprites: { seed: "crop-seed", sprout: "crop-sprout", growing: "crop-leaves", ripe: "tomato" },
    nameFr: "Tomate",
    nameEn: "Tomato",
  },
  strawberry: {
    kind: "strawberry",
    growMs: 7 * MINUTE,
    coins: 14,
    level: 3,
    xp: 6,
    sprites: { seed: "crop-seed", sprout: "crop-sprout", growing: "crop-bud", ripe: "strawberry" },
    nameFr: "Fraise",
    nameEn: "Strawberry",
  },
  corn: {
    kind: "corn",
    growMs: 12 * MINUTE,
    coins: 24,
    level: 4,
    xp: 8,
    sprites: { seed: "crop-seed", sprout: "crop-sprout", growing: "crop-growing", ripe: "corn" },
    nameFr: "Maïs",
    nameEn: "Corn",
  },
  eggplant: {
    kind: "eggplant",
    growMs: 15 * MINUTE,
    coins: 28,
    level: 5,
    xp: 9,
    sprites: { seed: "crop-seed", sprout: "crop-sprout", growing: "crop-leaves", ripe: "eggplant" },
    nameFr: "Aubergine",
    nameEn: "Eggplant",
  },
  grapes: {
    kind: "grapes",
    growMs: 25 * MINUTE,
    coins: 45,
    level: 6,
    xp: 12,
    sprites: { seed: "crop-seed", sprout: "crop-sprout", growing: "crop-growing", ripe: "grapes" },
    nameFr: "Raisin",
    nameEn: "Grapes",
  },
  watermelon: {
    kind: "watermelon",
    growMs: 30 * MINUTE,
    coins: 60,
    level: 8,
    xp: 15,
    sprites: { seed: "crop-seed", sprout: "crop-sprout", growing: "crop-leaves", ripe: "watermelon" },
    nameFr: "Pastèque",
    nameEn: "Watermelon",
  },
};

/** One crop may be watered once per minute, whoever waters it. */
export const WATER_COOLDOWN_MS = MINUTE;
/** Each watering takes this share of the crop's total growth time off what remains. */
export const WATER_BONUS = 0.25;

/** Below these shares of growth a crop still shows as a seed, then as a sprout. */
const SEED_UNTIL = 0.15;
const SPROUT_UNTIL = 0.5;

export interface Watering {
  /** Id of the player who watered: the owner or a visiting friend. */
  readonly by: string;
  readonly at: number;
}

/**
 * A planted crop. Its age is real time since planting plus `growthMs`, the
 * growth gained from waterings. Waterings are few (each one takes a quarter of
 * the growth time off), so the list stays short.
 */
export interface Crop {
  readonly kind: CropKind;
  readonly plantedAt: number;
  readonly growthMs: number;
  readonly waterings: readonly Watering[];
}

export function isCropKind(value: unknown): value is CropKind {
  return typeof value === "string" && (CROP_KINDS as readonly string[]).includes(value);
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** A time must be whole epoch milliseconds; anything else is a programming error. */
function assertTime(now: number): void {
  if (!isTime(now)) throw new RangeError(`time must be whole epoch milliseconds, got ${String(now)}`);
}

/** Checks a crop read from storage or the network before the rules trust it. */
export function isCrop(value: unknown): value is Crop {
  if (typeof value !== "object" || value === null) return false;
  const crop = value as Record<string, unknown>;
  if (!isCropKind(crop.kind) || !isTime(crop.plantedAt)) return false;
  if (!isTime(crop.growthMs) || crop.growthMs > CROPS[crop.kind].growMs) return false;
  if (!Array.isArray(crop.waterings)) return false;
  return crop.waterings.every((w: unknown) => {
    if (typeof w !== "object" || w === null) return false;
    const watering = w as Record<string, unknown>;
    return typeof watering.by === "string" && watering.by !== "" && isTime(watering.at);
  });
}

export function plantCrop(kind: CropKind, now: number): Crop {
  assertTime(now);
  return { kind, plantedAt: now, growthMs: 0, waterings: [] };
}

/** How long the crop has grown: real time since planting (never negative) plus watering bonus. */
function grownMs(crop: Crop, now: number): number {
  assertTime(now);
  return Math.max(0, now - crop.plantedAt) + crop.growthMs;
}

export function msUntilRipe(crop: Crop, now: number): number {
  return Math.max(0, CROPS[crop.kind].growMs - grownMs(crop, now));
}

/** Share of growth done, from 0 (just planted) to 1 (ripe). */
export function cropProgress(crop: Crop, now: number): number {
  const total = CROPS[crop.kind].growMs;
  return Math.min(1, grownMs(crop, now) / total);
}

export function cropStage(crop: Crop, now: number): CropStage {
  if (msUntilRipe(crop, now) === 0) return "ripe";
  const progress = cropProgress(crop, now);
  if (progress < SEED_UNTIL) return "seed";
  if (progress < SPROUT_UNTIL) return "sprout";
  return "growing";
}

/** The sprite key to draw for a crop at this instant. */
export function cropSprite(crop: Crop, now: number): string {
  return CROPS[crop.kind].sprites[cropStage(crop, now)];
}

/**
 * Someone (the owner or a visiting friend) waters the crop: a quarter of its
 * total growth time comes off what remains, and the waterer is remembered.
 */
export function waterCrop(crop: Crop, byPlayerId: string, now: number): RuleResult<{ crop: Crop; bonusMs: number }> {
  const remaining = msUntilRipe(crop, now);
  if (remaining === 0) return refuse("crop_ripe", "This crop is ripe: harvest it instead");
  const last = crop.waterings.at(-1);
  if (last && now - last.at < WATER_COOLDOWN_MS) {
    return refuse("crop_recently_watered", "This crop was watered less than a minute ago");
  }
  const bonusMs = Math.min(remaining, Math.round(CROPS[crop.kind].growMs * WATER_BONUS));
  const watered: Crop = {
    ...crop,
    growthMs: crop.growthMs + bonusMs,
    waterings: [...crop.waterings, { by: byPlayerId, at: now }],
  };
  return { ok: true, crop: watered, bonusMs };
}

/** Players other than the owner who watered this crop, each once, in order of first help. */
export function helpersOf(crop: Crop, ownerId: string): string[] {
  const helpers = new Set<string>();
  for (const watering of crop.waterings) if (watering.by !== ownerId) helpers.add(watering.by);
  return [...helpers];
}

/** Harvesting a ripe crop earns its coins; the caller then clears the tile. */
export function harvestCrop(crop: Crop, now: number): RuleResult<{ coins: number }> {
  const remaining = msUntilRipe(crop, now);
  if (remaining > 0) {
    return refuse("crop_not_ripe", `This crop will be ripe in ${Math.ceil(remaining / 1000)} s`);
  }
  return { ok: true, coins: CROPS[crop.kind].coins };
}
