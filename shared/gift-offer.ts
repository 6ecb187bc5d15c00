/**
 * Whether players may buy a gift at a moment: a pure rule with the time
 * passed in. The shop lists, and checkout sells, only gifts "on_sale": of an
 * approved NGO whose Stripe account can take payments, active, not retired,
 * inside their availability window (from inclusive, until exclusive) and not
 * sold out.
 */
import type { GiftState } from "./ngo-catalog.ts";

/**
 * How long a checkout stays open: Stripe sessions are created with
 * `expires_at` this far ahead (Stripe accepts 30 minutes to 24 hours; one
 * minute more so the clocks of both sides never make it less than 30).
 * A pending order younger than this holds its units of a limited stock.
 */
export const CHECKOUT_VALIDITY_MS = 31 * 60_000;

export interface OfferFacts {
  ngoApproved: boolean;
  /** The NGO's own Stripe account can take charges (donations reach the NGO only there). */
  ngoTakesPayments: boolean;
  active: boolean;
  retiredAt: Date | null;
  availableFrom: Date | null;
  availableUntil: Date | null;
  stockLimit: number | null;
  /** Units sold (paid) plus held by open checkouts. */
  unitsTaken: number;
}

/** Units still for sale; null for an unlimited gift. */
export function stockLeft(stockLimit: number | null, unitsTaken: number): number | null {
  return stockLimit === null ? null : Math.max(0, stockLimit - unitsTaken);
}

export function giftState(facts: OfferFacts, now: number): GiftState {
  if (!facts.ngoApproved) return "ngo_not_approved";
  if (facts.retiredAt !== null || !facts.active) return "retired";
  if (!facts.ngoTakesPayments) return "ngo_payments_off";
  if (facts.availableFrom !== null && now < facts.availableFrom.getTime()) return "not_yet";
  if (facts.availableUntil !== null && now >= facts.availableUntil.getTime()) return "ended";
  if (stockLeft(facts.stockLimit, facts.unitsTaken) === 0) return "sold_out";
  return "on_sale";
}

/**
 * The next moment a window opens or closes after `now` among these gifts (the
 * shop refetches the catalog then), or null when none will.
 */
export function nextWindowChange(gifts: Iterable<Pick<OfferFacts, "availableFrom" | "availableUntil">>, now: number): number | null {
  let next: number | null = null;
  for (const g of gifts) {
    for (const at of [g.availableFrom, g.availableUntil]) {
      const t = at?.getTime();
      if (t !== undefined && t > now && (next === null || t < next)) next = t;
    }
  }
  return next;
}
