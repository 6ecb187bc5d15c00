import { describe, expect, it } from "vitest";
import { MAX_QUANTITY_PER_LINE, priceBasket, type PricedGift } from "../../shared/basket.ts";

const gift = (id: string, priceCents: number, over: Partial<PricedGift> = {}): PricedGift => ({
  id, ngoId: "ngo-1", projectId: `project-${id}`, priceCents, currency: "EUR", active: true, ...over,
});
const catalog = new Map([
  ["seeds", gift("seeds", 100)],
  ["goat", gift("goat", 3500)],
  ["well", gift("well", 15000)],
  ["retired", gift("retired", 900, { active: false })],
]);

describe("priceBasket", () => {
  it("prices lines from the catalog, never from the input", () => {
    const r = priceBasket([{ giftId: "seeds", quantity: 3 }, { giftId: "goat", quantity: 1 }], catalog);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.basket.totalCents).toBe(3800);
    expect(r.basket.currency).toBe("EUR");
    expect(r.basket.lines).toEqual([
      { giftId: "seeds", ngoId: "ngo-1", projectId: "project-seeds", quantity: 3, unitPriceCents: 100, lineTotalCents: 300 },
      { giftId: "goat", ngoId: "ngo-1", projectId: "project-goat", quantity: 1, unitPriceCents: 3500, lineTotalCents: 3500 },
    ]);
  });

  it("refuses an empty basket", () => {
    expect(priceBasket([], catalog)).toMatchObject({ ok: false, code: "basket_empty" });
  });

  it.each([0, -1, 1.5, MAX_QUANTITY_PER_LINE + 1, Number.NaN, Number.MAX_SAFE_INTEGER])("refuses quantity %s", (quantity) => {
    expect(priceBasket([{ giftId: "goat", quantity }], catalog)).toMatchObject({ ok: false, code: "quantity_invalid" });
  });

  it("refuses unknown and retired gifts", () => {
    expect(priceBasket([{ giftId: "unicorn", quantity: 1 }], catalog)).toMatchObject({ ok: false, code: "gift_unknown" });
    expect(priceBasket([{ giftId: "retired", quantity: 1 }], catalog)).toMatchObject({ ok: false, code: "gift_unavailable" });
  });

  it("refuses the same gift twice", () => {
    const r = priceBasket([{ giftId: "goat", quantity: 1 }, { giftId: "goat", quantity: 2 }], catalog);
    expect(r).toMatchObject({ ok: false, code: "basket_duplicate_gift" });
  });

  it("caps the order total", () => {
    const big = new Map([["tractor", gift("tractor", 60_000)]]);
    expect(priceBasket([{ giftId: "tractor", quantity: 20 }], big)).toMatchObject({ ok: false, code: "order_too_large" });
    expect(priceBasket([{ giftId: "tractor", quantity: 16 }], big).ok).toBe(true);
  });

  it("refuses mixed currencies", () => {
    const mixed = new Map([["a", gift("a", 100)], ["b", gift("b", 100, { currency: "USD" as "EUR" })]]);
    expect(priceBasket([{ giftId: "a", quantity: 1 }, { giftId: "b", quantity: 1 }], mixed)).toMatchObject({ ok: false, code: "currency_mismatch" });
  });

  it("adds the optional support on top, in whole cents", () => {
    const r = priceBasket([{ giftId: "goat", quantity: 1 }], catalog, 500);
    expect(r).toMatchObject({ ok: true, basket: { supportCents: 500, totalCents: 4000 } });
    for (const bad of [-1, 1.5, 50_001, Number.NaN]) {
      expect(priceBasket([{ giftId: "goat", quantity: 1 }], catalog, bad)).toMatchObject({ ok: false, code: "support_invalid" });
    }
  });
});
