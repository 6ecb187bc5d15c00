/**
 * A validly signed event that does not match its order is never silently
 * acknowledged: a payment with another amount, currency or session, a refund
 * or dispute in another currency or above the payment. Each leaves the order
 * as it was, is logged at error, stored once as a payment alert, listed to
 * platform administrators only, and reported by reconciliation until resolved.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse } from "../../shared/api.ts";
import type { PaymentAlertResolveResponse, PaymentAlertsResponse } from "../../shared/payment-alerts.ts";
import { orders } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { loadConfig } from "../../server/config.ts";
import { reconcile } from "../../server/payments/reconciliation.ts";
import { createStripe } from "../../server/payments/stripe.ts";
import { makeTestPlatformAdmin } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, disputeObject, send, sessionObject, stripeEvent, TEST_WEBHOOK_SECRET } from "../support/stripe-events.ts";
import { useStripeMode } from "../support/stripe-mode.ts";

const world = useStripeMode();
afterEach(async () => {
  expect(await checkLedger(world.db())).toEqual([]);
});

const outcomeOf = async (event: { id: string }) => (await send(world.server.url, event)).body.outcome;
async function alerts(token: string, status = "open") {
  return world.server.api<PaymentAlertsResponse>(`/api/admin/payment-alerts?status=${status}`, { token });
}
let admin: string | undefined;
async function adminToken(): Promise<string> {
  if (admin) return admin;
  const session = await world.server.guest();
  await makeTestPlatformAdmin(world.server, session.player.id);
  return (admin = session.token);
}
const alertOf = async (eventId: string) => (await alerts(await adminToken(), "all")).body.alerts.find((a) => a.stripeEventId === eventId);

describe("a payment that does not match its order", () => {
  it("is not fulfilled, and raises one alert per event (a redelivery adds none)", async () => {
    const s = await world.order([["chevre", 1]]);
    const event = stripeEvent("checkout.session.completed", { ...sessionObject(s), amount_total: 100 });
    expect(await outcomeOf(event)).toBe("amount_mismatch");
    expect(await outcomeOf(event)).toBe("duplicate:amount_mismatch");
    expect((await world.db().select().from(orders).where(eq(orders.id, s.orderId)))[0]!.status).toBe("pending");
    const open = (await alerts(await adminToken())).body;
    expect(open.alerts.filter((a) => a.stripeEventId === event.id)).toEqual([
      expect.objectContaining({
        kind: "amount_mismatch", eventType: "checkout.session.completed", orderId: s.orderId, resolvedAt: null,
        stripe: { amountCents: 100, currency: "eur", id: s.sessionId }, hameau: { amountCents: s.totalCents, currency: "EUR", id: s.sessionId },
      }),
    ]);
  });

  it("says currency_mismatch for another currency and session_mismatch for another session", async () => {
    const s = await world.order([["poules", 1]]);
    const dollars = stripeEvent("checkout.session.completed", { ...sessionObject(s), currency: "usd" });
    expect(await outcomeOf(dollars)).toBe("amount_mismatch");
    expect(await alertOf(dollars.id)).toMatchObject({ kind: "currency_mismatch", stripe: { currency: "usd" }, hameau: { currency: "EUR" } });
    const other = stripeEvent("checkout.session.completed", { ...sessionObject(s), id: `cs_test_${randomBytes(8).toString("hex")}` });
    expect(await outcomeOf(other)).toBe("session_mismatch");
    expect(await alertOf(other.id)).toMatchObject({ kind: "session_mismatch", orderId: s.orderId, hameau: { id: s.sessionId } });
  });
});

describe("a second payment for an order already paid", () => {
  it("through another session raises an alert (money received twice); the same session's new event does not", async () => {
    const s = await world.order([["sachet-de-graines", 1]]);
    expect(await outcomeOf(stripeEvent("checkout.session.completed", sessionObject(s)))).toBe("fulfilled");
    const again = stripeEvent("checkout.session.async_payment_succeeded", sessionObject(s));
    expect(await outcomeOf(again)).toBe("already_paid");
    expect(await alertOf(again.id)).toBeUndefined();
    const twice = stripeEvent("checkout.session.completed", { ...sessionObject(s), id: `cs_test_${randomBytes(8).toString("hex")}`, payment_intent: "pi_second_payment_0001" });
    expect(await outcomeOf(twice)).toBe("already_paid");
    expect(await alertOf(twice.id)).toMatchObject({ kind: "session_mismatch", orderId: s.orderId, hameau: { id: s.sessionId } });
  });
});

describe("a refund or dispute that does not match its payment", () => {
  it("moves nothing and raises an alert", async () => {
    const s = await world.order([["ruche", 1]]);
    expect(await outcomeOf(stripeEvent("checkout.session.completed", sessionObject(s)))).toBe("fulfilled");
    const refund = stripeEvent("charge.refunded", { ...chargeObject(s, 500), currency: "usd" });
    expect(await outcomeOf(refund)).toBe("currency_mismatch");
    expect(await alertOf(refund.id)).toMatchObject({ kind: "currency_mismatch", orderId: s.orderId, stripe: { currency: "usd", id: s.paymentIntentId } });
    const dispute = stripeEvent("charge.dispute.created", disputeObject(s, `dp_${randomBytes(6).toString("hex")}`, "needs_response", s.totalCents + 1));
    expect(await outcomeOf(dispute)).toBe("amount_mismatch");
    expect(await alertOf(dispute.id)).toMatchObject({ kind: "amount_mismatch", stripe: { amountCents: s.totalCents + 1 }, hameau: { amountCents: s.totalCents } });
    expect((await world.db().select().from(orders).where(eq(orders.id, s.orderId)))[0]).toMatchObject({ refundedCents: 0, disputeStatus: null });
  });
});

describe("the log", () => {
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it("says it at error level, with the ids and amounts and no secret", async () => {
    const logs: Array<Record<string, unknown>> = [];
    server = await startTestServer({ logger: pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line)) }) });
    const guest = await server.guest();
    const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
    const hens = catalog.gifts.find((g) => g.slug === "poules")!;
    const checkout = (await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body: { lines: [{ giftId: hens.id, quantity: 1 }] } })).body;
    const sessionId = /\/checkout\/test\/([^?]+)/.exec(checkout.checkoutUrl)![1]!;
    const event = stripeEvent("checkout.session.completed", { ...sessionObject({ sessionId, orderId: checkout.orderId, totalCents: checkout.totalCents, paymentIntentId: "pi_log_0001" }), amount_total: 99 });
    expect(await send(server.url, event).then((r) => r.body.outcome)).toBe("amount_mismatch");
    const line = logs.find((l) => l.level === 50 && l.eventId === event.id);
    expect(line).toMatchObject({ kind: "amount_mismatch", orderId: checkout.orderId, stripe: { amountCents: 99 }, hameau: { amountCents: checkout.totalCents } });
    expect(JSON.stringify(line)).not.toMatch(/whsec_|stripe-signature/i);
  });
});

describe("who sees payment alerts", () => {
  it("platform administrators only; anyone else is refused, and bad input is a 4xx", async () => {
    expect((await world.server.api("/api/admin/payment-alerts")).status).toBe(401);
    expect((await world.server.api("/api/admin/payment-alerts", { token: world.guest.token })).status).toBe(403);
    expect((await world.server.api(`/api/admin/payment-alerts/${randomUUID()}/resolve`, { method: "POST", token: world.guest.token })).status).toBe(403);
    const token = await adminToken();
    expect((await alerts(token, "bogus")).status).toBe(400);
    expect((await world.server.api(`/api/admin/payment-alerts/${randomUUID()}/resolve`, { method: "POST", token })).status).toBe(404);
    expect((await world.server.api("/api/admin/payment-alerts/not-an-id%00/resolve", { method: "POST", token })).status).toBe(400); // a NUL in the URL is refused at the door (text_invalid)
    const burst = await Promise.all(Array.from({ length: 20 }, () => alerts(token)));
    expect(burst.every((r) => r.status === 200)).toBe(true);
  });
});

describe("reconciliation and resolution", () => {
  it("reports an open alert whatever the period, and no more once an administrator resolved it", async () => {
    const s = await world.order([["arrosoir", 1]]);
    const event = stripeEvent("checkout.session.completed", { ...sessionObject(s), amount_total: 1 });
    expect(await outcomeOf(event)).toBe("amount_mismatch");
    const stripe = createStripe(loadConfig({ NODE_ENV: "test", STRIPE_SECRET_KEY: "sk_test_hameau_standin", STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_test_connect", STRIPE_API_BASE: world.stripe.url }))!;
    const period = { from: new Date("2020-01-01T00:00:00Z"), to: new Date("2020-01-02T00:00:00Z") };
    const before = await reconcile({ db: world.db(), stripe, ...period });
    expect(before.differences).toContainEqual(expect.objectContaining({ kind: "payment_alert_open", stripeEventId: event.id, orderId: s.orderId, stripe: 1, hameau: s.totalCents }));
    const alert = (await alertOf(event.id))!;
    const token = await adminToken();
    const resolved = await world.server.api<PaymentAlertResolveResponse>(`/api/admin/payment-alerts/${alert.id}/resolve`, { method: "POST", token });
    expect(resolved.status).toBe(200);
    expect(resolved.body.alert.resolvedAt).not.toBeNull();
    const after = await reconcile({ db: world.db(), stripe, ...period });
    expect(after.differences.filter((d) => d.stripeEventId === event.id)).toEqual([]);
    expect((await alerts(token)).body.alerts.some((a) => a.id === alert.id)).toBe(false);
  });
});
