/**
 * A new player's first crop, as a pure rule: planted through the tutorial by
 * a player who has never earned a coin and has nothing growing, it comes up
 * with a head start, so it is ripe STARTER_RIPE_MS after planting, and one
 * watering (a quarter of any crop's growth time, which is more than that)
 * ripens it at once. Plant, water, harvest within the first minute, whatever
 * the seed. The server decides (the client only asks); later crops grow at
 * their normal pace. The crop rules themselves are in farming.ts.
 */
import { CROPS, type Crop, type CropKind, WATER_BONUS, plantCrop } from "./farming.ts";

/** A starter crop is ripe this long after planting, without watering. */
export const STARTER_RIPE_MS = 20_000;

/** Whether a crop planted now, on the tutorial's request, may have the head start. */
export function mayHaveStarterCrop(input: { coins: number; items: Iterable<{ kind: string }> }): boolean {
  if (input.coins !== 0) return false;
  for (const item of input.items) if (item.kind === "crop") return false;
  return true;
}

/** The crop planted with a head start: ripe after STARTER_RIPE_MS, or at its first watering. */
export function starterCrop(kind: CropKind, now: number): Crop {
  const crop = plantCrop(kind, now);
  const growMs = CROPS[kind].growMs;
  return { ...crop, growthMs: Math.max(0, growMs - STARTER_RIPE_MS) };
}

/** True for every crop kind: one watering ripens a starter crop (checked by the unit tests). */
export function oneWateringRipens(kind: CropKind): boolean {
  return Math.round(CROPS[kind].growMs * WATER_BONUS) >= STARTER_RIPE_MS;
}
