// @both-databases: each paid invoice fulfilled exactly once; account deletion stops every monthly gift.
/**
 * Monthly giving, TEST MODE (no Stripe keys): the local checkout starts a
 * monthly gift, and the dev route simulates the next months through the
 * signed webhook — paid (fulfilled once, the village item grows, no new
 * item), failed and needing 3-D Secure (a mail with a link that settles the
 * month), replayed (a duplicate), and cancelled from My donations.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse } from "../../shared/api.ts";
import type { MonthlyGiftsResponse, MonthlyGiftStartResponse } from "../../shared/monthly-gifts.ts";
import { monthlyGifts, orders, stripeEvents, villageItems } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { outboxFor, signUpAccount } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { joinVillageRoom } from "../support/room-join.ts";
import { send } from "../support/stripe-events.ts";

let server: TestServer;
let donor: Awaited<ReturnType<typeof signUpAccount>>;
let giftId: string;
let priceCents: number;
const db = () => server.hameau.database.db;

beforeAll(async () => {
  server = await startTestServer({ env: { SEED_DEMO: "true" } });
  donor = await signUpAccount(server, "Monthly");
  const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  const gift = catalog.gifts.find((g) => g.stockLeft === null && g.priceCents >= 200)!;
  giftId = gift.id;
  priceCents = gift.priceCents;
});
afterAll(() => server?.stop());

const list = async (token = donor.token) => (await server.api<MonthlyGiftsResponse>("/api/me/monthly-gifts", { token })).body.monthlyGifts;
const simulate = (id: string, outcome: string, token = donor.token) =>
  server.api<{ invoiceId: string; outcome: string }>(`/api/dev/monthly-gifts/${id}/invoice`, { token, body: { outcome } });
const ordersOf = (id: string) => db().select().from(orders).where(eq(orders.monthlyGiftId, id));
async function itemsOf(id: string) {
  const rows = await db().execute(`select i.id from village_items i join order_lines l on l.id = i.order_line_id join orders o on o.id = l.order_id
    where o.monthly_gift_id = '${id}' and i.removed_at is null`);
  return (rows as unknown as { rows: unknown[] }).rows;
}
async function mailsAbout(subject: RegExp, count: number) {
  for (let i = 0; i < 100; i++) {
    const mails = (await outboxFor(server.url, donor.email)).filter((m) => subject.test(m.subject));
    if (mails.length >= count) return mails;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${count} mails matching ${subject}`);
}

describe("monthly gifts in TEST MODE", () => {
  let id: string;

  it("starts on the local checkout page: the first month is paid and a gift appears in the village", async () => {
    const res = await server.api<MonthlyGiftStartResponse>("/api/me/monthly-gifts", { token: donor.token, body: { giftId, amountCents: priceCents + 250, locale: "en" } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.testMode).toBe(true);
    id = res.body.monthlyGiftId;
    const page = await fetch(`${server.url}${res.body.checkoutUrl}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Card or SEPA Direct Debit");
    const path = new URL(res.body.checkoutUrl, server.url).pathname;
    const started = await fetch(`${server.url}${path}/start?lang=en`, { method: "POST", redirect: "manual" });
    expect(started.status).toBe(303);
    const [m] = await list();
    expect(m).toMatchObject({ id, status: "active", monthsGiven: 1, stage: 1, amountCents: priceCents + 250 });
    expect(m!.itemId).not.toBeNull();
    expect(m!.nextInvoiceAt).not.toBeNull();
    const paid = await ordersOf(id);
    expect(paid.map((o) => [o.status, o.totalCents, o.supportCents])).toEqual([["paid", priceCents + 250, 250]]);
    expect(await itemsOf(id)).toHaveLength(1);
    // Each paid month is a donation in My donations, with its receipt.
    const donations = (await server.api<{ donations: Array<{ orderId: string; receiptPath: string | null }> }>("/api/me/donations", { token: donor.token })).body.donations;
    expect(donations.find((d) => d.orderId === paid[0]!.id)?.receiptPath).toBeTruthy();
    // Starting twice changes nothing.
    await fetch(`${server.url}${path}/start?lang=en`, { method: "POST", redirect: "manual" });
    expect(await ordersOf(id)).toHaveLength(1);
  });

  it("a next month paid is fulfilled once: one more order, the same item, grown", async () => {
    const before = (await list())[0]!;
    const res = await simulate(id, "paid");
    expect(res.status).toBe(201);
    expect(res.body.outcome).toBe("fulfilled");
    const after = (await list())[0]!;
    expect(after.monthsGiven).toBe(2);
    expect(after.itemId).toBe(before.itemId);
    expect(await itemsOf(id)).toHaveLength(1);
    expect(new Date(after.nextInvoiceAt!).getTime()).toBeGreaterThan(new Date(before.nextInvoiceAt!).getTime());
    expect(await checkLedger(db())).toEqual([]);
  });

  it("a replayed invoice.paid is a duplicate, and another event for the same invoice pays nothing twice", async () => {
    const res = await simulate(id, "paid");
    const [stored] = await db().select().from(stripeEvents).where(and(eq(stripeEvents.type, "invoice.paid"), eq(stripeEvents.outcome, "fulfilled")))
      .then((rows) => rows.filter((r) => (r.payload as { data: { object: { id: string } } }).data.object.id === res.body.invoiceId));
    const event = stored!.payload as { id: string };
    const replayed = await send(server.url, event);
    expect(replayed.body.outcome).toBe("duplicate:fulfilled");
    const again = await send(server.url, { ...event, id: `${event.id}_again` });
    expect(again.body.outcome).toBe("already_paid");
    expect((await ordersOf(id)).filter((o) => o.status === "paid")).toHaveLength(3);
    expect((await list())[0]!.monthsGiven).toBe(3);
    expect(await checkLedger(db())).toEqual([]);
  });

  it("a failed month mails a link that settles it; the month is then paid once", async () => {
    const res = await simulate(id, "failed");
    expect(res.body.outcome).toBe("monthly_payment_failed");
    const failed = (await list())[0]!;
    expect(failed.status).toBe("past_due");
    expect(failed.actionUrl).toContain(`/checkout/test/invoice/${res.body.invoiceId}`);
    const [mail] = await mailsAbout(/payment failed/, 1);
    const link = /https?:\/\/\S+\/checkout\/test\/invoice\/in_local_[a-f0-9]+/.exec(mail!.text)?.[0];
    expect(link).toBeDefined();
    expect(mail!.text).toContain("/?donations=1");
    const path = new URL(link!).pathname;
    expect((await fetch(`${server.url}${path}`)).status).toBe(200);
    await fetch(`${server.url}${path}/pay`, { method: "POST", redirect: "manual" });
    await fetch(`${server.url}${path}/pay`, { method: "POST", redirect: "manual" });
    const settled = (await list())[0]!;
    expect(settled).toMatchObject({ status: "active", monthsGiven: 4, actionUrl: null });
    expect((await db().select().from(orders).where(eq(orders.checkoutSessionId, res.body.invoiceId))).map((o) => o.status)).toEqual(["paid"]);
  });

  it("a month needing 3-D Secure mails a link to confirm it", async () => {
    const res = await simulate(id, "action_required");
    expect(res.body.outcome).toBe("monthly_action_required");
    expect((await list())[0]!.status).toBe("action_required");
    const [mail] = await mailsAbout(/please confirm/, 1);
    expect(mail!.text).toContain(`/checkout/test/invoice/${res.body.invoiceId}`);
  });

  it("someone else cannot see, simulate, change or cancel it", async () => {
    const other = await signUpAccount(server, "Other");
    expect(await list(other.token)).toEqual([]);
    expect((await simulate(id, "paid", other.token)).status).toBe(404);
    expect((await server.api(`/api/me/monthly-gifts/${id}/cancel`, { token: other.token, body: {} })).status).toBe(404);
    expect((await server.api(`/api/me/monthly-gifts/${id}/amount`, { token: other.token, body: { amountCents: 5000 } })).status).toBe(404);
    const guest = await server.guest();
    expect((await server.api("/api/me/monthly-gifts", { token: guest.token, body: { giftId } })).status).toBe(403);
  });

  it("changes the amount (never below the gift's price) and is cancelled from My donations", async () => {
    expect((await server.api(`/api/me/monthly-gifts/${id}/amount`, { token: donor.token, body: { amountCents: priceCents - 1 } })).status).toBe(422);
    expect((await server.api(`/api/me/monthly-gifts/${id}/amount`, { token: donor.token, body: { amountCents: priceCents + 500 } })).status).toBe(200);
    expect((await list())[0]!.amountCents).toBe(priceCents + 500);
    expect((await simulate(id, "paid")).body.outcome).toBe("fulfilled");
    const last = (await ordersOf(id)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]!;
    expect(last.totalCents).toBe(priceCents + 500);
    expect((await server.api(`/api/me/monthly-gifts/${id}/cancel`, { token: donor.token, body: {} })).status).toBe(200);
    const cancelled = (await list())[0]!;
    expect(cancelled).toMatchObject({ status: "cancelled", nextInvoiceAt: null, monthsGiven: 5 });
    expect((await simulate(id, "paid")).status).toBe(409);
    // What was given stays given: the item stays in the village.
    expect(await itemsOf(id)).toHaveLength(1);
    const [row] = await db().select().from(monthlyGifts).where(eq(monthlyGifts.id, id));
    expect(row!.cancelledAt).not.toBeNull();
    expect(await db().select().from(villageItems).where(eq(villageItems.id, cancelled.itemId!))).toHaveLength(1);
  });

  it("the village room shows the item's growth stage, live as months are paid (only the stage: no months, no amount)", async () => {
    const grower = await signUpAccount(server, "Grower");
    const started = (await server.api<MonthlyGiftStartResponse>("/api/me/monthly-gifts", { token: grower.token, body: { giftId, locale: "en" } })).body;
    await fetch(`${server.url}${new URL(started.checkoutUrl, server.url).pathname}/start?lang=en`, { method: "POST", redirect: "manual" });
    const [m] = await list(grower.token);
    const room = await joinVillageRoom(server.url, grower.token, grower.villageId);
    try {
      const item = () => room.state.items.get(m!.itemId!);
      await expect.poll(() => item()?.monthlyStage).toBe(1);
      // Every other thing of the village has stage 0.
      expect([...room.state.items.values()].filter((i) => i.id !== m!.itemId).every((i) => i.monthlyStage === 0)).toBe(true);
      expect((await simulate(m!.id, "paid", grower.token)).body.outcome).toBe("fulfilled");
      expect((await simulate(m!.id, "paid", grower.token)).body.outcome).toBe("fulfilled");
      // Three months: stage 2, the same item, in the open room without rejoining.
      await expect.poll(() => item()?.monthlyStage, { timeout: 5000 }).toBe(2);
      expect([...room.state.items.values()].filter((i) => i.donated)).toHaveLength(1);
      expect(Object.keys(item()!.toJSON())).not.toContain("monthsGiven");
    } finally {
      await room.leave();
    }
  });

  it("deleting the account stops every open monthly gift (set up or left at the checkout)", async () => {
    const leaving = await signUpAccount(server, "Leaving");
    const start = () => server.api<MonthlyGiftStartResponse>("/api/me/monthly-gifts", { token: leaving.token, body: { giftId, locale: "en" } });
    const started = (await start()).body;
    const path = new URL(started.checkoutUrl, server.url).pathname;
    expect((await fetch(`${server.url}${path}/start?lang=en`, { method: "POST", redirect: "manual" })).status).toBe(303);
    const left = (await start()).body;
    expect((await list(leaving.token)).map((m) => m.status).sort()).toEqual(["active", "incomplete"]);
    // Their data export lists them (each paid month is also one of its orders).
    const exported = await server.api<{ monthlyGifts: Array<{ id: string; status: string; amountCents: number }> }>("/api/me/export", { token: leaving.token });
    expect(exported.body.monthlyGifts.map((m) => [m.id, m.status]).sort()).toEqual([[started.monthlyGiftId, "active"], [left.monthlyGiftId, "incomplete"]].sort());
    const deleted = await server.api("/api/me", { method: "DELETE", token: leaving.token, body: { confirm: "DELETE", password: leaving.password } });
    expect(deleted.status).toBe(204);
    const rows = await db().select().from(monthlyGifts).where(eq(monthlyGifts.playerId, leaving.player.id));
    expect(rows.map((r) => [r.id === started.monthlyGiftId ? "started" : r.id === left.monthlyGiftId ? "left" : "?", r.status, r.nextInvoiceAt, r.cancelledAt !== null]).sort())
      .toEqual([["left", "cancelled", null, true], ["started", "cancelled", null, true]]);
    // Its checkout page cannot start it any more.
    const leftPath = new URL(left.checkoutUrl, server.url).pathname;
    await fetch(`${server.url}${leftPath}/start?lang=en`, { method: "POST", redirect: "manual" });
    expect(await ordersOf(left.monthlyGiftId)).toHaveLength(0);
  });
});
