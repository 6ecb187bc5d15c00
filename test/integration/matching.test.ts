// @both-databases: matching caps under concurrent payments.
/**
 * Matching pledges end to end on the real server: who may read and record
 * them, every bad input (400 with its field, nothing written), matches at 1:1
 * and 2:1 from TEST MODE payments, a cap reached exactly by concurrent
 * payments (never passed), the window, refunds that unmatch and free cap, a
 * replayed webhook matching once, progress in the API and the campaign room,
 * and the ledger check after every scenario.
 */
import { type Room } from "@colyseus/sdk";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, CheckoutResponse, OrderView, SessionResponse } from "../../shared/api.ts";
import type { CampaignState } from "../../shared/campaign-state.ts";
import type { CampaignView, PublicCampaignResponse } from "../../shared/campaigns.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { MyDonationsResponse } from "../../shared/my-donations.ts";
import type { PledgeListResponse, PledgeView } from "../../shared/matching.ts";
import { campaignPledges, ledgerTransactions, orders, pledgeMatches } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { parisYear } from "../../server/services/receipts.ts";
import { signUpAccount } from "../support/accounts.ts";
import { pdfText } from "../support/pdf-text.ts";
import { addNgoMember, demoNgoId, insertNgoWithGift } from "../support/ngo.ts";
import { joinCampaignRoom } from "../support/room-join.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, deliver, disputeObject, send, sign, stripeEvent } from "../support/stripe-events.ts";

let server: TestServer;
let editor: SessionResponse, viewer: SessionResponse, outsider: SessionResponse;
const rooms: Array<Room<any, CampaignState>> = [];
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const db = () => server.hameau.database.db;

beforeAll(async () => {
  server = await startTestServer();
  editor = await signUpAccount(server, "Editor");
  viewer = await signUpAccount(server, "Viewer");
  outsider = await signUpAccount(server, "Outsider");
});
afterAll(async () => {
  await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  expect(await checkLedger(db())).toEqual([]);
  await server?.stop();
});

interface World { ngoId: string; giftId: string; campaignId: string; priceCents: number }

/** A fresh NGO with one gift (so no other scenario's pledge matches its gifts), a published campaign of it, and its members. */
async function world(priceCents = 1000, campaign: { startsAt?: number; endsAt?: number } = {}): Promise<World> {
  const ngo = await insertNgoWithGift(server, { name: `Matching ${Math.random().toString(36).slice(2, 8)}`, projectName: "Wells", giftName: "Well part", priceCents });
  await addNgoMember(server, ngo.ngoId, editor.player.id, "editor");
  await addNgoMember(server, ngo.ngoId, viewer.player.id, "viewer");
  const created = await server.api<CampaignView>(`/api/ngos/${ngo.ngoId}/campaigns`, {
    token: editor.token,
    body: {
      titleFr: "Des puits", titleEn: "Wells", goalCents: 100_000, giftIds: [ngo.giftId],
      startsAt: iso(campaign.startsAt ?? Date.now() - HOUR), endsAt: iso(campaign.endsAt ?? Date.now() + 24 * HOUR),
    },
  });
  expect(created.status).toBe(201);
  expect((await server.api(`/api/ngos/${ngo.ngoId}/campaigns/${created.body.id}/publish`, { method: "POST", token: editor.token })).status).toBe(200);
  return { ngoId: ngo.ngoId, giftId: ngo.giftId, campaignId: created.body.id, priceCents };
}

const pledgesUrl = (w: Pick<World, "ngoId" | "campaignId">) => `/api/ngos/${w.ngoId}/campaigns/${w.campaignId}/pledges`;
const pledge = (w: World, body: Record<string, unknown>, who = editor) => server.api<PledgeView & ApiErrorBody>(pledgesUrl(w), { token: who.token, body });
const endPledge = (w: World, id: string, who = editor) => server.api<PledgeView & ApiErrorBody>(`${pledgesUrl(w)}/${id}/end`, { method: "POST", token: who.token });
const publicOne = async (w: World) => (await server.api<PublicCampaignResponse>(`/api/campaigns/${w.campaignId}`)).body;
const pledgeRow = async (id: string) => (await db().select().from(campaignPledges).where(eq(campaignPledges.id, id)))[0]!;

/** A guest's checkout of `quantity` of the world's gift, not paid yet. */
async function checkout(w: World, quantity = 1, payer?: SessionResponse) {
  const who = payer ?? (await server.guest());
  const res = await server.api<CheckoutResponse>("/api/checkout", { token: who.token, body: { lines: [{ giftId: w.giftId, quantity }] } });
  expect(res.status).toBe(201);
  return res.body;
}
/** Clicks Pay on the TEST MODE page: the server signs and delivers the event to its own webhook. */
async function pay(c: CheckoutResponse) {
  const res = await fetch(server.url + c.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
  expect(res.status).toBe(303);
  const [order] = await db().select().from(orders).where(eq(orders.id, c.orderId));
  expect(order!.status).toBe("paid");
  return { sessionId: order!.checkoutSessionId!, orderId: order!.id, totalCents: order!.totalCents, paymentIntentId: order!.paymentIntentId! };
}
const give = async (w: World, quantity = 1, payer?: SessionResponse) => pay(await checkout(w, quantity, payer));
const matchedOf = async (orderId: string) => (await db().select().from(pledgeMatches).where(eq(pledgeMatches.orderId, orderId))).reduce((s, m) => s + m.matchedCents, 0);

describe("who may read and record pledges", () => {
  it("editors record and end them, viewers read, others do not even see the campaign", async () => {
    const w = await world();
    const made = await pledge(w, { sponsorName: "Boulangerie Martin", ratioPercent: 100, capCents: 50_000 });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ sponsor: "Boulangerie Martin", ratioPercent: 100, capCents: 50_000, matchedCents: 0, leftCents: 50_000, status: "active", campaignId: w.campaignId });
    const list = await server.api<PledgeListResponse>(pledgesUrl(w), { token: viewer.token });
    expect(list.status).toBe(200);
    expect(list.body.pledges.map((p) => p.id)).toEqual([made.body.id]);

    const count = async () => (await db().select().from(campaignPledges)).length;
    const before = await count();
    const byViewer = await pledge(w, { sponsorName: "X", ratioPercent: 100, capCents: 1 }, viewer);
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.error.code).toBe("forbidden");
    expect((await endPledge(w, made.body.id, viewer)).status).toBe(403);
    for (const res of [
      await pledge(w, { sponsorName: "X", ratioPercent: 100, capCents: 1 }, outsider), await server.api(pledgesUrl(w), { token: outsider.token }),
      await endPledge(w, made.body.id, outsider),
    ]) expect(res.status).toBe(404);
    expect((await server.api(pledgesUrl(w))).status).toBe(401);
    // Another NGO's campaign through this NGO's routes is unknown.
    const other = await world();
    expect((await server.api(pledgesUrl({ ngoId: w.ngoId, campaignId: other.campaignId }), { token: editor.token })).status).toBe(404);
    expect((await server.api(pledgesUrl({ ngoId: w.ngoId, campaignId: other.campaignId }), { token: editor.token, body: { sponsorName: "X", ratioPercent: 100, capCents: 1 } })).status).toBe(404);
    expect((await server.api(`${pledgesUrl(w)}/not-an-id/end`, { method: "POST", token: editor.token })).status).toBe(404);
    expect(await count()).toBe(before);
  });
});

describe("bad input: 400 with the field, and nothing written", () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  const ok = { sponsorName: "Acme", ratioPercent: 100, capCents: 10_000 };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["no sponsor", { sponsorName: "" }, "sponsorName"],
    ["a sponsor name too long", { sponsorName: "x".repeat(81) }, "sponsorName"],
    ["a sponsor name with a right-to-left override", { sponsorName: "A\u202eB" }, "sponsorName"],
    ["a ratio of zero", { ratioPercent: 0 }, "ratioPercent"],
    ["a ratio above 5:1", { ratioPercent: 501 }, "ratioPercent"],
    ["a ratio that is not whole", { ratioPercent: 1.5 }, "ratioPercent"],
    ["a ratio as text", { ratioPercent: "1:1" }, "ratioPercent"],
    ["no cap", { capCents: undefined }, "capCents"],
    ["a negative cap", { capCents: -5 }, "capCents"],
    ["a cap in fractions of a cent", { capCents: 10.5 }, "capCents"],
    ["a start that is not a date", { startsAt: "tomorrow" }, "startsAt"],
    ["an end before the start", { startsAt: iso(Date.now() + 2 * HOUR), endsAt: iso(Date.now() + HOUR) }, "endsAt"],
    ["an unknown field", { matchedCents: 5 }, "(root)"],
    ["an end already past", { startsAt: iso(Date.now() - 2 * HOUR), endsAt: iso(Date.now() - HOUR) }, "endsAt"],
    ["a window after the campaign", { startsAt: iso(Date.now() + 30 * HOUR), endsAt: iso(Date.now() + 40 * HOUR) }, "startsAt"],
  ];
  it.each(cases)("refuses %s", async (_what, change, field) => {
    const before = await db().select({ n: sql<number>`count(*)::int` }).from(ledgerTransactions);
    const pledges = (await db().select().from(campaignPledges)).length;
    const res = await pledge(w, { ...ok, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(Object.keys(res.body.error.fields ?? {})).toEqual([field]);
    expect((await db().select().from(campaignPledges)).length).toBe(pledges);
    expect(await db().select({ n: sql<number>`count(*)::int` }).from(ledgerTransactions)).toEqual(before);
  });

  it("refuses a NUL at the door (text_invalid), writing nothing", async () => {
    const pledges = (await db().select().from(campaignPledges)).length;
    const res = await pledge(w, { ...ok, sponsorName: "A\u0000B" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("text_invalid");
    expect((await db().select().from(campaignPledges)).length).toBe(pledges);
  });

  it("refuses a pledge on a campaign already over (409), and ending a pledge twice (409)", async () => {
    const over = await world(1000, { startsAt: Date.now() - 48 * HOUR, endsAt: Date.now() + 1500 });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const late = await pledge(over, ok);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("campaign_ended");
    const p = (await pledge(w, ok)).body;
    expect((await endPledge(w, p.id)).body).toMatchObject({ status: "ended", leftCents: 0 });
    const again = await endPledge(w, p.id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("pledge_ended");
  });
});

describe("matching real payments", () => {
  it("matches 1:1 and 2:1, shown apart from the donors' own gifts, live in the campaign room", async () => {
    const w = await world(1000);
    const room = await joinCampaignRoom(server.url, undefined, w.campaignId);
    rooms.push(room);
    const one = (await pledge(w, { sponsorName: "Acme", ratioPercent: 100, capCents: 1500 })).body;
    await vi.waitFor(() => expect(room.state.pledges.length).toBe(1), { timeout: 3000 });

    const first = await give(w);
    expect(await matchedOf(first.orderId)).toBe(1000);
    await vi.waitFor(() => expect(room.state).toMatchObject({ raised: 1000, matched: 1000 }), { timeout: 3000 });
    expect(room.state.pledges[0]).toMatchObject({ sponsor: "Acme", ratio: 100, cap: 1500, matched: 1000, left: 500 });

    // A 2:1 pledge created later applies after the first: the first's 500 left cover 500 of the next 2000, the 2:1 the other 1500.
    const two = (await pledge(w, { sponsorName: "Bolt", ratioPercent: 200, capCents: 100_000 })).body;
    const second = await give(w, 2);
    expect(await matchedOf(second.orderId)).toBe(500 + 3000);
    const progress = (await publicOne(w)).progress;
    expect(progress).toMatchObject({ raisedCents: 3000, percent: 3, matchedCents: 4500 });
    expect(progress.pledges).toEqual([
      { id: one.id, sponsor: "Acme", ratioPercent: 100, capCents: 1500, matchedCents: 1500, leftCents: 0, startsAt: one.startsAt, endsAt: one.endsAt },
      { id: two.id, sponsor: "Bolt", ratioPercent: 200, capCents: 100_000, matchedCents: 3000, leftCents: 97_000, startsAt: two.startsAt, endsAt: two.endsAt },
    ]);
    await vi.waitFor(() => expect(room.state.matched).toBe(4500), { timeout: 3000 });
    const view = await server.api<CampaignView>(`/api/ngos/${w.ngoId}/campaigns/${w.campaignId}`, { token: viewer.token });
    expect(view.body.progress.matchedCents).toBe(4500);
    expect(await checkLedger(db())).toEqual([]);
  });

  it("reaches a cap exactly under concurrent payments, never more", async () => {
    const w = await world(700);
    const p = (await pledge(w, { sponsorName: "Cap Corp", ratioPercent: 200, capCents: 10_000 })).body;
    const checkouts = await Promise.all(Array.from({ length: 16 }, () => checkout(w)));
    // 16 × 700 × 2 = 22,400 wanted: the pledge stops at 10,000.
    const paid = await Promise.all(checkouts.map((c) => pay(c)));
    const row = await pledgeRow(p.id);
    expect(row.matchedCents).toBe(10_000);
    const matches = await db().select().from(pledgeMatches).where(eq(pledgeMatches.pledgeId, p.id));
    expect(matches.reduce((s, m) => s + m.matchedCents, 0)).toBe(10_000);
    expect(matches.length).toBe(8); // seven full matches of 1400, then the 200 left
    expect(matches.filter((m) => m.matchedCents === 1400)).toHaveLength(7);
    expect(new Set(matches.map((m) => m.orderId)).size).toBe(matches.length);
    expect(paid.every((o) => o.orderId)).toBe(true);
    expect((await publicOne(w)).progress.pledges?.[0]).toMatchObject({ matchedCents: 10_000, leftCents: 0 });
    expect(await checkLedger(db())).toEqual([]);
  });

  it("respects the window: nothing before it starts, nothing after it ends", async () => {
    const w = await world(1000);
    const later = (await pledge(w, { sponsorName: "Later", ratioPercent: 100, capCents: 5000, startsAt: iso(Date.now() + HOUR) })).body;
    const early = await give(w);
    expect(await matchedOf(early.orderId)).toBe(0);
    const now = (await pledge(w, { sponsorName: "Now", ratioPercent: 100, capCents: 5000 })).body;
    expect(await matchedOf((await give(w)).orderId)).toBe(1000);
    expect((await endPledge(w, now.id)).body).toMatchObject({ status: "ended", matchedCents: 1000, leftCents: 0 });
    expect(await matchedOf((await give(w)).orderId)).toBe(0);
    // One that had not started is cancelled, and players never see it.
    expect((await endPledge(w, later.id)).body.status).toBe("cancelled");
    expect((await publicOne(w)).progress.pledges?.map((p) => p.sponsor)).toEqual(["Now"]);
    expect((await pledgeRow(later.id)).matchedCents).toBe(0);
  });

  it("unmatches a refund in proportion and frees the cap; a lost dispute unmatches all; a replayed webhook matches once", async () => {
    const w = await world(1000);
    const p = (await pledge(w, { sponsorName: "Refundable", ratioPercent: 100, capCents: 2500 })).body;
    const a = await give(w, 2);
    expect(await matchedOf(a.orderId)).toBe(2000);
    // Half refunded: one gift leaves, the match halves, 1000 of cap is free again.
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(a, 1000)))).body.outcome).toBe("refunded");
    expect(await matchedOf(a.orderId)).toBe(1000);
    expect((await pledgeRow(p.id)).matchedCents).toBe(1000);
    const b = await give(w, 2);
    expect(await matchedOf(b.orderId)).toBe(1500);
    expect((await pledgeRow(p.id)).matchedCents).toBe(2500);
    // The same refund event again changes nothing; the full refund unmatches the rest.
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(a, 1000)))).body.outcome).toBe("already_applied");
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(a, 2000)))).body.outcome).toBe("refunded");
    expect(await matchedOf(a.orderId)).toBe(0);
    expect((await pledgeRow(p.id)).matchedCents).toBe(1500);

    // A lost dispute unmatches all of its order.
    const dispute = `dp_${b.orderId.slice(0, 8)}`;
    expect((await send(server.url, stripeEvent("charge.dispute.created", disputeObject(b, dispute, "needs_response")))).body.outcome).toBe("dispute_opened");
    expect(await matchedOf(b.orderId)).toBe(1500);
    expect((await send(server.url, stripeEvent("charge.dispute.closed", disputeObject(b, dispute, "lost")))).body.outcome).toBe("dispute_lost");
    expect(await matchedOf(b.orderId)).toBe(0);
    expect((await pledgeRow(p.id)).matchedCents).toBe(0);

    // A replayed payment event (three deliveries at once) matches nothing more.
    const c = await give(w);
    expect(await matchedOf(c.orderId)).toBe(1000);
    const [event] = (await db().execute(sql`select payload from stripe_events where type = 'checkout.session.completed' and payload->'data'->'object'->'metadata'->>'orderId' = ${c.orderId}`) as unknown as { rows: Array<{ payload: unknown }> }).rows;
    const payload = JSON.stringify(event!.payload);
    const replays = await Promise.all([1, 2, 3].map(() => deliver(server.url, payload, sign(payload))));
    for (const r of replays) expect(r.body.outcome).toMatch(/^duplicate/);
    expect(await matchedOf(c.orderId)).toBe(1000);
    expect((await pledgeRow(p.id)).matchedCents).toBe(1000);
    const keys = await db().select({ key: ledgerTransactions.sourceKey }).from(ledgerTransactions).where(eq(ledgerTransactions.orderId, c.orderId));
    expect(keys.filter((k) => k.key.startsWith("match:"))).toHaveLength(1);
    expect(await checkLedger(db())).toEqual([]);
  });
});

describe("what the donor reads", () => {
  it("My donations, the order and the payment receipt say the match is the sponsor's, outside the donor's own amounts", async () => {
    const w = await world(1000);
    await pledge(w, { sponsorName: "Fondation Lumière", ratioPercent: 200, capCents: 100_000 });
    const donor = await server.guest();
    const paid = await give(w, 1, donor);
    const mine = (await server.api<MyDonationsResponse>("/api/me/donations", { token: donor.token })).body.donations.find((d) => d.orderId === paid.orderId)!;
    expect(mine).toMatchObject({ totalCents: 1000, matches: [{ sponsor: "Fondation Lumière", ratioPercent: 200, matchedCents: 2000, ngoId: w.ngoId }] });
    expect(mine.ngos).toEqual([expect.objectContaining({ paidCents: 1000 })]);
    const order = await server.api<OrderView>(`/api/orders/${paid.orderId}`, { token: donor.token });
    expect(order.body).toMatchObject({ totalCents: 1000, matches: [{ sponsor: "Fondation Lumière", matchedCents: 2000 }] });
    for (const lang of ["en", "fr"]) {
      const res = await fetch(`${server.url}/api/orders/${paid.orderId}/receipt.pdf?lang=${lang}`, { headers: { authorization: `Bearer ${donor.token}` } });
      expect(res.status).toBe(200);
      const text = pdfText(Buffer.from(await res.arrayBuffer()));
      expect(text).toContain(lang === "en" ? "Matched by Fondation Lumière" : "Abondé par Fondation Lumière");
      expect(text).toContain(lang === "en" ? "own gift" : "le don de Fondation Lumière");
    }
    // Another donor's order, unmatched, says nothing of matches.
    const plain = await world(1000);
    const other = await server.guest();
    const unmatched = await give(plain, 1, other);
    expect((await server.api<OrderView>(`/api/orders/${unmatched.orderId}`, { token: other.token })).body.matches).toBeUndefined();
  });

  it("the tax receipt certifies the donor's own gift only, and names the sponsor's match as the sponsor's", async () => {
    const ngoId = await demoNgoId(server);
    await addNgoMember(server, ngoId, editor.player.id, "editor");
    const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
    const can = catalog.gifts.find((g) => g.slug === "arrosoir")!;
    const created = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns`, {
      token: editor.token, body: { titleFr: "Arrosoirs", titleEn: "Watering cans", goalCents: 10_000, giftIds: [can.id], startsAt: iso(Date.now() - HOUR), endsAt: iso(Date.now() + HOUR) },
    });
    await server.api(`/api/ngos/${ngoId}/campaigns/${created.body.id}/publish`, { method: "POST", token: editor.token });
    const w: World = { ngoId, giftId: can.id, campaignId: created.body.id, priceCents: can.priceCents };
    await pledge(w, { sponsorName: "Mécène Solidaire", ratioPercent: 100, capCents: 100_000 });
    const donor = await server.guest();
    const paid = await give(w, 2, donor);
    expect(await matchedOf(paid.orderId)).toBe(2 * can.priceCents);
    // Paid last year, past the refund window: the year's receipt can be issued.
    const lastYear = parisYear(new Date()) - 1;
    await db().update(orders).set({ paidAt: new Date(Date.UTC(lastYear, 5, 15, 10)) }).where(eq(orders.id, paid.orderId));
    const profile = { firstName: "Claire", lastName: "Martin", addressLines: ["3 place de l'Église"], postalCode: "35000", city: "Rennes", country: "France" };
    expect((await server.api("/api/me/donor", { method: "PUT", token: donor.token, body: profile })).status).toBeLessThan(300);
    const receipt = await server.api<{ id: string; totalCents: number }>("/api/tax-receipts", { token: donor.token, body: { ngoId, year: lastYear } });
    expect(receipt.status).toBeLessThan(300);
    expect(receipt.body.totalCents).toBe(2 * can.priceCents);
    const res = await fetch(`${server.url}/api/tax-receipts/${receipt.body.id}/pdf`, { headers: { authorization: `Bearer ${donor.token}` } });
    const text = pdfText(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain("abondés par Mécène Solidaire");
    expect(text).toContain("n'est pas compris dans la somme attestée");
  });
});
