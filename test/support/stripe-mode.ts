/**
 * The usual setting of a payments test: the real server with Stripe keys,
 * talking to the loopback Stripe stand-in, one guest, the catalog, and a way
 * to open pending orders as Stripe would know them.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import type { Db } from "../../server/db/connect.ts";
import { orders } from "../../server/db/schema.ts";
import type { PaidSession } from "./stripe-events.ts";
import { startTestServer, type TestServer } from "./server.ts";
import { startStripeStandIn, type StripeStandIn } from "./stripe-stand-in.ts";

export interface StripeMode {
  server: TestServer;
  stripe: StripeStandIn;
  guest: SessionResponse;
  catalog: CatalogResponse;
  db(): Db;
  giftId(slug: string): string;
  /** A pending order for [slug, quantity] lines, with its session id and a payment intent id to use in events. */
  order(lines: Array<[string, number]>, supportCents?: number): Promise<PaidSession>;
  stop(): Promise<void>;
}

export async function startStripeMode(): Promise<StripeMode> {
  const stripe = await startStripeStandIn();
  const server = await startTestServer({ env: { STRIPE_SECRET_KEY: "sk_test_hameau_standin", STRIPE_API_BASE: stripe.url } });
  const guest = await server.guest();
  const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  const db = () => server.hameau.database.db;
  const giftId = (slug: string) => {
    const gift = catalog.gifts.find((g) => g.slug === slug);
    if (!gift) throw new Error(`no gift ${slug} in the catalog`);
    return gift.id;
  };
  return {
    server, stripe, guest, catalog, db, giftId,
    async order(lines, supportCents = 0) {
      const body = { lines: lines.map(([slug, quantity]) => ({ giftId: giftId(slug), quantity })), supportCents };
      const res = await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body });
      expect(res.status).toBe(201);
      const [row] = await db().select().from(orders).where(eq(orders.id, res.body.orderId));
      return { orderId: res.body.orderId, sessionId: row!.checkoutSessionId!, totalCents: res.body.totalCents, paymentIntentId: `pi_${randomBytes(10).toString("hex")}` };
    },
    async stop() {
      await server.stop();
      await stripe.close();
    },
  };
}

/** Starts a Stripe-mode world before the file's tests and stops it after; its fields are set once they run. */
export function useStripeMode(): StripeMode {
  const world = {} as StripeMode;
  beforeAll(async () => {
    Object.assign(world, await startStripeMode());
  });
  afterAll(async () => {
    await world.stop?.();
  });
  return world;
}
