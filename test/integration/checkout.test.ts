// @both-databases: a checkout writes its order and holds in one transaction.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAccount } from "../support/accounts.ts";
import type { CatalogGift, CatalogResponse, CheckoutResponse, OrderView, SessionResponse } from "../../shared/api.ts";
import { orders } from "../../server/db/schema.ts";
import { CHECKOUT_VALIDITY_MS } from "../../shared/gift-offer.ts";
import { tableCounts } from "../support/counts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { startStripeStandIn, type StripeStandIn } from "../support/stripe-stand-in.ts";

let server: TestServer;
let stripe: StripeStandIn;
let guest: SessionResponse;
let gifts: Map<string, CatalogGift>;

beforeAll(async () => {
  stripe = await startStripeStandIn();
  server = await startTestServer({ env: { STRIPE_SECRET_KEY: "sk_test_hameau_standin", STRIPE_API_BASE: stripe.url, PUBLIC_URL: "https://hameau.example" } });
  guest = await server.guest();
  const { body } = await server.api<CatalogResponse>("/api/catalog");
  gifts = new Map(body.gifts.map((g) => [g.slug, g]));
});
afterAll(async () => {
  await server?.stop();
  await stripe?.close();
});

const checkout = (body: unknown, token: string | null = guest.token) =>
  server.api<CheckoutResponse & { error?: { code: string; message: string } }>("/api/checkout", { body, token: token ?? undefined });

describe("POST /api/checkout with Stripe", () => {
  it("prices the basket from the database and opens a Checkout Session with what it priced", async () => {
    const goat = gifts.get("chevre")!;
    const seeds = gifts.get("sachet-de-graines")!;
    const before = stripe.requests.length;
    const res = await checkout({ lines: [{ giftId: goat.id, quantity: 1 }, { giftId: seeds.id, quantity: 3 }], locale: "en" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ totalCents: 3800, currency: "EUR", testMode: false });
    expect(res.body.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);

    expect(stripe.requests.length).toBe(before + 1);
    const sent = stripe.requests.at(-1)!;
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe("/v1/checkout/sessions");
    expect(sent.headers.authorization).toBe("Bearer sk_test_hameau_standin");
    expect(sent.headers["idempotency-key"]).toBe(`hameau-checkout-${res.body.orderId}`);
    expect(sent.headers["stripe-version"]).toBeTruthy();
    expect(sent.form).toMatchObject({
      mode: "payment",
      locale: "en",
      client_reference_id: res.body.orderId,
      "metadata[orderId]": res.body.orderId,
      "payment_intent_data[metadata][orderId]": res.body.orderId,
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][currency]": "eur",
      "line_items[0][price_data][unit_amount]": "3500",
      "line_items[0][price_data][product_data][name]": "A goat",
      "line_items[1][quantity]": "3",
      "line_items[1][price_data][unit_amount]": "100",
      success_url: `https://hameau.example/?order=${res.body.orderId}&village=${guest.villageId}`,
      cancel_url: `https://hameau.example/?order=${res.body.orderId}&village=${guest.villageId}&cancelled=1`,
    });

    const order = await server.api<OrderView>(`/api/orders/${res.body.orderId}`, { token: guest.token });
    expect(order.body).toMatchObject({ status: "pending", totalCents: 3800, currency: "EUR" });
  });

  it("gives the Checkout Session an expiry 31 minutes ahead, as long as the order holds units of a limited stock", async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await checkout({ lines: [{ giftId: gifts.get("poules")!.id, quantity: 1 }] });
    expect(res.status).toBe(201);
    const expiresAt = Number(stripe.requests.at(-1)!.form.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + CHECKOUT_VALIDITY_MS / 1000);
    expect(expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + CHECKOUT_VALIDITY_MS / 1000);
    expect(CHECKOUT_VALIDITY_MS).toBeGreaterThan(30 * 60_000);
  });

  it("ignores any price the client sends", async () => {
    const well = gifts.get("puits")!;
    const res = await checkout({ lines: [{ giftId: well.id, quantity: 1, priceCents: 1 }], totalCents: 1 });
    expect(res.status).toBe(201);
    expect(res.body.totalCents).toBe(15000);
    expect(stripe.requests.at(-1)!.form["line_items[0][price_data][unit_amount]"]).toBe("15000");
  });

  it("adds the optional support as its own line, included in the total", async () => {
    const res = await checkout({ lines: [{ giftId: gifts.get("sachet-de-graines")!.id, quantity: 2 }], supportCents: 300, locale: "fr" });
    expect(res.status).toBe(201);
    expect(res.body.totalCents).toBe(500);
    expect(stripe.requests.at(-1)!.form).toMatchObject({
      "line_items[1][quantity]": "1",
      "line_items[1][price_data][unit_amount]": "300",
      "line_items[1][price_data][product_data][name]": "Soutien en plus au projet",
    });
  });

  it("answers 502 and keeps no pending order when Stripe refuses", async () => {
    stripe.failNextWith(400);
    const res = await checkout({ lines: [{ giftId: gifts.get("poules")!.id, quantity: 1 }] });
    expect(res.status).toBe(502);
    expect(res.body.error?.code).toBe("payment_provider_error");
  });
});

describe("POST /api/checkout into someone else's village, with Stripe", () => {
  it("says on the Stripe line that it is a gift for someone else (never whose), stores the giver's opt-in, and refuses a private village before calling Stripe", async () => {
    const owner = await signUpAccount(server, "Open");
    const goat = gifts.get("chevre")!;
    const before = await tableCounts(server.hameau.database.db);
    const stripeCalls = stripe.requests.length;
    const refused = await checkout({ lines: [{ giftId: goat.id, quantity: 1 }], villageId: owner.villageId });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe("village_private");
    expect(await tableCounts(server.hameau.database.db)).toEqual(before);
    expect(stripe.requests.length).toBe(stripeCalls);

    await server.api("/api/account/settings", { method: "PATCH", token: owner.token, body: { villageVisibility: "public" } });
    const res = await checkout({ lines: [{ giftId: goat.id, quantity: 1 }], villageId: owner.villageId, showGiverName: true, locale: "en" });
    expect(res.status).toBe(201);
    expect(stripe.requests.length).toBe(stripeCalls + 1);
    const sent = stripe.requests.at(-1)!;
    expect(sent.headers["idempotency-key"]).toBe(`hameau-checkout-${res.body.orderId}`);
    expect(sent.form["line_items[0][price_data][product_data][description]"]).toContain("A gift for a friend's village");
    // The payer comes back to the village they gave to, to watch the gift arrive.
    expect(sent.form.success_url).toContain(`&village=${owner.villageId}`);
    // The recipient's name is not sent to Stripe: they gave no consent to it.
    expect(JSON.stringify(sent.form)).not.toContain(owner.player.name);
    expect(sent.form).toMatchObject({ "metadata[orderId]": res.body.orderId, "line_items[0][price_data][unit_amount]": "3500" });
    const [order] = await server.hameau.database.db.select().from(orders).where(eq(orders.id, res.body.orderId));
    expect(order).toMatchObject({ playerId: guest.player.id, villageId: owner.villageId, showGiverName: true, status: "pending" });
  });
});

describe("bad baskets are refused and write nothing", () => {
  const cases: Array<[string, () => unknown, number, string]> = [
    ["an empty basket", () => ({ lines: [] }), 422, "basket_empty"],
    ["an unknown gift", () => ({ lines: [{ giftId: "00000000-0000-4000-8000-000000000000", quantity: 1 }] }), 422, "gift_unknown"],
    ["a negative quantity", () => ({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: -2 }] }), 422, "quantity_invalid"],
    ["a zero quantity", () => ({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: 0 }] }), 422, "quantity_invalid"],
    ["a fractional quantity", () => ({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: 1.5 }] }), 422, "quantity_invalid"],
    ["an absurd quantity", () => ({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: 1e12 }] }), 422, "quantity_invalid"],
    ["a quantity given as text", () => ({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: "3" }] }), 400, "bad_request"],
    ["a gift id that is not an id", () => ({ lines: [{ giftId: "goat", quantity: 1 }] }), 400, "bad_request"],
    ["no lines at all", () => ({}), 400, "bad_request"],
    ["the same gift twice", () => ({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: 1 }, { giftId: gifts.get("chevre")!.id, quantity: 1 }] }), 422, "basket_duplicate_gift"],
    ["a negative support amount", () => ({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: 1 }], supportCents: -100 }), 422, "support_invalid"],
    ["an absurd support amount", () => ({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: 1 }], supportCents: 1e9 }), 422, "support_invalid"],
    ["an unknown locale", () => ({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: 1 }], locale: "xx" }), 400, "bad_request"],
  ];

  it.each(cases)("%s", async (_name, body, status, code) => {
    const before = await tableCounts(server.hameau.database.db);
    const stripeCalls = stripe.requests.length;
    const res = await checkout(body());
    expect(res.status).toBe(status);
    expect(res.body.error?.code).toBe(code);
    expect(res.body.error?.message).toBeTruthy();
    expect(await tableCounts(server.hameau.database.db)).toEqual(before);
    expect(stripe.requests.length).toBe(stripeCalls);
  });

  it("malformed JSON", async () => {
    const before = await tableCounts(server.hameau.database.db);
    const res = await server.api<{ error: { code: string } }>("/api/checkout", { raw: "{lines:", token: guest.token, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_json");
    expect(await tableCounts(server.hameau.database.db)).toEqual(before);
  });

  it("no session", async () => {
    const res = await checkout({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: 1 }] }, null);
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe("unauthorized");
  });

  it("another player's order stays private", async () => {
    const other = await server.guest();
    const mine = await checkout({ lines: [{ giftId: gifts.get("chevre")!.id, quantity: 1 }] });
    const res = await server.api<{ error: { code: string } }>(`/api/orders/${mine.body.orderId}`, { token: other.token });
    expect(res.status).toBe(404);
  });
});
