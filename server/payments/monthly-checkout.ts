/**
 * Setting up, changing and cancelling a monthly gift. With Stripe keys: a
 * Checkout Session in mode "subscription" (card or SEPA Direct Debit), the
 * money routed to the NGO's connected account as a one-off checkout's
 * (destination charge), and Stripe's subscription update / cancel and
 * Customer Portal. Without keys (TEST MODE): a local checkout page
 * (test-monthly.ts) and local changes. The client never states a price
 * lower than the gift's.
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNotNull } from "drizzle-orm";
import type Stripe from "stripe";
import { isOpenMonthly, type MonthlyGiftStartResponse } from "../../shared/monthly-gifts.ts";
import type { Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { gifts, monthlyGifts } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { giftLabels, lockGiftsForPricing } from "../services/catalog.ts";
import { chargeRouting } from "./charge-routing.ts";

export interface MonthlyDeps {
  db: Db;
  stripe: Stripe | null;
  publicUrl: () => string;
  now?: () => number;
}

/** Where the donor comes back: My donations. */
export const MONTHLY_RETURN_PATH = "/?donations=1";

export async function startMonthlyGift(
  deps: MonthlyDeps, input: { playerId: string; villageId: string; giftId: string; amountCents?: number; locale: Locale },
): Promise<MonthlyGiftStartResponse> {
  const provider = deps.stripe ? "stripe" : "test";
  const row = await deps.db.transaction(async (tx) => {
    const priced = (await lockGiftsForPricing(tx, [input.giftId], (deps.now ?? Date.now)(), { playerId: input.playerId, guest: false })).get(input.giftId);
    if (!priced || !priced.active) throw new HttpError(422, "gift_unavailable", "This gift is not offered now");
    if (priced.paymentsOff) throw new HttpError(409, "ngo_payments_unavailable", "This gift's NGO cannot take payments yet");
    const [limit] = await tx.select({ stockLimit: gifts.stockLimit }).from(gifts).where(eq(gifts.id, input.giftId));
    if (limit?.stockLimit != null) throw new HttpError(422, "monthly_not_offered", "A gift of limited stock cannot be given monthly");
    const amountCents = input.amountCents ?? priced.priceCents;
    if (amountCents < priced.priceCents) throw new HttpError(422, "amount_below_gift_price", `A month is at least the gift's price (${priced.priceCents} cents)`);
    const charge = await chargeRouting(tx, [priced.ngoId], provider);
    const [created] = await tx.insert(monthlyGifts).values({
      playerId: input.playerId, villageId: input.villageId, giftId: priced.id, ngoId: priced.ngoId, projectId: priced.projectId,
      amountCents, currency: priced.currency, provider, chargeMode: charge.mode === "destination" ? "destination" : "platform",
    }).returning();
    return { ...created!, destination: charge.mode === "destination" ? charge.destination : null };
  });

  if (!deps.stripe) {
    const sessionId = `cs_test_local_${randomBytes(18).toString("base64url")}`;
    await deps.db.update(monthlyGifts).set({ checkoutSessionId: sessionId }).where(eq(monthlyGifts.id, row.id));
    return { monthlyGiftId: row.id, checkoutUrl: `/checkout/test/monthly/${sessionId}?lang=${input.locale}`, testMode: true };
  }
  const label = (await giftLabels(deps.db, [row.giftId])).get(row.giftId);
  const base = deps.publicUrl();
  let session: Stripe.Checkout.Session;
  try {
    session = await deps.stripe.checkout.sessions.create({
      mode: "subscription",
      locale: input.locale,
      client_reference_id: row.id,
      metadata: { monthlyGiftId: row.id },
      // Card or SEPA Direct Debit (this API version's name for payment_method_types).
      allowed_payment_method_types: ["card", "sepa_debit"],
      line_items: [{
        quantity: 1,
        price_data: {
          currency: row.currency.toLowerCase(),
          unit_amount: row.amountCents,
          recurring: { interval: "month" },
          product_data: {
            name: input.locale === "fr" ? `Don mensuel : ${label?.nameFr ?? ""}` : `Monthly gift: ${label?.nameEn ?? ""}`,
            metadata: { giftId: row.giftId },
          },
        },
      }],
      subscription_data: {
        metadata: { monthlyGiftId: row.id },
        ...(row.destination ? { transfer_data: { destination: row.destination }, on_behalf_of: row.destination } : {}),
      },
      success_url: `${base}${MONTHLY_RETURN_PATH}&monthly=${row.id}`,
      cancel_url: `${base}${MONTHLY_RETURN_PATH}&monthly=${row.id}&cancelled=1`,
    }, { idempotencyKey: `hameau-monthly-${row.id}` });
  } catch (err) {
    await deps.db.update(monthlyGifts).set({ status: "cancelled", cancelledAt: new Date() }).where(eq(monthlyGifts.id, row.id));
    throw new HttpError(502, "payment_provider_error", `The payment provider refused the monthly gift: ${(err as Error).message}`);
  }
  if (!session.url) throw new HttpError(502, "payment_provider_error", "The payment provider returned no checkout URL");
  await deps.db.update(monthlyGifts).set({ checkoutSessionId: session.id }).where(eq(monthlyGifts.id, row.id));
  return { monthlyGiftId: row.id, checkoutUrl: session.url, testMode: false };
}

/** The caller's own monthly gift, or a 404 (someone else's looks like none). */
export async function ownMonthlyGift(db: Db, playerId: string, id: string) {
  const [row] = await db.select().from(monthlyGifts).where(and(eq(monthlyGifts.id, id), eq(monthlyGifts.playerId, playerId)));
  if (!row) throw new HttpError(404, "not_found", "No such monthly gift");
  return row;
}

/** Stops a monthly gift: no more invoices. What was given stays given (and grown). */
export async function cancelMonthlyGift(deps: MonthlyDeps, playerId: string, id: string): Promise<void> {
  const row = await ownMonthlyGift(deps.db, playerId, id);
  if (!isOpenMonthly(row.status)) return;
  if (row.provider === "stripe" && row.stripeSubscriptionId) {
    if (!deps.stripe) throw new HttpError(409, "payments_unavailable", "Stripe is not configured on this server");
    try {
      await deps.stripe.subscriptions.cancel(row.stripeSubscriptionId);
    } catch (err) {
      throw new HttpError(502, "payment_provider_error", `The payment provider refused the cancellation: ${(err as Error).message}`);
    }
  }
  await deps.db.update(monthlyGifts).set({ status: "cancelled", cancelledAt: new Date(), nextInvoiceAt: null, actionUrl: null })
    .where(and(eq(monthlyGifts.id, row.id), eq(monthlyGifts.playerId, playerId)));
}

/** A new amount from the next month on (at least the gift's price). */
export async function changeMonthlyAmount(deps: MonthlyDeps, playerId: string, id: string, amountCents: number): Promise<void> {
  const row = await ownMonthlyGift(deps.db, playerId, id);
  if (!isOpenMonthly(row.status)) throw new HttpError(409, "monthly_gift_cancelled", "This monthly gift is cancelled");
  const [gift] = await deps.db.select({ priceCents: gifts.priceCents }).from(gifts).where(eq(gifts.id, row.giftId));
  if (gift && amountCents < gift.priceCents) throw new HttpError(422, "amount_below_gift_price", `A month is at least the gift's price (${gift.priceCents} cents)`);
  if (row.provider === "stripe" && row.stripeSubscriptionId) {
    if (!deps.stripe) throw new HttpError(409, "payments_unavailable", "Stripe is not configured on this server");
    try {
      const subscription = await deps.stripe.subscriptions.retrieve(row.stripeSubscriptionId);
      const item = subscription.items.data[0];
      if (!item) throw new Error("the subscription has no item");
      const product = typeof item.price.product === "string" ? item.price.product : item.price.product.id;
      await deps.stripe.subscriptions.update(row.stripeSubscriptionId, {
        items: [{ id: item.id, price_data: { currency: row.currency.toLowerCase(), product, unit_amount: amountCents, recurring: { interval: "month" } } }],
        proration_behavior: "none",
      });
    } catch (err) {
      throw new HttpError(502, "payment_provider_error", `The payment provider refused the change: ${(err as Error).message}`);
    }
  }
  await deps.db.update(monthlyGifts).set({ amountCents }).where(eq(monthlyGifts.id, row.id));
}

/** A Stripe Customer Portal session for the caller's monthly gifts (real keys only). */
export async function portalUrl(deps: MonthlyDeps, playerId: string): Promise<string> {
  if (!deps.stripe) throw new HttpError(409, "portal_unavailable", "The Stripe customer portal needs Stripe keys (TEST MODE manages monthly gifts here)");
  const [row] = await deps.db.select({ customer: monthlyGifts.stripeCustomerId }).from(monthlyGifts)
    .where(and(eq(monthlyGifts.playerId, playerId), eq(monthlyGifts.provider, "stripe"), isNotNull(monthlyGifts.stripeCustomerId))).limit(1);
  const customer = row?.customer;
  if (!customer) throw new HttpError(409, "portal_unavailable", "No monthly gift with Stripe yet");
  try {
    const session = await deps.stripe.billingPortal.sessions.create({ customer, return_url: `${deps.publicUrl()}${MONTHLY_RETURN_PATH}` });
    return session.url;
  } catch (err) {
    throw new HttpError(502, "payment_provider_error", `The payment provider refused the portal: ${(err as Error).message}`);
  }
}
