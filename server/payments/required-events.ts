/**
 * The Stripe events Hameau needs, per webhook endpoint. One list for the
 * start-up check (with real keys the server reads each endpoint's
 * `enabled_events` and refuses to start when one is missing) and for
 * docs/operations.md. An event handled by the code belongs here.
 */

/** The platform endpoint, `$PUBLIC_URL/webhooks/stripe`: events of Hameau's own account. */
export const PLATFORM_EVENTS = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
  "charge.refunded",
  "charge.refund.updated",
  "refund.failed",
  "charge.dispute.created",
  "charge.dispute.updated",
  "charge.dispute.funds_withdrawn",
  "charge.dispute.closed",
  "transfer.reversed",
] as const;

/** The Connect endpoint, `$PUBLIC_URL/webhooks/stripe/connect`: events of the NGOs' connected accounts (`event.account`). */
export const CONNECT_EVENTS = [
  "account.updated",
  "account.application.deauthorized",
  "payout.paid",
  "payout.failed",
] as const;
