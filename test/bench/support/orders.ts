/**
 * Setup (not measured): guests, then N pending orders with mixed baskets,
 * through the real API, and the signed checkout.session.completed events
 * that pay them.
 *
 * POST /api/checkout is rate-limited per client IP (60 a minute). On Linux
 * the whole 127.0.0.0/8 block is loopback, so the setup spreads its
 * requests over source addresses 127.0.0.2… (ORDERS_PER_ADDRESS each) to
 * stay under the limit without touching the server.
 */
import Stripe from "stripe";
import { checkoutCompletedEvent } from "../../support/stripe-events.ts";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../../shared/api.ts";
import { createJsonClient, type PreparedRequest } from "./load.ts";

export const ORDERS_PER_ADDRESS = 50;
const FIRST_HOST = 2;
const LAST_HOST = 254;
export const MAX_ORDERS = (LAST_HOST - FIRST_HOST + 1) * ORDERS_PER_ADDRESS;

export interface PendingOrder {
  orderId: string;
  sessionId: string;
  totalCents: number;
  currency: string;
  /** Units in the basket: the village items its payment must grant. */
  units: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so runs buy the same baskets. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `task(i)` for i in [0, count) with at most `limit` in flight. */
export async function pool<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) out[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return out;
}

export async function prepareOrders(
  baseUrl: string,
  opts: { orders: number; guests: number; seed: number; parallel?: number },
): Promise<PendingOrder[]> {
  if (opts.orders > MAX_ORDERS) throw new Error(`at most ${MAX_ORDERS} orders (${ORDERS_PER_ADDRESS} per loopback source address)`);
  const client = createJsonClient(baseUrl, opts.parallel ?? 16);
  try {
    const guests = await pool(opts.guests, 8, async (i) => {
      // Guest creation is limited too (1,000 a minute per IP outside production).
      const localAddress = `127.0.0.${FIRST_HOST + (Math.floor(i / 500) % (LAST_HOST - FIRST_HOST + 1))}`;
      const res = await client.call<SessionResponse>("POST", "/api/session/guest", { localAddress });
      if (res.status !== 201) throw new Error(`POST /api/session/guest answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    });
    const catalog = await client.call<CatalogResponse>("GET", "/api/catalog");
    const gifts = catalog.body.gifts ?? [];
    if (catalog.status !== 200 || gifts.length === 0) throw new Error(`GET /api/catalog answered ${catalog.status} with no gifts (SEED_DEMO?)`);
    const random = prng(opts.seed);
    const pick = (n: number) => Math.floor(random() * n);
    // Baskets: 1–3 different gifts, 1–3 of each (at most 4,500 €: under the 10,000 € order cap).
    const baskets = Array.from({ length: opts.orders }, () => {
      const lines = new Map<string, number>();
      const wanted = 1 + pick(3);
      for (let k = 0; k < wanted; k++) {
        const gift = gifts[pick(gifts.length)];
        if (gift) lines.set(gift.id, Math.min(3, (lines.get(gift.id) ?? 0) + 1 + pick(2)));
      }
      return [...lines].map(([giftId, quantity]) => ({ giftId, quantity }));
    });
    return await pool(opts.orders, opts.parallel ?? 16, async (i) => {
      const guest = guests[i % guests.length];
      const lines = baskets[i];
      if (!guest || !lines) throw new Error("unreachable: no guest or basket");
      const localAddress = `127.0.0.${FIRST_HOST + Math.floor(i / ORDERS_PER_ADDRESS)}`;
      const res = await client.call<CheckoutResponse>("POST", "/api/checkout", { body: { lines, locale: i % 2 ? "en" : "fr" }, token: guest.token, localAddress });
      if (res.status === 429) throw new Error("POST /api/checkout answered 429: the per-IP rate limit changed? (see ORDERS_PER_ADDRESS)");
      if (res.status !== 201) throw new Error(`POST /api/checkout answered ${res.status}: ${JSON.stringify(res.body)}`);
      const m = /\/checkout\/test\/([^/?#]+)/.exec(res.body.checkoutUrl);
      if (!m?.[1]) throw new Error(`no test checkout session in ${res.body.checkoutUrl} (is STRIPE_SECRET_KEY set?)`);
      return {
        orderId: res.body.orderId, sessionId: m[1], totalCents: res.body.totalCents, currency: res.body.currency,
        units: lines.reduce((sum, l) => sum + l.quantity, 0),
      };
    });
  } finally {
    client.close();
  }
}

/** One checkout.session.completed event per order, shaped as Stripe sends it (the tests' builder). */
export function completedEvents(orders: readonly PendingOrder[]): string[] {
  return orders.map((o) => JSON.stringify(checkoutCompletedEvent({ id: o.sessionId, orderId: o.orderId, amountTotal: o.totalCents, currency: o.currency.toLowerCase() })));
}

export function signDeliveries(payloads: readonly string[], secret: string): PreparedRequest[] {
  return payloads.map((payload) => ({
    body: Buffer.from(payload, "utf8"),
    headers: {
      "content-type": "application/json; charset=utf-8",
      "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret }),
      "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    },
  }));
}

/** Fisher–Yates with the seeded generator. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = prng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
