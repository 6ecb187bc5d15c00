/**
 * What Stripe Billing's events do to monthly gifts. A paid invoice becomes an
 * order of the monthly gift (its checkout_session_id is the invoice id, so
 * one invoice is one order) and goes through the same fulfilment as a paid
 * checkout: exactly once, ledger, receipt mail, the village's item (granted
 * with the first month, grown by the next ones). A failed payment or one
 * that needs the donor (3-D Secure) queues a mail with the link to settle
 * it; subscription updates and deletions keep the row's status and amount.
 */
import { and, eq, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import { monthlySplit } from "../../shared/monthly-gifts.ts";
import type { Db, Tx } from "../db/connect.ts";
import { gifts, mailQueue, monthlyGifts, orderLines, orders } from "../db/schema.ts";
import type { PaidCheckout } from "./fulfilment.ts";

const idOf = (v: unknown) => (typeof v === "string" ? v : v && typeof v === "object" && "id" in v ? String((v as { id: unknown }).id) : null);
const Ref = z.union([z.string(), z.object({ id: z.string() })]).nullish().transform(idOf);
const Meta = z.object({ monthlyGiftId: z.string().optional() }).passthrough().nullish();

/** An invoice as Stripe sends it, in the older (subscription, payment_intent) and newer (parent, payments) shapes. */
const Invoice = z.object({
  id: z.string().min(1).max(255),
  object: z.literal("invoice"),
  amount_paid: z.number().int().nonnegative(),
  currency: z.string().length(3),
  customer: Ref,
  hosted_invoice_url: z.string().max(2000).nullish(),
  subscription: Ref,
  subscription_details: z.object({ metadata: Meta }).nullish(),
  parent: z.object({ subscription_details: z.object({ subscription: Ref, metadata: Meta }).nullish() }).nullish(),
  payment_intent: Ref,
  payments: z.object({ data: z.array(z.object({ payment: z.object({ payment_intent: Ref }).nullish() })) }).nullish(),
  lines: z.object({ data: z.array(z.object({ period: z.object({ end: z.number().int() }).nullish() })) }).nullish(),
});
type Invoice = z.infer<typeof Invoice>;

const Subscription = z.object({
  id: z.string().min(1).max(255),
  object: z.literal("subscription"),
  status: z.string(),
  customer: Ref,
  metadata: Meta,
  current_period_end: z.number().int().nullish(),
  items: z.object({
    data: z.array(z.object({
      quantity: z.number().int().nullish(),
      current_period_end: z.number().int().nullish(),
      price: z.object({ unit_amount: z.number().int().nullish() }).nullish(),
    })),
  }).nullish(),
});

const SubscriptionSession = z.object({
  id: z.string().min(1),
  object: z.literal("checkout.session"),
  mode: z.literal("subscription"),
  subscription: Ref,
  customer: Ref,
  metadata: z.object({ monthlyGiftId: z.uuid() }),
});

const UUID = z.uuid();
const subscriptionOf = (i: Invoice) => i.subscription ?? i.parent?.subscription_details?.subscription ?? null;
const giftIdOf = (i: Invoice) => i.subscription_details?.metadata?.monthlyGiftId ?? i.parent?.subscription_details?.metadata?.monthlyGiftId ?? null;
const paymentIntentOfInvoice = (i: Invoice) => i.payment_intent ?? i.payments?.data.find((p) => p.payment?.payment_intent)?.payment?.payment_intent ?? null;
const periodEndOf = (i: Invoice) => i.lines?.data[0]?.period?.end ?? null;

/** The monthly gift an invoice or subscription is about: by our id in its metadata, else by the Stripe subscription id. */
async function findGift(db: Db | Tx, giftId: string | null | undefined, subscriptionId: string | null) {
  if (giftId && UUID.safeParse(giftId).success) {
    const [row] = await db.select().from(monthlyGifts).where(eq(monthlyGifts.id, giftId));
    // The metadata names the row; a subscription id already known must agree.
    if (row && (!row.stripeSubscriptionId || !subscriptionId || row.stripeSubscriptionId === subscriptionId)) return row;
    return undefined;
  }
  if (!subscriptionId) return undefined;
  const [row] = await db.select().from(monthlyGifts).where(eq(monthlyGifts.stripeSubscriptionId, subscriptionId));
  return row;
}

/**
 * A paid invoice of a monthly gift, ready for fulfilment: its order is written first (once per
 * invoice, in its own transaction, so a retry finds it), then fulfilled like a paid checkout.
 * Null when the event is not one, or names no monthly gift (dispatch then says why).
 */
export async function paidInvoice(db: Db, event: Stripe.Event): Promise<PaidCheckout | null> {
  if (event.type !== "invoice.paid") return null;
  const parsed = Invoice.safeParse(event.data.object);
  if (!parsed.success || parsed.data.amount_paid <= 0) return null;
  const invoice = parsed.data;
  const subscriptionId = subscriptionOf(invoice);
  const orderId = await db.transaction(async (tx) => {
    const gift = await findGift(tx, giftIdOf(invoice), subscriptionId);
    if (!gift) return null;
    await tx.select({ id: monthlyGifts.id }).from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)).for("update");
    const [existing] = await tx.select({ id: orders.id, monthlyGiftId: orders.monthlyGiftId }).from(orders).where(eq(orders.checkoutSessionId, invoice.id));
    if (existing) return existing.monthlyGiftId === gift.id ? existing.id : null;
    const [price] = await tx.select({ cents: gifts.priceCents }).from(gifts).where(eq(gifts.id, gift.giftId));
    const split = monthlySplit(invoice.amount_paid, price?.cents ?? invoice.amount_paid);
    const [order] = await tx.insert(orders).values({
      playerId: gift.playerId, villageId: gift.villageId, totalCents: invoice.amount_paid, supportCents: split.supportCents,
      currency: invoice.currency.toUpperCase(), provider: gift.provider, chargeMode: gift.chargeMode, checkoutSessionId: invoice.id, monthlyGiftId: gift.id,
    }).returning({ id: orders.id });
    await tx.insert(orderLines).values({
      orderId: order!.id, giftId: gift.giftId, ngoId: gift.ngoId, projectId: gift.projectId, quantity: 1, unitPriceCents: split.giftCents, lineTotalCents: split.giftCents,
    });
    const periodEnd = periodEndOf(invoice);
    await tx.update(monthlyGifts).set({
      ...(gift.status === "cancelled" ? {} : { status: "active" as const }), actionUrl: null,
      ...(periodEnd ? { nextInvoiceAt: new Date(periodEnd * 1000) } : {}),
      ...(gift.stripeSubscriptionId || !subscriptionId ? {} : { stripeSubscriptionId: subscriptionId }),
      ...(gift.stripeCustomerId || !invoice.customer ? {} : { stripeCustomerId: invoice.customer }),
    }).where(eq(monthlyGifts.id, gift.id));
    return order!.id;
  });
  if (!orderId) return null;
  return { sessionId: invoice.id, orderId, amountTotal: invoice.amount_paid, currency: invoice.currency, paymentIntentId: paymentIntentOfInvoice(invoice) };
}

/** Whether dispatch hands this event to monthlyDispatch. */
export function isMonthlyEvent(event: Stripe.Event): boolean {
  if (event.type.startsWith("invoice.") || event.type.startsWith("customer.subscription.")) return true;
  return event.type === "checkout.session.completed" && (event.data.object as { mode?: unknown }).mode === "subscription";
}

/** What a monthly gift's event does, inside the transaction that marks it processed. */
export async function monthlyDispatch(tx: Tx, event: Stripe.Event): Promise<string> {
  const object = event.data.object;
  switch (event.type) {
    case "checkout.session.completed": {
      const s = SubscriptionSession.safeParse(object);
      if (!s.success) return "invalid_payload";
      const [gift] = await tx.select().from(monthlyGifts).where(eq(monthlyGifts.id, s.data.metadata.monthlyGiftId)).for("update");
      if (!gift || gift.checkoutSessionId !== s.data.id) return "unknown_monthly_gift";
      // The first invoice may have arrived first and told both already.
      const ids = {
        ...(s.data.subscription && !gift.stripeSubscriptionId ? { stripeSubscriptionId: s.data.subscription } : {}),
        ...(s.data.customer && !gift.stripeCustomerId ? { stripeCustomerId: s.data.customer } : {}),
      };
      if (Object.keys(ids).length > 0) await tx.update(monthlyGifts).set(ids).where(eq(monthlyGifts.id, gift.id));
      return "monthly_checkout_completed";
    }
    case "invoice.paid": {
      // A paid invoice with an amount and a known gift never gets here (see paidInvoice).
      const i = Invoice.safeParse(object);
      if (!i.success) return "invalid_payload";
      return i.data.amount_paid <= 0 ? "nothing_paid" : "unknown_monthly_gift";
    }
    case "invoice.payment_failed":
    case "invoice.payment_action_required": {
      const i = Invoice.safeParse(object);
      if (!i.success) return "invalid_payload";
      const gift = await findGift(tx, giftIdOf(i.data), subscriptionOf(i.data));
      if (!gift) return "unknown_monthly_gift";
      const [paid] = await tx.select({ id: orders.id }).from(orders).where(and(eq(orders.checkoutSessionId, i.data.id), eq(orders.status, "paid")));
      if (paid) return "invoice_already_paid";
      if (gift.status === "cancelled") return "monthly_gift_cancelled";
      const problem = event.type === "invoice.payment_failed" ? "failed" : "action_required";
      const url = i.data.hosted_invoice_url ?? null;
      await tx.update(monthlyGifts).set({ status: problem === "failed" ? "past_due" : "action_required", actionUrl: url }).where(eq(monthlyGifts.id, gift.id));
      await tx.insert(mailQueue).values({
        kind: "monthly_payment_problem", dedupeKey: `monthly_payment_problem:${i.data.id}:${problem}`, playerId: gift.playerId,
        payload: { monthlyGiftId: gift.id, invoiceId: i.data.id, problem, url },
      }).onConflictDoNothing();
      return problem === "failed" ? "monthly_payment_failed" : "monthly_action_required";
    }
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const s = Subscription.safeParse(object);
      if (!s.success) return "invalid_payload";
      const gift = await findGift(tx, s.data.metadata?.monthlyGiftId, s.data.id);
      if (!gift) return "unknown_monthly_gift";
      if (event.type === "customer.subscription.deleted" || s.data.status === "canceled") {
        await tx.update(monthlyGifts).set({ status: "cancelled", cancelledAt: new Date(), nextInvoiceAt: null })
          .where(and(eq(monthlyGifts.id, gift.id), isNull(monthlyGifts.cancelledAt)));
        return "monthly_gift_cancelled";
      }
      if (gift.status === "cancelled") return "monthly_gift_cancelled";
      const item = s.data.items?.data[0];
      const amount = item?.price?.unit_amount != null ? item.price.unit_amount * (item.quantity ?? 1) : null;
      const periodEnd = item?.current_period_end ?? s.data.current_period_end ?? null;
      const status = s.data.status === "active" || s.data.status === "trialing" ? "active"
        : s.data.status === "past_due" || s.data.status === "unpaid" ? "past_due" : gift.status;
      await tx.update(monthlyGifts).set({
        status, ...(amount && amount >= 100 && amount <= 100_000 ? { amountCents: amount } : {}),
        ...(periodEnd ? { nextInvoiceAt: new Date(periodEnd * 1000) } : {}),
        ...(s.data.id && !gift.stripeSubscriptionId ? { stripeSubscriptionId: s.data.id } : {}),
      }).where(eq(monthlyGifts.id, gift.id));
      return "monthly_gift_updated";
    }
    default:
      return "ignored";
  }
}
