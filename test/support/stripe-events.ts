/** Builds Stripe events and signs them exactly as Stripe does, for webhook tests. */
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { TEST_WEBHOOK_SECRET } from "./server.ts";

export function checkoutCompletedEvent(session: { id: string; orderId: string; amountTotal: number; currency?: string; paymentStatus?: string }) {
  return {
    id: `evt_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "checkout.session.completed",
    data: {
      object: {
        id: session.id, object: "checkout.session", mode: "payment", status: "complete",
        payment_status: session.paymentStatus ?? "paid", amount_total: session.amountTotal,
        currency: session.currency ?? "eur", metadata: { orderId: session.orderId },
        client_reference_id: session.orderId, payment_intent: `pi_${randomBytes(8).toString("hex")}`,
      },
    },
  };
}

export function sign(payload: string, secret = TEST_WEBHOOK_SECRET): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret });
}

/** POSTs a payload to the webhook with the given signature header. */
export async function deliver(baseUrl: string, payload: string, signature: string | null) {
  const res = await fetch(`${baseUrl}/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as { outcome?: string; error?: { code: string } } };
}
