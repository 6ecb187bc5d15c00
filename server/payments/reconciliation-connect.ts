/**
 * Reconciliation of the money sent to the NGOs' own Stripe accounts (called by
 * reconciliation.ts), for the period ± the margin:
 * - transfers at Stripe ↔ the outbox's transfers made (by transfer id): one Stripe has that
 *   Hameau does not know for one of its orders, one Hameau made that Stripe does not have,
 *   amounts; and what Stripe says was reversed of each ↔ the reversals made;
 * - every paid order of the period sent to the NGOs' accounts has each NGO's transfer made;
 * - every transfer or reversal made is in the ledger, for its amount;
 * - payouts of each NGO's connected account (paid or failed) ↔ the ledger's payout entries.
 * TEST MODE rows (simulated ids, simulated accounts) never reach Stripe: skipped.
 */
import { and, eq, gte, inArray, isNotNull, like, lt, or, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "../db/connect.ts";
import { ledgerEntries, ledgerTransactions, ngos, ngoTransfers, orders } from "../db/schema.ts";
import { isSimulatedAccount } from "./charge-routing.ts";
import { ngoPaidOutAccount } from "./ngo-ledger.ts";
import type { Difference } from "./reconciliation.ts";

export type ConnectDifferenceKind =
  | "transfer_not_made" | "transfer_missing_at_stripe" | "transfer_unknown_to_hameau" | "transfer_amount_mismatch"
  | "transfer_reversal_mismatch" | "transfer_missing_in_ledger" | "payout_missing_in_ledger" | "payout_mismatch" | "payout_unknown_at_stripe";

export interface ConnectTotals {
  /** By currency (upper case), in cents: what Stripe shows and what Hameau made, for the period. */
  stripeTransfers: number; stripeTransferReversals: number; hameauTransfers: number; hameauTransferReversals: number;
  stripePayouts: number; ledgerPayouts: number;
}

type Report = (d: Omit<Difference, "kind"> & { kind: ConnectDifferenceKind }) => void;

async function collect<T>(list: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of list) out.push(item);
  return out;
}

const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === "string" ? v : (v?.id ?? null));
const ORDER_GROUP = /^order_([0-9a-f-]{36})$/i;

export async function reconcileConnect(input: {
  db: Db; stripe: Stripe; from: Date; to: Date; marginDays: number; report: Report;
}): Promise<Record<string, ConnectTotals>> {
  const { db, stripe, from, to, marginDays, report } = input;
  const start = Math.ceil(from.getTime() / 1000);
  const end = Math.ceil(to.getTime() / 1000);
  const inPeriod = (created: number) => created >= start && created < end;
  const window = { gte: start - marginDays * 86_400, lt: end + marginDays * 86_400 };
  const totals: Record<string, ConnectTotals> = {};
  const totalsOf = (currency: string) =>
    (totals[currency.toUpperCase()] ??= { stripeTransfers: 0, stripeTransferReversals: 0, hameauTransfers: 0, hameauTransferReversals: 0, stripePayouts: 0, ledgerPayouts: 0 });

  // Stripe's transfers around the period, and Hameau's rows for the orders of the period or named by them.
  const transfers = await collect(stripe.transfers.list({ created: window, limit: 100 }));
  const named = transfers.flatMap((t) => [t.metadata?.orderId, ORDER_GROUP.exec(t.transfer_group ?? "")?.[1]]).filter((v): v is string => !!v);
  const periodRows = await db.select().from(ngoTransfers).innerJoin(orders, eq(orders.id, ngoTransfers.orderId))
    .where(and(eq(orders.provider, "stripe"), or(and(gte(orders.paidAt, from), lt(orders.paidAt, to)), named.length ? inArray(orders.id, [...new Set(named)].slice(0, 1000)) : sql`false`)));
  const rows = periodRows.map((r) => r.ngo_transfers).filter((r) => !(r.destination && isSimulatedAccount(r.destination)));
  const rowByTransfer = new Map(rows.filter((r) => r.kind === "transfer" && r.stripeTransferId).map((r) => [r.stripeTransferId!, r]));
  const listed = new Map(transfers.map((t) => [t.id, t]));

  for (const t of transfers) {
    if (!inPeriod(t.created)) continue;
    totalsOf(t.currency).stripeTransfers += t.amount;
    totalsOf(t.currency).stripeTransferReversals += t.amount_reversed;
    const ours = rowByTransfer.get(t.id);
    const orderId = t.metadata?.orderId ?? ORDER_GROUP.exec(t.transfer_group ?? "")?.[1];
    if (!ours && (orderId || t.metadata?.obligation)) {
      report({ kind: "transfer_unknown_to_hameau", orderId, detail: `Stripe has transfer ${t.id} to ${idOf(t.destination)}; Hameau has no record of it`, stripe: t.amount, hameau: null });
    }
  }
  const reversedByTransfer = new Map<string, number>();
  for (const r of rows) {
    if (r.kind === "transfer_reversal" && r.status === "done" && r.stripeTransferId) {
      reversedByTransfer.set(r.stripeTransferId, (reversedByTransfer.get(r.stripeTransferId) ?? 0) + r.amountCents);
      totalsOf(r.currency).hameauTransferReversals += r.amountCents;
    }
  }
  for (const r of rows) {
    const ids = { orderId: r.orderId };
    if (r.status !== "done") {
      report({ kind: "transfer_not_made", ...ids, detail: `${r.kind} ${r.obligationKey} is not made yet (${r.attempts} attempts: ${r.lastError ?? "not tried"})`, stripe: null, hameau: r.amountCents });
      continue;
    }
    if (r.kind !== "transfer") continue;
    totalsOf(r.currency).hameauTransfers += r.amountCents;
    const at = listed.get(r.stripeTransferId!) ?? (await stripe.transfers.retrieve(r.stripeTransferId!).catch((err: { statusCode?: number }) => (err.statusCode === 404 ? null : Promise.reject(err))));
    if (!at) {
      report({ kind: "transfer_missing_at_stripe", ...ids, detail: `transfer ${r.stripeTransferId} to NGO ${r.ngoId} is not at Stripe`, stripe: null, hameau: r.amountCents });
      continue;
    }
    if (at.amount !== r.amountCents) report({ kind: "transfer_amount_mismatch", ...ids, detail: `transfer ${at.id} amount`, stripe: at.amount, hameau: r.amountCents });
    const reversed = reversedByTransfer.get(at.id) ?? 0;
    if (at.amount_reversed !== reversed) report({ kind: "transfer_reversal_mismatch", ...ids, detail: `transfer ${at.id}: reversed at Stripe ≠ reversals made`, stripe: at.amount_reversed, hameau: reversed });
  }

  // Paid orders of the period sent to the NGOs' accounts: one transfer row per NGO share.
  const paid = await db.select({ id: orders.id }).from(orders)
    .where(and(eq(orders.provider, "stripe"), eq(orders.status, "paid"), inArray(orders.chargeMode, ["destination", "separate"]), gte(orders.paidAt, from), lt(orders.paidAt, to)));
  const withRows = new Set(rows.filter((r) => r.kind === "transfer").map((r) => r.orderId));
  for (const o of paid) {
    if (!withRows.has(o.id)) report({ kind: "transfer_not_made", orderId: o.id, detail: "a paid order sent to the NGOs' accounts has no transfer owed", stripe: null, hameau: null });
  }

  // Every transfer or reversal made is in the ledger.
  const done = rows.filter((r) => r.status === "done");
  const booked = new Set(
    done.length === 0 ? [] : (await db.select({ key: ledgerTransactions.sourceKey }).from(ledgerTransactions)
      .where(inArray(ledgerTransactions.sourceKey, done.map((r) => r.obligationKey).slice(0, 1000)))).map((l) => l.key),
  );
  for (const r of done) {
    if (!booked.has(r.obligationKey)) report({ kind: "transfer_missing_in_ledger", orderId: r.orderId, detail: `${r.kind} ${r.obligationKey} was made; the ledger has no entry for it`, stripe: r.amountCents, hameau: null });
  }

  // Payouts of each NGO's connected account ↔ the ledger.
  const accounts = await db.select({ id: ngos.id, account: ngos.stripeAccountId }).from(ngos).where(isNotNull(ngos.stripeAccountId));
  for (const n of accounts) {
    if (!n.account || isSimulatedAccount(n.account)) continue;
    const payouts = await collect(stripe.payouts.list({ created: window, limit: 100 }, { stripeAccount: n.account }));
    const ledger = await db.select({ key: ledgerTransactions.sourceKey, cents: sql<number>`sum(${ledgerEntries.amountCents})`.mapWith(Number), created: ledgerTransactions.createdAt })
      .from(ledgerTransactions).innerJoin(ledgerEntries, eq(ledgerEntries.transactionId, ledgerTransactions.id))
      .where(and(eq(ledgerTransactions.kind, "payout"), eq(ledgerEntries.account, ngoPaidOutAccount(n.id)), like(ledgerTransactions.sourceKey, "payout:%")))
      .groupBy(ledgerTransactions.id);
    const byPayout = new Map<string, number>();
    for (const l of ledger) {
      const id = l.key.split(":")[1]!;
      byPayout.set(id, (byPayout.get(id) ?? 0) + l.cents);
    }
    const seen = new Set<string>();
    for (const p of payouts) {
      seen.add(p.id);
      if (!inPeriod(p.created) || (p.status !== "paid" && p.status !== "failed")) continue;
      const expected = p.status === "paid" ? p.amount : 0;
      totalsOf(p.currency).stripePayouts += expected;
      const booked = byPayout.get(p.id);
      totalsOf(p.currency).ledgerPayouts += booked ?? 0;
      if (booked === undefined && p.status === "paid") report({ kind: "payout_missing_in_ledger", detail: `payout ${p.id} of NGO ${n.id} (${n.account})`, stripe: p.amount, hameau: null });
      else if (booked !== undefined && booked !== expected) report({ kind: "payout_mismatch", detail: `payout ${p.id} of NGO ${n.id} is ${p.status}`, stripe: expected, hameau: booked });
    }
    for (const l of ledger) {
      const id = l.key.split(":")[1]!;
      if (!seen.has(id) && l.created >= from && l.created < to) report({ kind: "payout_unknown_at_stripe", detail: `payout ${id} of NGO ${n.id} is in the ledger, not at Stripe`, stripe: null, hameau: l.cents });
    }
  }
  return totals;
}
