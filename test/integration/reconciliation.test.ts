/**
 * Reconciliation against the loopback Stripe stand-in, through the real SDK:
 * a first stretch of time where Hameau and Stripe agree (paid, refunded,
 * disputed, unpaid orders, a TEST MODE order), then a second one seeded with
 * one of each difference, next to more money movements both sides agree on.
 * The clean stretch must report nothing; the whole period must report exactly
 * the seeded differences, with their ids.
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { loadConfig } from "../../server/config.ts";
import { orders } from "../../server/db/schema.ts";
import { reconcile, type Difference } from "../../server/payments/reconciliation.ts";
import { createStripe } from "../../server/payments/stripe.ts";
import { checkoutCompletedEvent, deliver, sign } from "../support/stripe-events.ts";
import { startTestServer, TEST_WEBHOOK_SECRET, type TestServer } from "../support/server.ts";
import { cardFee, startStripeStandIn, type StripeStandIn } from "../support/stripe-stand-in.ts";

const SECRET_KEY = "sk_test_hameau_reconciliation";
const REPO = path.resolve(import.meta.dirname, "../..");
let server: TestServer;
let standIn: StripeStandIn;
let guest: SessionResponse;
let catalog: CatalogResponse;

type Checkout = { orderId: string; sessionId: string; totalCents: number };
type Paid = Checkout & { pi: string; chargeId?: string; btId?: string };

const db = () => server.hameau.database.db;
const stripeClient = () => createStripe(loadConfig({ NODE_ENV: "test", STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_BASE: standIn.url }))!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function checkout(slug: string, quantity = 1): Promise<Checkout> {
  const giftId = catalog.gifts.find((g) => g.slug === slug)!.id;
  const res = await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body: { lines: [{ giftId, quantity }] } });
  expect(res.status).toBe(201);
  const [order] = await db().select().from(orders).where(eq(orders.id, res.body.orderId));
  return { orderId: res.body.orderId, sessionId: order!.checkoutSessionId!, totalCents: res.body.totalCents };
}

/** Pays at Stripe (charge + balance transaction) and/or tells Hameau through a signed webhook. */
async function pay(o: Checkout, opts: { atStripe?: boolean; webhook?: boolean } = {}): Promise<Paid> {
  const event = checkoutCompletedEvent({ id: o.sessionId, orderId: o.orderId, amountTotal: o.totalCents });
  const pi = event.data.object.payment_intent;
  const stripeSide = opts.atStripe === false ? undefined : standIn.markPaid(o.sessionId, pi);
  if (opts.webhook !== false) {
    const payload = JSON.stringify(event);
    expect(await deliver(server.url, payload, sign(payload))).toMatchObject({ status: 200, body: { outcome: "fulfilled" } });
  }
  return { ...o, pi, chargeId: stripeSide?.charge.id, btId: stripeSide?.balanceTransaction.id };
}

/** A signed event of any type about `object`. */
async function sendEvent(type: string, object: Record<string, unknown>) {
  const payload = JSON.stringify({ ...checkoutCompletedEvent({ id: "cs_unused", orderId: randomUUID(), amountTotal: 1 }), type, data: { object } });
  return deliver(server.url, payload, sign(payload));
}

/** The stand-in's dispute as Stripe sends it in the event (with its balance transactions and their fees). */
const sendDispute = (dispute: Record<string, unknown>) =>
  sendEvent(dispute.status === "needs_response" ? "charge.dispute.created" : "charge.dispute.closed", structuredClone(dispute));

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["server/cli/reconcile.ts", ...args], { cwd: REPO, env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let t0: Date;
let split: Date;
let end: Date;
/** The clean stretch's orders: paid, paid and partly refunded, paid and disputed, never paid. */
let clean: { a: Paid; b: Paid; e: Paid; c: Checkout };
const REFUNDED = 400;
const DISPUTED = 3500;
let expected: Array<Partial<Difference> & Pick<Difference, "kind">>;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  server = await startTestServer({ env: { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_API_BASE: standIn.url } });
  guest = await server.guest();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  t0 = new Date(Math.floor(Date.now() / 1000) * 1000);

  // The clean stretch: Hameau and Stripe agree on everything.
  const a = await pay(await checkout("poules", 2));
  const b = await pay(await checkout("arbre-fruitier"));
  const { charge } = standIn.refund(b.pi, REFUNDED);
  const refunded = await sendEvent("charge.refunded", { id: charge.id, object: "charge", payment_intent: b.pi, amount_refunded: REFUNDED, currency: "eur" });
  expect(refunded.body.outcome).toBe("refunded");
  const e = await pay(await checkout("chevre"));
  const { dispute } = standIn.dispute(e.pi, DISPUTED);
  expect((await sendDispute(dispute)).body.outcome).toBe("dispute_opened");
  clean = { a, b, e, c: await checkout("arrosoir") }; // c: started, never paid, which is not a difference
  await db().insert(orders).values({
    playerId: guest.player.id, villageId: guest.villageId, totalCents: 500, currency: "EUR", provider: "test", checkoutSessionId: `cs_test_local_${randomBytes(9).toString("hex")}`,
  });

  // Stripe's `created` is in seconds: start the second stretch on a fresh second.
  split = new Date(Math.ceil((Date.now() + 1) / 1000) * 1000);
  await sleep(split.getTime() - Date.now() + 20);

  const lost = await pay(await checkout("ruche"), { webhook: false }); // paid at Stripe, the webhook never came
  const resized = await checkout("kit-scolaire");
  standIn.sessions.get(resized.sessionId)!.amount_total = resized.totalCents + 100;
  const strangerId = randomUUID();
  const stranger = standIn.addSession({ amount_total: 500, metadata: { orderId: strangerId } });
  const anonymous = standIn.addSession({ amount_total: 700 });
  const refundedAtStripe = await pay(await checkout("poules"));
  const refundAtStripe = standIn.refund(refundedAtStripe.pi, 300); // no charge.refunded webhook
  const orphanCharge = standIn.addCharge({ amount: 1234, paymentIntentId: `pi_orphan_${randomBytes(6).toString("hex")}` });
  const orphan = standIn.addBalanceTransaction({ type: "charge", amount: 1234, fee: cardFee(1234), source: orphanCharge.id });
  const onlyInHameau = await pay(await checkout("sachet-de-graines", 3), { atStripe: false });
  const vanished = await checkout("arrosoir", 2);
  standIn.sessions.delete(vanished.sessionId);
  const dollars = await checkout("arbre-fruitier", 2);
  standIn.sessions.get(dollars.sessionId)!.currency = "usd";
  const disputedAtStripe = await pay(await checkout("chevre"));
  const disputeAtStripe = standIn.dispute(disputedAtStripe.pi, 3500); // no charge.dispute.created webhook

  // More money movements both sides agree on: a later refund and a dispute won on clean orders,
  // and a dispute whose withdrawal Stripe dated well before the period.
  standIn.refund(clean.a.pi, 200);
  const laterRefund = await sendEvent("charge.refunded", { id: clean.a.chargeId, object: "charge", payment_intent: clean.a.pi, amount_refunded: 200, currency: "eur" });
  expect(laterRefund.body.outcome).toBe("refunded");
  standIn.closeDispute(dispute.id, "won");
  expect((await sendDispute(dispute)).body.outcome).toBe("dispute_won");
  const disputedEarlier = await pay(await checkout("arrosoir"));
  const early = standIn.dispute(disputedEarlier.pi, 300);
  early.balanceTransaction.created = Math.floor(t0.getTime() / 1000) - 3600;
  expect((await sendDispute(early.dispute)).body.outcome).toBe("dispute_opened");
  end = new Date(Date.now() + 60_000);

  expected = [
    { kind: "session_paid_order_not_paid", orderId: lost.orderId, sessionId: lost.sessionId, paymentIntentId: lost.pi, stripe: "paid", hameau: "pending" },
    { kind: "balance_missing_in_ledger", orderId: lost.orderId, paymentIntentId: lost.pi, chargeId: lost.chargeId, balanceTransactionIds: [lost.btId!] },
    { kind: "amount_mismatch", orderId: resized.orderId, sessionId: resized.sessionId, stripe: resized.totalCents + 100, hameau: resized.totalCents },
    { kind: "session_unknown", sessionId: stranger.id, orderId: strangerId },
    { kind: "session_unknown", sessionId: anonymous.id },
    {
      kind: "refund_mismatch", orderId: refundedAtStripe.orderId, paymentIntentId: refundedAtStripe.pi, chargeId: refundedAtStripe.chargeId,
      balanceTransactionIds: [refundAtStripe.balanceTransaction.id], stripe: 300, hameau: 0,
    },
    { kind: "balance_missing_in_ledger", chargeId: orphanCharge.id, balanceTransactionIds: [orphan.id], stripe: 1234 },
    { kind: "order_paid_session_not_paid", orderId: onlyInHameau.orderId, sessionId: onlyInHameau.sessionId, stripe: "unpaid", hameau: "paid" },
    { kind: "ledger_missing_at_stripe", orderId: onlyInHameau.orderId, paymentIntentId: onlyInHameau.pi, hameau: onlyInHameau.totalCents },
    { kind: "order_missing_at_stripe", orderId: vanished.orderId, sessionId: vanished.sessionId },
    { kind: "currency_mismatch", orderId: dollars.orderId, sessionId: dollars.sessionId, stripe: "usd", hameau: "EUR" },
    {
      kind: "dispute_mismatch", orderId: disputedAtStripe.orderId, paymentIntentId: disputedAtStripe.pi,
      balanceTransactionIds: [disputeAtStripe.balanceTransaction.id], ledgerTransactionIds: [], stripe: 3500, hameau: 0,
    },
  ];
  // Small pages, so the SDK's auto-pagination really turns pages.
  standIn.maxPageSize = 2;
});
afterAll(async () => {
  await server?.stop();
  await standIn?.close();
});

describe("reconcile()", () => {
  it("finds no difference where Hameau and Stripe agree, and totals both sides", async () => {
    const report = await reconcile({ db: db(), stripe: stripeClient(), from: t0, to: split });
    expect(report.differences).toEqual([]);
    expect(report.counts).toMatchObject({ stripeSessions: 4, stripeOrders: 4, ordersCompared: 4, skippedTestOrders: 1, balanceTransactions: 5 });
    const { a, b, e } = clean;
    const gross = a.totalCents + b.totalCents + e.totalCents;
    const cardFees = cardFee(a.totalCents) + cardFee(b.totalCents) + cardFee(e.totalCents);
    const fees = cardFees + 1500; // plus Stripe's dispute fee, booked from the dispute event

    expect(report.totals).toEqual({
      EUR: {
        stripeGross: gross, stripeFees: fees, stripeRefunds: REFUNDED, stripeDisputes: DISPUTED, stripeNet: gross - fees - REFUNDED - DISPUTED,
        ledgerDonations: gross, ledgerRefunds: REFUNDED, ledgerDisputes: DISPUTED, ledgerFees: fees,
      },
    });
  });

  it("reports every seeded difference with its kind and ids, and nothing about the matching orders", async () => {
    const report = await reconcile({ db: db(), stripe: stripeClient(), from: t0, to: end });
    for (const difference of expected) expect(report.differences).toContainEqual(expect.objectContaining(difference));
    expect(report.differences).toHaveLength(expected.length);
    const cleanIds = [clean.a, clean.b, clean.e, clean.c].map((o) => o.orderId);
    expect(report.differences.filter((d) => d.orderId && cleanIds.includes(d.orderId))).toEqual([]);
    expect(report.counts).toMatchObject({ stripeSessions: 13, sessionsFetchedById: 1, stripeOrders: 12, ordersCompared: 11, skippedTestOrders: 1 });
    // The paginated requests carried the period and asked for the sources.
    const listed = standIn.requests.filter((r) => r.method === "GET" && r.path.startsWith("/v1/balance_transactions"));
    expect(listed.length).toBeGreaterThan(1);
    expect(decodeURIComponent(listed[1]!.path)).toMatch(/expand\[0\]=data\.source.*starting_after=txn_/);
  });

  it("finds a payment's charge and disputes outside a narrow window (charges.list, disputes.list)", async () => {
    const report = await reconcile({ db: db(), stripe: stripeClient(), from: split, to: end, marginDays: 0 });
    for (const difference of expected) expect(report.differences).toContainEqual(expect.objectContaining(difference));
    expect(report.differences).toHaveLength(expected.length);
    const paths = standIn.requests.map((r) => decodeURIComponent(r.path));
    expect(paths).toContainEqual(expect.stringMatching(`^/v1/charges\\?payment_intent=${clean.a.pi}`));
    expect(paths).toContainEqual(expect.stringMatching(/^\/v1\/disputes\?payment_intent=pi_/));
  });

  it("refuses a period that ends before it starts", async () => {
    await expect(reconcile({ db: db(), stripe: stripeClient(), from: end, to: t0 })).rejects.toThrow(RangeError);
  });
});

describe("the reconcile command", () => {
  it("exits 2 on usage errors and without STRIPE_SECRET_KEY", async () => {
    expect((await runCli(["--from", "2026-11-01"])).code).toBe(2);
    expect((await runCli(["--from", "2026-11-31", "--to", "2026-12-01"])).code).toBe(2);
    const noKey = await runCli(["--from", "2026-11-01", "--to", "2026-12-01"]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("reconciliation needs STRIPE_SECRET_KEY");
  });

  describe.runIf(inject("dbKind") === "postgres")("against the same PostgreSQL database", () => {
    const env = () => {
      const target = server.database.target;
      if (target.kind !== "postgres") throw new Error("PostgreSQL only");
      return {
        DATABASE_URL: target.url, STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        STRIPE_API_BASE: standIn.url,
      };
    };

    it("exits 1 and names every difference", async () => {
      const run = await runCli(["--from", t0.toISOString(), "--to", end.toISOString()], env());
      expect(run.stderr).toBe("");
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`${expected.length} difference(s)`);
      for (const d of expected) {
        expect(run.stdout).toContain(d.kind);
        for (const id of [d.orderId, d.sessionId, ...(d.balanceTransactionIds ?? [])]) if (id) expect(run.stdout).toContain(id);
      }
    });

    it("exits 0 with an empty list on a clean period (--json)", async () => {
      const run = await runCli(["--from", t0.toISOString(), "--to", split.toISOString(), "--json"], env());
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ differences: [], counts: { ordersCompared: 4, skippedTestOrders: 1 } });
    });
  });
});
