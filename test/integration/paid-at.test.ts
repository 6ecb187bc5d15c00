/**
 * An order's paid_at is Stripe's charge time, not the time the event arrived:
 * the charge's `created` read from the payment intent (latest_charge) right
 * after commit, else the payment event's own time; in TEST MODE, the time
 * the local checkout made the payment.
 */
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse } from "../../shared/api.ts";
import { orders } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { send, sessionObject, stripeEvent } from "../support/stripe-events.ts";
import { useStripeMode } from "../support/stripe-mode.ts";

const world = useStripeMode();
const now = () => Math.floor(Date.now() / 1000);
const paidAt = async (db: ReturnType<typeof world.db>, orderId: string) => (await db.select().from(orders).where(eq(orders.id, orderId)))[0]!.paidAt;

describe("with Stripe keys", () => {
  it("is the charge's own time, read from the payment intent's latest charge after commit", async () => {
    const s = await world.order([["chevre", 1]]);
    const charged = now() - 3600;
    world.stripe.markPaid(s.sessionId, s.paymentIntentId, { chargeCreated: charged });
    expect((await send(world.server.url, stripeEvent("checkout.session.completed", sessionObject(s), now() - 600))).body.outcome).toBe("fulfilled");
    expect(await paidAt(world.db(), s.orderId)).toEqual(new Date(charged * 1000));
    const asked = world.stripe.requests.find((r) => r.method === "GET" && r.path.startsWith(`/v1/payment_intents/${s.paymentIntentId}`));
    expect(decodeURIComponent(asked!.path)).toContain("expand[0]=latest_charge");
    expect(await checkLedger(world.db())).toEqual([]);
  });

  it("is the payment event's time when Stripe cannot tell the charge's", async () => {
    const s = await world.order([["poules", 1]]);
    const completed = now() - 600;
    expect((await send(world.server.url, stripeEvent("checkout.session.completed", sessionObject(s), completed))).body.outcome).toBe("fulfilled");
    expect(await paidAt(world.db(), s.orderId)).toEqual(new Date(completed * 1000));
  });
});

describe("in TEST MODE", () => {
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it("is the time the local checkout made the payment, even when the event arrives later", async () => {
    server = await startTestServer();
    const guest = await server.guest();
    const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
    const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
    const checkout = (await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body: { lines: [{ giftId: goat.id, quantity: 1 }] } })).body;
    const sessionId = /\/checkout\/test\/([^?]+)/.exec(checkout.checkoutUrl)![1]!;
    const made = now() - 120;
    const event = stripeEvent("checkout.session.completed", sessionObject({ sessionId, orderId: checkout.orderId, totalCents: checkout.totalCents, paymentIntentId: "pi_test_local_paid_at" }), made);
    expect((await send(server.url, event)).body.outcome).toBe("fulfilled");
    expect(await paidAt(server.hameau.database.db, checkout.orderId)).toEqual(new Date(made * 1000));
  });
});
