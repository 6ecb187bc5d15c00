import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DECORATION_IDS,
  DECORATIONS,
  MAX_COINS,
  buyDecoration,
  earnCoins,
  isCoins,
  isDecorationId,
} from "../../shared/decorations.ts";
import { CROP_KINDS, CROPS } from "../../shared/farming.ts";

const spriteFile = (key: string) => new URL(`../../assets/sprites/${key}.svg`, import.meta.url);

describe("the decoration shop", () => {
  it("has at least six decorations with whole prices from 10 to 200 coins (a collection's reward is never sold)", () => {
    expect(DECORATION_IDS.length).toBeGreaterThanOrEqual(6);
    for (const id of DECORATION_IDS) {
      const d = DECORATIONS[id];
      expect(d.id).toBe(id);
      expect(Number.isInteger(d.coins)).toBe(true);
      if (d.source === "collection") {
        expect(d.coins).toBe(0);
        expect(buyDecoration(MAX_COINS, id)).toMatchObject({ ok: false, code: "not_for_sale" });
        continue;
      }
      expect(d.coins).toBeGreaterThanOrEqual(10);
      expect(d.coins).toBeLessThanOrEqual(200);
      expect(d.nameFr).not.toBe("");
      expect(d.nameEn).not.toBe("");
    }
  });

  it("has a sprite file for every decoration and every crop stage", () => {
    const keys = [
      ...DECORATION_IDS.map((id) => DECORATIONS[id].sprite),
      ...CROP_KINDS.flatMap((kind) => Object.values(CROPS[kind].sprites)),
    ];
    for (const key of keys) expect(existsSync(spriteFile(key)), `${key}.svg`).toBe(true);
  });

  it("recognises decoration ids from untrusted input", () => {
    expect(isDecorationId("fountain")).toBe(true);
    for (const bad of ["dragon", "", "constructor", 1, null, undefined]) expect(isDecorationId(bad)).toBe(false);
  });
});

describe("buying a decoration", () => {
  it("takes the price off the balance", () => {
    const price = DECORATIONS.bench.coins;
    expect(buyDecoration(price + 5, "bench")).toEqual({ ok: true, balance: 5, decoration: DECORATIONS.bench });
    expect(buyDecoration(price, "bench")).toMatchObject({ ok: true, balance: 0 });
  });

  it("refuses when the balance is short by even one coin", () => {
    expect(buyDecoration(DECORATIONS.fountain.coins - 1, "fountain")).toMatchObject({ ok: false, code: "coins_insufficient" });
    expect(buyDecoration(0, "fence")).toMatchObject({ ok: false, code: "coins_insufficient" });
  });

  it("refuses an unknown decoration", () => {
    expect(buyDecoration(1000, "dragon")).toMatchObject({ ok: false, code: "decoration_unknown" });
    expect(buyDecoration(1000, undefined)).toMatchObject({ ok: false, code: "decoration_unknown" });
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_COINS + 1])("refuses a balance of %s", (balance) => {
    expect(buyDecoration(balance, "fence")).toMatchObject({ ok: false, code: "coins_invalid" });
  });
});

describe("earning coins", () => {
  it("adds whole coins", () => {
    expect(earnCoins(0, 5)).toEqual({ ok: true, balance: 5, earned: 5 });
    expect(earnCoins(12, 0)).toEqual({ ok: true, balance: 12, earned: 0 });
  });

  it("stops at the cap and tells how many coins were kept", () => {
    expect(earnCoins(MAX_COINS - 3, 10)).toEqual({ ok: true, balance: MAX_COINS, earned: 3 });
    expect(earnCoins(MAX_COINS, 10)).toEqual({ ok: true, balance: MAX_COINS, earned: 0 });
  });

  it.each([-1, 0.5, Number.NaN, Number.NEGATIVE_INFINITY, MAX_COINS + 1])("refuses to earn %s coins", (amount) => {
    const result = earnCoins(10, amount);
    expect(result).toMatchObject({ ok: false, code: "coins_invalid" });
  });

  it.each([-5, 2.5, Number.NaN, MAX_COINS + 1])("refuses a balance of %s", (balance) => {
    expect(earnCoins(balance, 1)).toMatchObject({ ok: false, code: "coins_invalid" });
  });

  it("never produces NaN or a fractional balance", () => {
    for (const [balance, amount] of [[0, 0], [7, 3], [MAX_COINS - 1, MAX_COINS]] as const) {
      const result = earnCoins(balance, amount);
      expect(result.ok && isCoins(result.balance)).toBe(true);
    }
  });

  it("knows what a coin amount is", () => {
    expect(isCoins(0)).toBe(true);
    expect(isCoins(MAX_COINS)).toBe(true);
    for (const bad of [-1, 0.1, Number.NaN, MAX_COINS + 1, "5", null]) expect(isCoins(bad)).toBe(false);
  });
});
