// @both-databases: money: each event fulfilled exactly once.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { OrderView } from "../../shared/api.ts";
import { orders, villageItems } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { tableCounts } from "../support/counts.ts";
import { checkoutCompletedEvent, deliver, sign } from "../support/stripe-events.ts";
import { useStripeMode } from "../support/stripe-mode.ts";

const world = useStripeMode();

const db = () => world.db();

/** A pending order with its Checkout Session id, as Stripe would know it. */
const pendingOrder = (lines: Array<{ slug: string; quantity: number }>) => world.order(lines.map((l) => [l.slug, l.quantity]));

const giftsInVillage = async () => (await db().select().from(villageItems).where(eq(villageItems.villageId, world.guest.villageId))).filter((i) => i.giftId !== null);

describe("POST /webhooks/stripe", () => {
  it("fulfils a paid checkout once: order paid, balanced ledger, gifts in the village", async () => {
    const o = await pendingOrder([{ slug: "poules", quantity: 2 }, { slug: "sachet-de-graines", quantity: 1 }]);
    const before = await giftsInVillage();
    const payload = JSON.stringify(checkoutCompletedEvent({ id: o.sessionId, orderId: o.orderId, amountTotal: o.totalCents }));
    const first = await deliver(world.server.url, payload, sign(payload));
    expect(first).toMatchObject({ status: 200, body: { outcome: "fulfilled" } });

    const after = await giftsInVillage();
    expect(after.length - before.length).toBe(3);
    const order = await world.server.api<OrderView>(`/api/orders/${o.orderId}`, { token: world.guest.token });
    expect(order.body.status).toBe("paid");
    expect(await checkLedger(db())).toEqual([]);

    // Stripe delivers at least once: the same event again changes nothing.
    const counts = await tableCounts(db());
    const replay = await deliver(world.server.url, payload, sign(payload));
    expect(replay.status).toBe(200);
    expect(replay.body.outcome).toMatch(/^duplicate/);
    expect(await tableCounts(db())).toEqual(counts);

    // A different event for the same, already paid session: nothing more either.
    const other = JSON.stringify(checkoutCompletedEvent({ id: o.sessionId, orderId: o.orderId, amountTotal: o.totalCents }));
    const second = await deliver(world.server.url, other, sign(other));
    expect(second.body.outcome).toBe("already_paid");
    const afterSecond = await tableCounts(db());
    expect(afterSecond.village_items).toBe(counts.village_items);
    expect(afterSecond.ledger_entries).toBe(counts.ledger_entries);
    expect(afterSecond.stripe_events).toBe(counts.stripe_events + 1);
  });

  it("grants exactly once when the same event arrives concurrently", async () => {
    const o = await pendingOrder([{ slug: "chevre", quantity: 1 }]);
    const before = (await giftsInVillage()).length;
    const payload = JSON.stringify(checkoutCompletedEvent({ id: o.sessionId, orderId: o.orderId, amountTotal: o.totalCents }));
    const results = await Promise.all(Array.from({ length: 8 }, () => deliver(world.server.url, payload, sign(payload))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect((await giftsInVillage()).length).toBe(before + 1);
    expect(await checkLedger(db())).toEqual([]);
  });

  it.each([
    ["a wrong secret", (p: string) => sign(p, "whsec_someone_else")],
    ["no signature", () => null],
    ["a garbage signature", () => "t=1,v1=deadbeef"],
    ["an old timestamp", (p: string) => sign(p).replace(/t=\d+/, `t=${Math.floor(Date.now() / 1000) - 3600}`)],
  ])("refuses %s and writes nothing", async (_name, signer) => {
    const o = await pendingOrder([{ slug: "ruche", quantity: 1 }]);
    const payload = JSON.stringify(checkoutCompletedEvent({ id: o.sessionId, orderId: o.orderId, amountTotal: o.totalCents }));
    const before = await tableCounts(db());
    const res = await deliver(world.server.url, payload, signer(payload));
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("webhook_signature_invalid");
    expect(await tableCounts(db())).toEqual(before);
  });

  it("refuses a body changed after signing", async () => {
    const o = await pendingOrder([{ slug: "ruche", quantity: 1 }]);
    const payload = JSON.stringify(checkoutCompletedEvent({ id: o.sessionId, orderId: o.orderId, amountTotal: o.totalCents }));
    const signature = sign(payload);
    const before = await tableCounts(db());
    const tampered = payload.replace(`"amount_total":${o.totalCents}`, '"amount_total":1');
    expect(tampered).not.toBe(payload);
    const res = await deliver(world.server.url, tampered, signature);
    expect(res.status).toBe(400);
    expect(await tableCounts(db())).toEqual(before);
  });

  it.each([
    ["an amount that differs from the order", (o: { totalCents: number }) => ({ amountTotal: o.totalCents - 1 }), "amount_mismatch"],
    ["another currency", () => ({ currency: "usd" }), "amount_mismatch"],
    ["an unpaid session (delayed payment method)", () => ({ paymentStatus: "unpaid" }), "awaiting_payment"],
    ["a session that is not the order's", () => ({ id: "cs_test_not_this_order" }), "session_mismatch"],
  ])("records but does not fulfil %s", async (_name, change, outcome) => {
    const o = await pendingOrder([{ slug: "vache", quantity: 1 }]);
    const payload = JSON.stringify(checkoutCompletedEvent({ id: o.sessionId, orderId: o.orderId, amountTotal: o.totalCents, ...change(o) }));
    const before = await tableCounts(db());
    const res = await deliver(world.server.url, payload, sign(payload));
    expect(res).toMatchObject({ status: 200, body: { outcome } });
    const after = await tableCounts(db());
    expect(after).toEqual({ ...before, stripe_events: before.stripe_events + 1 });
    const [order] = await db().select().from(orders).where(eq(orders.id, o.orderId));
    expect(order!.status).toBe("pending");
  });

  it("records an event for an unknown order without granting anything", async () => {
    const payload = JSON.stringify(checkoutCompletedEvent({ id: "cs_test_unknown", orderId: "00000000-0000-4000-8000-000000000001", amountTotal: 100 }));
    const before = await tableCounts(db());
    const res = await deliver(world.server.url, payload, sign(payload));
    expect(res.body.outcome).toBe("unknown_order");
    expect((await tableCounts(db())).village_items).toBe(before.village_items);
  });

  it("stores and acknowledges event types it does not act on", async () => {
    const payload = JSON.stringify({ ...checkoutCompletedEvent({ id: "cs_x", orderId: "00000000-0000-4000-8000-000000000002", amountTotal: 1 }), type: "customer.created" });
    const res = await deliver(world.server.url, payload, sign(payload));
    expect(res).toMatchObject({ status: 200, body: { outcome: "ignored" } });
  });
});

describe("the TEST MODE checkout is absent when Stripe keys are configured", () => {
  it("has no test checkout page", async () => {
    const res = await fetch(`${world.server.url}/checkout/test/cs_test_local_abcdefghijkl`);
    expect(res.status).toBe(404);
  });
});
