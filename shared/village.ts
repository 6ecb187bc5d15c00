/**
 * Village rules as pure functions: the grid, who may place what where, and
 * where a newly granted gift lands. No I/O, no clock: callers pass the state.
 */
import { type RuleResult, refuse } from "./errors.ts";

export const VILLAGE_WIDTH = 12;
export const VILLAGE_HEIGHT = 9;
export const TILE_SIZE = 64;

/** Where an item stands; null coordinates mean "in the barn" (not placed). */
export interface PlacedItem {
  id: string;
  x: number | null;
  y: number | null;
}

export function isInBounds(x: number, y: number): boolean {
  return Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < VILLAGE_WIDTH && y < VILLAGE_HEIGHT;
}

export function itemAt(items: Iterable<PlacedItem>, x: number, y: number): PlacedItem | undefined {
  for (const item of items) if (item.x === x && item.y === y) return item;
  return undefined;
}

export interface PlaceInput {
  items: Iterable<PlacedItem>;
  ownerId: string;
  by: string;
  itemId: string;
  x: number;
  y: number;
}

/** The owner moves one of their items to a free tile inside the village. */
export function placeItem(input: PlaceInput): RuleResult<{ item: PlacedItem; moved: boolean }> {
  if (input.by !== input.ownerId) return refuse("not_owner", "Only the village owner can move things");
  const all = [...input.items];
  const item = all.find((i) => i.id === input.itemId);
  if (!item) return refuse("item_unknown", "That item is not in this village");
  if (!isInBounds(input.x, input.y)) {
    return refuse("tile_out_of_bounds", `Tile (${input.x}, ${input.y}) is outside the village`);
  }
  const occupant = itemAt(all, input.x, input.y);
  if (occupant && occupant.id !== item.id) return refuse("tile_occupied", "Something already stands on that tile");
  const moved = item.x !== input.x || item.y !== input.y;
  return { ok: true, item: { id: item.id, x: input.x, y: input.y }, moved };
}

/** Every tile of the grid, nearest to the village centre first (stable order). */
export function tilesFromCentre(): Array<{ x: number; y: number }> {
  const cx = (VILLAGE_WIDTH - 1) / 2;
  const cy = (VILLAGE_HEIGHT - 1) / 2;
  const tiles: Array<{ x: number; y: number; d: number }> = [];
  for (let y = 0; y < VILLAGE_HEIGHT; y++) {
    for (let x = 0; x < VILLAGE_WIDTH; x++) tiles.push({ x, y, d: (x - cx) ** 2 + (y - cy) ** 2 });
  }
  tiles.sort((a, b) => a.d - b.d || a.y - b.y || a.x - b.x);
  return tiles.map(({ x, y }) => ({ x, y }));
}

/**
 * Picks tiles for `count` new items: free tiles nearest the centre. When the
 * village is full, the rest get null (they wait in the barn).
 */
export function findFreeTiles(items: Iterable<PlacedItem>, count: number): Array<{ x: number; y: number } | null> {
  const taken = new Set<string>();
  for (const i of items) if (i.x !== null && i.y !== null) taken.add(`${i.x},${i.y}`);
  const result: Array<{ x: number; y: number } | null> = [];
  for (const tile of tilesFromCentre()) {
    if (result.length === count) break;
    if (!taken.has(`${tile.x},${tile.y}`)) result.push(tile);
  }
  while (result.length < count) result.push(null);
  return result;
}
