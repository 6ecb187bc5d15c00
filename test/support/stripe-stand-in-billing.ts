/**
 * Stripe Billing in the loopback stand-in: subscriptions (seeded by a test as
 * the ones Checkout made), their retrieval, update (a new price per item) and
 * cancellation, and Customer Portal sessions.
 */
import { randomBytes } from "node:crypto";
import type { StripeObject } from "./stripe-stand-in-store.ts";

export interface BillingStandIn {
  subscriptions: Map<string, StripeObject>;
  /** A subscription as Checkout makes it: one item at this monthly amount. */
  addSubscription(seed: { customer: string; amount: number; currency?: string; metadata?: Record<string, string> }): StripeObject;
  handle(method: string, path: string, form: Record<string, string>, send: (status: number, body: unknown) => void): boolean;
}

export function createBillingStandIn(): BillingStandIn {
  const subscriptions = new Map<string, StripeObject>();
  const missing = (send: (s: number, b: unknown) => void, id: string) =>
    send(404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such subscription: '${id}'` } });
  return {
    subscriptions,
    addSubscription(seed) {
      const id = `sub_${randomBytes(8).toString("hex")}`;
      const now = Math.floor(Date.now() / 1000);
      const sub: StripeObject = {
        id, object: "subscription", created: now, status: "active", customer: seed.customer, metadata: seed.metadata ?? {},
        items: { object: "list", data: [{
          id: `si_${randomBytes(8).toString("hex")}`, object: "subscription_item", quantity: 1, current_period_end: now + 30 * 86400,
          price: { id: `price_${randomBytes(6).toString("hex")}`, object: "price", product: `prod_${randomBytes(6).toString("hex")}`, unit_amount: seed.amount, currency: seed.currency ?? "eur", recurring: { interval: "month" } },
        }] },
      };
      subscriptions.set(id, sub);
      return sub;
    },
    handle(method, path, form, send) {
      if (method === "POST" && path === "/v1/billing_portal/sessions") {
        if (!form.customer) return send(400, { error: { type: "invalid_request_error", message: "Missing required param: customer." } }), true;
        send(200, { id: `bps_${randomBytes(8).toString("hex")}`, object: "billing_portal.session", customer: form.customer, return_url: form.return_url, url: `https://billing.stripe.com/p/session/${randomBytes(8).toString("hex")}` });
        return true;
      }
      const one = /^\/v1\/subscriptions\/([\w-]+)$/.exec(path);
      if (!one) return false;
      const sub = subscriptions.get(one[1]!);
      if (!sub) return missing(send, one[1]!), true;
      if (method === "GET") return send(200, sub), true;
      if (method === "DELETE") {
        sub.status = "canceled";
        return send(200, sub), true;
      }
      if (method === "POST") {
        const items = (sub.items as { data: Array<{ id: string; price: Record<string, unknown> }> }).data;
        const item = items.find((i) => i.id === form["items[0][id]"]);
        if (!item) return send(400, { error: { type: "invalid_request_error", message: "No such subscription item" } }), true;
        if (form["items[0][price_data][product]"] !== item.price.product) return send(400, { error: { type: "invalid_request_error", message: "price_data.product must be the item's product" } }), true;
        item.price = { ...item.price, id: `price_${randomBytes(6).toString("hex")}`, unit_amount: Number(form["items[0][price_data][unit_amount]"]) };
        return send(200, sub), true;
      }
      return false;
    },
  };
}
