/**
 * The checkouts a basket started and has not heard the end of (pure rules).
 *
 * The basket lives in the player's browser (first-party storage). When it opens a checkout it
 * remembers the order; when the server says that order was paid (the return page, the room's
 * `orderPaid`, or GET /api/orders/:id at start-up), the gifts it paid leave the basket, whichever
 * tab or device the payment was made from. An expired order (abandoned, cancelled) is forgotten
 * and the basket stays as it was, so the player can try again.
 */
import type { OrderStatus } from "./api.ts";
import { MAX_QUANTITY_PER_LINE, type BasketLineInput } from "./basket.ts";

/** A checkout the basket started: its order, and when (ms since the epoch). */
export interface BasketCheckout {
  orderId: string;
  startedAt: number;
}

/** A basket keeps at most this many open checkouts (the newest): a few retries, never a growing list. */
export const MAX_BASKET_CHECKOUTS = 5;

export interface BasketState {
  lines: BasketLineInput[];
  checkouts: BasketCheckout[];
}

/** What the server said about an order, as far as the basket cares. */
export interface SettledOrder {
  id: string;
  status: OrderStatus;
  lines: ReadonlyArray<{ giftId: string; quantity: number }>;
}

/** The basket remembers a checkout it just started (once, newest last, at most MAX_BASKET_CHECKOUTS). */
export function rememberCheckout(checkouts: readonly BasketCheckout[], orderId: string, now: number): BasketCheckout[] {
  return [...checkouts.filter((c) => c.orderId !== orderId), { orderId, startedAt: now }].slice(-MAX_BASKET_CHECKOUTS);
}

export function forgetCheckout(checkouts: readonly BasketCheckout[], orderId: string): BasketCheckout[] {
  return checkouts.filter((c) => c.orderId !== orderId);
}

/** The basket's lines without what an order paid for (a line left with nothing goes). */
export function withoutPaidLines(lines: readonly BasketLineInput[], paid: SettledOrder["lines"]): BasketLineInput[] {
  const owed = new Map<string, number>();
  for (const l of paid) owed.set(l.giftId, (owed.get(l.giftId) ?? 0) + l.quantity);
  return lines.flatMap((l) => {
    const left = l.quantity - (owed.get(l.giftId) ?? 0);
    return left > 0 ? [{ giftId: l.giftId, quantity: left }] : [];
  });
}

export type SettleOutcome = "paid" | "expired" | "pending" | "not_ours";

/**
 * What an order's status does to the basket. Paid: its gifts leave, and the checkout is forgotten.
 * Expired: the checkout is forgotten, the lines stay (try again). Pending: nothing yet. An order
 * the basket did not start changes nothing, unless `started` says this browser started it (the
 * return page: the payer came back here from that checkout).
 */
export function settleCheckout(state: BasketState, order: SettledOrder, started = false): { state: BasketState; outcome: SettleOutcome } {
  const ours = started || state.checkouts.some((c) => c.orderId === order.id);
  if (!ours) return { state, outcome: "not_ours" };
  if (order.status === "pending") return { state, outcome: "pending" };
  const checkouts = forgetCheckout(state.checkouts, order.id);
  if (order.status === "expired") return { state: { lines: state.lines, checkouts }, outcome: "expired" };
  return { state: { lines: withoutPaidLines(state.lines, order.lines), checkouts }, outcome: "paid" };
}

/** Saved lines, as read back from storage: anything malformed is left out. */
export function parseLines(raw: unknown): BasketLineInput[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((l: { giftId?: unknown; quantity?: unknown } | null) =>
    typeof l?.giftId === "string" && Number.isSafeInteger(l.quantity) && Number(l.quantity) > 0
      ? [{ giftId: l.giftId, quantity: Math.min(MAX_QUANTITY_PER_LINE, Number(l.quantity)) }]
      : [],
  );
}

/** Saved checkouts, as read back from storage: anything malformed is left out. */
export function parseCheckouts(raw: unknown): BasketCheckout[] {
  if (!Array.isArray(raw)) return [];
  const valid = raw.flatMap((c: { orderId?: unknown; startedAt?: unknown } | null) =>
    typeof c?.orderId === "string" && c.orderId.length > 0 && c.orderId.length <= 64 && Number.isSafeInteger(c.startedAt)
      ? [{ orderId: c.orderId, startedAt: Number(c.startedAt) }]
      : [],
  );
  return valid.slice(-MAX_BASKET_CHECKOUTS);
}
