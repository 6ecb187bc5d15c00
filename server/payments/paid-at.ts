/**
 * An order's paid_at is when Stripe charged the card, not when Hameau heard
 * of it. The fulfilment sets it from the payment event's own time (in the
 * same statement, no extra work); with Stripe keys, right after commit, the
 * payment intent is read with its latest charge and the charge's `created`
 * replaces it. Best effort, off the fulfilment's statement: when Stripe
 * cannot be asked, the event's time stays, which is within seconds of it.
 */
import { and, eq, gte, isNull, lt, not, or } from "drizzle-orm";
import type { Logger } from "pino";
import type Stripe from "stripe";
import type { Db } from "../db/connect.ts";
import { orders } from "../db/schema.ts";

export async function recordChargeTime(deps: { db: Db; stripe: Stripe; logger: Logger }, payment: { orderId: string; paymentIntentId: string }): Promise<Date | null> {
  try {
    const intent = await deps.stripe.paymentIntents.retrieve(payment.paymentIntentId, { expand: ["latest_charge"] });
    const charge = intent.latest_charge;
    if (!charge || typeof charge === "string" || !Number.isSafeInteger(charge.created) || charge.created <= 0) return null;
    const paidAt = new Date(charge.created * 1000);
    // Stripe's time is to the second: a paid_at already within that second is the same time, more precisely.
    const sameSecond = and(gte(orders.paidAt, paidAt), lt(orders.paidAt, new Date(paidAt.getTime() + 1000)));
    await deps.db.update(orders).set({ paidAt }).where(and(eq(orders.id, payment.orderId), eq(orders.status, "paid"), or(isNull(orders.paidAt), not(sameSecond!))));
    return paidAt;
  } catch (err) {
    deps.logger.warn({ err, orderId: payment.orderId }, "could not read the charge's time; paid_at stays the payment event's");
    return null;
  }
}
