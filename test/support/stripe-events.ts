/** Builds Stripe events and signs them exactly as Stripe does, for webhook tests. */
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
/** The webhook secret every test server and the bench use. */
export const TEST_WEBHOOK_SECRET = "whsec_test_hameau_integration_secret";
/** The Connect webhook secret every test server uses. */
export const TEST_CONNECT_WEBHOOK_SECRET = "whsec_test_hameau_connect_secret";

export function checkoutCompletedEvent(session: { id: string; orderId: string; amountTotal: number; currency?: string; paymentStatus?: string }) {
  return stripeEvent("checkout.session.completed", {
    id: session.id, object: "checkout.session", mode: "payment", status: "complete",
    payment_status: session.paymentStatus ?? "paid", amount_total: session.amountTotal,
    currency: session.currency ?? "eur", metadata: { orderId: session.orderId },
    client_reference_id: session.orderId, payment_intent: `pi_${randomBytes(8).toString("hex")}`,
  });
}

export function sign(payload: string, secret = TEST_WEBHOOK_SECRET): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret });
}

/** POSTs a payload to the webhook with the given signature header. */
export async function deliver(baseUrl: string, payload: string, signature: string | null, path = "/webhooks/stripe") {
  const res = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as { outcome?: string; error?: { code: string } } };
}

type EventType =
  | "checkout.session.completed" | "checkout.session.async_payment_succeeded" | "checkout.session.async_payment_failed"
  | "checkout.session.expired" | "charge.refunded" | "charge.refund.updated" | "refund.failed"
  | "charge.dispute.created" | "charge.dispute.updated" | "charge.dispute.funds_withdrawn" | "charge.dispute.closed";

/** Any event of the types Hameau acts on, around a given data object; `created` (epoch seconds) defaults to now. */
export function stripeEvent<T extends Record<string, unknown>>(type: EventType, object: T, created = Math.floor(Date.now() / 1000)) {
  return {
    id: `evt_${randomBytes(12).toString("hex")}`, object: "event", api_version: Stripe.API_VERSION,
    created, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null },
    type, data: { object },
  };
}

export interface PaidSession {
  sessionId: string;
  orderId: string;
  totalCents: number;
  paymentIntentId: string;
}

export function sessionObject(s: PaidSession, paymentStatus: "paid" | "unpaid" = "paid", status = "complete") {
  return {
    id: s.sessionId, object: "checkout.session", mode: "payment", status, payment_status: paymentStatus,
    amount_total: s.totalCents, currency: "eur", metadata: { orderId: s.orderId }, client_reference_id: s.orderId,
    payment_intent: s.paymentIntentId,
  };
}

export function chargeObject(s: PaidSession, amountRefunded: number) {
  return {
    id: `ch_${s.paymentIntentId.slice(3)}`, object: "charge", amount: s.totalCents, amount_refunded: amountRefunded,
    refunded: amountRefunded === s.totalCents, currency: "eur", payment_intent: s.paymentIntentId, status: "succeeded",
  };
}

/** A Refund object (refund.failed, charge.refund.updated); `created` in epoch seconds. */
export function refundObject(s: PaidSession, refundId: string, amount: number, status: string, created = Math.floor(Date.now() / 1000)) {
  return {
    id: refundId, object: "refund", amount, currency: "eur", charge: `ch_${s.paymentIntentId.slice(3)}`, payment_intent: s.paymentIntentId, status, created,
    ...(status === "failed" ? { failure_reason: "expired_or_canceled_card" } : {}),
  };
}

export function disputeObject(s: PaidSession, disputeId: string, status: string, amount = s.totalCents) {
  return { id: disputeId, object: "dispute", amount, currency: "eur", charge: `ch_${s.paymentIntentId.slice(3)}`, payment_intent: s.paymentIntentId, status };
}

/** Signs with the Connect secret and delivers an event of a connected account to the Connect endpoint. */
export async function sendConnect(baseUrl: string, event: { id: string }) {
  const payload = JSON.stringify(event);
  return deliver(baseUrl, payload, sign(payload, TEST_CONNECT_WEBHOOK_SECRET), "/webhooks/stripe/connect");
}

/** Signs and delivers an event object; returns the webhook's outcome. */
export async function send(baseUrl: string, event: { id: string }) {
  const payload = JSON.stringify(event);
  return deliver(baseUrl, payload, sign(payload));
}
