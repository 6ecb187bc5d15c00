/**
 * What each verified Stripe event does. Every event is processed in one
 * database transaction together with marking it processed, so a crash leaves
 * it unprocessed and Stripe's redelivery (or the next event) finishes it.
 * Events about a payment not known yet stay "waiting" and are replayed once
 * the payment is fulfilled. Events of the NGOs' connected accounts (the
 * Connect endpoint) go through the same storage and processing, with their
 * own dispatch (connect-events.ts).
 */
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import type { Db, Tx } from "../db/connect.ts";
import { orders, stripeEvents } from "../db/schema.ts";
import { pauseBeforeCommit } from "./fault-injection.ts";
import type { FulfilmentResult, PaidCheckout } from "./fulfilment.ts";
import { fulfilmentQueue } from "./fulfilment-queue.ts";
import { checkTransferReversed } from "./connect-payouts.ts";
import { applyDispute, applyRefund, type ReversalResult } from "./reversals.ts";
import { isMonthlyEvent, monthlyDispatch, paidInvoice } from "./monthly-events.ts";

const id = (v: unknown) => (typeof v === "string" ? v : v && typeof v === "object" && "id" in v ? String((v as { id: unknown }).id) : null);
const PaymentIntentRef = z.union([z.string(), z.object({ id: z.string() })]).nullish().transform(id);

const CheckoutSession = z.object({
  id: z.string().min(1),
  object: z.literal("checkout.session"),
  amount_total: z.number().int().nonnegative(),
  currency: z.string().length(3),
  payment_status: z.string(),
  payment_intent: PaymentIntentRef,
  metadata: z.object({ orderId: z.uuid() }),
});
const Charge = z.object({
  id: z.string(),
  object: z.literal("charge"),
  payment_intent: PaymentIntentRef,
  amount_refunded: z.number().int().nonnegative(),
  currency: z.string().length(3),
});
const Refund = z.object({
  id: z.string().min(1),
  object: z.literal("refund"),
  payment_intent: PaymentIntentRef,
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  status: z.string().nullish(),
  created: z.number().int().nonnegative(),
});
const Dispute = z.object({
  id: z.string(),
  object: z.literal("dispute"),
  payment_intent: PaymentIntentRef,
  amount: z.number().int().positive(),
  currency: z.string().length(3),
  status: z.string(),
  /** What Stripe moved for the dispute (the withdrawal, a reinstatement), each with its fee. */
  balance_transactions: z
    .array(z.object({ id: z.string().min(1), fee: z.number().int(), currency: z.string().length(3) }))
    .default([]),
  /** True while the payment can still be refunded instead (an inquiry, for some networks, until funds are withdrawn). */
  is_charge_refundable: z.boolean().optional(),
});

/** Effects to announce after commit. */
export type Announcement =
  | {
    kind: "gifts-granted"; villageId: string; orderId: string; itemIds: string[];
    /** Set when the gifts went into someone else's village: its owner (a gift_received notification was stored for them). */
    recipientId?: string;
    /** The player who paid: their clients are told the order was paid (their basket lets go of it). */
    payerId?: string;
  }
  | { kind: "gifts-withdrawn"; villageId: string; orderId: string; reason: "refunded" | "dispute_lost"; items: Array<{ itemId: string; giftId: string }> }
  /** Gifts back in the village: a refund failed or shrank. */
  | { kind: "gifts-restored"; villageId: string; orderId: string; items: Array<{ itemId: string; giftId: string }> };

export interface Processed {
  outcome: string;
  /** True while the event waits for its payment to be known. */
  waiting: boolean;
  announcements: Announcement[];
  /** A payment intent that just became known and has events waiting on it: run them now. */
  released?: string;
  /** A payment just fulfilled (its Stripe fee can be booked). */
  paid?: { orderId: string; paymentIntentId: string; currency: string };
  /** An NGO whose account just started or stopped taking charges: its gifts enter or leave the shop. */
  ngoPaymentsChanged?: string;
}

/** What one endpoint's events do, inside the transaction that marks them processed. */
export type EventDispatch = (tx: Tx, event: Stripe.Event) => Promise<Processed>;

/** The payment intent an event is about, stored with it so a waiting event can be found. */
export function paymentIntentOf(event: Stripe.Event): string | null {
  const object = event.data.object as { object?: string; payment_intent?: unknown };
  if (object.object === "charge" || object.object === "dispute" || object.object === "refund" || object.object === "checkout.session") return id(object.payment_intent);
  return null;
}

/**
 * Stores a verified event and processes it in one transaction. The insert
 * (or the row lock of an event already stored) makes concurrent deliveries of
 * one event queue up, and all but the first see it processed. If processing
 * fails, the event is still stored (unprocessed) before the error goes on,
 * and Stripe's retry processes it.
 *
 * `handle` is the platform endpoint's dispatch unless told (the Connect
 * endpoint passes its own); only the platform's events fulfil or wait.
 */
export async function processEvent(db: Db, event: Stripe.Event, handle: EventDispatch = dispatch): Promise<Processed> {
  const platform = handle === dispatch;
  try {
    // The hot path: a paid Checkout Session is stored and fulfilled by the database in one statement.
    // A monthly gift's paid invoice: its order is written, then fulfilled the same way.
    const paid = platform ? paidCheckout(event) ?? (await paidInvoice(db, event)) : null;
    if (paid) return fromFulfilment(await fulfilmentQueue(db).fulfil({ event, paid }));
  } catch (err) {
    await db.insert(stripeEvents).values(eventRow(event, platform)).onConflictDoNothing().catch(() => {});
    throw err;
  }
  // An event that may have to wait for its payment is committed on its own first, so the
  // fulfilment that releases it always finds it (and queues behind its row lock).
  if (platform && mayWait(event)) await db.insert(stripeEvents).values(eventRow(event, platform)).onConflictDoNothing();
  try {
    return await db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(stripeEvents)
        .values(eventRow(event, platform))
        .onConflictDoNothing()
        .returning({ id: stripeEvents.id });
      if (!inserted) {
        const [row] = await tx
          .select({ processedAt: stripeEvents.processedAt, outcome: stripeEvents.outcome })
          .from(stripeEvents)
          .where(eq(stripeEvents.id, event.id))
          .for("update");
        if (row?.processedAt) return { outcome: `duplicate:${row.outcome ?? ""}`, waiting: false, announcements: [] };
      }
      const result = await handle(tx, event);
      await pauseBeforeCommit();
      await tx
        .update(stripeEvents)
        .set(result.waiting ? { outcome: "waiting" } : { processedAt: new Date(), outcome: result.outcome })
        .where(eq(stripeEvents.id, event.id));
      return result;
    });
  } catch (err) {
    await db.insert(stripeEvents).values(eventRow(event, platform)).onConflictDoNothing().catch(() => {});
    throw err;
  }
}

function mayWait(event: Stripe.Event): boolean {
  return event.type === "charge.refunded" || event.type === "refund.failed" || event.type === "charge.refund.updated" || event.type.startsWith("charge.dispute.");
}

function eventRow(event: Stripe.Event, platform: boolean) {
  return {
    id: event.id, type: event.type, payload: event as unknown as Record<string, unknown>,
    paymentIntentId: platform ? paymentIntentOf(event) : null, endpoint: platform ? ("platform" as const) : ("connect" as const),
  };
}

/** Unprocessed events about a payment intent, oldest first (replayed after its fulfilment). */
export async function waitingEvents(db: Db, paymentIntentId: string): Promise<Stripe.Event[]> {
  const rows = await db
    .select({ payload: stripeEvents.payload })
    .from(stripeEvents)
    .where(and(eq(stripeEvents.paymentIntentId, paymentIntentId), isNull(stripeEvents.processedAt)))
    .orderBy(asc(stripeEvents.receivedAt));
  return rows.map((r) => r.payload as Stripe.Event);
}

/** A Checkout Session event that says the payment is made, or null. */
function paidCheckout(event: Stripe.Event): PaidCheckout | null {
  if (event.type !== "checkout.session.completed" && event.type !== "checkout.session.async_payment_succeeded") return null;
  const s = CheckoutSession.safeParse(event.data.object);
  if (!s.success || s.data.payment_status !== "paid") return null;
  return { sessionId: s.data.id, orderId: s.data.metadata.orderId, amountTotal: s.data.amount_total, currency: s.data.currency, paymentIntentId: s.data.payment_intent };
}

async function lockOrder(tx: Tx, orderId: string) {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
  return order;
}

/** When Stripe made the event (epoch seconds); an event without it counts as made now. */
const createdOf = (event: Stripe.Event) => (Number.isSafeInteger(event.created) && event.created > 0 ? event.created : Math.floor(Date.now() / 1000));

export const done = (outcome: string): Processed => ({ outcome, waiting: false, announcements: [] });

async function dispatch(tx: Tx, event: Stripe.Event): Promise<Processed> {
  const object = event.data.object;
  if (isMonthlyEvent(event)) return done(await monthlyDispatch(tx, event));
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      // A paid session never gets here (see paidCheckout): what is left is malformed or not paid yet.
      const s = CheckoutSession.safeParse(object);
      if (!s.success) return done("invalid_payload");
      // Delayed payment methods: completed now, paid (or failed) later.
      return done("awaiting_payment");
    }
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired": {
      const s = CheckoutSession.safeParse(object);
      if (!s.success) return done("invalid_payload");
      const order = await lockOrder(tx, s.data.metadata.orderId);
      if (!order) return done("unknown_order");
      if (order.checkoutSessionId !== s.data.id) return done("session_mismatch");
      if (order.status !== "pending") return done(`order_${order.status}`);
      const status = event.type === "checkout.session.expired" ? "expired" : "failed";
      await tx.update(orders).set({ status }).where(and(eq(orders.id, order.id), inArray(orders.status, ["pending"])));
      return done(status === "expired" ? "order_expired" : "payment_failed");
    }
    case "charge.refunded": {
      const c = Charge.safeParse(object);
      if (!c.success || !c.data.payment_intent) return done("invalid_payload");
      const r = await applyRefund(tx, {
        kind: "snapshot", eventId: event.id, eventCreated: createdOf(event), paymentIntentId: c.data.payment_intent, amountRefunded: c.data.amount_refunded, currency: c.data.currency,
      });
      return fromReversal(r);
    }
    case "refund.failed":
    case "charge.refund.updated": {
      const r = Refund.safeParse(object);
      if (!r.success || !r.data.payment_intent) return done("invalid_payload");
      // Only a refund that did not happen changes anything; one that succeeded is in the charge's amount_refunded.
      if (event.type === "charge.refund.updated" && r.data.status !== "failed" && r.data.status !== "canceled") return done("ignored");
      return fromReversal(await applyRefund(tx, {
        kind: "failed", eventId: event.id, eventCreated: createdOf(event), paymentIntentId: r.data.payment_intent, currency: r.data.currency,
        refundId: r.data.id, amount: r.data.amount, refundCreated: r.data.created,
      }));
    }
    case "charge.dispute.created":
    case "charge.dispute.updated":
    case "charge.dispute.funds_withdrawn":
    case "charge.dispute.closed": {
      const d = Dispute.safeParse(object);
      if (!d.success || !d.data.payment_intent) return done("invalid_payload");
      const r = await applyDispute(
        tx,
        {
          eventId: event.id, disputeId: d.data.id, paymentIntentId: d.data.payment_intent, amount: d.data.amount, currency: d.data.currency,
          status: d.data.status, balanceTransactions: d.data.balance_transactions,
          noFundsWithdrawn: d.data.is_charge_refundable === true && d.data.balance_transactions.length === 0,
        },
        event.type === "charge.dispute.closed",
      );
      return fromReversal(r);
    }
    case "transfer.reversed":
      return done((await checkTransferReversed(tx, event)).outcome);
    default:
      return done("ignored");
  }
}

function fromFulfilment(r: FulfilmentResult): Processed {
  if (!("orderId" in r)) return done(r.outcome);
  return {
    outcome: "fulfilled",
    waiting: false,
    announcements: [{ kind: "gifts-granted", villageId: r.villageId, orderId: r.orderId, itemIds: r.itemIds, ...(r.recipientId ? { recipientId: r.recipientId } : {}),
      ...(r.payerId ? { payerId: r.payerId } : {}),
    }],
    ...(r.paymentIntentId && r.released ? { released: r.paymentIntentId } : {}),
    ...(r.paymentIntentId ? { paid: { orderId: r.orderId, paymentIntentId: r.paymentIntentId, currency: r.currency } } : {}),
  };
}

function fromReversal(r: ReversalResult): Processed {
  if (r.outcome === "waiting") return { outcome: "waiting", waiting: true, announcements: [] };
  if (!("orderId" in r)) return done(r.outcome);
  const announcements: Announcement[] = [];
  if (r.withdrawn.length > 0 && r.reason) announcements.push({ kind: "gifts-withdrawn", villageId: r.villageId, orderId: r.orderId, reason: r.reason, items: r.withdrawn });
  if (r.restored.length > 0) announcements.push({ kind: "gifts-restored", villageId: r.villageId, orderId: r.orderId, items: r.restored });
  return { outcome: r.outcome, waiting: false, announcements };
}
