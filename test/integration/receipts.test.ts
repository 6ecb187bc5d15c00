/**
 * Receipts: a payment receipt for a paid order, and annual French tax
 * receipts per NGO with sequential numbers, net of refunds.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse, TaxReceiptSummary } from "../../shared/api.ts";
import { orders } from "../../server/db/schema.ts";
import { parisYear } from "../../server/services/receipts.ts";
import { chargeObject, send, stripeEvent } from "../support/stripe-events.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let catalog: CatalogResponse;
const lastYear = parisYear(new Date()) - 1;
const donor = { firstName: "Claire", lastName: "Dubœuf", addressLines: ["3 place de l'Église"], postalCode: "35000", city: "Rennes", country: "France" };

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
});
afterAll(() => server?.stop());

const giftId = (slug: string) => catalog.gifts.find((g) => g.slug === slug)!.id;

/** Buys through the TEST MODE checkout (a signed webhook), optionally dated last year. */
async function paidOrder(guest: SessionResponse, lines: Array<[string, number]>, opts: { lastYear?: boolean } = {}) {
  const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body: { lines: lines.map(([slug, quantity]) => ({ giftId: giftId(slug), quantity })) } });
  const pay = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
  expect(pay.status).toBe(303);
  if (opts.lastYear) {
    await server.hameau.database.db.update(orders).set({ paidAt: new Date(Date.UTC(lastYear, 5, 15, 10)) }).where(eq(orders.id, checkout.body.orderId));
  }
  const [row] = await server.hameau.database.db.select().from(orders).where(eq(orders.id, checkout.body.orderId));
  return row!;
}

async function pdf(path: string, token: string) {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("payment receipt", () => {
  it("is a PDF for the owner of a paid order only", async () => {
    const guest = await server.guest();
    const order = await paidOrder(guest, [["chevre", 1]]);
    const receipt = await pdf(`/api/orders/${order.id}/receipt.pdf?lang=en`, guest.token);
    expect(receipt.status).toBe(200);
    expect(receipt.type).toBe("application/pdf");
    expect(receipt.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const stranger = await server.guest();
    expect((await pdf(`/api/orders/${order.id}/receipt.pdf`, stranger.token)).status).toBe(404);

    const pending = await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body: { lines: [{ giftId: giftId("ruche"), quantity: 1 }] } });
    expect((await pdf(`/api/orders/${pending.body.orderId}/receipt.pdf`, guest.token)).status).toBe(409);
  });
});

describe("annual tax receipts", () => {
  it("needs the donor's identity, validated field by field", async () => {
    const guest = await server.guest();
    await paidOrder(guest, [["poules", 1]], { lastYear: true });
    const ngoId = catalog.gifts[0]!.ngo.id;
    const missing = await server.api<{ error: { code: string } }>("/api/tax-receipts", { token: guest.token, body: { ngoId, year: lastYear } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe("donor_profile_missing");
    const bad = await server.api<{ error: { code: string; fields: Record<string, string> } }>("/api/me/donor", {
      method: "PUT", token: guest.token, body: { ...donor, firstName: "", postalCode: "<script>", addressLines: [] },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["addressLines", "firstName", "postalCode"]);
    const ok = await server.api("/api/me/donor", { method: "PUT", token: guest.token, body: donor });
    expect(ok.status).toBe(200);
    expect((await server.api<{ donor: unknown }>("/api/me/donor", { token: guest.token })).body.donor).toEqual(donor);
  });

  it("numbers receipts sequentially per NGO and year, once per donor, net of refunds", async () => {
    const ngoId = catalog.gifts[0]!.ngo.id;
    const alice = await server.guest();
    const bob = await server.guest();
    for (const g of [alice, bob]) await server.api("/api/me/donor", { method: "PUT", token: g.token, body: donor });
    const a1 = await paidOrder(alice, [["chevre", 1]], { lastYear: true }); // 35 €
    await paidOrder(alice, [["poules", 2]], { lastYear: true }); // 30 €
    await paidOrder(alice, [["ruche", 1]]); // this year: not on last year's receipt
    await paidOrder(bob, [["sachet-de-graines", 3]], { lastYear: true });
    // 10 € of the goat refunded.
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject({ sessionId: a1.checkoutSessionId!, orderId: a1.id, totalCents: a1.totalCents, paymentIntentId: a1.paymentIntentId! }, 1000)))).body.outcome).toBe("refunded");

    const summary = await server.api<TaxReceiptSummary>(`/api/tax-receipts?year=${lastYear}`, { token: alice.token });
    expect(summary.body.ngos).toEqual([{ ngoId, ngoName: expect.any(String), totalCents: 5500, payments: 2, receipt: null, eligible: true, availableFrom: null, history: [] }]);

    const open = await server.api<{ error: { code: string } }>("/api/tax-receipts", { token: alice.token, body: { ngoId, year: lastYear + 1 } });
    expect(open.body.error.code).toBe("receipt_year_open");

    const first = await server.api<{ id: string; number: string; totalCents: number }>("/api/tax-receipts", { token: alice.token, body: { ngoId, year: lastYear } });
    expect(first.status).toBe(201);
    expect(first.body.totalCents).toBe(5500);
    const again = await server.api<{ number: string }>("/api/tax-receipts", { token: alice.token, body: { ngoId, year: lastYear } });
    expect(again.status).toBe(200);
    expect(again.body.number).toBe(first.body.number);
    const second = await server.api<{ number: string }>("/api/tax-receipts", { token: bob.token, body: { ngoId, year: lastYear } });
    const seq = (n: string) => Number(n.split("-").at(-1));
    expect(first.body.number).toMatch(new RegExp(`^SEMSOL-${lastYear}-\\d{6}$`));
    expect(seq(second.body.number)).toBe(seq(first.body.number) + 1);

    const file = await pdf(`/api/tax-receipts/${first.body.id}/pdf`, alice.token);
    expect(file.status).toBe(200);
    expect(file.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const reprint = await pdf(`/api/tax-receipts/${first.body.id}/pdf`, alice.token);
    expect(reprint.bytes.equals(file.bytes)).toBe(true);
    expect((await pdf(`/api/tax-receipts/${first.body.id}/pdf`, bob.token)).status).toBe(404);

    const nothing = await server.guest();
    await server.api("/api/me/donor", { method: "PUT", token: nothing.token, body: donor });
    const none = await server.api<{ error: { code: string } }>("/api/tax-receipts", { token: nothing.token, body: { ngoId, year: lastYear } });
    expect(none.body.error.code).toBe("nothing_to_receipt");
  });
});
