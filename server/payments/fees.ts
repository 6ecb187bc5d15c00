/**
 * Stripe's fees, posted as expense:stripe-fees against the clearing account.
 * - The processing fee, once Stripe knows it: after a payment is fulfilled,
 *   the charge's balance transaction gives the fee (source key fee:<order>).
 *   Best effort: when Stripe cannot be asked, reconciliation reports the gap.
 * - Dispute fees, from the balance transactions a dispute event carries
 *   (source key fee:<balance transaction>): the fee of the withdrawal, and a
 *   negative fee when Stripe gives it back with a won dispute.
 */
import type Stripe from "stripe";
import type { Logger } from "pino";
import type { Db, Tx } from "../db/connect.ts";
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

/** Books the fee of each of a dispute's balance transactions once (replays post nothing). */
export async function bookDisputeFees(
  tx: Tx,
  d: { orderId: string; currency: string; eventId: string; balanceTransactions: Array<{ id: string; fee: number; currency: string }> },
): Promise<void> {
  for (const bt of d.balanceTransactions) {
    // A fee settled in another currency than the order's is left to reconciliation.
    if (bt.fee === 0 || bt.currency.toLowerCase() !== d.currency.toLowerCase()) continue;
    await postTransaction(tx, {
      kind: "fee", sourceKey: `fee:${bt.id}`, orderId: d.orderId, stripeEventId: d.eventId, currency: d.currency,
      lines: [{ account: ACCOUNT_STRIPE_FEES, amountCents: bt.fee }, { account: ACCOUNT_STRIPE_CLEARING, amountCents: -bt.fee }],
    });
  }
}
