// @both-databases: attribution, blocked and deleted sharers.
/**
 * Referrals end to end on the real server: a share code per player, a
 * checkout carrying `referral`, the attribution made when the TEST MODE
 * payment is fulfilled (exactly once, a replayed event changes nothing), and
 * the rules: unknown or malformed codes, self-referral, blocks both ways,
 * an opted-out or deleted sharer, refunds. The sharer's counts (and the live
 * push to their village room), the NGO's totals per channel, who may read
 * them, and the NGO's share messages served with the campaign.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutRequest, SessionResponse } from "../../shared/api.ts";
import type { CampaignView, PublicCampaignResponse } from "../../shared/campaigns.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { MyReferralsResponse, NgoReferralsResponse, ShareMessagesResponse } from "../../shared/referrals.ts";
import { campaignShareMessages, orderReferrals, orders, referralAttributions, referralCodes } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { signUpAccount } from "../support/accounts.ts";
import { gifting, nextMessage } from "../support/gifting.ts";
import { addNgoMember, demoNgoId } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, send, stripeEvent } from "../support/stripe-events.ts";

let server: TestServer;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);
let ngoId: string;
let campaignId: string;
let editor: SessionResponse, viewer: SessionResponse, outsider: SessionResponse;

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  ngoId = await demoNgoId(server);
  [editor, viewer, outsider] = await Promise.all([signUpAccount(server, "Editor"), signUpAccount(server, "Viewer"), signUpAccount(server, "Outsider")]);
  await addNgoMember(server, ngoId, editor.player.id, "editor");
  await addNgoMember(server, ngoId, viewer.player.id, "viewer");
  const created = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns`, {
    token: editor.token,
    body: {
      titleFr: "Des chèvres pour le Burkina", titleEn: "Goats for Burkina Faso", goalCents: 100_000,
      startsAt: iso(Date.now() - HOUR), endsAt: iso(Date.now() + 24 * HOUR), giftIds: [g.gift("chevre").id, g.gift("poules").id],
    },
  });
  expect(created.status).toBe(201);
  campaignId = created.body.id;
  expect((await server.api(`/api/ngos/${ngoId}/campaigns/${campaignId}/publish`, { method: "POST", token: editor.token })).status).toBe(200);
});
afterAll(async () => {
  await Promise.all(g.rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  expect(await checkLedger(g.db())).toEqual([]);
  await server?.stop();
});

const mine = (who: SessionResponse) => server.api<MyReferralsResponse & ApiErrorBody>("/api/me/referrals", { token: who.token });
const codeOf = async (who: SessionResponse) => (await mine(who)).body.code!;
const giftsFor = async (who: SessionResponse) => (await mine(who)).body.campaigns.find((c) => c.campaignId === campaignId)?.gifts ?? 0;
const ngoTotals = async (who = viewer) => (await server.api<NgoReferralsResponse>(`/api/ngos/${ngoId}/referrals`, { token: who.token })).body.campaigns.find((c) => c.campaignId === campaignId)!;
const attributionsOf = (orderId: string) => g.db().select().from(referralAttributions).where(eq(referralAttributions.orderId, orderId));

/** Pays these gifts through TEST MODE with a referral; answers the order. */
async function give(who: SessionResponse, lines: Array<[string, number]>, referral: CheckoutRequest["referral"]) {
  const checkout = await g.checkout(who, lines, { referral });
  expect(checkout.status).toBe(201);
  await g.pay(checkout.body);
  const order = await g.order(checkout.body.orderId);
  expect(order.status).toBe("paid");
  return order;
}

describe("a player's share code", () => {
  it("is short, random, stable, and only theirs to read", async () => {
    const a = await server.guest();
    const first = await mine(a);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ code: expect.stringMatching(/^[A-Za-z0-9]{10}$/), enabled: true, campaigns: [], totalGifts: 0 });
    expect((await mine(a)).body.code).toBe(first.body.code);
    // Not derived from the player's or the village's id.
    expect(a.player.id.replace(/-/g, "")).not.toContain(first.body.code!.toLowerCase());
    const b = await server.guest();
    expect(await codeOf(b)).not.toBe(first.body.code);
    expect((await server.api("/api/me/referrals")).status).toBe(401);
    expect((await server.api("/api/me/referrals", { token: "not-a-session" })).status).toBe(401);
  });
});

describe("attribution at fulfilment", () => {
  it("counts a TEST MODE gift for the sharer, pushes it live to their village, and counts a replayed payment once", async () => {
    const sharer = await server.guest();
    const payer = await server.guest();
    const code = await codeOf(sharer);
    const room = await g.join(sharer, sharer.villageId);
    const pushed = nextMessage<MyReferralsResponse>(room, "referrals");

    const order = await give(payer, [["chevre", 2], ["arrosoir", 1]], { code, channel: "whatsapp" });
    expect(await pushed).toMatchObject({ code, campaigns: [{ campaignId, gifts: 2, donations: 1 }], totalGifts: 2 });
    expect(await attributionsOf(order.id)).toEqual([
      expect.objectContaining({ campaignId, sharerId: sharer.player.id, channel: "whatsapp", gifts: 2, raisedCents: 2 * g.gift("chevre").priceCents }),
    ]);
    // What the sharer sees names nobody: counts only.
    const seen = JSON.stringify((await mine(sharer)).body);
    expect(seen).not.toContain(payer.player.id);
    expect(seen).not.toContain(payer.player.name);
    expect(seen).not.toContain(order.id);

    // The same Stripe event again, and a second event for the same session: nothing more.
    const stored = await g.storedCompletedEvent(order.id);
    expect((await send(server.url, stored)).status).toBe(200);
    const again = { ...stored, id: `${stored.id}_again` };
    expect((await send(server.url, again)).status).toBe(200);
    expect(await attributionsOf(order.id)).toHaveLength(1);
    expect(await giftsFor(sharer)).toBe(2);
    // The sharer's data export holds their code and counts; the payer's holds nothing of the sharer.
    const exported = await server.api<{ referrals: unknown }>("/api/me/export", { token: sharer.token });
    expect(exported.body.referrals).toEqual({ code, campaigns: [{ campaignId, gifts: 2, donations: 1 }] });
    const payerExport = await server.api<{ referrals: unknown }>("/api/me/export", { token: payer.token });
    expect(JSON.stringify(payerExport.body)).not.toContain(sharer.player.id);
    expect(JSON.stringify(payerExport.body)).not.toContain(code);
  });

  it("ignores an unknown or malformed code, and a gift outside every campaign", async () => {
    const payer = await server.guest();
    const sharer = await server.guest();
    for (const referral of [{ code: "Zz9Zz9Zz9Zz9" }, { code: "ab", channel: "x" }, { code: "<script>", channel: "x" }, { code: "x".repeat(64) }] as const) {
      const order = await give(payer, [["poules", 1]], referral);
      expect(await g.db().select().from(orderReferrals).where(eq(orderReferrals.orderId, order.id))).toEqual([]);
      expect(await attributionsOf(order.id)).toEqual([]);
    }
    const odd = await g.checkout(payer, [["poules", 1]], { referral: "nonsense" as never });
    expect(odd.status).toBe(201);
    const outside = await give(payer, [["arrosoir", 1]], { code: await codeOf(sharer), channel: "x" });
    expect(await attributionsOf(outside.id)).toEqual([]);
    expect(await giftsFor(sharer)).toBe(0);
  });

  it("never counts a gift for the payer themself", async () => {
    const self = await server.guest();
    const order = await give(self, [["chevre", 1]], { code: await codeOf(self), channel: "copy" });
    expect(await attributionsOf(order.id)).toEqual([]);
    expect(await giftsFor(self)).toBe(0);
  });

  it("never counts between players when either blocked the other", async () => {
    const sharer = await server.guest();
    const blocker = await server.guest();
    const blocked = await server.guest();
    const code = await codeOf(sharer);
    expect((await server.api(`/api/blocks/${sharer.player.id}`, { method: "POST", token: blocker.token })).status).toBeLessThan(300);
    expect((await server.api(`/api/blocks/${blocked.player.id}`, { method: "POST", token: sharer.token })).status).toBeLessThan(300);
    const byBlocker = await give(blocker, [["chevre", 1]], { code, channel: "x" });
    const byBlocked = await give(blocked, [["chevre", 1]], { code, channel: "x" });
    expect(await attributionsOf(byBlocker.id)).toEqual([]);
    expect(await attributionsOf(byBlocked.id)).toEqual([]);
    expect(await giftsFor(sharer)).toBe(0);
  });

  it("an opted-out sharer gets no new attribution and no code to share", async () => {
    const sharer = await server.guest();
    const payer = await server.guest();
    const code = await codeOf(sharer);
    const before = await give(payer, [["poules", 1]], { code, channel: "facebook" });
    expect(await attributionsOf(before.id)).toHaveLength(1);

    const off = await server.api<{ shareReferrals: boolean }>("/api/account/settings", { method: "PATCH", token: sharer.token, body: { shareReferrals: false } });
    expect(off.status).toBe(200);
    expect(off.body.shareReferrals).toBe(false);
    expect((await mine(sharer)).body).toMatchObject({ code: null, enabled: false, totalGifts: 1 });
    // A link shared before still carries the code: it no longer counts.
    const after = await give(payer, [["poules", 1]], { code, channel: "facebook" });
    expect(await attributionsOf(after.id)).toEqual([]);

    await server.api("/api/account/settings", { method: "PATCH", token: sharer.token, body: { shareReferrals: true } });
    expect((await mine(sharer)).body).toMatchObject({ code, enabled: true, totalGifts: 1 });
  });

  it("a deleted sharer's code leads nowhere, and what it brought stays in the NGO's totals, anonymised", async () => {
    const sharer = await server.guest();
    const payer = await server.guest();
    const code = await codeOf(sharer);
    const paid = await give(payer, [["chevre", 1]], { code, channel: "email" });
    const pending = await g.checkout(payer, [["chevre", 1]], { referral: { code, channel: "email" } });
    expect(pending.status).toBe(201);
    const totalsBefore = await ngoTotals();

    expect((await server.api("/api/me", { method: "DELETE", token: sharer.token, body: { confirm: "DELETE" } })).status).toBe(204);
    expect(await g.db().select().from(referralCodes).where(eq(referralCodes.playerId, sharer.player.id))).toEqual([]);
    expect(await attributionsOf(paid.id)).toEqual([expect.objectContaining({ sharerId: null, channel: "email", gifts: 1 })]);
    expect(await ngoTotals()).toEqual(totalsBefore);
    // An order started before the deletion and paid after: not counted.
    await g.pay(pending.body);
    expect(await attributionsOf(pending.body.orderId)).toEqual([]);
    const later = await give(payer, [["chevre", 1]], { code, channel: "email" });
    expect(await attributionsOf(later.id)).toEqual([]);
  });

  it("a fully refunded order stops counting; a partial refund keeps it", async () => {
    const sharer = await server.guest();
    const payer = await server.guest();
    const code = await codeOf(sharer);
    const whole = await give(payer, [["poules", 1]], { code, channel: "native" });
    const part = await give(payer, [["poules", 2]], { code, channel: "native" });
    expect(await giftsFor(sharer)).toBe(3);
    const room = await g.join(sharer, sharer.villageId);
    const pushed = nextMessage<MyReferralsResponse>(room, "referrals");
    const session = (o: typeof whole) => ({ sessionId: o.checkoutSessionId!, orderId: o.id, totalCents: o.totalCents, paymentIntentId: o.paymentIntentId! });
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(session(whole), whole.totalCents)))).body).toMatchObject({ outcome: "refunded" });
    expect((await pushed).campaigns[0]).toMatchObject({ campaignId, gifts: 2, donations: 1 });
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(session(part), 100)))).body).toMatchObject({ outcome: "refunded" });
    expect(await giftsFor(sharer)).toBe(2);
    const [refunded] = await g.db().select().from(orders).where(eq(orders.id, whole.id));
    expect(refunded!.refundedCents).toBe(whole.totalCents);
  });
});

describe("the NGO's totals", () => {
  it("per campaign and channel, counts and amounts only, for its members", async () => {
    const totals = await ngoTotals();
    expect(totals.channels.map((c) => c.channel)).toEqual(["email", "facebook", "native", "whatsapp"]);
    const sum = totals.channels.reduce((n, c) => n + c.gifts, 0);
    expect(totals.gifts).toBe(sum);
    expect(totals.channels.find((c) => c.channel === "whatsapp")).toEqual({
      channel: "whatsapp", donations: 1, gifts: 2, raisedCents: 2 * g.gift("chevre").priceCents,
    });
    expect(totals.currency).toBe("EUR");
    expect(Object.keys(totals).sort()).toEqual(["campaignId", "channels", "currency", "donations", "gifts", "raisedCents", "title"]);
    for (const c of totals.channels) expect(Object.keys(c).sort()).toEqual(["channel", "donations", "gifts", "raisedCents"]);

    expect((await server.api(`/api/ngos/${ngoId}/referrals`, { token: editor.token })).status).toBe(200);
    const byOutsider = await server.api<ApiErrorBody>(`/api/ngos/${ngoId}/referrals`, { token: outsider.token });
    expect(byOutsider.status).toBe(404);
    expect((await server.api(`/api/ngos/${ngoId}/referrals`)).status).toBe(401);
    expect([400, 404]).toContain((await server.api(`/api/ngos/not-an-id/referrals`, { token: viewer.token })).status);
  });
});

describe("the NGO's share messages", () => {
  const path = () => `/api/ngos/${ngoId}/campaigns/${campaignId}/share-messages`;

  it("are empty (defaults) until written, then served with the campaign", async () => {
    const empty = await server.api<ShareMessagesResponse>(path(), { token: viewer.token });
    expect(empty.status).toBe(200);
    expect(empty.body.messages.fr).toEqual({ text: "", x: "", whatsapp: "", emailSubject: "", emailBody: "" });

    const body = { fr: { text: "Une chèvre change une famille : rejoins-moi !", x: "Une chèvre 🐐, une famille" }, en: { emailSubject: "A goat?" } };
    const saved = await server.api<ShareMessagesResponse>(path(), { method: "PUT", token: editor.token, body });
    expect(saved.status).toBe(200);
    expect(saved.body.messages.fr.x).toBe("Une chèvre 🐐, une famille");
    expect(saved.body.messages.en).toEqual({ text: "", x: "", whatsapp: "", emailSubject: "A goat?", emailBody: "" });
    const served = await server.api<PublicCampaignResponse>(`/api/campaigns/${campaignId}`);
    expect(served.body.shareMessages?.fr.text).toBe("Une chèvre change une famille : rejoins-moi !");
    const list = await server.api<{ campaigns: PublicCampaignResponse[] }>("/api/campaigns");
    expect(list.body.campaigns.find((c) => c.id === campaignId)?.shareMessages?.en.emailSubject).toBe("A goat?");
  });

  it("refuse bad texts with clear errors and write nothing; only editors write, outsiders see nothing", async () => {
    const before = await g.db().select().from(campaignShareMessages);
    const bad = await server.api<ApiErrorBody>(path(), { method: "PUT", token: editor.token, body: { fr: { x: "a".repeat(300), emailSubject: "a\nb" }, en: { whatsapp: 5 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({
      "fr.x": "the French X message is too long for X: 300 of 256 characters (the link takes the rest of 280)",
      "fr.emailSubject": "the French e-mail subject cannot hold control characters",
      "en.whatsapp": "the English WhatsApp message must be text",
    });
    expect((await server.api(path(), { method: "PUT", token: viewer.token, body: {} })).status).toBe(403);
    expect((await server.api(path(), { method: "PUT", token: outsider.token, body: {} })).status).toBe(404);
    expect((await server.api(path(), { token: outsider.token })).status).toBe(404);
    expect((await server.api(`/api/ngos/${ngoId}/campaigns/11111111-2222-4333-8444-555555555555/share-messages`, { token: viewer.token })).status).toBe(404);
    expect(await g.db().select().from(campaignShareMessages)).toEqual(before);
  });
});
