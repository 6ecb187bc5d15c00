/**
 * Payment alerts: a verified event whose outcome says it does not match its
 * order (session_mismatch, amount_mismatch, currency_mismatch), or a paid
 * session for an order already paid through another session, is stored once
 * per event and logged at error, after its processing committed; a
 * redelivery (answered as a duplicate) stores it if a crash lost it. Listed
 * to platform administrators, reported by reconciliation until resolved.
 */
import { and, count, desc, eq, isNotNull, isNull, type SQL } from "drizzle-orm";
import type { Logger } from "pino";
import type Stripe from "stripe";
import { PAYMENT_ALERT_KINDS, type PaymentAlertKind, type PaymentAlertView } from "../../shared/payment-alerts.ts";
import type { Db } from "../db/connect.ts";
import { orders, paymentAlerts } from "../db/schema.ts";

type Side = PaymentAlertView["stripe"];
const MISMATCHES = new Set<string>(PAYMENT_ALERT_KINDS);

/** The mismatch an outcome reports (a duplicate's too), or null. */
export function mismatchOf(outcome: string): PaymentAlertKind | null {
  const bare = outcome.startsWith("duplicate:") ? outcome.slice("duplicate:".length) : outcome;
  return MISMATCHES.has(bare) ? (bare as PaymentAlertKind) : null;
}

const str = (v: unknown) => (typeof v === "string" ? v : null);
const int = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) ? v : null);
const idOf = (v: unknown) => str(v) ?? (v && typeof v === "object" ? str((v as { id?: unknown }).id) : null);

/** What the event says and what Hameau holds for its order. */
async function sidesOf(db: Db, event: Stripe.Event): Promise<{ orderId: string | null; stripe: Side; hameau: Side }> {
  const o = event.data.object as unknown as Record<string, unknown>;
  if (o.object === "checkout.session") {
    const orderId = str((o.metadata as Record<string, unknown> | undefined)?.orderId);
    const [order] = orderId && /^[0-9a-f-]{36}$/i.test(orderId) ? await db.select().from(orders).where(eq(orders.id, orderId)) : [];
    return {
      orderId: order?.id ?? null,
      stripe: { amountCents: int(o.amount_total), currency: str(o.currency), id: str(o.id) },
      hameau: { amountCents: order?.totalCents ?? null, currency: order?.currency ?? null, id: order?.checkoutSessionId ?? null },
    };
  }
  const paymentIntentId = idOf(o.payment_intent);
  const [order] = paymentIntentId ? await db.select().from(orders).where(eq(orders.paymentIntentId, paymentIntentId)) : [];
  const amount = o.object === "charge" ? int(o.amount_refunded) : int(o.amount);
  return {
    orderId: order?.id ?? null,
    stripe: { amountCents: amount, currency: str(o.currency), id: paymentIntentId },
    hameau: { amountCents: order?.totalCents ?? null, currency: order?.currency ?? null, id: order?.paymentIntentId ?? null },
  };
}

/** Stores and logs an alert when the outcome is a mismatch (once per event). */
export async function alertOnMismatch(deps: { db: Db; logger: Logger }, event: Stripe.Event, outcome: string): Promise<void> {
  // A payment for an order already paid is a mismatch when it came through another session: money received twice.
  const paidTwice = outcome === "already_paid" && event.data.object.object === "checkout.session";
  let kind = paidTwice ? "session_mismatch" : mismatchOf(outcome);
  if (!kind) return;
  try {
    const sides = await sidesOf(deps.db, event);
    if (paidTwice && sides.stripe.id === sides.hameau.id) return;
    // The fulfilment says amount_mismatch for either; the alert says which.
    if (kind === "amount_mismatch" && sides.stripe.currency && sides.hameau.currency && sides.stripe.currency.toLowerCase() !== sides.hameau.currency.toLowerCase()) {
      kind = "currency_mismatch";
    }
    const inserted = await deps.db
      .insert(paymentAlerts)
      .values({ stripeEventId: event.id, eventType: event.type, kind, orderId: sides.orderId, detail: { stripe: sides.stripe, hameau: sides.hameau } })
      .onConflictDoNothing()
      .returning({ id: paymentAlerts.id });
    if (inserted.length > 0) {
      deps.logger.error({ eventId: event.id, type: event.type, kind, orderId: sides.orderId, stripe: sides.stripe, hameau: sides.hameau }, "payment alert: a verified Stripe event does not match its order");
    }
  } catch (err) {
    deps.logger.error({ err, eventId: event.id, kind }, "payment alert could not be stored; reconciliation still reports the event");
  }
}

function view(row: typeof paymentAlerts.$inferSelect): PaymentAlertView {
  const detail = row.detail as { stripe?: Side; hameau?: Side };
  const side = (s: Side | undefined): Side => ({ amountCents: s?.amountCents ?? null, currency: s?.currency ?? null, id: s?.id ?? null });
  return {
    id: row.id, kind: row.kind as PaymentAlertKind, stripeEventId: row.stripeEventId, eventType: row.eventType, orderId: row.orderId,
    stripe: side(detail.stripe), hameau: side(detail.hameau), createdAt: row.createdAt.toISOString(), resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

export async function listPaymentAlerts(db: Db, status: "open" | "resolved" | "all", limit = 200): Promise<{ alerts: PaymentAlertView[]; open: number }> {
  const where: SQL | undefined = status === "open" ? isNull(paymentAlerts.resolvedAt) : status === "resolved" ? isNotNull(paymentAlerts.resolvedAt) : undefined;
  const rows = await db.select().from(paymentAlerts).where(where).orderBy(desc(paymentAlerts.createdAt), desc(paymentAlerts.id)).limit(limit);
  const [open] = await db.select({ n: count() }).from(paymentAlerts).where(isNull(paymentAlerts.resolvedAt));
  return { alerts: rows.map(view), open: Number(open?.n ?? 0) };
}

/** Marks an alert looked into; null when there is no such alert. Resolving twice keeps the first resolution. */
export async function resolvePaymentAlert(db: Db, id: string, by: string, at: Date): Promise<PaymentAlertView | null> {
  await db.update(paymentAlerts).set({ resolvedAt: at, resolvedBy: by }).where(and(eq(paymentAlerts.id, id), isNull(paymentAlerts.resolvedAt)));
  const [row] = await db.select().from(paymentAlerts).where(eq(paymentAlerts.id, id));
  return row ? view(row) : null;
}

/** Open alerts, oldest first (for reconciliation). */
export async function openPaymentAlerts(db: Db): Promise<PaymentAlertView[]> {
  const rows = await db.select().from(paymentAlerts).where(isNull(paymentAlerts.resolvedAt)).orderBy(paymentAlerts.createdAt);
  return rows.map(view);
}
