/**
 * Money going back: refunds and disputes. Each posts reversing ledger entries
 * (never edits), keyed so that a replay posts nothing, and takes back the
 * gifts the donor no longer pays for — visibly, with a notification (none for
 * a deleted account, whose gifts are already gone: the money still moves).
 * An event about a payment Hameau does not know yet waits for it.
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import { giftsToWithdraw } from "../../shared/withdrawal.ts";
import type { Tx } from "../db/connect.ts";
import { notifications, orderLines, orders, players, villageItems, villages } from "../db/schema.ts";
import { correctTaxReceiptsOfOrder } from "../services/tax-receipt-corrections.ts";
import { bookDisputeFees } from "./fees.ts";
import { donationOf, negate, postTransaction, reversalEntries } from "./ledger.ts";

type Order = typeof orders.$inferSelect;
export type WithdrawalReason = "refunded" | "dispute_lost";

export type ReversalResult =
  | { outcome: "waiting" | "already_applied" | "amount_mismatch" | "currency_mismatch" | "not_applicable" }
  | { outcome: "refunded" | "dispute_opened" | "dispute_won" | "dispute_lost"; orderId: string; villageId: string; withdrawn: Array<{ itemId: string; giftId: string }>; reason?: WithdrawalReason };

async function lockOrderByPaymentIntent(tx: Tx, paymentIntentId: string): Promise<Order | undefined> {
  const [order] = await tx.select().from(orders).where(eq(orders.paymentIntentId, paymentIntentId)).for("update");
  return order?.status === "paid" ? order : undefined;
}

export interface RefundFacts {
  eventId: string;
  paymentIntentId: string;
  /** Cumulative amount refunded on the charge, as Stripe reports it. */
  amountRefunded: number;
  currency: string;
}

export async function applyRefund(tx: Tx, f: RefundFacts): Promise<ReversalResult> {
  const order = await lockOrderByPaymentIntent(tx, f.paymentIntentId);
  if (!order) return { outcome: "waiting" };
  if (order.currency.toLowerCase() !== f.currency.toLowerCase()) return { outcome: "currency_mismatch" };
  if (f.amountRefunded > order.totalCents || f.amountRefunded < 0) return { outcome: "amount_mismatch" };
  const delta = f.amountRefunded - order.refundedCents;
  // Cumulative amounts make refund events commute: an older, smaller one arriving late adds nothing.
  if (delta <= 0) return { outcome: "already_applied" };
  await postTransaction(tx, {
    kind: "refund", sourceKey: `refund:${order.id}:${f.amountRefunded}`, orderId: order.id, stripeEventId: f.eventId,
    currency: order.currency, lines: reversalEntries(await donationOf(tx, order.id), delta),
  });
  const updated = { ...order, refundedCents: f.amountRefunded };
  await tx.update(orders).set({ refundedCents: f.amountRefunded }).where(eq(orders.id, order.id));
  const withdrawn = await withdrawUnpaidGifts(tx, updated, "refunded");
  await correctTaxReceiptsOfOrder(tx, order.id, "refunded");
  return { outcome: "refunded", orderId: order.id, villageId: order.villageId, withdrawn, reason: "refunded" };
}

export interface DisputeFacts {
  eventId: string;
  disputeId: string;
  paymentIntentId: string;
  amount: number;
  currency: string;
  status: string;
  /** Stripe's balance transactions of the dispute, with their fees (booked once each). */
  balanceTransactions: Array<{ id: string; fee: number; currency: string }>;
}

export async function applyDispute(tx: Tx, f: DisputeFacts, closed: boolean): Promise<ReversalResult> {
  const order = await lockOrderByPaymentIntent(tx, f.paymentIntentId);
  if (!order) return { outcome: "waiting" };
  if (order.currency.toLowerCase() !== f.currency.toLowerCase()) return { outcome: "currency_mismatch" };
  if (f.amount <= 0 || f.amount > order.totalCents) return { outcome: "amount_mismatch" };
  await bookDisputeFees(tx, { orderId: order.id, currency: order.currency, eventId: f.eventId, balanceTransactions: f.balanceTransactions });
  const taken = reversalEntries(await donationOf(tx, order.id), f.amount);
  // Stripe withdraws the disputed amount when the dispute opens, whatever order the events come in.
  const opened = await postTransaction(tx, {
    kind: "dispute", sourceKey: `dispute:${f.disputeId}:opened`, orderId: order.id, stripeEventId: f.eventId, currency: order.currency, lines: taken,
  });
  const base = { orderId: order.id, villageId: order.villageId, withdrawn: [] as Array<{ itemId: string; giftId: string }> };
  if (!closed) {
    if (!opened) return { outcome: "already_applied" };
    if (!order.disputeStatus) await tx.update(orders).set({ disputeStatus: "open" }).where(eq(orders.id, order.id));
    return { outcome: "dispute_opened", ...base };
  }
  if (f.status === "lost") {
    if (order.disputeStatus === "lost") return { outcome: "already_applied" };
    await tx.update(orders).set({ disputeStatus: "lost" }).where(eq(orders.id, order.id));
    await correctTaxReceiptsOfOrder(tx, order.id, "dispute_lost");
    const withdrawn = await withdrawUnpaidGifts(tx, { ...order, disputeStatus: "lost" }, "dispute_lost");
    return { outcome: "dispute_lost", ...base, withdrawn, reason: "dispute_lost" };
  }
  if (f.status === "won" || f.status === "warning_closed") {
    const reinstated = await postTransaction(tx, {
      kind: "dispute_reversal", sourceKey: `dispute:${f.disputeId}:won`, orderId: order.id, stripeEventId: f.eventId, currency: order.currency, lines: negate(taken),
    });
    if (!reinstated) return { outcome: "already_applied" };
    await tx.update(orders).set({ disputeStatus: "won" }).where(eq(orders.id, order.id));
    return { outcome: "dispute_won", ...base };
  }
  return { outcome: "not_applicable" };
}

/** Takes back the gifts the donor no longer pays for, and tells the village owner. */
async function withdrawUnpaidGifts(tx: Tx, order: Order, reason: WithdrawalReason): Promise<Array<{ itemId: string; giftId: string }>> {
  const active = await tx
    .select({ itemId: villageItems.id, giftId: villageItems.giftId, priceCents: orderLines.unitPriceCents })
    .from(villageItems)
    .innerJoin(orderLines, eq(orderLines.id, villageItems.orderLineId))
    .where(and(eq(orderLines.orderId, order.id), isNull(villageItems.removedAt)));
  const giftsTotal = order.totalCents - order.supportCents;
  const kept = order.disputeStatus === "lost" ? 0 : Math.min(giftsTotal, order.totalCents - order.refundedCents);
  const ids = giftsToWithdraw(active.map((a) => ({ itemId: a.itemId, priceCents: a.priceCents })), kept);
  if (ids.length === 0) return [];
  await tx.update(villageItems).set({ removedAt: new Date(), removalReason: reason }).where(inArray(villageItems.id, ids));
  const withdrawn = active.filter((a) => ids.includes(a.itemId)).map((a) => ({ itemId: a.itemId, giftId: a.giftId ?? "" }));
  // A deleted account is told nothing: nothing more is stored about it.
  const [village] = await tx
    .select({ ownerId: villages.ownerId })
    .from(villages)
    .innerJoin(players, eq(players.id, villages.ownerId))
    .where(and(eq(villages.id, order.villageId), isNull(players.deletedAt)));
  if (village) {
    await tx.insert(notifications).values({ playerId: village.ownerId, kind: "gift_withdrawn", payload: { orderId: order.id, reason, items: withdrawn } });
  }
  return withdrawn;
}
