import { describe, expect, it } from "vitest";
import {
  CROP_KINDS,
  CROPS,
  type Crop,
  WATER_BONUS,
  WATER_COOLDOWN_MS,
  cropProgress,
  cropSprite,
  cropStage,
  harvestCrop,
  helpersOf,
  isCrop,
  isCropKind,
  msUntilRipe,
  plantCrop,
  waterCrop,
} from "../../shared/farming.ts";

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const MINUTE = 60_000;

/** Waters a crop and fails the test if the rules refuse. */
function water(crop: Crop, by: string, now: number): Crop {
  const result = waterCrop(crop, by, now);
  if (!result.ok) throw new Error(`watering refused: ${result.code}`);
  return result.crop;
}

describe("the crop catalog", () => {
  it("lists every kind once, with short growth times and whole-coin rewards", () => {
    for (const kind of CROP_KINDS) {
      const info = CROPS[kind];
      expect(info.kind).toBe(kind);
      expect(info.growMs).toBeGreaterThan(0);
      expect(info.growMs).toBeLessThanOrEqual(30 * MINUTE);
      expect(Number.isInteger(info.coins) && info.coins > 0).toBe(true);
      expect(info.nameFr).not.toBe("");
      expect(info.nameEn).not.toBe("");
    }
  });

  it("pays more for crops that take longer", () => {
    const byTime = [...CROP_KINDS].sort((a, b) => CROPS[a].growMs - CROPS[b].growMs);
    const coins = byTime.map((k) => CROPS[k].coins);
    expect(coins).toEqual([...coins].sort((a, b) => a - b));
  });

  it("recognises crop kinds from untrusted input", () => {
    expect(isCropKind("wheat")).toBe(true);
    expect(isCropKind("pumpkin")).toBe(true);
    for (const bad of ["Wheat", "rose", "", "toString", "__proto__", 3, null, undefined, {}]) {
      expect(isCropKind(bad)).toBe(false);
    }
  });
});

describe("growing over time", () => {
  const wheat = plantCrop("wheat", T0);
  const grow = CROPS.wheat.growMs;

  it("plants a fresh crop with no watering", () => {
    expect(wheat).toEqual({ kind: "wheat", plantedAt: T0, growthMs: 0, waterings: [] });
  });

  it("progresses from 0 to 1 and stays ripe", () => {
    expect(cropProgress(wheat, T0)).toBe(0);
    expect(cropProgress(wheat, T0 + grow / 2)).toBe(0.5);
    expect(cropProgress(wheat, T0 + grow)).toBe(1);
    expect(cropProgress(wheat, T0 + 10 * grow)).toBe(1);
  });

  it("counts down to ripe", () => {
    expect(msUntilRipe(wheat, T0)).toBe(grow);
    expect(msUntilRipe(wheat, T0 + 30_000)).toBe(grow - 30_000);
    expect(msUntilRipe(wheat, T0 + grow)).toBe(0);
    expect(msUntilRipe(wheat, T0 + 2 * grow)).toBe(0);
  });

  it("goes through seed, sprout, growing and ripe in order", () => {
    expect(cropStage(wheat, T0)).toBe("seed");
    expect(cropStage(wheat, T0 + grow * 0.3)).toBe("sprout");
    expect(cropStage(wheat, T0 + grow * 0.7)).toBe("growing");
    expect(cropStage(wheat, T0 + grow - 1)).toBe("growing");
    expect(cropStage(wheat, T0 + grow)).toBe("ripe");
  });

  it("never goes backwards when the clock is earlier than planting", () => {
    expect(cropProgress(wheat, T0 - MINUTE)).toBe(0);
    expect(msUntilRipe(wheat, T0 - MINUTE)).toBe(grow);
    expect(cropStage(wheat, T0 - MINUTE)).toBe("seed");
  });

  it("draws the sprite of the current stage", () => {
    const carrot = plantCrop("carrot", T0);
    expect(cropSprite(carrot, T0)).toBe(CROPS.carrot.sprites.seed);
    expect(cropSprite(carrot, T0 + CROPS.carrot.growMs)).toBe(CROPS.carrot.sprites.ripe);
  });

  it("refuses a time that is not whole epoch milliseconds", () => {
    expect(() => plantCrop("wheat", Number.NaN)).toThrow(RangeError);
    expect(() => plantCrop("wheat", 1.5)).toThrow(RangeError);
    expect(() => cropProgress(wheat, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("watering", () => {
  const pumpkin = plantCrop("pumpkin", T0);
  const grow = CROPS.pumpkin.growMs;
  const bonus = grow * WATER_BONUS;

  it("takes the bonus share of the growth time off the wait", () => {
    const result = waterCrop(pumpkin, "owner", T0 + MINUTE);
    expect(result).toMatchObject({ ok: true, bonusMs: bonus });
    if (!result.ok) return;
    expect(msUntilRipe(result.crop, T0 + MINUTE)).toBe(msUntilRipe(pumpkin, T0 + MINUTE) - bonus);
    expect(result.crop.waterings).toEqual([{ by: "owner", at: T0 + MINUTE }]);
  });

  it("does not change the crop it was given", () => {
    waterCrop(pumpkin, "owner", T0);
    expect(pumpkin).toEqual({ kind: "pumpkin", plantedAt: T0, growthMs: 0, waterings: [] });
  });

  it("refuses a second watering within the cooldown, whoever waters", () => {
    const once = water(pumpkin, "owner", T0);
    expect(waterCrop(once, "owner", T0 + WATER_COOLDOWN_MS - 1)).toMatchObject({ ok: false, code: "crop_recently_watered" });
    expect(waterCrop(once, "friend", T0 + 1000)).toMatchObject({ ok: false, code: "crop_recently_watered" });
    expect(waterCrop(once, "friend", T0 + WATER_COOLDOWN_MS)).toMatchObject({ ok: true });
  });

  it("ripens a crop after enough waterings, and never overshoots", () => {
    let crop = pumpkin;
    let now = T0;
    for (let i = 0; i < 1 / WATER_BONUS; i++) {
      crop = water(crop, "owner", now);
      now += WATER_COOLDOWN_MS;
    }
    expect(cropStage(crop, now)).toBe("ripe");
    expect(crop.growthMs).toBeLessThanOrEqual(grow);
  });

  it("grants only what remains when less than the bonus is left", () => {
    const almost = T0 + grow - 10_000;
    const result = waterCrop(pumpkin, "friend", almost);
    expect(result).toMatchObject({ ok: true, bonusMs: 10_000 });
    if (result.ok) expect(msUntilRipe(result.crop, almost)).toBe(0);
  });

  it("refuses to water a ripe crop", () => {
    expect(waterCrop(pumpkin, "owner", T0 + grow)).toMatchObject({ ok: false, code: "crop_ripe" });
  });

  it("lists each helper once, without the owner, in order of first help", () => {
    let crop = plantCrop("pumpkin", T0);
    const visits = ["bea", "owner", "ali", "bea"];
    visits.forEach((by, i) => {
      crop = water(crop, by, T0 + i * WATER_COOLDOWN_MS);
    });
    expect(crop.waterings.map((w) => w.by)).toEqual(visits);
    expect(helpersOf(crop, "owner")).toEqual(["bea", "ali"]);
    expect(helpersOf(plantCrop("wheat", T0), "owner")).toEqual([]);
  });
});

describe("harvesting", () => {
  it("refuses an unripe crop and pays the catalog coins once ripe", () => {
    const carrot = plantCrop("carrot", T0);
    expect(harvestCrop(carrot, T0)).toMatchObject({ ok: false, code: "crop_not_ripe" });
    expect(harvestCrop(carrot, T0 + CROPS.carrot.growMs - 1)).toMatchObject({ ok: false, code: "crop_not_ripe" });
    expect(harvestCrop(carrot, T0 + CROPS.carrot.growMs)).toEqual({ ok: true, coins: CROPS.carrot.coins });
  });

  it("lets watering bring the harvest forward", () => {
    const carrot = water(plantCrop("carrot", T0), "friend", T0);
    const early = T0 + CROPS.carrot.growMs * (1 - WATER_BONUS);
    expect(harvestCrop(carrot, early)).toEqual({ ok: true, coins: CROPS.carrot.coins });
  });
});

describe("crops read from storage", () => {
  it("accepts a crop the rules produced", () => {
    expect(isCrop(water(plantCrop("sunflower", T0), "bea", T0))).toBe(true);
  });

  it.each([
    ["not an object", "wheat"],
    ["an unknown kind", { kind: "rose", plantedAt: T0, growthMs: 0, waterings: [] }],
    ["a fractional time", { kind: "wheat", plantedAt: 1.5, growthMs: 0, waterings: [] }],
    ["a negative bonus", { kind: "wheat", plantedAt: T0, growthMs: -1, waterings: [] }],
    ["more bonus than growth", { kind: "wheat", plantedAt: T0, growthMs: CROPS.wheat.growMs + 1, waterings: [] }],
    ["waterings that are not a list", { kind: "wheat", plantedAt: T0, growthMs: 0, waterings: {} }],
    ["a watering without a player", { kind: "wheat", plantedAt: T0, growthMs: 0, waterings: [{ by: "", at: T0 }] }],
  ])("refuses %s", (_what, value) => {
    expect(isCrop(value)).toBe(false);
  });
});
