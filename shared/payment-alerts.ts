/**
 * Payment alerts (platform administrators only): verified Stripe events that
 * do not match what Hameau holds — a payment whose amount, currency or
 * session differs from its order, a refund or dispute in another currency or
 * above the payment. They are never silently acknowledged: stored, logged at
 * error, listed in the console (GET /api/admin/payment-alerts), reported by
 * `npm run reconcile` while open, and resolved by an administrator once
 * looked into (POST /api/admin/payment-alerts/:id/resolve).
 */
import { z } from "zod";

export const PAYMENT_ALERT_KINDS = ["session_mismatch", "amount_mismatch", "currency_mismatch"] as const;
export type PaymentAlertKind = (typeof PAYMENT_ALERT_KINDS)[number];

export interface PaymentAlertView {
  id: string;
  kind: PaymentAlertKind;
  stripeEventId: string;
  eventType: string;
  /** The order the event names (null when it names none Hameau knows). */
  orderId: string | null;
  /** What Stripe said and what Hameau holds: amounts in cents, currencies, ids. Never card data. */
  stripe: { amountCents: number | null; currency: string | null; id: string | null };
  hameau: { amountCents: number | null; currency: string | null; id: string | null };
  /** ISO date-times. */
  createdAt: string;
  resolvedAt: string | null;
}

/** GET /api/admin/payment-alerts?status=open|resolved|all (default open). */
export const PaymentAlertsQuery = z.object({
  status: z.enum(["open", "resolved", "all"], { error: "status must be open, resolved or all" }).default("open"),
});

export interface PaymentAlertsResponse {
  alerts: PaymentAlertView[];
  /** How many alerts are open (whatever the filter). */
  open: number;
}

export interface PaymentAlertResolveResponse {
  alert: PaymentAlertView;
}
