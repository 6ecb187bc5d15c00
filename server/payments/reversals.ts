/**
 * Money going back, and coming back: refunds (made, grown, failed, shrunk)
 * and disputes (inquiries, opened, won, lost). Each movement posts new ledger
 * entries (never edits), keyed so that a replay posts nothing, split between
 * projects by the one rule of shared/refund-split.ts, and brings the village
 * to the gifts the donor still pays for (gift-withdrawals.ts) — visibly.
 * An event about a payment Hameau does not know yet waits for it.
 *
 * Refund facts are stored (the newest charge snapshot, each failed refund),
 * and the amount refunded is computed from them (shared/refund-target.ts), so
 * refund events commute: the books and the village end the same whatever
 * order they came in.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { type SplitOrder, splitChange } from "../../shared/refund-split.ts";
import { type ChargeSnapshot, newerSnapshot, refundedAmount } from "../../shared/refund-target.ts";
import type { Tx } from "../db/connect.ts";
import { chargeRefundSnapshots, failedRefunds, ledgerEntries, ledgerTransactions, orders } from "../db/schema.ts";
import { correctTaxReceiptsOfOrder } from "../services/tax-receipt-corrections.ts";
import { bookDisputeFees } from "./fees.ts";
import { type GiftChanges, type GiftRef, splitOrderOf, syncGiftsWithMoney, type WithdrawalReason } from "./gift-withdrawals.ts";
import { ACCOUNT_STRIPE_CLEARING, type LedgerLine, negate, postTransaction, projectAccount } from "./ledger.ts";
import { rematchOrder } from "./matching.ts";
import { oweTransferReversals } from "./transfer-obligations.ts";

export type { WithdrawalReason } from "./gift-withdrawals.ts";
type Order = typeof orders.$inferSelect;

export type ReversalResult =
  | { outcome: "waiting" | "already_applied" | "amount_mismatch" | "currency_mismatch" | "not_applicable" | "inquiry_opened" | "inquiry_closed" }
  | {
    outcome: "refunded" | "refund_corrected" | "dispute_opened" | "dispute_won" | "dispute_lost"; orderId: string; villageId: string;
    withdrawn: GiftRef[]; reason?: WithdrawalReason; restored: GiftRef[];
  };

async function lockOrderByPaymentIntent(tx: Tx, paymentIntentId: string): Promise<Order | undefined> {
  const [order] = await tx.select().from(orders).where(eq(orders.paymentIntentId, paymentIntentId)).for("update");
  return order?.status === "paid" ? order : undefined;
}

const sameCurrency = (order: Order, currency: string) => order.currency.toLowerCase() === currency.toLowerCase();

/** A refund fact from Stripe: the charge's cumulative amount refunded, or one refund that failed. */
export type RefundFacts = {
  eventId: string;
  /** The event's `created` (epoch seconds): when Stripe said it. */
  eventCreated: number;
  paymentIntentId: string;
  currency: string;
} & (
  | { kind: "snapshot"; amountRefunded: number }
  | { kind: "failed"; refundId: string; amount: number; refundCreated: number }
);

export async function applyRefund(tx: Tx, f: RefundFacts): Promise<ReversalResult> {
  const order = await lockOrderByPaymentIntent(tx, f.paymentIntentId);
  if (!order) return { outcome: "waiting" };
  if (!sameCurrency(order, f.currency)) return { outcome: "currency_mismatch" };
  const amount = f.kind === "snapshot" ? f.amountRefunded : f.amount;
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > order.totalCents || (f.kind === "failed" && amount === 0)) return { outcome: "amount_mismatch" };
  await recordRefundFact(tx, order.id, f);
  return moveRefunded(tx, order, f.eventId);
}

/** Stores what the event says: the newer charge snapshot, or a failed refund (once per refund id). */
async function recordRefundFact(tx: Tx, orderId: string, f: RefundFacts): Promise<void> {
  if (f.kind === "failed") {
    await tx.insert(failedRefunds).values({ refundId: f.refundId, orderId, amountCents: f.amount, createdAt: f.refundCreated, failedAt: f.eventCreated }).onConflictDoNothing();
    return;
  }
  const [stored] = await tx.select().from(chargeRefundSnapshots).where(eq(chargeRefundSnapshots.orderId, orderId));
  const next = newerSnapshot(stored ?? null, { amountRefundedCents: f.amountRefunded, at: f.eventCreated });
  if (stored && next === stored) return;
  await tx
    .insert(chargeRefundSnapshots)
    .values({ orderId, ...next })
    .onConflictDoUpdate({ target: chargeRefundSnapshots.orderId, set: { amountRefundedCents: next.amountRefundedCents, at: next.at } });
}

/** The amount refunded the stored facts add up to. */
async function refundTargetOf(tx: Tx, orderId: string): Promise<number> {
  const [snapshot] = await tx.select().from(chargeRefundSnapshots).where(eq(chargeRefundSnapshots.orderId, orderId));
  const failed = await tx.select().from(failedRefunds).where(eq(failedRefunds.orderId, orderId));
  const s: ChargeSnapshot | null = snapshot ? { amountRefundedCents: snapshot.amountRefundedCents, at: snapshot.at } : null;
  return refundedAmount(s, failed.map((r) => ({ refundId: r.refundId, amountCents: r.amountCents, createdAt: r.createdAt, failedAt: r.failedAt })));
}

/** What disputes hold of an order now (withdrawn, not given back), from the ledger. */
async function disputeHeldCents(tx: Tx, orderId: string): Promise<number> {
  const [row] = await tx
    .select({ held: sql<string>`coalesce(-sum(${ledgerEntries.amountCents}), 0)` })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .where(and(eq(ledgerTransactions.orderId, orderId), inArray(ledgerTransactions.kind, ["dispute", "dispute_reversal"]), eq(ledgerEntries.account, ACCOUNT_STRIPE_CLEARING)));
  return Number(row?.held ?? 0);
}

/** Entries moving the amount taken back from `from` to `to`: each project by its share of the split, the clearing account for the whole. */
function movementEntries(split: SplitOrder, from: number, to: number): LedgerLine[] {
  return [
    ...splitChange(split, from, to).map((p) => ({ account: projectAccount(p.ngoId, p.projectId), amountCents: p.cents })),
    { account: ACCOUNT_STRIPE_CLEARING, amountCents: from - to },
  ];
}

/**
 * Books the order's refunded amount as the facts now say (capped by what disputes hold: never
 * more taken back than paid), and brings the village to it. Up: a `refund` transaction; down
 * (a refund failed or shrank): a `refund_correction`. Keys count the corrections already made,
 * so each step has its own key and a replay posts nothing.
 */
async function moveRefunded(tx: Tx, order: Order, eventId: string): Promise<ReversalResult> {
  const held = await disputeHeldCents(tx, order.id);
  const target = Math.min(await refundTargetOf(tx, order.id), order.totalCents - held);
  const from = order.refundedCents;
  if (target === from) return { outcome: "already_applied" };
  const split = await splitOrderOf(tx, order);
  const [c] = await tx
    .select({ n: sql<string>`count(*)` })
    .from(ledgerTransactions)
    .where(and(eq(ledgerTransactions.orderId, order.id), eq(ledgerTransactions.kind, "refund_correction")));
  const corrections = Number(c?.n ?? 0);
  const up = target > from;
  const sourceKey = up
    ? `refund:${order.id}:${target}${corrections > 0 ? `:after-${corrections}` : ""}`
    : `refund_correction:${order.id}:${from}-${target}:${corrections + 1}`;
  const lines = movementEntries(split, from + held, target + held);
  await postTransaction(tx, { kind: up ? "refund" : "refund_correction", sourceKey, orderId: order.id, stripeEventId: eventId, currency: order.currency, lines });
  // Money given back to the donor is taken back from the NGOs it went to (docs/payments.md, who bears what).
  if (up) await oweTransferReversals(tx, { order, reason: "refund", key: sourceKey, lines });
  const updated = { ...order, refundedCents: target };
  await tx.update(orders).set({ refundedCents: target }).where(eq(orders.id, order.id));
  // Sponsors' matches follow the donor's gift: unmatched in proportion, or matched again (shared/matching-rule.ts).
  await rematchOrder(tx, updated, split, eventId);
  const changes = await syncGiftsWithMoney(tx, updated, split);
  // A tax receipt that certifies more than is now kept is cancelled and replaced.
  await correctTaxReceiptsOfOrder(tx, order.id, "refunded");
  return { outcome: up ? "refunded" : "refund_corrected", ...changed(order, changes) };
}

function changed(order: Order, changes: GiftChanges) {
  return {
    orderId: order.id, villageId: changes.villageId, withdrawn: changes.withdrawn, restored: changes.restored,
    ...(changes.withdrawn.length > 0 ? { reason: changes.reason } : {}),
  };
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
  /** A refundable inquiry with no balance transaction yet: Stripe has withdrawn nothing. */
  noFundsWithdrawn?: boolean;
}

/** An inquiry (Stripe's `warning_*` statuses, or a refundable dispute with nothing withdrawn yet) moves no money and takes no gift. */
export const isInquiry = (status: string) => status.startsWith("warning_");

export async function applyDispute(tx: Tx, f: DisputeFacts, closed: boolean): Promise<ReversalResult> {
  const order = await lockOrderByPaymentIntent(tx, f.paymentIntentId);
  if (!order) return { outcome: "waiting" };
  if (!sameCurrency(order, f.currency)) return { outcome: "currency_mismatch" };
  if (!Number.isSafeInteger(f.amount) || f.amount <= 0 || f.amount > order.totalCents) return { outcome: "amount_mismatch" };
  if (isInquiry(f.status)) return { outcome: closed || f.status === "warning_closed" ? "inquiry_closed" : "inquiry_opened" };
  const final = closed || f.status === "won" || f.status === "lost";
  if (f.noFundsWithdrawn && !final) return { outcome: "inquiry_opened" };
  await bookDisputeFees(tx, { orderId: order.id, currency: order.currency, eventId: f.eventId, balanceTransactions: f.balanceTransactions });
  const split = await splitOrderOf(tx, order);
  const opened = await openDispute(tx, order, split, f);
  const base = { orderId: order.id, villageId: order.villageId, withdrawn: [] as GiftRef[], restored: [] as GiftRef[] };
  if (!final) {
    if (!opened) return { outcome: "already_applied" };
    if (!order.disputeStatus) await tx.update(orders).set({ disputeStatus: "open" }).where(eq(orders.id, order.id));
    return { outcome: "dispute_opened", ...base };
  }
  if (f.status === "lost") {
    if (order.disputeStatus === "lost") return { outcome: "already_applied" };
    const lost = { ...order, disputeStatus: "lost" as const };
    await tx.update(orders).set({ disputeStatus: "lost" }).where(eq(orders.id, order.id));
    await rematchOrder(tx, lost, split, f.eventId);
    // The donor took the money back: it is recovered from the NGOs (docs/payments.md, who bears what).
    await oweTransferReversals(tx, { order, reason: "dispute", key: `dispute:${f.disputeId}`, lines: await postedLines(tx, `dispute:${f.disputeId}:opened`) });
    await correctTaxReceiptsOfOrder(tx, order.id, "dispute_lost");
    return { outcome: "dispute_lost", ...changed(lost, await syncGiftsWithMoney(tx, lost, split)) };
  }
  if (f.status === "won") {
    const taken = await postedLines(tx, `dispute:${f.disputeId}:opened`);
    const reinstated = taken.length > 0
      ? await postTransaction(tx, {
        kind: "dispute_reversal", sourceKey: `dispute:${f.disputeId}:won`, orderId: order.id, stripeEventId: f.eventId, currency: order.currency, lines: negate(taken),
      })
      : order.disputeStatus !== "won";
    if (!reinstated) return { outcome: "already_applied" };
    await tx.update(orders).set({ disputeStatus: "won" }).where(eq(orders.id, order.id));
    // A refund capped while the dispute held the money can now be booked in full.
    const refund = await moveRefunded(tx, { ...order, disputeStatus: "won" }, f.eventId);
    return { outcome: "dispute_won", ...("withdrawn" in refund ? changed(order, { villageId: refund.villageId, withdrawn: refund.withdrawn, restored: refund.restored, reason: "refunded" }) : base) };
  }
  return { outcome: "not_applicable" };
}

/**
 * Stripe withdraws the disputed amount when the dispute opens, whatever order the events come in:
 * booked once (`dispute:<id>:opened`), capped at what refunds and other disputes left of the
 * payment. Returns whether it was booked now.
 */
async function openDispute(tx: Tx, order: Order, split: SplitOrder, f: DisputeFacts): Promise<boolean> {
  const sourceKey = `dispute:${f.disputeId}:opened`;
  const [exists] = await tx.select({ id: ledgerTransactions.id }).from(ledgerTransactions).where(eq(ledgerTransactions.sourceKey, sourceKey));
  if (exists) return false;
  const held = await disputeHeldCents(tx, order.id);
  const before = order.refundedCents + held;
  const take = Math.min(f.amount, order.totalCents - before);
  if (take <= 0) return order.disputeStatus === null;
  return (await postTransaction(tx, {
    kind: "dispute", sourceKey, orderId: order.id, stripeEventId: f.eventId, currency: order.currency, lines: movementEntries(split, before, before + take),
  })) !== null;
}

/** The entries of a posted transaction (none when it was never posted). */
async function postedLines(tx: Tx, sourceKey: string): Promise<LedgerLine[]> {
  return tx
    .select({ account: ledgerEntries.account, amountCents: ledgerEntries.amountCents })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .where(eq(ledgerTransactions.sourceKey, sourceKey))
    .orderBy(ledgerEntries.line);
}
