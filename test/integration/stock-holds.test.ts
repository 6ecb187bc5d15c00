// @both-databases: stock and holds under concurrent checkouts.
/**
 * Unpaid checkouts cannot hold a limited gift hostage: one buyer holds at
 * most a quarter of what is unsold, guests together at most half, a guest
 * never the last unit; cancelling a checkout (the TEST MODE page's Cancel, or
 * Stripe's cancel_url then POST /api/orders/:id/cancel, which expires the
 * Stripe session) gives its units back at once.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { gifts, orders } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { insertNgoWithGift } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { startStripeMode, type StripeMode } from "../support/stripe-mode.ts";

type Refusal = { error: { code: string } };

async function limitedGift(server: TestServer, stockLimit: number): Promise<string> {
  const { giftId } = await insertNgoWithGift(server, { name: "Hold NGO", projectName: "Holds", giftName: `Limited ${stockLimit}`, priceCents: 1000 });
  await server.hameau.database.db.update(gifts).set({ stockLimit }).where(eq(gifts.id, giftId));
  await server.hameau.catalogChanged([giftId]);
  return giftId;
}

const buy = (server: TestServer, who: SessionResponse, giftId: string, quantity: number) =>
  server.api<CheckoutResponse & Refusal>("/api/checkout", { token: who.token, body: { lines: [{ giftId, quantity }] } });

async function stockLeft(server: TestServer, giftId: string): Promise<number | null | undefined> {
  const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  const gift = catalog.gifts.find((g) => g.id === giftId);
  return gift ? gift.stockLeft : undefined;
}

describe("holds in TEST MODE", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it("keep one guest from holding more than a quarter of the stock, and guests together from holding more than half", async () => {
    const giftId = await limitedGift(server, 20);
    const [a, b, c] = [await server.guest(), await server.guest(), await server.guest()];
    const all = await buy(server, a, giftId, 20);
    expect(all.status).toBe(422);
    expect(all.body.error.code).toBe("hold_limit");
    expect((await buy(server, a, giftId, 5)).status).toBe(201);
    // A second checkout of the same buyer counts with the first.
    expect((await buy(server, a, giftId, 1)).body.error.code).toBe("hold_limit");
    expect((await buy(server, b, giftId, 5)).status).toBe(201);
    expect(await stockLeft(server, giftId)).toBe(10);
    // Guests now hold half of it: the rest stays for players with an account.
    const third = await buy(server, c, giftId, 1);
    expect(third.status).toBe(422);
    expect(third.body.error.code).toBe("gift_held");
    const account = await signUpAccount(server, "Holder");
    expect((await buy(server, account, giftId, 5)).status).toBe(201);
    expect(await stockLeft(server, giftId)).toBe(5);
  });

  it("never let a guest hold the last unit: it needs an account", async () => {
    const giftId = await limitedGift(server, 1);
    const guest = await server.guest();
    const refused = await buy(server, guest, giftId, 1);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("gift_last_units");
    expect(await stockLeft(server, giftId)).toBe(1);
    const account = await signUpAccount(server, "LastUnit");
    expect((await buy(server, account, giftId, 1)).status).toBe(201);
    expect(await stockLeft(server, giftId)).toBeUndefined();
  });

  it("give the units back when the TEST MODE page's Cancel is pressed", async () => {
    const giftId = await limitedGift(server, 8);
    const guest = await server.guest();
    const checkout = await buy(server, guest, giftId, 2);
    expect(checkout.status).toBe(201);
    expect(await stockLeft(server, giftId)).toBe(6);
    const page = await fetch(server.url + checkout.body.checkoutUrl);
    expect(await page.text()).toContain('id="cancel"');
    const cancel = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/cancel?lang=en", { method: "POST", redirect: "manual" });
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get("location")).toBe(`/?order=${checkout.body.orderId}&village=${guest.villageId}&cancelled=1&lang=en`);
    expect(await stockLeft(server, giftId)).toBe(8);
    const [order] = await server.hameau.database.db.select().from(orders).where(eq(orders.id, checkout.body.orderId));
    expect(order!.status).toBe("expired");
    // A cancelled session cannot be paid afterwards.
    const pay = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(303);
    const [after] = await server.hameau.database.db.select().from(orders).where(eq(orders.id, checkout.body.orderId));
    expect(after!.status).toBe("expired");
    // The client's call after Stripe's cancel_url is idempotent; nobody else may cancel it.
    expect((await server.api<{ status: string }>(`/api/orders/${checkout.body.orderId}/cancel`, { method: "POST", token: guest.token })).body).toEqual({ status: "expired" });
    const stranger = await server.guest();
    expect((await server.api(`/api/orders/${checkout.body.orderId}/cancel`, { method: "POST", token: stranger.token })).status).toBe(404);
    expect((await server.api(`/api/orders/${checkout.body.orderId}/cancel`, { method: "POST" })).status).toBe(401);
  });
});

describe("holds with Stripe", () => {
  let world: StripeMode;
  beforeAll(async () => {
    world = await startStripeMode();
  });
  afterAll(() => world?.stop());

  it("cancelling expires the Stripe session, then gives the units back", async () => {
    const giftId = await limitedGift(world.server, 12);
    const checkout = await buy(world.server, world.guest, giftId, 3);
    expect(checkout.status).toBe(201);
    expect(await stockLeft(world.server, giftId)).toBe(9);
    const [order] = await world.db().select().from(orders).where(eq(orders.id, checkout.body.orderId));
    const cancel = await world.server.api<{ status: string }>(`/api/orders/${checkout.body.orderId}/cancel`, { method: "POST", token: world.guest.token });
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe("expired");
    const expire = world.stripe.requests.filter((r) => r.path === `/v1/checkout/sessions/${order!.checkoutSessionId}/expire`);
    expect(expire).toHaveLength(1);
    expect(expire[0]!.method).toBe("POST");
    expect(expire[0]!.headers["idempotency-key"]).toBe(`hameau-cancel-${order!.id}`);
    expect(world.stripe.sessions.get(order!.checkoutSessionId!)!.status).toBe("expired");
    expect(await stockLeft(world.server, giftId)).toBe(12);
  });

  it("refuses to cancel a session Stripe already completed (409), and the order waits for its webhook", async () => {
    const giftId = await limitedGift(world.server, 12);
    const checkout = await buy(world.server, world.guest, giftId, 1);
    const [order] = await world.db().select().from(orders).where(eq(orders.id, checkout.body.orderId));
    world.stripe.markPaid(order!.checkoutSessionId!, "pi_completed_meanwhile");
    const cancel = await world.server.api<Refusal>(`/api/orders/${checkout.body.orderId}/cancel`, { method: "POST", token: world.guest.token });
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe("order_not_pending");
    const [after] = await world.db().select().from(orders).where(eq(orders.id, checkout.body.orderId));
    expect(after!.status).toBe("pending");
  });
});
