/**
 * A deleted account gives no more: every open monthly gift of the player
 * stops. With Stripe keys, before the deletion's transaction, each Stripe
 * subscription is cancelled (a subscription Stripe no longer knows counts as
 * cancelled; any other refusal stops the deletion, which writes nothing, so
 * no one is charged for an account that is gone); in the transaction, every
 * open row is marked cancelled (TEST MODE ones too); after commit, a Stripe
 * checkout still open for a monthly gift is expired, so it cannot start a
 * subscription any more.
 */
import { and, eq, isNotNull, ne } from "drizzle-orm";
import type { Logger } from "pino";
import type Stripe from "stripe";
import type { Db, Tx } from "../db/connect.ts";
import { monthlyGifts } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";

const isMissing = (err: unknown) => (err as { code?: unknown }).code === "resource_missing";

/** Cancels the player's open Stripe subscriptions (each row marked cancelled once Stripe said so). */
export async function cancelStripeSubscriptionsOf(db: Db, stripe: Stripe | null, playerId: string): Promise<void> {
  const open = await db.select({ id: monthlyGifts.id, subscription: monthlyGifts.stripeSubscriptionId }).from(monthlyGifts)
    .where(and(eq(monthlyGifts.playerId, playerId), eq(monthlyGifts.provider, "stripe"), ne(monthlyGifts.status, "cancelled"), isNotNull(monthlyGifts.stripeSubscriptionId)));
  if (open.length === 0) return;
  if (!stripe) throw new HttpError(409, "payments_unavailable", "Stripe is not configured on this server: your monthly gifts cannot be stopped now");
  for (const row of open) {
    try {
      await stripe.subscriptions.cancel(row.subscription!);
    } catch (err) {
      if (!isMissing(err)) {
        throw new HttpError(502, "payment_provider_error", `The payment provider refused to stop a monthly gift; nothing was deleted: ${(err as Error).message}`);
      }
    }
    await db.update(monthlyGifts).set({ status: "cancelled", cancelledAt: new Date(), nextInvoiceAt: null, actionUrl: null })
      .where(and(eq(monthlyGifts.id, row.id), ne(monthlyGifts.status, "cancelled")));
  }
}

/** In the deletion's transaction: every open monthly gift of the player is cancelled. Returns the Stripe checkouts left to expire. */
export async function cancelMonthlyGiftsOf(tx: Tx, playerId: string): Promise<string[]> {
  const rows = await tx.update(monthlyGifts).set({ status: "cancelled", cancelledAt: new Date(), nextInvoiceAt: null, actionUrl: null })
    .where(and(eq(monthlyGifts.playerId, playerId), ne(monthlyGifts.status, "cancelled")))
    .returning({ provider: monthlyGifts.provider, session: monthlyGifts.checkoutSessionId, subscription: monthlyGifts.stripeSubscriptionId });
  return rows.filter((r) => r.provider === "stripe" && r.session && !r.subscription).map((r) => r.session!);
}

/** After commit: the Stripe checkouts of monthly gifts never started are expired (best effort, logged). */
export async function expireMonthlyCheckouts(stripe: Stripe | null, sessionIds: readonly string[], logger: Logger): Promise<void> {
  if (!stripe) return;
  for (const id of sessionIds) {
    await stripe.checkout.sessions.expire(id).catch((err: unknown) => {
      // Already expired or completed: a completed one's subscription was cancelled above or is a known risk (docs).
      logger.warn({ err, checkoutSessionId: id }, "expiring a deleted account's monthly checkout failed");
    });
  }
}
