/**
 * Events of the NGOs' connected Stripe accounts (they carry `event.account`)
 * that move the books: payouts. Stripe reports each payout from an NGO's account
 * to its bank; Hameau books it on the NGO's memo accounts (ngo-ledger.ts), once
 * per payout (source key payout:<id>). A failed payout is booked as the payout
 * and its return (payout:<id>:failed), so paid-then-failed and failed alone end
 * the same, in any order. Runs inside the transaction that stores the event.
 */
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import type { Tx } from "../db/connect.ts";
import { ngos, ngoTransfers } from "../db/schema.ts";
import { postTransaction } from "./ledger.ts";
import { payoutEntries } from "./ngo-ledger.ts";

/** The Connect events handled here (see required-events.ts). */
export const CONNECT_MONEY_EVENTS = ["payout.paid", "payout.failed"] as const;

const Payout = z.object({
  id: z.string().min(1).max(255),
  object: z.literal("payout"),
  amount: z.number().int().positive().max(2_000_000_000),
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
});

export async function applyConnectEvent(tx: Tx, event: Stripe.Event): Promise<{ outcome: string }> {
  if (event.type !== "payout.paid" && event.type !== "payout.failed") return { outcome: "ignored" };
  const payout = Payout.safeParse(event.data.object);
  if (!payout.success) return { outcome: "invalid_payload" };
  // A payout of Hameau's own account (no `account`) is not an NGO's.
  if (typeof event.account !== "string") return { outcome: "not_a_connected_account" };
  const [ngo] = await tx.select({ id: ngos.id }).from(ngos).where(eq(ngos.stripeAccountId, event.account));
  if (!ngo) return { outcome: "unknown_account" };
  const { id, amount } = payout.data;
  const currency = payout.data.currency.toUpperCase();
  const paid = await postTransaction(tx, {
    kind: "payout", sourceKey: `payout:${id}`, orderId: null, stripeEventId: null, currency, lines: payoutEntries(ngo.id, amount, false),
  });
  if (event.type === "payout.paid") return { outcome: paid ? "payout_booked" : "already_applied" };
  const failed = await postTransaction(tx, {
    kind: "payout", sourceKey: `payout:${id}:failed`, orderId: null, stripeEventId: null, currency, lines: payoutEntries(ngo.id, amount, true),
  });
  return { outcome: failed ? "payout_failed_booked" : "already_applied" };
}

const Transfer = z.object({ id: z.string().min(1).max(255), object: z.literal("transfer"), amount_reversed: z.number().int().nonnegative() });

/**
 * transfer.reversed (platform endpoint): Stripe reversed some of a transfer. Hameau makes its own
 * reversals (the outbox); one it does not owe (e.g. "reverse transfer" ticked in the Dashboard) is
 * surfaced as `transfer_reversed_outside_hameau` (logged, and reported by reconciliation), never
 * silently acknowledged. Reversals owed but not confirmed yet count as Hameau's.
 */
export async function checkTransferReversed(tx: Tx, event: Stripe.Event): Promise<{ outcome: string }> {
  const transfer = Transfer.safeParse(event.data.object);
  if (!transfer.success) return { outcome: "invalid_payload" };
  const [ours] = await tx.select({ orderId: ngoTransfers.orderId, ngoId: ngoTransfers.ngoId }).from(ngoTransfers)
    .where(and(eq(ngoTransfers.stripeTransferId, transfer.data.id), eq(ngoTransfers.kind, "transfer")));
  if (!ours) return { outcome: "unknown_transfer" };
  const [owed] = await tx.select({ cents: sql<number>`coalesce(sum(${ngoTransfers.amountCents}), 0)`.mapWith(Number) }).from(ngoTransfers)
    .where(and(eq(ngoTransfers.orderId, ours.orderId), eq(ngoTransfers.ngoId, ours.ngoId), eq(ngoTransfers.kind, "transfer_reversal")));
  return { outcome: transfer.data.amount_reversed > (owed?.cents ?? 0) ? "transfer_reversed_outside_hameau" : "transfer_reversals_match" };
}
