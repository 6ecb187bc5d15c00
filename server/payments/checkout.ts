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
import type { Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { orderLines, orders } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { giftLabels, giftsForPricing, type GiftLabel } from "../services/catalog.ts";

export interface CheckoutDeps {
  db: Db;
  stripe: Stripe | null;
  /** Absolute base URL for Stripe's return URLs. */
  publicUrl: () => string;
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
}

export async function startCheckout(deps: CheckoutDeps, input: CheckoutInput): Promise<CheckoutResponse> {
  const gifts = await giftsForPricing(deps.db, input.lines.map((l) => l.giftId));
  const priced = priceBasket(input.lines, gifts, input.supportCents);
  if (!priced.ok) throw new HttpError(422, priced.code, priced.message);
  const basket = priced.basket;
  const provider = deps.stripe ? "stripe" : "test";
  const orderId = await createPendingOrder(deps.db, input, basket, provider);

  if (!deps.stripe) {
    const sessionId = `cs_test_local_${randomBytes(18).toString("base64url")}`;
    await deps.db.update(orders).set({ checkoutSessionId: sessionId }).where(eq(orders.id, orderId));
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
        payment_intent_data: { metadata: { orderId } },
        submit_type: "donate",
        line_items: basket.lines.map((line): Stripe.Checkout.SessionCreateParams.LineItem => {
          const label = labels.get(line.giftId);
          const name = input.locale === "fr" ? label?.nameFr : label?.nameEn;
          const project = input.locale === "fr" ? label?.projectNameFr : label?.projectNameEn;
          const description = [`${project ?? ""} — ${label?.ngoName ?? ""}`.trim(), recipientLine(input.recipientName, input.locale)].filter(Boolean).join(" · ");
          return {
            quantity: line.quantity,
            price_data: {
              currency: basket.currency.toLowerCase(),
              unit_amount: line.unitPriceCents,
              product_data: { name: name ?? "Gift", description, metadata: { giftId: line.giftId } },
            },
          };
        }).concat(basket.supportCents > 0 ? [supportLineItem(basket, labels, input.locale)] : []),
        success_url: `${base}/?order=${orderId}`,
        cancel_url: `${base}/?order=${orderId}&cancelled=1`,
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

async function createPendingOrder(db: Db, input: CheckoutInput, basket: PricedBasket, provider: "stripe" | "test"): Promise<string> {
  return db.transaction(async (tx) => {
    const [order] = await tx
      .insert(orders)
      .values({
        playerId: input.playerId, villageId: input.villageId, showGiverName: input.showGiverName, totalCents: basket.totalCents,
        supportCents: basket.supportCents, currency: basket.currency, provider,
      })
      .returning({ id: orders.id });
    if (!order) throw new Error("order insert returned nothing");
    await tx.insert(orderLines).values(basket.lines.map((l) => ({ orderId: order.id, ...l })));
    return order.id;
  });
}

/** "A gift for X's village", for the payer's own checkout page (null for one's own village). */
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
