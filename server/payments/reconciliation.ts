/**
 * Reconciliation: Hameau's orders and ledger against Stripe's own record for a period. It only
 * reads, on both sides, and reports every difference with a kind and the ids to look into it.
 * - Checkout Sessions created in the period ↔ orders, through metadata.orderId and
 *   orders.checkout_session_id. A stripe order of the period whose session was not listed
 *   (created just across the edge) is fetched by id before it is called missing.
 * - Balance transactions ↔ orders, through their expanded source: the charge's, refund's or
 *   dispute's payment intent, matched to orders.payment_intent_id, else to the session carrying
 *   it, else to the charge's metadata.orderId. They are read for the period ± marginDays (3), so a charge
 *   and its ledger entry on both sides of an edge still meet; only those inside are reported.
 * - Refunds and disputes are compared as cumulative amounts (the charge's amount_refunded vs
 *   orders.refunded_cents; a dispute's own balance transactions vs the order's dispute ledger
 *   entries), whatever period they fell in. TEST MODE orders never reach Stripe: skipped.
 */
import { and, eq, gte, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "../db/connect.ts";
import { ledgerEntries, ledgerTransactions, orders } from "../db/schema.ts";
import { ACCOUNT_STRIPE_CLEARING, ACCOUNT_STRIPE_FEES } from "./ledger.ts";
import { type ConnectDifferenceKind, type ConnectTotals, reconcileConnect } from "./reconciliation-connect.ts";
import { openPaymentProblems } from "./reconciliation-alerts.ts";

export type DifferenceKind =
  | "session_paid_order_not_paid" | "order_paid_session_not_paid" | "session_unknown" | "session_mismatch"
  | "order_missing_at_stripe" | "amount_mismatch" | "currency_mismatch" | "payment_intent_mismatch"
  | "refund_mismatch" | "dispute_mismatch" | "balance_missing_in_ledger" | "ledger_amount_mismatch" | "ledger_missing_at_stripe"
  | "fee_mismatch" | ConnectDifferenceKind
  | "payment_alert_open" | "waiting_event_stranded";

export interface Difference {
  kind: DifferenceKind;
  detail: string;
  orderId?: string; sessionId?: string; paymentIntentId?: string; chargeId?: string; stripeEventId?: string;
  balanceTransactionIds?: string[]; ledgerTransactionIds?: string[];
  /** The value each side holds, when the difference is about a value (amounts in cents). */
  stripe?: number | string | null; hameau?: number | string | null;
}

const TOTALS = ["stripeGross", "stripeFees", "stripeRefunds", "stripeDisputes", "stripeNet", "ledgerDonations", "ledgerRefunds", "ledgerDisputes", "ledgerFees"] as const;
/** Integer cents in one currency, from the period's balance transactions (refunds and disputes as
 *  positive amounts taken back) and the period's ledger transactions on the clearing (or fee) account. */
export type Totals = Record<(typeof TOTALS)[number], number>;

export interface ReconciliationReport {
  period: { from: string; to: string };
  counts: {
    stripeSessions: number; sessionsFetchedById: number; stripeOrders: number; skippedTestOrders: number; ordersCompared: number;
    ordersWithoutSession: number; balanceTransactions: number; otherBalanceTransactions: number; ledgerTransactions: number;
  };
  /** By currency (upper case). */
  totals: Record<string, Totals>;
  /** The money sent to the NGOs' own Stripe accounts, by currency (upper case). */
  connect: Record<string, ConnectTotals>;
  differences: Difference[];
}

/**
 * marginDays: how far beyond the period balance transactions are read to meet their counterpart (default 3).
 * staleAfterMs: an event unprocessed for longer is reported as stranded (default 24 h), whatever the period.
 */
export interface ReconcileInput { db: Db; stripe: Stripe; from: Date; to: Date; marginDays?: number; staleAfterMs?: number; now?: Date }

type Order = typeof orders.$inferSelect;
type Ids = Omit<Difference, "kind" | "detail" | "stripe" | "hameau">;
type Value = number | string | null | undefined;
type Session = Stripe.Checkout.Session;
type LedgerRow = Awaited<ReturnType<typeof ledgerRows>>[number];
/** A balance transaction about a payment, with what its source says. */
interface Movement {
  bt: Stripe.BalanceTransaction; kind: "charge" | "refund" | "dispute"; paymentIntentId: string | null; chargeId: string | null;
  charge: Stripe.Charge | null; dispute: Stripe.Dispute | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): v is string => typeof v === "string" && UUID.test(v);
const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === "string" ? v : (v?.id ?? null));
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const zero = () => Object.fromEntries(TOTALS.map((k) => [k, 0])) as Totals;

/** Every item of a Stripe list, page after page (the SDK's auto-pagination). */
async function collect<T>(list: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of list) out.push(item);
  return out;
}

/** Runs a query over distinct values, 1000 at a time (bounded bind parameters). */
async function inChunks<T>(values: Iterable<string>, run: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const all = [...new Set(values)];
  const out: T[] = [];
  for (let i = 0; i < all.length; i += 1000) out.push(...(await run(all.slice(i, i + 1000))));
  return out;
}

function movementOf(bt: Stripe.BalanceTransaction): Movement | null {
  const src = bt.source;
  if (!src || typeof src === "string") return null;
  const base = { bt, charge: null, dispute: null };
  if (src.object === "charge") return { ...base, kind: "charge", paymentIntentId: idOf(src.payment_intent), chargeId: src.id, charge: src };
  if (src.object === "refund") return { ...base, kind: "refund", paymentIntentId: idOf(src.payment_intent), chargeId: idOf(src.charge) };
  if (src.object === "dispute") return { ...base, kind: "dispute", paymentIntentId: idOf(src.payment_intent), chargeId: idOf(src.charge), dispute: src };
  return null;
}

/** Ledger transactions (of stripe orders, or of no order) with their clearing and fee amounts. */
function ledgerRows(db: Db, where: SQL | undefined) {
  const on = (account: string) => sql<number>`coalesce(sum(${ledgerEntries.amountCents}) filter (where ${ledgerEntries.account} = ${account}), 0)`.mapWith(Number);
  return db
    .select({
      id: ledgerTransactions.id, kind: ledgerTransactions.kind, sourceKey: ledgerTransactions.sourceKey, orderId: ledgerTransactions.orderId, currency: ledgerTransactions.currency,
      clearing: on(ACCOUNT_STRIPE_CLEARING), fees: on(ACCOUNT_STRIPE_FEES),
    })
    .from(ledgerTransactions)
    .innerJoin(ledgerEntries, eq(ledgerEntries.transactionId, ledgerTransactions.id))
    .leftJoin(orders, eq(orders.id, ledgerTransactions.orderId))
    .where(and(where, or(isNull(orders.provider), eq(orders.provider, "stripe"))))
    .groupBy(ledgerTransactions.id)
    .orderBy(ledgerTransactions.createdAt, ledgerTransactions.id);
}

/** A session by id, or null when Stripe has none (404). */
const retrieveSession = (stripe: Stripe, id: string): Promise<Session | null> =>
  stripe.checkout.sessions.retrieve(id).catch((err: { statusCode?: number }) => (err.statusCode === 404 ? null : Promise.reject(err)));

export async function reconcile({ db, stripe, from, to, marginDays = 3, staleAfterMs = 86_400_000, now = new Date() }: ReconcileInput): Promise<ReconciliationReport> {
  if (!(from.getTime() < to.getTime())) throw new RangeError("the reconciliation period must end after it starts");
  const start = Math.ceil(from.getTime() / 1000);
  const end = Math.ceil(to.getTime() / 1000);
  const inPeriod = (created: number) => created >= start && created < end;
  const differences: Difference[] = [];
  const report = (kind: DifferenceKind, ids: Ids, stripe: Value, hameau: Value, detail: string) =>
    differences.push(Object.fromEntries(Object.entries({ kind, ...ids, stripe, hameau, detail }).filter(([, v]) => v !== undefined)) as unknown as Difference);

  // Stripe's record: the period's sessions, and balance transactions a little beyond it.
  const sessions = await collect(stripe.checkout.sessions.list({ created: { gte: start, lt: end }, limit: 100 }));
  const window = { gte: start - marginDays * 86_400, lt: end + marginDays * 86_400 };
  const bts = await collect(stripe.balanceTransactions.list({ created: window, limit: 100, expand: ["data.source"] }));
  const movements = bts.map(movementOf).filter((m): m is Movement => m !== null);
  const periodMovements = movements.filter((m) => inPeriod(m.bt.created));

  // Hameau's record: the period's orders and ledger, and every order Stripe's objects name.
  const periodOrders = await db.select().from(orders).where(and(gte(orders.createdAt, from), lt(orders.createdAt, to)));
  const stripeOrders = periodOrders.filter((o) => o.provider === "stripe");
  const periodLedger = await ledgerRows(db, and(gte(ledgerTransactions.createdAt, from), lt(ledgerTransactions.createdAt, to)));
  const [byId, byPi] = [new Map<string, Order>(), new Map<string, Order>()];
  const remember = (rows: Order[]) => rows.forEach((o) => (byId.set(o.id, o), o.paymentIntentId && byPi.set(o.paymentIntentId, o)));
  remember(periodOrders);
  const named = [...sessions.map((s) => s.metadata?.orderId), ...movements.map((m) => m.charge?.metadata?.orderId), ...periodLedger.map((l) => l.orderId)];
  remember(await inChunks(named.filter((id) => isUuid(id) && !byId.has(id)) as string[], (ids) => db.select().from(orders).where(inArray(orders.id, ids))));
  const pis = movements.flatMap((m) => (m.paymentIntentId && !byPi.has(m.paymentIntentId) ? [m.paymentIntentId] : []));
  remember(await inChunks(pis, (ids) => db.select().from(orders).where(inArray(orders.paymentIntentId, ids))));

  // Sessions ↔ orders.
  const listed = new Set(sessions.map((s) => s.id));
  const fetched = new Map<string, Session | null>();
  for (const o of stripeOrders) {
    if (o.checkoutSessionId && !listed.has(o.checkoutSessionId)) fetched.set(o.checkoutSessionId, await retrieveSession(stripe, o.checkoutSessionId));
  }
  const pairs: Array<[Order, Session]> = [];
  for (const s of sessions) {
    const orderId = s.metadata?.orderId;
    const o = orderId ? byId.get(orderId) : undefined;
    const ids = { sessionId: s.id, orderId, paymentIntentId: idOf(s.payment_intent) ?? undefined };
    if (!o) report("session_unknown", ids, s.payment_status, null, orderId ? `names order ${orderId}, unknown to Hameau` : "no metadata.orderId");
    else if (o.provider !== "stripe" || o.checkoutSessionId !== s.id) {
      report("session_mismatch", ids, s.id, o.checkoutSessionId, `order ${o.id} is linked to another session (this one is ${s.payment_status})`);
    } else pairs.push([o, s]);
  }
  let ordersWithoutSession = 0;
  const paired = new Set(pairs.map(([o]) => o.id));
  for (const o of stripeOrders) {
    if (paired.has(o.id)) continue;
    const s = o.checkoutSessionId ? fetched.get(o.checkoutSessionId) : undefined;
    if (s && s.metadata?.orderId === o.id) pairs.push([o, s]);
    else if (!o.checkoutSessionId && o.status !== "paid") ordersWithoutSession++; // its session was never created
    else {
      const why = !o.checkoutSessionId ? "paid, without a Checkout Session" : s ? `Stripe's session ${s.id} names another order` : "Stripe has no such Checkout Session";
      report("order_missing_at_stripe", { orderId: o.id, sessionId: o.checkoutSessionId ?? undefined }, null, o.status, why);
    }
  }
  const sessionPi = new Map<string, string>(); // order id → payment intent, as Stripe's session says
  for (const [o, s] of pairs) {
    const pi = idOf(s.payment_intent);
    if (pi) sessionPi.set(o.id, pi);
    const ids = { orderId: o.id, sessionId: s.id, paymentIntentId: pi ?? o.paymentIntentId ?? undefined };
    if (s.amount_total !== o.totalCents) report("amount_mismatch", ids, s.amount_total, o.totalCents, "session amount_total ≠ order total_cents");
    if ((s.currency ?? "").toLowerCase() !== o.currency.toLowerCase()) report("currency_mismatch", ids, s.currency, o.currency, "session currency ≠ order currency");
    const paidAtStripe = s.payment_status === "paid";
    if (paidAtStripe && o.status !== "paid") {
      report("session_paid_order_not_paid", ids, s.payment_status, o.status, "Stripe took the payment; Hameau never fulfilled it (lost webhook?)");
    } else if (!paidAtStripe && o.status === "paid") {
      report("order_paid_session_not_paid", ids, s.payment_status, o.status, "Hameau fulfilled an order Stripe does not show as paid");
    } else if (paidAtStripe && pi !== o.paymentIntentId) {
      report("payment_intent_mismatch", ids, pi, o.paymentIntentId, "the session was paid through another payment intent");
    }
  }

  // Balance transactions ↔ orders ↔ ledger.
  const orderIdByPi = new Map([...sessionPi].map(([orderId, pi]) => [pi, orderId]));
  const orderOf = (m: Movement): Order | undefined => {
    const viaPi = m.paymentIntentId ? (byPi.get(m.paymentIntentId) ?? byId.get(orderIdByPi.get(m.paymentIntentId) ?? "")) : undefined;
    const meta = m.charge?.metadata?.orderId;
    return viaPi ?? (meta ? byId.get(meta) : undefined);
  };
  const piOf = (o: Order) => o.paymentIntentId ?? sessionPi.get(o.id) ?? null;
  const involved = [...stripeOrders.map((o) => o.id), ...periodLedger.map((l) => l.orderId), ...movements.map((m) => orderOf(m)?.id)].filter(isUuid);
  const ledgerByOrder = new Map<string, LedgerRow[]>();
  for (const l of await inChunks(involved, (ids) => ledgerRows(db, inArray(ledgerTransactions.orderId, ids)))) {
    ledgerByOrder.set(l.orderId ?? "", [...(ledgerByOrder.get(l.orderId ?? "") ?? []), l]);
  }
  const ledgerOf = (orderId: string, kinds: LedgerRow["kind"][]) => (ledgerByOrder.get(orderId) ?? []).filter((l) => kinds.includes(l.kind));

  const refundCheck = new Set<string>();
  const disputeCheck = new Set<string>();
  for (const m of periodMovements) {
    const o = orderOf(m);
    const ids = { orderId: o?.id, paymentIntentId: m.paymentIntentId ?? undefined, chargeId: m.chargeId ?? undefined, balanceTransactionIds: [m.bt.id] };
    if (!o || o.provider !== "stripe") {
      report("balance_missing_in_ledger", ids, m.bt.amount, null, `a ${m.kind} balance transaction for a payment Hameau does not know`);
      continue;
    }
    if (m.kind === "refund") refundCheck.add(o.id);
    if (m.kind === "dispute") disputeCheck.add(o.id);
    if (m.kind !== "charge") continue;
    const donation = ledgerOf(o.id, ["donation"]);
    const received = sum(donation.map((l) => l.clearing));
    if (donation.length === 0) {
      report("balance_missing_in_ledger", ids, m.bt.amount, null, `Stripe received a payment for order ${o.id}; the ledger has no donation for it`);
    } else if (m.charge && m.charge.currency.toLowerCase() === o.currency.toLowerCase() && m.charge.amount !== received) {
      report("ledger_amount_mismatch", { ...ids, ledgerTransactionIds: donation.map((l) => l.id) }, m.charge.amount, received, "charge amount ≠ donation in the ledger");
    }
    // The card fee (Hameau's, booked once as fee:<order>) ↔ the charge's balance transaction.
    const fees = ledgerOf(o.id, ["fee"]).filter((l) => l.sourceKey === `fee:${o.id}`);
    const feeBooked = sum(fees.map((l) => l.fees));
    if (donation.length > 0 && m.bt.currency.toLowerCase() === o.currency.toLowerCase() && m.bt.fee !== feeBooked) {
      report("fee_mismatch", { ...ids, ledgerTransactionIds: fees.map((l) => l.id) }, m.bt.fee, feeBooked, "the charge's Stripe fee ≠ the fee in the ledger");
    }
  }
  const charges = new Map<string, Stripe.Charge>(); // payment intent → its charge
  const disputes = new Map<string, Map<string, Stripe.Dispute>>(); // payment intent → its disputes
  for (const m of movements) {
    if (m.charge && m.paymentIntentId) charges.set(m.paymentIntentId, m.charge);
    if (m.dispute && m.paymentIntentId) disputes.set(m.paymentIntentId, (disputes.get(m.paymentIntentId) ?? new Map()).set(m.dispute.id, m.dispute));
  }
  const chargedPis = new Set(movements.filter((m) => m.kind === "charge").map((m) => m.paymentIntentId));
  for (const l of periodLedger) {
    const o = l.orderId ? byId.get(l.orderId) : undefined;
    if (!o) continue;
    if (l.kind === "refund" || l.kind === "refund_correction") refundCheck.add(o.id);
    if (l.kind === "dispute" || l.kind === "dispute_reversal") disputeCheck.add(o.id);
    if (l.kind !== "donation" || (o.paymentIntentId && chargedPis.has(o.paymentIntentId))) continue;
    const ids = { orderId: o.id, paymentIntentId: o.paymentIntentId ?? undefined, ledgerTransactionIds: [l.id] };
    report("ledger_missing_at_stripe", ids, null, l.clearing, `a donation in the ledger; no charge at Stripe (period ± ${marginDays} days)`);
  }
  for (const o of stripeOrders) if (o.status === "paid" && charges.has(piOf(o) ?? "")) refundCheck.add(o.id);

  // Refunds, as cumulative amounts.
  for (const id of refundCheck) {
    const o = byId.get(id);
    const pi = o && piOf(o);
    if (!o || !pi) continue;
    let charge = charges.get(pi);
    if (!charge) for await (const c of stripe.charges.list({ payment_intent: pi, limit: 100 })) if (c.paid) charge = c;
    if ((charge?.amount_refunded ?? 0) === o.refundedCents) continue;
    const ids = {
      orderId: o.id, paymentIntentId: pi, chargeId: charge?.id, ledgerTransactionIds: ledgerOf(o.id, ["refund", "refund_correction"]).map((l) => l.id),
      balanceTransactionIds: movements.filter((m) => m.kind === "refund" && m.paymentIntentId === pi).map((m) => m.bt.id),
    };
    const detail = charge ? "charge amount_refunded ≠ order refunded_cents" : "refunded in Hameau; no charge at Stripe";
    report("refund_mismatch", ids, charge?.amount_refunded ?? null, o.refundedCents, detail);
  }

  // Disputes: what Stripe withdrew (net of reinstatements) vs the ledger's dispute entries.
  for (const id of disputeCheck) {
    const o = byId.get(id);
    const pi = o && piOf(o);
    if (!o || !pi) continue;
    const seen = [...(disputes.get(pi)?.values() ?? [])];
    const all = seen.length > 0 ? seen : await collect(stripe.disputes.list({ payment_intent: pi, limit: 100 }));
    const dbts = all.flatMap((d) => d.balance_transactions);
    const rows = ledgerOf(o.id, ["dispute", "dispute_reversal"]);
    const [withdrawn, booked] = [0 - sum(dbts.map((b) => b.amount)), 0 - sum(rows.map((l) => l.clearing))];
    if (withdrawn === booked) continue;
    const ids = { orderId: o.id, paymentIntentId: pi, balanceTransactionIds: dbts.map((b) => b.id), ledgerTransactionIds: rows.map((l) => l.id) };
    report("dispute_mismatch", ids, withdrawn, booked, `withdrawn by disputes ${all.map((d) => `${d.id} (${d.status})`).join(", ") || "(none)"} ≠ ledger`);
  }

  // Whatever the period: what Hameau itself flagged and nobody has looked into yet.
  for (const d of await openPaymentProblems(db, new Date(now.getTime() - staleAfterMs))) differences.push(d);

  const totals: Record<string, Totals> = {};
  const totalsOf = (currency: string) => (totals[currency.toUpperCase()] ??= zero());
  for (const { bt, kind } of periodMovements) {
    const t = totalsOf(bt.currency);
    t.stripeFees += bt.fee;
    t.stripeNet += bt.net;
    t[kind === "charge" ? "stripeGross" : kind === "refund" ? "stripeRefunds" : "stripeDisputes"] += kind === "charge" ? bt.amount : -bt.amount;
  }
  for (const l of periodLedger) {
    const key = l.kind === "donation" ? "ledgerDonations" : l.kind === "refund" || l.kind === "refund_correction" ? "ledgerRefunds" : l.kind === "fee" ? "ledgerFees" : "ledgerDisputes";
    totalsOf(l.currency)[key] += l.kind === "donation" ? l.clearing : l.kind === "fee" ? l.fees : -l.clearing;
  }

  const connect = await reconcileConnect({
    db, stripe, from, to, marginDays,
    report: ({ kind, detail, stripe: s, hameau: h, ...ids }) => report(kind, ids, s, h, detail),
  });

  return {
    period: { from: from.toISOString(), to: to.toISOString() },
    counts: {
      stripeSessions: sessions.length, sessionsFetchedById: fetched.size, stripeOrders: stripeOrders.length,
      skippedTestOrders: periodOrders.length - stripeOrders.length, ordersCompared: pairs.length, ordersWithoutSession,
      balanceTransactions: periodMovements.length, otherBalanceTransactions: bts.filter((b) => inPeriod(b.created)).length - periodMovements.length,
      ledgerTransactions: periodLedger.length,
    },
    totals,
    connect,
    differences,
  };
}
