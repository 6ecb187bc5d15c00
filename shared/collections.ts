/**
 * Collections, as pure rules: harvesting (and helping a friend) may turn up a
 * collectible piece; a set whose every piece was found grants its decoration
 * (decorations.ts, source "collection") once. The drop is a seeded chance:
 * the same player, item, action and instant always give the same answer, so
 * the server can re-check it and tests can count on it. Storage and the
 * claim's exactly-once key are the server's business.
 */
import type { DecorationId } from "./decorations.ts";
import { CROPS, type CropKind } from "./farming.ts";
import { type RuleResult, refuse } from "./errors.ts";

export const PIECE_IDS = [
  "ladybug", "butterfly", "snail", "clover", "cherries", "pear", "peach", "lemon",
  "key", "scroll", "crystal", "gem", "feather", "ribbon", "teddy", "bouquet",
] as const;
export type PieceId = (typeof PIECE_IDS)[number];

export const SET_IDS = ["meadow", "orchard", "attic", "friendship"] as const;
export type SetId = (typeof SET_IDS)[number];

/** Where a set's pieces turn up. */
export type PieceSource = "harvest" | "help";

export interface CollectionSet {
  readonly id: SetId;
  readonly pieces: readonly PieceId[];
  readonly source: PieceSource;
  readonly reward: DecorationId;
  readonly nameFr: string;
  readonly nameEn: string;
}

export const SETS: Readonly<Record<SetId, CollectionSet>> = {
  meadow: { id: "meadow", pieces: ["ladybug", "butterfly", "snail", "clover"], source: "harvest", reward: "ferris-wheel", nameFr: "La prairie", nameEn: "The meadow" },
  orchard: { id: "orchard", pieces: ["cherries", "pear", "peach", "lemon"], source: "harvest", reward: "carousel-horse", nameFr: "Le verger", nameEn: "The orchard" },
  attic: { id: "attic", pieces: ["key", "scroll", "crystal", "gem"], source: "harvest", reward: "moai", nameFr: "Trésors du grenier", nameEn: "Attic treasures" },
  friendship: { id: "friendship", pieces: ["feather", "ribbon", "teddy", "bouquet"], source: "help", reward: "dove", nameFr: "L'amitié", nameEn: "Friendship" },
};

/** The sprite of a piece (assets/sprites/piece-*.svg). */
export const pieceSprite = (piece: PieceId) => `piece-${piece}`;

export function isSetId(value: unknown): value is SetId {
  return typeof value === "string" && (SET_IDS as readonly string[]).includes(value);
}

/** The chance (0–1) that harvesting this crop turns up a piece: longer crops, better odds. Helping: a flat 30 %. */
export function dropChance(input: { source: "harvest"; crop: CropKind } | { source: "help" }): number {
  if (input.source === "help") return 0.3;
  const minutes = CROPS[input.crop].growMs / 60_000;
  return Math.min(0.6, 0.2 + minutes / 75);
}

/** A 32-bit FNV-1a hash with a final mix, turned into [0, 1). */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // MurmurHash3's finaliser, so close inputs spread out.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/**
 * The piece this action turns up, or null: seeded by the player, the item
 * (a crop harvested once, or watered), the action and the instant.
 */
export function rollPiece(input: { playerId: string; itemId: string; now: number } & ({ source: "harvest"; crop: CropKind } | { source: "help" })): PieceId | null {
  if (!Number.isSafeInteger(input.now) || input.now < 0) throw new RangeError(`time must be whole epoch milliseconds, got ${String(input.now)}`);
  const seed = `${input.source}:${input.playerId}:${input.itemId}:${input.now}`;
  if (unitHash(`chance:${seed}`) >= dropChance(input)) return null;
  const pool = SET_IDS.filter((id) => SETS[id].source === input.source).flatMap((id) => SETS[id].pieces);
  return pool[Math.floor(unitHash(`piece:${seed}`) * pool.length)] ?? null;
}

export interface SetProgress {
  id: SetId;
  /** Pieces found, in the set's order. */
  found: PieceId[];
  total: number;
  complete: boolean;
  claimed: boolean;
}

/** Each set's progress from the pieces a player found (duplicates count once) and the sets already claimed. */
export function collectionProgress(found: Iterable<PieceId>, claimed: Iterable<SetId>): SetProgress[] {
  const have = new Set(found);
  const done = new Set(claimed);
  return SET_IDS.map((id) => {
    const pieces = SETS[id].pieces.filter((p) => have.has(p));
    return { id, found: pieces, total: SETS[id].pieces.length, complete: pieces.length === SETS[id].pieces.length, claimed: done.has(id) };
  });
}

/** A complete set not yet claimed grants its decoration. */
export function mayClaimSet(setId: unknown, found: Iterable<PieceId>, claimed: Iterable<SetId>): RuleResult<{ set: CollectionSet }> {
  if (!isSetId(setId)) return refuse("set_unknown", "There is no such collection");
  const progress = collectionProgress(found, claimed).find((p) => p.id === setId)!;
  if (progress.claimed) return refuse("already_claimed", "This collection's decoration was already granted");
  if (!progress.complete) return refuse("set_incomplete", `This collection still misses ${progress.total - progress.found.length} pieces`);
  return { ok: true, set: SETS[setId] };
}
