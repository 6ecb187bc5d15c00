/**
 * Stripe's processing fee, booked once Stripe knows it: after a payment is
 * fulfilled, the charge's balance transaction gives the fee, posted as
 * expense:stripe-fees against the clearing account (source key fee:<order>).
 * Best effort: when Stripe cannot be asked, reconciliation reports the gap.
 */
import type Stripe from "stripe";
import type { Logger } from "pino";
import type { Db } from "../db/connect.ts";
import { ACCOUNT_STRIPE_CLEARING, ACCOUNT_STRIPE_FEES, postTransaction } from "./ledger.ts";

export async function bookStripeFee(
  deps: { db: Db; stripe: Stripe; logger: Logger },
  payment: { orderId: string; paymentIntentId: string; currency: string },
): Promise<number | null> {
  try {
    const charges = await deps.stripe.charges.list({ payment_intent: payment.paymentIntentId, limit: 1, expand: ["data.balance_transaction"] });
    const bt = charges.data[0]?.balance_transaction;
    if (!bt || typeof bt === "string") return null; // not settled yet: reconciliation will tell
    if (bt.currency.toLowerCase() !== payment.currency.toLowerCase()) {
      deps.logger.warn({ orderId: payment.orderId, settlement: bt.currency }, "fee in another currency than the order: left to reconciliation");
      return null;
    }
    if (!Number.isSafeInteger(bt.fee) || bt.fee <= 0) return null;
    await deps.db.transaction((tx) =>
      postTransaction(tx, {
        kind: "fee", sourceKey: `fee:${payment.orderId}`, orderId: payment.orderId, stripeEventId: null, currency: payment.currency,
        lines: [{ account: ACCOUNT_STRIPE_FEES, amountCents: bt.fee }, { account: ACCOUNT_STRIPE_CLEARING, amountCents: -bt.fee }],
      }),
    );
    return bt.fee;
  } catch (err) {
    deps.logger.warn({ err, orderId: payment.orderId }, "could not book the Stripe fee; reconciliation will report it");
    return null;
  }
}
