/**
 * Who may do what on the farm, and where, as pure rules: planting on a free
 * tile, watering, harvesting, putting an item back in the barn, and the owner's
 * private view of coins and helpers. The crop rules themselves (growth,
 * watering bonus, ripeness) are in farming.ts; time is always passed in.
 */
import { type RuleResult, refuse } from "./errors.ts";
import { CROPS, type Crop, type CropKind, harvestCrop, helpersOf, waterCrop } from "./farming.ts";
import type { OwnerViewMessage } from "./messages.ts";
import type { ItemKind } from "./state.ts";
import { type PlacedItem, isInBounds, itemAt } from "./village.ts";

/** An item as the farming rules see it: where it stands, what it is, and its growth if it is a crop. */
export interface FarmItem extends PlacedItem {
  kind: ItemKind;
  crop: Crop | null;
}

interface Actor {
  items: Iterable<FarmItem>;
  ownerId: string;
  /** The player asking. */
  by: string;
}

const notOwner = (what: string) => refuse("not_owner", `Only the village owner can ${what}`);

/** The owner plants on a free tile inside the village (a crop is an item: it needs the tile to itself). */
export function mayPlant(input: Actor & { x: number; y: number }): RuleResult<{ x: number; y: number }> {
  if (input.by !== input.ownerId) return notOwner("plant");
  if (!isInBounds(input.x, input.y)) return refuse("tile_out_of_bounds", `Tile (${input.x}, ${input.y}) is outside the village`);
  if (itemAt(input.items, input.x, input.y)) return refuse("tile_occupied", "Something already stands on that tile");
  return { ok: true, x: input.x, y: input.y };
}

/** The sprite key stored with a planted crop: its ripe look, whatever the stage (clients draw the stage from the time). */
export function cropBaseSprite(kind: CropKind): string {
  return CROPS[kind].sprites.ripe;
}

/** Finds a crop among the items: unknown items and items that are not crops are refused. */
export function findCrop(items: Iterable<FarmItem>, itemId: string): RuleResult<{ item: FarmItem; crop: Crop }> {
  for (const item of items) {
    if (item.id !== itemId) continue;
    if (item.kind !== "crop" || !item.crop) return refuse("not_a_crop", "That is not a crop");
    return { ok: true, item, crop: item.crop };
  }
  return refuse("item_unknown", "That item is not in this village");
}

/**
 * The owner, or a visitor present in the village, waters a crop. Whether the
 * visitor may be there at all is the room's and the visit rules' business.
 */
export function mayWater(input: Actor & { itemId: string; now: number }): RuleResult<{ crop: Crop; bonusMs: number }> {
  const found = findCrop(input.items, input.itemId);
  if (!found.ok) return found;
  return waterCrop(found.crop, input.by, input.now);
}

/** Only the owner harvests, and only a ripe crop: it earns the crop's coins. */
export function mayHarvest(input: Actor & { itemId: string; now: number }): RuleResult<{ crop: Crop; coins: number }> {
  if (input.by !== input.ownerId) return notOwner("harvest");
  const found = findCrop(input.items, input.itemId);
  if (!found.ok) return found;
  const harvest = harvestCrop(found.crop, input.now);
  if (!harvest.ok) return harvest;
  return { ok: true, crop: found.crop, coins: harvest.coins };
}

/**
 * The owner puts an item back in the barn. A crop cannot go to the barn: it is
 * harvested where it grows. `moved` is false when the item already was in the barn.
 */
export function mayTake(input: Actor & { itemId: string }): RuleResult<{ moved: boolean }> {
  if (input.by !== input.ownerId) return notOwner("put things away");
  for (const item of input.items) {
    if (item.id !== input.itemId) continue;
    if (item.kind === "crop") return refuse("crop_cannot_be_taken", "A crop cannot go to the barn: harvest it when it is ripe");
    return { ok: true, moved: item.x !== null && item.y !== null };
  }
  return refuse("item_unknown", "That item is not in this village");
}

/**
 * The names of the players other than the owner who watered a crop, in order
 * of first help. A player without a name in `names` (unknown, or an account
 * deleted since) is left out.
 */
export function helperNames(crop: Crop, ownerId: string, names: ReadonlyMap<string, string | null>): string[] {
  return helpersOf(crop, ownerId).flatMap((id) => {
    const name = names.get(id);
    return name ? [name] : [];
  });
}

/** What only the owner sees: their coins, and who helped with each crop (every crop listed, even without help). */
export function ownerViewOf(
  items: Iterable<FarmItem>,
  ownerId: string,
  coins: number,
  names: ReadonlyMap<string, string | null>,
): OwnerViewMessage {
  const helpers: Record<string, string[]> = {};
  for (const item of items) if (item.kind === "crop" && item.crop) helpers[item.id] = helperNames(item.crop, ownerId, names);
  return { coins, helpers };
}

/** Every player id that may need a name for the owner's view. */
export function helperIdsOf(items: Iterable<FarmItem>, ownerId: string): string[] {
  const ids = new Set<string>();
  for (const item of items) if (item.crop) for (const id of helpersOf(item.crop, ownerId)) ids.add(id);
  return [...ids];
}
