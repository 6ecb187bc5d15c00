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

/**
 * Holds: units of a limited gift in checkouts not paid yet. A checkout holds
 * its units until it is paid, cancelled or expires (CHECKOUT_VALIDITY_MS), so
 * unpaid checkouts must never hide a gift from everyone:
 * - one buyer holds at most a quarter of the unsold units (at least one);
 * - guests (no account: free and anonymous to make) together hold at most
 *   half of the unsold units, so players with an account can still buy the
 *   rest, however many guests a script makes;
 * - a guest never holds the last unit: after a guest's checkout at least one
 *   unit stays free (the last units need an account, which is accountable
 *   and rate limited).
 * Held units come back when the checkout is cancelled (its page's Cancel) or
 * expires.
 */
export const HOLD_SHARE_PER_BUYER = 0.25;
export const HOLD_SHARE_GUESTS = 0.5;

export interface HoldFacts {
  stockLimit: number;
  /** Units in paid orders. */
  sold: number;
  /** Units in every open checkout. */
  held: number;
  /** Units in guests' open checkouts. */
  heldByGuests: number;
  /** Units in this buyer's own open checkouts. */
  heldByBuyer: number;
  /** The buyer has no account. */
  guest: boolean;
}

export type HoldLimit = "stock" | "buyer_share" | "guests_share" | "guest_last_units";

export interface HoldAllowance {
  /** The most units this buyer may put in a new checkout now. */
  units: number;
  /** What sets that number. */
  limitedBy: HoldLimit;
}

/** How many units of a limited gift this buyer may hold in a new checkout now, and why not more. */
export function holdAllowance(f: HoldFacts): HoldAllowance {
  const unsold = Math.max(0, f.stockLimit - f.sold);
  const free = Math.max(0, unsold - f.held);
  const caps: Array<[HoldLimit, number]> = [
    ["stock", free],
    ["guest_last_units", f.guest ? free - 1 : Infinity],
    ["buyer_share", Math.max(1, Math.floor(unsold * HOLD_SHARE_PER_BUYER)) - f.heldByBuyer],
    ["guests_share", f.guest ? Math.floor(unsold * HOLD_SHARE_GUESTS) - f.heldByGuests : Infinity],
  ];
  let best = caps[0]!;
  for (const cap of caps) if (cap[1] < best[1]) best = cap;
  return { units: Math.max(0, best[1]), limitedBy: best[0] };
}
