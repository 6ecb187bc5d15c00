/**
 * The setting of the Connect money tests: the real server with Stripe keys on the
 * loopback stand-in, two approved NGOs with their own (stand-in) Stripe accounts
 * that can take charges — the demo NGO with the seeded catalog, and a second one
 * with one 8 € gift — a guest, and helpers to order, pay, refund and dispute as
 * Stripe would, then let the transfers outbox finish.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import type { Db } from "../../server/db/connect.ts";
import { ngos, ngoTransfers, orders } from "../../server/db/schema.ts";
import { demoNgoId, insertNgoWithGift } from "./ngo.ts";
import { startTestServer, type TestServer } from "./server.ts";
import { chargeObject, disputeObject, send, sessionObject, stripeEvent, type PaidSession } from "./stripe-events.ts";
import { startStripeStandIn, type StripeStandIn } from "./stripe-stand-in.ts";
import type { TestDatabase } from "./database.ts";

export interface MoneyNgo { id: string; account: string }

export interface MoneyWorld {
  server: TestServer;
  stripe: StripeStandIn;
  guest: SessionResponse;
  db(): Db;
  /** The demo NGO (gifts by slug) and a second NGO with one gift (otherGiftId, 8 €). */
  demo: MoneyNgo;
  other: MoneyNgo & { giftId: string };
  giftId(slug: string): string;
  /** A pending order of [giftId, quantity] lines. */
  order(lines: Array<[string, number]>, supportCents?: number): Promise<PaidSession>;
  /** Stripe takes the payment (stand-in), then the signed checkout.session.completed arrives; transfers are made. */
  pay(s: PaidSession): Promise<string | undefined>;
  /** Stripe refunds up to `cumulative` cents, then the signed charge.refunded arrives. */
  refund(s: PaidSession, cumulative: number): Promise<string | undefined>;
  /** A dispute opened and then lost (signed events). */
  loseDispute(s: PaidSession, amount: number): Promise<string | undefined>;
  /** Waits until the transfers outbox has nothing running. */
  settle(): Promise<void>;
  rows(s: PaidSession): Promise<Array<typeof ngoTransfers.$inferSelect>>;
  /** Stops the server (keeping its database) and starts another on it. */
  restart(): Promise<void>;
}

/** Fast sweeps and retries, so the tests see the sweeper work. */
export const FAST_TRANSFERS = { sweepEveryMs: 150, retryBaseMs: 50, claimMs: 5_000 };

export async function startMoneyWorld(opts: { database?: TestDatabase } = {}): Promise<MoneyWorld> {
  const stripe = await startStripeStandIn();
  const env = { STRIPE_SECRET_KEY: "sk_test_hameau_standin", STRIPE_API_BASE: stripe.url };
  let server = await startTestServer({ env, transfers: FAST_TRANSFERS, ...(opts.database ? { database: opts.database } : {}) });
  const db = () => server.hameau.database.db;
  const demoId = await demoNgoId(server);
  const second = await insertNgoWithGift(server, { name: `Puits ${randomBytes(3).toString("hex")}`, projectName: "Puits", giftName: "Seau", priceCents: 800 });
  const demo = { id: demoId, account: `acct_${randomBytes(8).toString("hex")}` };
  const other = { id: second.ngoId, account: `acct_${randomBytes(8).toString("hex")}`, giftId: second.giftId };
  for (const n of [demo, other]) await db().update(ngos).set({ stripeAccountId: n.account, stripeChargesEnabled: true }).where(eq(ngos.id, n.id));
  await server.hameau.catalogChanged([]);
  const guest = await server.guest();
  const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  const giftId = (slug: string) => catalog.gifts.find((g) => g.slug === slug)?.id ?? slug;
  const settle = () => server.hameau.transfers.idle();
  const deliver = async (type: Parameters<typeof stripeEvent>[0], object: Record<string, unknown>) => {
    const outcome = (await send(server.url, stripeEvent(type, object))).body.outcome;
    await settle();
    return outcome;
  };
  return {
    get server() { return server; }, stripe, guest, db, demo, other, giftId, settle,
    async order(lines, supportCents = 0) {
      const body = { lines: lines.map(([id, quantity]) => ({ giftId: id, quantity })), supportCents };
      const res = await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const [row] = await db().select().from(orders).where(eq(orders.id, res.body.orderId));
      return { orderId: res.body.orderId, sessionId: row!.checkoutSessionId!, totalCents: res.body.totalCents, paymentIntentId: `pi_${randomBytes(10).toString("hex")}` };
    },
    async pay(s) {
      stripe.markPaid(s.sessionId, s.paymentIntentId);
      return deliver("checkout.session.completed", sessionObject(s));
    },
    async refund(s, cumulative) {
      const charge = [...stripe.objects.values()].find((o) => o.object === "charge" && o.payment_intent === s.paymentIntentId)!;
      stripe.refund(s.paymentIntentId, cumulative - Number(charge.amount_refunded));
      return deliver("charge.refunded", chargeObject(s, cumulative));
    },
    async loseDispute(s, amount) {
      const { dispute, balanceTransaction } = stripe.dispute(s.paymentIntentId, amount);
      const bts = [{ id: balanceTransaction.id, fee: 1500, currency: "eur" }];
      await deliver("charge.dispute.created", { ...disputeObject(s, dispute.id, "needs_response", amount), balance_transactions: bts });
      stripe.closeDispute(dispute.id, "lost");
      return deliver("charge.dispute.closed", { ...disputeObject(s, dispute.id, "lost", amount), balance_transactions: bts });
    },
    rows: (s) => db().select().from(ngoTransfers).where(eq(ngoTransfers.orderId, s.orderId)),
    async restart() {
      await server.stop({ keepDatabase: true });
      server = await startTestServer({ env, transfers: FAST_TRANSFERS, database: server.database });
    },
  } as MoneyWorld;
}

export function useMoneyWorld(): MoneyWorld {
  const world = {} as MoneyWorld;
  let started: MoneyWorld | undefined;
  beforeAll(async () => {
    started = await startMoneyWorld();
    for (const key of Object.keys(started) as Array<keyof MoneyWorld>) {
      if (key !== "server") Object.defineProperty(world, key, { value: started[key], enumerable: true });
    }
    Object.defineProperty(world, "server", { get: () => started!.server });
  });
  afterAll(async () => {
    await started?.server.stop();
    await started?.stripe.close();
  });
  return world;
}
