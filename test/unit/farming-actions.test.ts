import { describe, expect, it } from "vitest";
import {
  type FarmItem, cropBaseSprite, findCrop, helperIdsOf, helperNames, mayHarvest, mayPlant, mayTake, mayWater, ownerViewOf,
} from "../../shared/farming-actions.ts";
import { CROPS, WATER_COOLDOWN_MS, plantCrop, waterCrop, type Crop } from "../../shared/farming.ts";
import { VILLAGE_HEIGHT, VILLAGE_WIDTH } from "../../shared/village.ts";

const T0 = Date.UTC(2026, 0, 10, 9, 0, 0);
const MINUTE = 60_000;

function watered(crop: Crop, by: string, at: number): Crop {
  const r = waterCrop(crop, by, at);
  if (!r.ok) throw new Error(r.code);
  return r.crop;
}

const wheat = plantCrop("wheat", T0);
const items: FarmItem[] = [
  { id: "house", kind: "decor", crop: null, x: 1, y: 1 },
  { id: "goat", kind: "gift", crop: null, x: 5, y: 4 },
  { id: "boxed", kind: "decoration", crop: null, x: null, y: null },
  { id: "wheat", kind: "crop", crop: wheat, x: 6, y: 4 },
];
const base = { items, ownerId: "owner", by: "owner" };

describe("planting", () => {
  it("lets the owner plant on a free tile inside the village", () => {
    expect(mayPlant({ ...base, x: 7, y: 2 })).toEqual({ ok: true, x: 7, y: 2 });
  });

  it("refuses a visitor first, whatever the tile", () => {
    expect(mayPlant({ ...base, by: "visitor", x: 7, y: 2 })).toMatchObject({ ok: false, code: "not_owner" });
    expect(mayPlant({ ...base, by: "visitor", x: 99, y: 2 })).toMatchObject({ ok: false, code: "not_owner" });
  });

  it.each([[-1, 0], [0, -1], [VILLAGE_WIDTH, 0], [0, VILLAGE_HEIGHT], [0.5, 1]])("refuses tile (%s, %s) outside the village", (x, y) => {
    expect(mayPlant({ ...base, x, y })).toMatchObject({ ok: false, code: "tile_out_of_bounds" });
  });

  it("refuses a tile taken by anything, a crop included; an item in the barn takes no tile", () => {
    expect(mayPlant({ ...base, x: 1, y: 1 })).toMatchObject({ ok: false, code: "tile_occupied" });
    expect(mayPlant({ ...base, x: 6, y: 4 })).toMatchObject({ ok: false, code: "tile_occupied" });
    expect(mayPlant({ ...base, x: 0, y: 0 })).toMatchObject({ ok: true });
  });

  it("stores a crop under its ripe sprite, whatever its stage", () => {
    expect(cropBaseSprite("pumpkin")).toBe(CROPS.pumpkin.sprites.ripe);
  });
});

describe("finding a crop", () => {
  it("finds crops, and tells an unknown item from one that is not a crop", () => {
    expect(findCrop(items, "wheat")).toMatchObject({ ok: true, crop: wheat });
    expect(findCrop(items, "goat")).toMatchObject({ ok: false, code: "not_a_crop" });
    expect(findCrop(items, "nope")).toMatchObject({ ok: false, code: "item_unknown" });
  });
});

describe("watering", () => {
  it("lets the owner and a visitor water, with the cooldown between any two waterings", () => {
    const first = mayWater({ ...base, by: "friend", itemId: "wheat", now: T0 + 10_000 });
    expect(first).toMatchObject({ ok: true, bonusMs: 30_000 });
    if (!first.ok) return;
    const later = [{ ...items[3]!, crop: first.crop }];
    expect(mayWater({ items: later, ownerId: "owner", by: "owner", itemId: "wheat", now: T0 + 20_000 })).toMatchObject({ ok: false, code: "crop_recently_watered" });
    expect(mayWater({ items: later, ownerId: "owner", by: "owner", itemId: "wheat", now: T0 + 10_000 + WATER_COOLDOWN_MS })).toMatchObject({ ok: true });
  });

  it("refuses what is not a crop and a ripe crop", () => {
    expect(mayWater({ ...base, itemId: "house", now: T0 })).toMatchObject({ ok: false, code: "not_a_crop" });
    expect(mayWater({ ...base, itemId: "wheat", now: T0 + CROPS.wheat.growMs })).toMatchObject({ ok: false, code: "crop_ripe" });
  });
});

describe("harvesting", () => {
  it("is the owner's alone, and only when ripe", () => {
    const ripe = T0 + CROPS.wheat.growMs;
    expect(mayHarvest({ ...base, by: "friend", itemId: "wheat", now: ripe })).toMatchObject({ ok: false, code: "not_owner" });
    expect(mayHarvest({ ...base, itemId: "wheat", now: ripe - 1 })).toMatchObject({ ok: false, code: "crop_not_ripe" });
    expect(mayHarvest({ ...base, itemId: "goat", now: ripe })).toMatchObject({ ok: false, code: "not_a_crop" });
    expect(mayHarvest({ ...base, itemId: "wheat", now: ripe })).toMatchObject({ ok: true, coins: CROPS.wheat.coins, crop: wheat });
  });
});

describe("putting an item in the barn", () => {
  it("lets the owner put away anything but a crop", () => {
    expect(mayTake({ ...base, itemId: "goat" })).toEqual({ ok: true, moved: true });
    expect(mayTake({ ...base, itemId: "boxed" })).toEqual({ ok: true, moved: false });
    expect(mayTake({ ...base, itemId: "wheat" })).toMatchObject({ ok: false, code: "crop_cannot_be_taken" });
    expect(mayTake({ ...base, itemId: "nope" })).toMatchObject({ ok: false, code: "item_unknown" });
    expect(mayTake({ ...base, by: "friend", itemId: "goat" })).toMatchObject({ ok: false, code: "not_owner" });
  });
});

describe("the owner's view", () => {
  const pumpkin = plantCrop("pumpkin", T0);
  const helped = watered(watered(watered(pumpkin, "ann", T0 + 1000), "owner", T0 + 1000 + MINUTE), "bob", T0 + 1000 + 2 * MINUTE);
  const again = watered(helped, "ann", T0 + 1000 + 3 * MINUTE);
  const farm: FarmItem[] = [...items.slice(0, 3), { id: "wheat", kind: "crop", crop: again, x: 6, y: 4 }, { id: "carrot", kind: "crop", crop: plantCrop("carrot", T0), x: 7, y: 4 }];

  it("names each helper once, in order of first help, never the owner, and skips players without a name (deleted)", () => {
    const names = new Map<string, string | null>([["ann", "Ann"], ["bob", "Bob"]]);
    expect(helperNames(again, "owner", names)).toEqual(["Ann", "Bob"]);
    expect(helperNames(again, "owner", new Map([["ann", null], ["bob", "Bob"]]))).toEqual(["Bob"]);
    expect(helperNames(again, "owner", new Map())).toEqual([]);
  });

  it("lists coins and every crop's helpers, and which players need a name", () => {
    expect(helperIdsOf(farm, "owner")).toEqual(["ann", "bob"]);
    expect(ownerViewOf(farm, "owner", 42, new Map([["ann", "Ann"], ["bob", "Bob"]]))).toEqual({ coins: 42, helpers: { wheat: ["Ann", "Bob"], carrot: [] } });
  });
});
