import { describe, expect, it } from "vitest";
import { priceBasket, type PricedGift } from "../../shared/basket.ts";
import { type HoldFacts, type OfferFacts, giftState, holdAllowance, nextWindowChange, stockLeft } from "../../shared/gift-offer.ts";
import { freeSlug, slugify, stockErrors, windowErrors } from "../../shared/ngo-catalog.ts";

const at = (iso: string) => new Date(iso);
const NOW = at("2026-12-01T12:00:00Z").getTime();
const facts = (over: Partial<OfferFacts> = {}): OfferFacts => ({
  ngoApproved: true, ngoTakesPayments: true, active: true, retiredAt: null, availableFrom: null, availableUntil: null, stockLimit: null, unitsTaken: 0, ...over,
});

describe("whether a gift is on sale", () => {
  it("needs an approved NGO, an active gift never retired, inside its window, not sold out", () => {
    expect(giftState(facts(), NOW)).toBe("on_sale");
    expect(giftState(facts({ ngoApproved: false }), NOW)).toBe("ngo_not_approved");
    expect(giftState(facts({ ngoApproved: false, ngoTakesPayments: false }), NOW)).toBe("ngo_not_approved");
    expect(giftState(facts({ ngoTakesPayments: false }), NOW)).toBe("ngo_payments_off");
    expect(giftState(facts({ ngoTakesPayments: false, retiredAt: at("2026-11-01") }), NOW)).toBe("retired");
    expect(giftState(facts({ ngoTakesPayments: false, availableFrom: at("2026-12-01T12:00:01Z") }), NOW)).toBe("ngo_payments_off");
    expect(giftState(facts({ retiredAt: at("2026-11-01") }), NOW)).toBe("retired");
    expect(giftState(facts({ active: false }), NOW)).toBe("retired");
    expect(giftState(facts({ availableFrom: at("2026-12-01T12:00:01Z") }), NOW)).toBe("not_yet");
    expect(giftState(facts({ availableFrom: at("2026-12-01T12:00:00Z") }), NOW)).toBe("on_sale");
    expect(giftState(facts({ availableUntil: at("2026-12-01T12:00:00Z") }), NOW)).toBe("ended");
    expect(giftState(facts({ availableUntil: at("2026-12-01T12:00:01Z") }), NOW)).toBe("on_sale");
    expect(giftState(facts({ stockLimit: 3, unitsTaken: 3 }), NOW)).toBe("sold_out");
    expect(giftState(facts({ stockLimit: 3, unitsTaken: 5 }), NOW)).toBe("sold_out");
    expect(giftState(facts({ stockLimit: 0 }), NOW)).toBe("sold_out");
    expect(giftState(facts({ stockLimit: 3, unitsTaken: 2 }), NOW)).toBe("on_sale");
    expect(giftState(facts({ retiredAt: at("2026-11-01"), stockLimit: 1, unitsTaken: 1 }), NOW)).toBe("retired");
  });

  it("counts what is left, never below zero, and null without a limit", () => {
    expect(stockLeft(null, 12)).toBeNull();
    expect(stockLeft(10, 3)).toBe(7);
    expect(stockLeft(2, 5)).toBe(0);
  });

  it("says when a window next opens or closes", () => {
    const gifts = [
      { availableFrom: at("2026-12-03T00:00:00Z"), availableUntil: null },
      { availableFrom: at("2026-11-01T00:00:00Z"), availableUntil: at("2026-12-02T00:00:00Z") },
      { availableFrom: null, availableUntil: at("2026-11-30T00:00:00Z") },
    ];
    expect(nextWindowChange(gifts, NOW)).toBe(at("2026-12-02T00:00:00Z").getTime());
    expect(nextWindowChange([{ availableFrom: null, availableUntil: null }], NOW)).toBeNull();
  });
});

describe("the console's rules", () => {
  it("wants the end of a window after its start", () => {
    expect(windowErrors(null, "2026-01-01")).toEqual({});
    expect(windowErrors("2026-01-02", "2026-01-01")).toEqual({ availableUntil: "window_order" });
    expect(windowErrors("2026-01-01", "2026-01-01T00:00:00Z")).toEqual({ availableUntil: "window_order" });
    expect(windowErrors(at("2026-01-01"), at("2026-01-01T00:00:01Z"))).toEqual({});
  });

  it("keeps a stock limit at or above the units sold", () => {
    expect(stockErrors(null, 40)).toEqual({});
    expect(stockErrors(4, 4)).toEqual({});
    expect(stockErrors(3, 4)).toEqual({ stockLimit: "stock_below_sold" });
  });

  it("makes slugs from names and never reuses one", () => {
    expect(slugify("Chèvre d'urgence — Sénégal")).toBe("chevre-d-urgence-senegal");
    expect(slugify("!!!")).toBe("gift");
    expect(slugify("x".repeat(100)).length).toBe(60);
    expect(freeSlug("poules", new Set())).toBe("poules");
    expect(freeSlug("poules", new Set(["poules", "poules-2"]))).toBe("poules-3");
  });
});

describe("pricing a basket against the stock", () => {
  const gift = (over: Partial<PricedGift> = {}): PricedGift => ({
    id: "g", ngoId: "n", projectId: "p", priceCents: 500, currency: "EUR", active: true, ...over,
  });
  it("refuses more units than are left, and a sold-out gift, with their own codes", () => {
    expect(priceBasket([{ giftId: "g", quantity: 2 }], new Map([["g", gift({ stockLeft: 2 })]])).ok).toBe(true);
    expect(priceBasket([{ giftId: "g", quantity: 3 }], new Map([["g", gift({ stockLeft: 2 })]]))).toMatchObject({ ok: false, code: "gift_stock_low" });
    expect(priceBasket([{ giftId: "g", quantity: 1 }], new Map([["g", gift({ stockLeft: 0 })]]))).toMatchObject({ ok: false, code: "gift_sold_out" });
    expect(priceBasket([{ giftId: "g", quantity: 20 }], new Map([["g", gift({ stockLeft: null })]])).ok).toBe(true);
    expect(priceBasket([{ giftId: "g", quantity: 1 }], new Map([["g", gift({ active: false, stockLeft: 0 })]]))).toMatchObject({ code: "gift_unavailable" });
  });
});

describe("how many units a buyer may hold in a new checkout", () => {
  const hold = (over: Partial<HoldFacts> = {}) => holdAllowance({ stockLimit: 20, sold: 0, held: 0, heldByGuests: 0, heldByBuyer: 0, guest: false, ...over });

  it("is a quarter of the unsold units per buyer (at least one), counting the buyer's open checkouts", () => {
    expect(hold()).toEqual({ units: 5, limitedBy: "buyer_share" });
    expect(hold({ heldByBuyer: 3, held: 3 })).toEqual({ units: 2, limitedBy: "buyer_share" });
    expect(hold({ heldByBuyer: 5, held: 5 })).toEqual({ units: 0, limitedBy: "buyer_share" });
    expect(hold({ sold: 18 })).toEqual({ units: 1, limitedBy: "buyer_share" });
    expect(hold({ stockLimit: 3 })).toEqual({ units: 1, limitedBy: "buyer_share" });
  });

  it("never more than is free", () => {
    expect(hold({ stockLimit: 1 })).toEqual({ units: 1, limitedBy: "stock" });
    expect(hold({ stockLimit: 1, held: 1 })).toEqual({ units: 0, limitedBy: "stock" });
    expect(hold({ sold: 20 })).toEqual({ units: 0, limitedBy: "stock" });
    expect(hold({ sold: 25 }).units).toBe(0);
  });

  it("lets guests together hold half of the unsold units, and never the last one", () => {
    expect(hold({ guest: true })).toEqual({ units: 5, limitedBy: "buyer_share" });
    expect(hold({ guest: true, held: 10, heldByGuests: 10 })).toEqual({ units: 0, limitedBy: "guests_share" });
    expect(hold({ guest: true, held: 8, heldByGuests: 8 })).toEqual({ units: 2, limitedBy: "guests_share" });
    // Accounts' holds do not count against the guests' share, yet the last unit stays free for an account.
    expect(hold({ guest: true, stockLimit: 2, held: 1, heldByGuests: 0 })).toEqual({ units: 0, limitedBy: "guest_last_units" });
    expect(hold({ guest: true, stockLimit: 1 })).toEqual({ units: 0, limitedBy: "guest_last_units" });
    expect(hold({ guest: false, stockLimit: 1 })).toEqual({ units: 1, limitedBy: "stock" });
  });

  it("turns into the basket's refusal codes", () => {
    const gift = (hold: ReturnType<typeof holdAllowance>): PricedGift => ({
      id: "g", ngoId: "n", projectId: "p", priceCents: 500, currency: "EUR", active: true, stockLeft: 10, hold,
    });
    const code = (h: ReturnType<typeof holdAllowance>, quantity: number) => {
      const r = priceBasket([{ giftId: "g", quantity }], new Map([["g", gift(h)]]));
      return r.ok ? "ok" : r.code;
    };
    expect(code({ units: 2, limitedBy: "buyer_share" }, 2)).toBe("ok");
    expect(code({ units: 2, limitedBy: "buyer_share" }, 3)).toBe("hold_limit");
    expect(code({ units: 0, limitedBy: "guests_share" }, 1)).toBe("gift_held");
    expect(code({ units: 0, limitedBy: "guest_last_units" }, 1)).toBe("gift_last_units");
  });
});
