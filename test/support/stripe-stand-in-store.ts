/**
 * What the loopback Stripe stand-in remembers: Checkout Sessions, charges,
 * refunds, disputes and balance transactions, listed the way Stripe lists
 * them (newest first, `created` ranges, `limit`, `starting_after` /
 * `ending_before`, `expand[]`), plus helpers for tests to seed Stripe's side
 * of a payment (paid, refunded, disputed) without Hameau hearing of it.
 */
import { randomBytes } from "node:crypto";

export type StripeObject = Record<string, unknown> & { id: string; object: string; created: number };

const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Stripe's fee on a European card (25 cents + 1.5 %), for realistic balance transactions. */
export const cardFee = (amount: number) => 25 + Math.round(amount * 0.015);

export interface SessionSeed {
  amount_total: number;
  currency?: string;
  metadata?: Record<string, string>;
  client_reference_id?: string | null;
  created?: number;
}

export interface BalanceTransactionSeed {
  type: string;
  amount: number;
  currency?: string;
  fee?: number;
  source?: string | null;
  reporting_category?: string;
  created?: number;
}

export type StripeStore = ReturnType<typeof createStripeStore>;

export function createStripeStore() {
  /** Checkout Sessions by id: tests may edit one (amount, currency…) or delete it. */
  const sessions = new Map<string, StripeObject>();
  /** Charges, refunds and disputes by id (what a balance transaction's `source` points at). */
  const objects = new Map<string, StripeObject>();
  const balanceTransactions: StripeObject[] = [];
  /** Insertion order breaks ties between objects created in the same second. */
  const order = new WeakMap<object, number>();
  let sequence = 0;
  const stamp = <T extends StripeObject>(o: T): T => (order.set(o, sequence++), o);

  function addSession(seed: SessionSeed): StripeObject {
    const id = newId("cs");
    const session = stamp({
      id, object: "checkout.session", mode: "payment", status: "open", payment_status: "unpaid", payment_intent: null,
      amount_total: seed.amount_total, currency: seed.currency ?? "eur", metadata: seed.metadata ?? {},
      client_reference_id: seed.client_reference_id ?? null, created: seed.created ?? nowSeconds(), livemode: false,
      url: `https://checkout.stripe.com/c/pay/${id}`,
    });
    sessions.set(id, session);
    return session;
  }

  function addBalanceTransaction(seed: BalanceTransactionSeed): StripeObject {
    const fee = seed.fee ?? 0;
    const bt = stamp({
      id: newId("txn"), object: "balance_transaction", type: seed.type, amount: seed.amount, fee, net: seed.amount - fee,
      currency: seed.currency ?? "eur", source: seed.source ?? null, reporting_category: seed.reporting_category ?? seed.type,
      status: "pending", balance_type: "payments", created: seed.created ?? nowSeconds(), description: null, fee_details: [],
    });
    balanceTransactions.push(bt);
    return bt;
  }

  function addCharge(seed: { amount: number; currency?: string; paymentIntentId: string; metadata?: Record<string, string> }): StripeObject {
    const charge = stamp({
      id: newId("ch"), object: "charge", amount: seed.amount, amount_captured: seed.amount, amount_refunded: 0, refunded: false,
      currency: seed.currency ?? "eur", payment_intent: seed.paymentIntentId, metadata: seed.metadata ?? {}, paid: true,
      status: "succeeded", balance_transaction: null, created: nowSeconds(),
    });
    objects.set(charge.id, charge);
    return charge;
  }

  function chargeOf(paymentIntentId: string): StripeObject {
    const charge = [...objects.values()].find((o) => o.object === "charge" && o.payment_intent === paymentIntentId);
    if (!charge) throw new Error(`stand-in has no charge for ${paymentIntentId}`);
    return charge;
  }

  /**
   * Stripe's side of a successful payment: the session completes and paid,
   * a charge and its 'charge' balance transaction (amount, fee, net) appear.
   */
  function markPaid(sessionId: string, paymentIntentId: string, opts: { fee?: number; chargeCreated?: number } = {}) {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`stand-in has no session ${sessionId}`);
    Object.assign(session, { status: "complete", payment_status: "paid", payment_intent: paymentIntentId });
    const amount = Number(session.amount_total);
    const orderId = (session.metadata as Record<string, string> | null)?.orderId;
    const charge = addCharge({ amount, currency: String(session.currency), paymentIntentId, metadata: orderId ? { orderId } : {} });
    if (opts.chargeCreated) charge.created = opts.chargeCreated;
    const intent = stamp({
      id: paymentIntentId, object: "payment_intent", amount, currency: String(session.currency), status: "succeeded", latest_charge: charge.id,
      created: charge.created, metadata: orderId ? { orderId } : {},
    });
    objects.set(intent.id, intent);
    const balanceTransaction = addBalanceTransaction({ type: "charge", amount, currency: String(session.currency), fee: opts.fee ?? cardFee(amount), source: charge.id });
    charge.balance_transaction = balanceTransaction.id;
    return { session, charge, balanceTransaction };
  }

  /** A refund at Stripe: the charge's cumulative amount_refunded grows, a 'refund' balance transaction appears. */
  function refund(paymentIntentId: string, amount: number) {
    const charge = chargeOf(paymentIntentId);
    const refundedSoFar = Number(charge.amount_refunded) + amount;
    Object.assign(charge, { amount_refunded: refundedSoFar, refunded: refundedSoFar >= Number(charge.amount) });
    const refundObject: StripeObject = stamp({
      id: newId("re"), object: "refund", amount, charge: charge.id, payment_intent: paymentIntentId, currency: charge.currency,
      status: "succeeded", metadata: {}, created: nowSeconds(),
    });
    objects.set(refundObject.id, refundObject);
    const balanceTransaction = addBalanceTransaction({ type: "refund", amount: -amount, currency: String(charge.currency), source: refundObject.id });
    refundObject.balance_transaction = balanceTransaction.id;
    return { charge, refund: refundObject, balanceTransaction };
  }

  /** A dispute opened at Stripe: the amount is withdrawn (an 'adjustment' balance transaction, with Stripe's dispute fee). */
  function dispute(paymentIntentId: string, amount: number, status = "needs_response") {
    const charge = chargeOf(paymentIntentId);
    const disputeObject = stamp({
      id: newId("du"), object: "dispute", amount, charge: charge.id, payment_intent: paymentIntentId, currency: charge.currency,
      status, reason: "fraudulent", balance_transactions: [] as StripeObject[], metadata: {}, created: nowSeconds(),
    });
    objects.set(disputeObject.id, disputeObject);
    const balanceTransaction = addBalanceTransaction({
      type: "adjustment", reporting_category: "dispute", amount: -amount, fee: 1500, currency: String(charge.currency), source: disputeObject.id,
    });
    (disputeObject.balance_transactions as StripeObject[]).push(balanceTransaction);
    Object.assign(charge, { disputed: true });
    return { charge, dispute: disputeObject, balanceTransaction };
  }

  /** A dispute closes: won gives the amount back (a 'dispute_reversal' adjustment), lost changes no money. */
  function closeDispute(disputeId: string, status: "won" | "lost") {
    const disputeObject = objects.get(disputeId);
    if (disputeObject?.object !== "dispute") throw new Error(`stand-in has no dispute ${disputeId}`);
    disputeObject.status = status;
    if (status === "lost") return { dispute: disputeObject, balanceTransaction: undefined };
    const balanceTransaction = addBalanceTransaction({
      type: "adjustment", reporting_category: "dispute_reversal", amount: Number(disputeObject.amount), currency: String(disputeObject.currency), source: disputeId,
    });
    (disputeObject.balance_transactions as StripeObject[]).push(balanceTransaction);
    return { dispute: disputeObject, balanceTransaction };
  }

  const orderOf = (o: StripeObject) => order.get(o) ?? 0;
  return { sessions, objects, balanceTransactions, orderOf, addSession, addBalanceTransaction, addCharge, markPaid, refund, dispute, closeDispute };
}

/** Replaces ids by the objects they name along one `expand[]` path ("data." already removed). */
function expandPath(value: unknown, path: string[], lookup: (id: string) => StripeObject | undefined): unknown {
  const [head, ...rest] = path;
  if (!head || !value || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  let field = object[head];
  if (typeof field === "string") field = lookup(field) ?? field;
  return { ...object, [head]: expandPath(field, rest, lookup) };
}

export function expand(object: StripeObject, query: URLSearchParams, lookup: (id: string) => StripeObject | undefined, inList: boolean): StripeObject {
  let out: unknown = object;
  for (const [key, path] of query) {
    if (!/^expand\[\d*\]$/.test(key)) continue;
    const parts = path.split(".");
    if (inList && parts[0] !== "data") continue;
    out = expandPath(out, inList ? parts.slice(1) : parts, lookup);
  }
  return out as StripeObject;
}

/**
 * One page of a Stripe list: filters (`created[gte|gt|lte|lt]` and exact
 * `filters`), newest first, then the cursor and the limit (at most
 * `maxPageSize`, so tests can make the SDK turn pages).
 */
export function listPage(
  all: Iterable<StripeObject>,
  query: URLSearchParams,
  opts: { url: string; filters: string[]; maxPageSize: number; order: (o: StripeObject) => number },
) {
  const created = (op: string) => (query.has(`created[${op}]`) ? Number(query.get(`created[${op}]`)) : undefined);
  const [gte, gt, lte, lt, exact] = [created("gte"), created("gt"), created("lte"), created("lt"), query.get("created")];
  let items = [...all].filter(
    (o) =>
      (gte === undefined || o.created >= gte) && (gt === undefined || o.created > gt) && (lte === undefined || o.created <= lte) &&
      (lt === undefined || o.created < lt) && (exact === null || o.created === Number(exact)) &&
      opts.filters.every((f) => !query.has(f) || String(o[f]) === query.get(f)),
  );
  items.sort((a, b) => b.created - a.created || opts.order(b) - opts.order(a));
  const after = query.get("starting_after");
  const before = query.get("ending_before");
  const limit = Math.min(Math.max(Number(query.get("limit") ?? 10) || 10, 1), 100, opts.maxPageSize);
  if (after) {
    const start = items.findIndex((o) => o.id === after);
    items = start < 0 ? [] : items.slice(start + 1);
  }
  if (before) {
    const end = items.findIndex((o) => o.id === before);
    items = items.slice(Math.max(0, end - limit), Math.max(0, end));
    return { object: "list", url: opts.url, has_more: end - limit > 0, data: items };
  }
  return { object: "list", url: opts.url, has_more: items.length > limit, data: items.slice(0, limit) };
}
