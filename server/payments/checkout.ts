/**
 * Starting a checkout: price the basket from the database, store a pending
 * order, then open a Stripe Checkout Session (or, without Stripe keys, a
 * local TEST MODE session). The client never states a price.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { CheckoutResponse } from "../../shared/api.ts";
import { priceBasket, type PricedBasket } from "../../shared/basket.ts";
import { CHECKOUT_VALIDITY_MS } from "../../shared/gift-offer.ts";
import type { Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { orderLines, orders } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { recordOrderReferral } from "../services/referrals.ts";
import type { Referral } from "../../shared/share.ts";
import type { Dedication } from "../../shared/dedications.ts";
import { insertDedication } from "../services/dedications.ts";
import { giftLabels, lockGiftsForPricing, type GiftLabel } from "../services/catalog.ts";
import { paymentIntentRouting, routeCharge, type ChargeRouting } from "./charge-routing.ts";

export interface CheckoutDeps {
  db: Db;
  stripe: Stripe | null;
  /** Absolute base URL for Stripe's return URLs. */
  publicUrl: () => string;
  /** The clock for availability windows (epoch ms): Date.now unless a test moves time. */
  now?: () => number;
  /** Told after a checkout of a gift with a stock limit committed: what is left changed for every shop. */
  stockChanged?: (giftIds: string[]) => void;
}

export interface CheckoutInput {
  playerId: string;
  /** The village the gifts go to: the buyer's own, or one checked by services/gift-recipients.ts. */
  villageId: string;
  /** For a gift into someone else's village: its owner's name (shown to the payer only), else null. */
  recipientName: string | null;
  /** The giver allowed their name with a gift to someone else (false for one's own village). */
  showGiverName: boolean;
  lines: Array<{ giftId: string; quantity: number }>;
  supportCents: number;
  locale: Locale;
  /** The buyer has no account: guests never hold the last units of a limited gift (shared/gift-offer.ts). */
  guest: boolean;
  /** The shared link the buyer came from, if the browser kept one (kept with the order; counted when paid). */
  referral?: Referral | null;
  /** Given through this fundraiser (checked by services/fundraisers.ts before), or null. */
  fundraiserId?: string | null;
  /** Dedicated "in honour of" someone (checked by services/dedications.ts before), or null. */
  dedication?: Dedication | null;
}

export async function startCheckout(deps: CheckoutDeps, input: CheckoutInput): Promise<CheckoutResponse> {
  const provider = deps.stripe ? "stripe" : "test";
  // TEST MODE: the local session's id is written with the order (one statement fewer than an update after).
  const sessionId = deps.stripe ? null : `cs_test_local_${randomBytes(18).toString("base64url")}`;
  const { orderId, basket, charge, limited } = await createPendingOrder(deps, input, provider, sessionId);
  const giftIds = basket.lines.map((l) => l.giftId);
  // Whether a gift has a stock limit was read with the locked rows: no query of its own.
  if (deps.stockChanged && limited) deps.stockChanged(giftIds);

  if (!deps.stripe) {
    return { orderId, checkoutUrl: `/checkout/test/${sessionId}?lang=${input.locale}`, totalCents: basket.totalCents, currency: basket.currency, testMode: true };
  }

  const labels = await giftLabels(deps.db, basket.lines.map((l) => l.giftId));
  const base = deps.publicUrl();
  let session: Stripe.Checkout.Session;
  try {
    session = await deps.stripe.checkout.sessions.create(
      {
        mode: "payment",
        locale: input.locale,
        client_reference_id: orderId,
        metadata: { orderId },
        payment_intent_data: { metadata: { orderId }, ...paymentIntentRouting(orderId, charge) },
        submit_type: "donate",
        // The units of a limited stock are held for this long (shared/gift-offer.ts), so the session must not outlive it.
        expires_at: Math.floor((Date.now() + CHECKOUT_VALIDITY_MS) / 1000),
        line_items: basket.lines.map((line): Stripe.Checkout.SessionCreateParams.LineItem => {
          const label = labels.get(line.giftId);
          const name = input.locale === "fr" ? label?.nameFr : label?.nameEn;
          const project = input.locale === "fr" ? label?.projectNameFr : label?.projectNameEn;
          // Stripe is told it is a gift for someone else, never whose village: the recipient gave no consent to share their name.
          const forSomeoneElse = input.recipientName ? (input.locale === "fr" ? "Cadeau pour le village d'un ami" : "A gift for a friend's village") : "";
          const description = [`${project ?? ""} — ${label?.ngoName ?? ""}`.trim(), forSomeoneElse].filter(Boolean).join(" · ");
          return {
            quantity: line.quantity,
            price_data: {
              currency: basket.currency.toLowerCase(),
              unit_amount: line.unitPriceCents,
              product_data: { name: name ?? "Gift", description, metadata: { giftId: line.giftId } },
            },
          };
        }).concat(basket.supportCents > 0 ? [supportLineItem(basket, labels, input.locale)] : []),
        success_url: `${base}${orderReturnPath(orderId, input.villageId)}`,
        cancel_url: `${base}${orderReturnPath(orderId, input.villageId)}&cancelled=1`,
      },
      { idempotencyKey: `hameau-checkout-${orderId}` },
    );
  } catch (err) {
    await deps.db.update(orders).set({ status: "expired" }).where(eq(orders.id, orderId));
    throw new HttpError(502, "payment_provider_error", `The payment provider refused the checkout: ${(err as Error).message}`);
  }
  if (!session.url) throw new HttpError(502, "payment_provider_error", "The payment provider returned no checkout URL");
  await deps.db.update(orders).set({ checkoutSessionId: session.id }).where(eq(orders.id, orderId));
  return { orderId, checkoutUrl: session.url, totalCents: basket.totalCents, currency: basket.currency, testMode: false };
}

/**
 * Prices the basket and stores the pending order in one transaction, under a
 * row lock on each gift: of two buyers of the last unit, the second waits,
 * then counts the first one's order and is refused (gift_sold_out). A gift
 * whose NGO's Stripe account cannot take charges is refused (409
 * ngo_payments_unavailable). A refusal rolls back, so nothing is written.
 */
async function createPendingOrder(
  deps: CheckoutDeps, input: CheckoutInput, provider: "stripe" | "test", sessionId: string | null,
): Promise<{ orderId: string; basket: PricedBasket; charge: ChargeRouting; limited: boolean }> {
  return deps.db.transaction(async (tx) => {
    const gifts = await lockGiftsForPricing(tx, input.lines.map((l) => l.giftId), (deps.now ?? Date.now)(), { playerId: input.playerId, guest: input.guest });
    const priced = priceBasket(input.lines, gifts, input.supportCents);
    if (!priced.ok) throw new HttpError(422, priced.code, priced.message);
    const basket = priced.basket;
    const paymentsOff = basket.lines.find((l) => gifts.get(l.giftId)?.paymentsOff);
    if (paymentsOff) {
      throw new HttpError(409, "ngo_payments_unavailable", `Gift ${paymentsOff.giftId} is not offered: its NGO cannot take payments yet`);
    }
    // The NGOs' Stripe accounts were read with the locked gifts (the same join): no query of their own.
    const charge = routeCharge(basket.lines.map((l) => {
      const g = gifts.get(l.giftId)!;
      return { id: g.ngoId, account: g.ngoStripeAccount, chargesEnabled: g.ngoChargesEnabled };
    }), provider);
    const [order] = await tx
      .insert(orders)
      .values({
        playerId: input.playerId, villageId: input.villageId, showGiverName: input.showGiverName, totalCents: basket.totalCents,
        supportCents: basket.supportCents, currency: basket.currency, provider, chargeMode: charge.mode,
        fundraiserId: input.fundraiserId ?? null, checkoutSessionId: sessionId,
      })
      .returning({ id: orders.id });
    if (!order) throw new Error("order insert returned nothing");
    await tx.insert(orderLines).values(basket.lines.map((l) => ({ orderId: order.id, ...l })));
    await recordOrderReferral(tx, order.id, input.referral);
    if (input.dedication) await insertDedication(tx, order.id, input.playerId, input.dedication, input.locale);
    const limited = basket.lines.some((l) => gifts.get(l.giftId)?.stockLeft !== null);
    return { orderId: order.id, basket, charge, limited };
  });
}

/**
 * Where the payer comes back after checkout: the order, and the village the gifts went to, so a
 * player who gave from a friend's village comes back there to watch it arrive.
 */
export function orderReturnPath(orderId: string, villageId: string): string {
  return `/?order=${orderId}&village=${villageId}`;
}

/** "A gift for X's village", for the payer's own TEST MODE checkout page ("" for one's own village). */
export function recipientLine(recipientName: string | null, locale: Locale): string {
  if (!recipientName) return "";
  return locale === "fr" ? `Cadeau pour le village de ${recipientName}` : `A gift for ${recipientName}'s village`;
}

/** The free "support the project" amount, as its own Stripe line, for the basket's main project. */
function supportLineItem(basket: PricedBasket, labels: Map<string, GiftLabel>, locale: Locale): Stripe.Checkout.SessionCreateParams.LineItem {
  const main = [...basket.lines].sort((a, b) => b.lineTotalCents - a.lineTotalCents)[0];
  const label = main ? labels.get(main.giftId) : undefined;
  const project = locale === "fr" ? label?.projectNameFr : label?.projectNameEn;
  return {
    quantity: 1,
    price_data: {
      currency: basket.currency.toLowerCase(),
      unit_amount: basket.supportCents,
      product_data: {
        name: locale === "fr" ? "Soutien en plus au projet" : "Extra support for the project",
        description: `${project ?? ""} — ${label?.ngoName ?? ""}`,
      },
    },
  };
}
