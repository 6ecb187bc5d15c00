import { describe, expect, it } from "vitest";
import { VILLAGE_HEIGHT, VILLAGE_WIDTH, findFreeTiles, isInBounds, placeItem, tilesFromCentre } from "../../shared/village.ts";

const items = [
  { id: "house", x: 1, y: 1 },
  { id: "goat", x: 5, y: 4 },
  { id: "barn", x: null, y: null },
];
const base = { items, ownerId: "owner", by: "owner" };

describe("placement rules", () => {
  it("lets the owner move an item to a free tile", () => {
    expect(placeItem({ ...base, itemId: "goat", x: 7, y: 2 })).toEqual({ ok: true, item: { id: "goat", x: 7, y: 2 }, moved: true });
  });

  it("places an item waiting in the barn", () => {
    expect(placeItem({ ...base, itemId: "barn", x: 0, y: 0 })).toMatchObject({ ok: true, moved: true });
  });

  it("treats dropping an item on its own tile as a no-op", () => {
    expect(placeItem({ ...base, itemId: "goat", x: 5, y: 4 })).toMatchObject({ ok: true, moved: false });
  });

  it("refuses an occupied tile", () => {
    expect(placeItem({ ...base, itemId: "goat", x: 1, y: 1 })).toMatchObject({ ok: false, code: "tile_occupied" });
  });

  it.each([[-1, 0], [0, -1], [VILLAGE_WIDTH, 0], [0, VILLAGE_HEIGHT], [1.5, 2], [999, 999]])("refuses tile (%s, %s)", (x, y) => {
    expect(placeItem({ ...base, itemId: "goat", x, y })).toMatchObject({ ok: false, code: "tile_out_of_bounds" });
  });

  it("refuses anyone but the owner and unknown items", () => {
    expect(placeItem({ ...base, by: "visitor", itemId: "goat", x: 7, y: 2 })).toMatchObject({ ok: false, code: "not_owner" });
    expect(placeItem({ ...base, itemId: "nope", x: 7, y: 2 })).toMatchObject({ ok: false, code: "item_unknown" });
  });

  it("knows the bounds", () => {
    expect(isInBounds(0, 0)).toBe(true);
    expect(isInBounds(VILLAGE_WIDTH - 1, VILLAGE_HEIGHT - 1)).toBe(true);
    expect(isInBounds(VILLAGE_WIDTH, 0)).toBe(false);
  });
});

describe("where new gifts land", () => {
  it("orders every tile once, centre first", () => {
    const tiles = tilesFromCentre();
    expect(tiles).toHaveLength(VILLAGE_WIDTH * VILLAGE_HEIGHT);
    expect(new Set(tiles.map((t) => `${t.x},${t.y}`)).size).toBe(tiles.length);
    expect(tiles[0]).toEqual({ x: 5, y: 4 });
  });

  it("picks distinct free tiles and skips taken ones", () => {
    const free = findFreeTiles(items, 3);
    expect(free).toHaveLength(3);
    expect(free).not.toContainEqual({ x: 5, y: 4 });
    expect(new Set(free.map((t) => `${t!.x},${t!.y}`)).size).toBe(3);
  });

  it("sends the overflow to the barn when the village is full", () => {
    const full = tilesFromCentre().map((t, i) => ({ id: String(i), ...t }));
    expect(findFreeTiles(full, 2)).toEqual([null, null]);
  });
});
