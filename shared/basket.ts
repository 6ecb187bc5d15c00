/**
 * Pricing a basket: a pure rule. The server calls it with gifts read from the
 * database (never prices sent by the client); the shop calls it to show the
 * same total the server will charge.
 */
import { type Currency, MAX_ORDER_CENTS } from "./money.ts";
import { type RuleError, type RuleResult, refuse } from "./errors.ts";
import type { HoldAllowance } from "./gift-offer.ts";

export const MAX_QUANTITY_PER_LINE = 20;
export const MAX_BASKET_LINES = 20;
/** The optional free amount on top of the gifts ("support the project"): at most 500 €. */
export const MAX_SUPPORT_CENTS = 50_000;
export const SUPPORT_CHOICES_CENTS = [0, 100, 200, 500] as const;
/**
 * Under this total the shop suggests completing the basket: each payment costs
 * Hameau a fixed card fee (about 0.25 €, borne by Hameau, never taken from the
 * gift: docs/payments.md), so one payment of several gifts costs less.
 */
export const SMALL_BASKET_CENTS = 500;

export interface BasketLineInput {
  giftId: string;
  quantity: number;
}

export interface PricedGift {
  id: string;
  ngoId: string;
  projectId: string;
  priceCents: number;
  currency: Currency;
  /** On sale now (shared/gift-offer.ts): false for a retired, not yet or no longer available gift. */
  active: boolean;
  /** Units still for sale; null or absent when the stock is unlimited. */
  stockLeft?: number | null;
  /** The gift's NGO cannot take payments now (its Stripe account cannot take charges): refused at checkout. */
  paymentsOff?: boolean;
  /** For a limited gift: how many units this buyer may hold in a new checkout (shared/gift-offer.ts holdAllowance). */
  hold?: HoldAllowance;
}

export interface PricedLine {
  giftId: string;
  ngoId: string;
  projectId: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface PricedBasket {
  lines: PricedLine[];
  /** Free amount on top of the gifts, included in totalCents. */
  supportCents: number;
  totalCents: number;
  currency: Currency;
}

export function priceBasket(
  input: readonly BasketLineInput[],
  giftsById: ReadonlyMap<string, PricedGift>,
  supportCents = 0,
): RuleResult<{ basket: PricedBasket }> {
  if (input.length === 0) return refuse("basket_empty", "The basket is empty");
  if (!Number.isSafeInteger(supportCents) || supportCents < 0 || supportCents > MAX_SUPPORT_CENTS) {
    return refuse("support_invalid", `The support amount must be whole cents from 0 to ${MAX_SUPPORT_CENTS}`);
  }
  if (input.length > MAX_BASKET_LINES) {
    return refuse("basket_too_many_lines", `A basket holds at most ${MAX_BASKET_LINES} different gifts`);
  }
  const seen = new Set<string>();
  const lines: PricedLine[] = [];
  let currency: Currency | undefined;
  let total = supportCents;
  for (const line of input) {
    if (seen.has(line.giftId)) {
      return refuse("basket_duplicate_gift", `Gift ${line.giftId} appears twice; use its quantity instead`);
    }
    seen.add(line.giftId);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY_PER_LINE) {
      return refuse("quantity_invalid", `Quantity must be a whole number from 1 to ${MAX_QUANTITY_PER_LINE}`);
    }
    const gift = giftsById.get(line.giftId);
    if (!gift) return refuse("gift_unknown", `No gift with id ${line.giftId}`);
    if (!gift.active) return refuse("gift_unavailable", `Gift ${line.giftId} is no longer offered`);
    if (gift.stockLeft !== undefined && gift.stockLeft !== null && line.quantity > gift.stockLeft) {
      return gift.stockLeft === 0
        ? refuse("gift_sold_out", `Gift ${line.giftId} is sold out`)
        : refuse("gift_stock_low", `Only ${gift.stockLeft} of gift ${line.giftId} are left`);
    }
    if (gift.hold && line.quantity > gift.hold.units) return holdRefusal(gift.hold, line.giftId);
    if (currency && gift.currency !== currency) {
      return refuse("currency_mismatch", "All gifts of a basket must be in one currency");
    }
    currency = gift.currency;
    const lineTotal = gift.priceCents * line.quantity;
    total += lineTotal;
    if (total > MAX_ORDER_CENTS) {
      return refuse("order_too_large", `An order is limited to ${MAX_ORDER_CENTS / 100} ${gift.currency}`);
    }
    lines.push({
      giftId: gift.id,
      ngoId: gift.ngoId,
      projectId: gift.projectId,
      quantity: line.quantity,
      unitPriceCents: gift.priceCents,
      lineTotalCents: lineTotal,
    });
  }
  return { ok: true, basket: { lines, supportCents, totalCents: total, currency: currency ?? "EUR" } };
}

/** Why a checkout may not hold that many units of a limited gift (shared/gift-offer.ts). */
function holdRefusal(hold: HoldAllowance, giftId: string): RuleError {
  switch (hold.limitedBy) {
    case "stock":
      return hold.units === 0 ? refuse("gift_sold_out", `Gift ${giftId} is sold out`) : refuse("gift_stock_low", `Only ${hold.units} of gift ${giftId} are left`);
    case "buyer_share":
      return refuse("hold_limit", hold.units === 0
        ? `Your open checkouts already hold as many of gift ${giftId} as one buyer may: pay or cancel them first`
        : `One buyer may hold at most ${hold.units} more of gift ${giftId} in open checkouts`);
    case "guests_share":
      return refuse("gift_held", `The units of gift ${giftId} guests may hold are in open checkouts: try again in a few minutes, or with an account`);
    case "guest_last_units":
      return refuse("gift_last_units", `The last units of gift ${giftId} need an account`);
  }
}
