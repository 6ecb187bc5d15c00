/**
 * TEST MODE (no Stripe key): the demo NGO's simulated connected account, the
 * local checkout, and simulated transfers and reversals (tr_test_local_… /
 * trr_test_local_…), booked like real ones: the whole flow with no Stripe account.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { ngos, ngoTransfers, orders } from "../../server/db/schema.ts";
import { DEMO_TEST_ACCOUNT_ID as DEMO_TEST_ACCOUNT, seedDemo } from "../../server/db/seed.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { ngoMoney } from "../../server/services/ngo-money.ts";
import { FAST_TRANSFERS } from "../support/ngo-money-world.ts";
import { demoNgoId, insertNgoWithGift } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, send, stripeEvent } from "../support/stripe-events.ts";

let server: TestServer;
let guest: SessionResponse;
beforeAll(async () => {
  server = await startTestServer({ transfers: FAST_TRANSFERS });
  guest = await server.guest();
});
afterAll(async () => {
  await server.stop();
});
const db = () => server.hameau.database.db;

it("pays a two-NGO basket on the local checkout, makes simulated transfers, and reverses them on a refund", async () => {
  await seedDemo(db(), { payments: "test-checkout" });
  const demo = await demoNgoId(server);
  expect((await db().select().from(ngos).where(eq(ngos.id, demo)))[0]!.stripeAccountId).toBe(DEMO_TEST_ACCOUNT);
  const other = await insertNgoWithGift(server, { name: "Puits test", projectName: "Puits", giftName: "Seau", priceCents: 800 });
  await db().update(ngos).set({ stripeAccountId: "acct_test_local_puits", stripeChargesEnabled: true }).where(eq(ngos.id, other.ngoId));
  const catalog = (await server.api<{ gifts: Array<{ id: string; slug: string }> }>("/api/catalog")).body;
  const goat = catalog.gifts.find((g) => g.slug === "chevre")!.id;

  const res = await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body: { lines: [{ giftId: goat, quantity: 1 }, { giftId: other.giftId, quantity: 1 }], supportCents: 0 } });
  expect(res.status).toBe(201);
  expect(res.body.testMode).toBe(true);
  const [order] = await db().select().from(orders).where(eq(orders.id, res.body.orderId));
  expect(order!.chargeMode).toBe("separate");
  const pay = await fetch(`${server.url}${res.body.checkoutUrl.split("?")[0]}/pay`, { method: "POST", redirect: "manual" });
  expect(pay.status).toBe(303);
  await server.hameau.transfers.idle();

  const rows = await db().select().from(ngoTransfers).where(eq(ngoTransfers.orderId, order!.id));
  expect(rows.map((r) => [r.ngoId, r.status, r.amountCents]).sort()).toEqual([[demo, "done", res.body.totalCents - 800], [other.ngoId, "done", 800]].sort());
  for (const r of rows) expect(r.stripeTransferId).toMatch(/^tr_test_local_[0-9a-f]{24}$/);

  const paid = (await db().select().from(orders).where(eq(orders.id, order!.id)))[0]!;
  const session = { sessionId: paid.checkoutSessionId!, orderId: paid.id, totalCents: paid.totalCents, paymentIntentId: paid.paymentIntentId! };
  expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(session, session.totalCents)))).body.outcome).toBe("refunded");
  await server.hameau.transfers.idle();
  const reversals = (await db().select().from(ngoTransfers).where(eq(ngoTransfers.orderId, order!.id))).filter((r) => r.kind === "transfer_reversal");
  expect(reversals).toHaveLength(2);
  for (const r of reversals) {
    expect(r.status).toBe("done");
    expect(r.stripeReversalId).toMatch(/^trr_test_local_[0-9a-f]{24}$/);
  }
  const figures = (await ngoMoney(db(), other.ngoId)).currencies[0]!;
  expect(figures).toMatchObject({ currency: "EUR", givenCents: 0, transferredCents: 0, owedCents: 0 });
  expect(await checkLedger(db(), { transferGraceMs: 0 })).toEqual([]);
});
