/**
 * Campaigns end to end on the real server: who may read and write them,
 * every validation error (with nothing written), progress from payments made
 * through the TEST MODE checkout and its signed webhook, lowered by refunds
 * and a lost dispute, live in a campaign room (real SDK), the leaderboard
 * naming only players who opted in, the emergency alert in village rooms
 * (at once, and on joining), and what players may never see.
 */
import { type Room } from "@colyseus/sdk";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import { CampaignState } from "../../shared/campaign-state.ts";
import type { CampaignListResponse, CampaignView, CreateCampaignRequest, PublicCampaignListResponse, PublicCampaignResponse } from "../../shared/campaigns.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import { CLOSE_SESSION_ENDED, type EmergencyMessage } from "../../shared/messages.ts";
import { campaigns, orders } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { signUpAccount } from "../support/accounts.ts";
import { gifting, mentionsMoney, nextMessage } from "../support/gifting.ts";
import { addNgoMember, createNgoWithGift, demoNgoId } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, disputeObject, send, stripeEvent } from "../support/stripe-events.ts";
import { joinCampaignRoom, joinVillageRoom } from "../support/room-join.ts";

let server: TestServer;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);
const rooms: Array<Room<any, any>> = [];
let ngoId: string;
let editor: SessionResponse, viewer: SessionResponse, admin: SessionResponse, outsider: SessionResponse;

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  ngoId = await demoNgoId(server);
  editor = await signUpAccount(server, "Editor");
  viewer = await signUpAccount(server, "Viewer");
  admin = await signUpAccount(server, "Admin");
  outsider = await signUpAccount(server, "Outsider");
  await addNgoMember(server, ngoId, editor.player.id, "editor");
  await addNgoMember(server, ngoId, viewer.player.id, "viewer");
  await addNgoMember(server, ngoId, admin.player.id, "admin");
});
afterAll(async () => {
  await Promise.all([...rooms, ...g.rooms].map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  expect(await checkLedger(g.db())).toEqual([]);
  await server?.stop();
});

function draft(over: Partial<CreateCampaignRequest> = {}): CreateCampaignRequest {
  return {
    titleFr: "Des chèvres pour le Burkina", titleEn: "Goats for Burkina Faso", descriptionFr: "Chaque chèvre compte.", descriptionEn: "Every goat counts.",
    goalCents: 10_000, startsAt: iso(Date.now() - HOUR), endsAt: iso(Date.now() + 24 * HOUR), giftIds: [g.gift("chevre").id, g.gift("poules").id], ...over,
  };
}
const base = (id = ngoId) => `/api/ngos/${id}/campaigns`;
const create = (who: SessionResponse, body: unknown, id = ngoId) => server.api<CampaignView & ApiErrorBody>(base(id), { token: who.token, body });
const publish = (who: SessionResponse, campaignId: string, id = ngoId) =>
  server.api<CampaignView & ApiErrorBody>(`${base(id)}/${campaignId}/publish`, { method: "POST", token: who.token });
const patch = (who: SessionResponse, campaignId: string, body: unknown) =>
  server.api<CampaignView & ApiErrorBody>(`${base()}/${campaignId}`, { method: "PATCH", token: who.token, body });
const publicOne = (id: string) => server.api<PublicCampaignResponse & ApiErrorBody>(`/api/campaigns/${id}`);
const publicList = async () => (await server.api<PublicCampaignListResponse>("/api/campaigns")).body.campaigns.map((c) => c.id);
const campaignCount = async () => (await g.db().select({ id: campaigns.id }).from(campaigns)).length;

async function published(over: Partial<CreateCampaignRequest> = {}): Promise<CampaignView> {
  const created = await create(editor, draft(over));
  expect(created.status).toBe(201);
  const res = await publish(editor, created.body.id);
  expect(res.status).toBe(200);
  return res.body;
}

/** Pays for these gifts through the TEST MODE checkout; answers what a refund event needs. */
async function give(who: SessionResponse, lines: Array<[string, number]>) {
  const checkout = await g.checkout(who, lines);
  expect(checkout.status).toBe(201);
  await g.pay(checkout.body);
  const [order] = await g.db().select().from(orders).where(eq(orders.id, checkout.body.orderId));
  expect(order!.status).toBe("paid");
  return { sessionId: order!.checkoutSessionId!, orderId: order!.id, totalCents: order!.totalCents, paymentIntentId: order!.paymentIntentId! };
}

async function joinCampaign(campaignId: string, token?: string): Promise<Room<any, CampaignState>> {
  const room = await joinCampaignRoom(server.url, token, campaignId);
  rooms.push(room);
  await vi.waitFor(() => expect(room.state.campaignId).toBe(campaignId));
  return room;
}

describe("who may read and write an NGO's campaigns", () => {
  it("editors and admins create, viewers read, outsiders do not even see the NGO", async () => {
    const made = await create(editor, draft());
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      ngoId, title: { fr: "Des chèvres pour le Burkina", en: "Goats for Burkina Faso" }, goalCents: 10_000, emergency: false, publishedAt: null,
      phase: "running", progress: { raisedCents: 0, units: 0, donors: 0, percent: 0 },
    });
    expect(made.body.giftIds).toEqual([g.gift("chevre").id, g.gift("poules").id].sort());
    expect((await create(admin, draft())).status).toBe(201);

    const list = await server.api<CampaignListResponse>(base(), { token: viewer.token });
    expect(list.status).toBe(200);
    expect(list.body.campaigns.map((c) => c.id)).toContain(made.body.id);
    expect((await server.api(`${base()}/${made.body.id}`, { token: viewer.token })).status).toBe(200);

    const before = await campaignCount();
    const byViewer = await create(viewer, draft());
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.error.code).toBe("forbidden");
    expect((await patch(viewer, made.body.id, { goalCents: 1 })).status).toBe(403);
    expect((await publish(viewer, made.body.id)).status).toBe(403);
    for (const res of [
      await create(outsider, draft()), await server.api(base(), { token: outsider.token }), await patch(outsider, made.body.id, { goalCents: 1 }),
      await publish(outsider, made.body.id), await server.api(`${base()}/${made.body.id}`, { token: outsider.token }),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await server.api(base())).status).toBe(401);
    expect(await campaignCount()).toBe(before);
    expect((await g.db().select().from(campaigns).where(eq(campaigns.id, made.body.id)))[0]).toMatchObject({ goalCents: 10_000, publishedAt: null });
  });

  it("another NGO's campaign is unknown through this NGO's routes", async () => {
    const other = await createNgoWithGift(server, "approved");
    const otherEditor = await signUpAccount(server, "Other");
    await addNgoMember(server, other.ngoId, otherEditor.player.id, "editor");
    const theirs = await create(otherEditor, draft({ giftIds: [other.giftId] }), other.ngoId);
    expect(theirs.status).toBe(201);
    expect((await server.api(`${base()}/${theirs.body.id}`, { token: editor.token })).status).toBe(404);
    expect((await patch(editor, theirs.body.id, { goalCents: 500 })).status).toBe(404);
    expect((await publish(editor, theirs.body.id)).status).toBe(404);
    expect((await create(editor, draft(), other.ngoId)).status).toBe(404);
  });
});

describe("validation: each bad field is named, and nothing is written", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["a missing French title", { titleFr: "" }, "titleFr"],
    ["a missing English title", { titleEn: undefined }, "titleEn"],
    ["a title too long", { titleEn: "x".repeat(121) }, "titleEn"],
    ["a description that is not text", { descriptionFr: 12 }, "descriptionFr"],
    ["an English description too long", { descriptionEn: "x".repeat(4001) }, "descriptionEn"],
    ["a goal in fractions of a cent", { goalCents: 99.5 }, "goalCents"],
    ["a goal of zero", { goalCents: 0 }, "goalCents"],
    ["a negative goal", { goalCents: -100 }, "goalCents"],
    ["a start that is not a date", { startsAt: "next monday" }, "startsAt"],
    ["an end before the start", { endsAt: iso(Date.now() - 2 * HOUR) }, "endsAt"],
    ["no gifts", { giftIds: [] }, "giftIds"],
    ["a gift id that is not an id", { giftIds: ["goat"] }, "giftIds.0"],
    ["a gift listed twice", { giftIds: ["0e4b2c7e-1f4e-4a57-9a53-2d0f5a1b7c11", "0e4b2c7e-1f4e-4a57-9a53-2d0f5a1b7c11"] }, "giftIds"],
    ["an emergency flag that is not a boolean", { emergency: "yes" }, "emergency"],
    ["an unknown field", { ngoId: "someone else" }, "(root)"],
  ];
  it.each(cases)("refuses %s", async (_what, change, field) => {
    const before = await campaignCount();
    const res = await create(editor, { ...draft(), ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(Object.keys(res.body.error.fields ?? {})).toEqual([field]);
    expect(await campaignCount()).toBe(before);
  });

  it("refuses a gift of another NGO, and one that does not exist, under its field", async () => {
    const other = await createNgoWithGift(server, "approved");
    const before = await campaignCount();
    const foreign = await create(editor, draft({ giftIds: [g.gift("chevre").id, other.giftId] }));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields).toEqual({ "giftIds.1": "this gift is not one of this NGO's gifts" });
    const unknown = await create(editor, draft({ giftIds: ["0e4b2c7e-1f4e-4a57-9a53-2d0f5a1b7c11"] }));
    expect(unknown.body.error.fields).toEqual({ "giftIds.0": "this gift is not one of this NGO's gifts" });
    expect(await campaignCount()).toBe(before);
  });

  it("checks a correction against the stored period, and changes nothing when refused", async () => {
    const made = (await create(editor, draft())).body;
    const early = await patch(editor, made.id, { endsAt: iso(Date.parse(made.startsAt) - HOUR) });
    expect(early.status).toBe(400);
    expect(early.body.error.fields).toEqual({ endsAt: "endsAt must be after startsAt" });
    const late = await patch(editor, made.id, { startsAt: iso(Date.parse(made.endsAt) + HOUR) });
    expect(late.body.error.fields).toEqual({ startsAt: "endsAt must be after startsAt" });
    expect((await patch(editor, made.id, { goalCents: 0, titleFr: "Nouveau" })).body.error.fields).toEqual({ goalCents: "goalCents must be more than 0" });
    const [row] = await g.db().select().from(campaigns).where(eq(campaigns.id, made.id));
    expect(row).toMatchObject({ titleFr: made.title.fr, goalCents: made.goalCents, endsAt: new Date(made.endsAt) });
  });

  it("a published campaign's gifts, goal and period may be corrected; its emergency flag may not; an ended one cannot be published", async () => {
    const live = await published();
    expect(live.publishedAt).not.toBeNull();
    const fixed = await patch(editor, live.id, { giftIds: [g.gift("chevre").id], endsAt: iso(Date.now() + 48 * HOUR), goalCents: 20_000 });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ giftIds: [g.gift("chevre").id], goalCents: 20_000, publishedAt: live.publishedAt });
    const flag = await patch(editor, live.id, { emergency: true });
    expect(flag.status).toBe(409);
    expect(flag.body.error.code).toBe("campaign_published");
    // Publishing twice changes nothing.
    expect((await publish(editor, live.id)).body.publishedAt).toBe(live.publishedAt);

    const over = (await create(editor, draft({ startsAt: iso(Date.now() - 48 * HOUR), endsAt: iso(Date.now() - 24 * HOUR) }))).body;
    const late = await publish(editor, over.id);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("campaign_ended");
    expect((await g.db().select().from(campaigns).where(eq(campaigns.id, over.id)))[0]!.publishedAt).toBeNull();
  });
});

describe("progress from real payments", () => {
  it("moves with each paid gift, live in the campaign room, and goes back down with refunds and a lost dispute", async () => {
    const c = await published({ giftIds: [g.gift("chevre").id, g.gift("poules").id], goalCents: 10_000 });
    const room = await joinCampaign(c.id);
    expect(room.state).toMatchObject({ raised: 0, goal: 10_000, units: 0, donors: 0, percent: 0 });
    const [alice, bob] = [await server.guest(), await server.guest()];

    const first = await give(alice, [["chevre", 1], ["vache", 1]]);
    await vi.waitFor(() => expect(room.state).toMatchObject({ raised: 3500, units: 1, donors: 1, percent: 35 }), { timeout: 3000 });
    await give(bob, [["poules", 2]]);
    await vi.waitFor(() => expect(room.state).toMatchObject({ raised: 6500, units: 3, donors: 2, percent: 65 }), { timeout: 3000 });
    expect((await publicOne(c.id)).body.progress).toMatchObject({ raisedCents: 6500, units: 3, donors: 2, percent: 65 });
    expect((await server.api<CampaignView>(`${base()}/${c.id}`, { token: viewer.token })).body.progress.raisedCents).toBe(6500);

    // A partial refund of Alice's 28500 order: 1000 comes off, split as the ledger and the village split it
    // (shared/refund-split.ts): the goat, the cheapest gift covering the refund, leaves Alice's village and its line
    // gives the 1000 back. Its unit no longer counts; the 2500 it keeps does (the cow keeps all its 25000).
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(first, 1000)))).body.outcome).toBe("refunded");
    await vi.waitFor(() => expect(room.state).toMatchObject({ raised: 2500 + 3000, units: 2, donors: 2, percent: 55 }), { timeout: 3000 });
    // The rest of Alice's payment is refunded: nothing of her order counts any more.
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(first, first.totalCents)))).body.outcome).toBe("refunded");
    await vi.waitFor(() => expect(room.state).toMatchObject({ raised: 3000, units: 2, donors: 1, percent: 30 }), { timeout: 3000 });

    // A second room (the NGO console) sees the same numbers; a payment after a lost dispute leaves only what was kept.
    const console = await joinCampaign(c.id, editor.token);
    expect(console.state).toMatchObject({ raised: 3000, units: 2, donors: 1 });
    const carol = await server.guest();
    const third = await give(carol, [["chevre", 1]]);
    await vi.waitFor(() => expect(console.state).toMatchObject({ raised: 6500, units: 3, donors: 2 }), { timeout: 3000 });
    const dispute = `dp_${third.orderId.slice(0, 8)}`;
    expect((await send(server.url, stripeEvent("charge.dispute.created", disputeObject(third, dispute, "needs_response")))).body.outcome).toBe("dispute_opened");
    expect((await send(server.url, stripeEvent("charge.dispute.closed", disputeObject(third, dispute, "lost")))).body.outcome).toBe("dispute_lost");
    await vi.waitFor(() => expect(console.state).toMatchObject({ raised: 3000, units: 2, donors: 1 }), { timeout: 3000 });
    expect(room.state.raised).toBe(3000);
  });

  it("counts only payments made within the campaign's period, and follows a corrected period", async () => {
    const early = await server.guest();
    await give(early, [["ruche", 1]]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const c = await published({ giftIds: [g.gift("ruche").id], startsAt: iso(Date.now()), endsAt: iso(Date.now() + 24 * HOUR) });
    expect((await publicOne(c.id)).body.progress).toMatchObject({ raisedCents: 0, units: 0, donors: 0, percent: 0 });
    const room = await joinCampaign(c.id);
    await give(await server.guest(), [["ruche", 1]]);
    await vi.waitFor(() => expect(room.state).toMatchObject({ raised: 4000, units: 1, donors: 1 }), { timeout: 3000 });
    // Moving the start back an hour (a correction of a published campaign) brings the early gift in, live.
    expect((await patch(editor, c.id, { startsAt: iso(Date.now() - HOUR) })).status).toBe(200);
    await vi.waitFor(() => expect(room.state).toMatchObject({ raised: 8000, units: 2, donors: 2 }), { timeout: 3000 });
  });
});

describe("leaderboard", () => {
  it("names only villages whose owner opted in, counts the others, and never shows amounts", async () => {
    const c = await published({ giftIds: [g.gift("arrosoir").id], goalCents: 5000 });
    const [shown, hidden, alsoHidden] = [await signUpAccount(server, "Shown"), await signUpAccount(server, "Hidden"), await server.guest()];
    const optIn = await server.api("/api/account/settings", { method: "PATCH", token: shown.token, body: { showOnLeaderboards: true } });
    expect(optIn.body).toEqual({ villageVisibility: "friends", showPresence: false, showOnLeaderboards: true, shareReferrals: true, showAmountsOnLeaderboards: false, impactDigest: false });
    const bad = await server.api<ApiErrorBody>("/api/account/settings", { method: "PATCH", token: shown.token, body: { showOnLeaderboards: "yes" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ showOnLeaderboards: "showOnLeaderboards must be true or false" });

    await give(shown, [["arrosoir", 1]]);
    await give(hidden, [["arrosoir", 3]]);
    await give(alsoHidden, [["arrosoir", 2]]);
    const room = await joinCampaign(c.id);
    await vi.waitFor(() => expect(room.state.units).toBe(6));

    const { leaderboard } = (await publicOne(c.id)).body;
    expect(leaderboard).toEqual({ entries: [{ rank: 3, name: shown.player.name, units: 1 }], others: { villages: 2, units: 5 } });
    expect(mentionsMoney(leaderboard)).toBe(false);
    const text = JSON.stringify((await publicOne(c.id)).body);
    expect(text).not.toContain(hidden.player.name);
    expect(text).not.toContain(alsoHidden.player.name);
    expect(room.state.leaderboard.map((e) => ({ rank: e.rank, name: e.name, units: e.units }))).toEqual([{ rank: 3, name: shown.player.name, units: 1 }]);
    expect(room.state).toMatchObject({ otherVillages: 2, otherUnits: 5 });

    // Opting out takes the name off at the next change.
    await server.api("/api/account/settings", { method: "PATCH", token: shown.token, body: { showOnLeaderboards: false } });
    expect((await publicOne(c.id)).body.leaderboard).toEqual({ entries: [], others: { villages: 3, units: 6 } });
  });
});

describe("what players never see", () => {
  it("drafts, and campaigns of an NGO not approved yet, are in no list, answer 404, and only members may watch them", async () => {
    const hidden = (await create(editor, draft())).body;
    const pending = await createNgoWithGift(server, "pending");
    const pendingEditor = await signUpAccount(server, "Pending");
    await addNgoMember(server, pending.ngoId, pendingEditor.player.id, "editor");
    const theirs = (await create(pendingEditor, draft({ giftIds: [pending.giftId] }), pending.ngoId)).body;
    expect((await publish(pendingEditor, theirs.id, pending.ngoId)).status).toBe(200);
    const visible = await published();

    const listed = await publicList();
    expect(listed).toContain(visible.id);
    expect(listed).not.toContain(hidden.id);
    expect(listed).not.toContain(theirs.id);
    expect((await publicOne(hidden.id)).status).toBe(404);
    expect((await publicOne(theirs.id)).status).toBe(404);
    expect((await publicOne(visible.id)).body).toMatchObject({ id: visible.id, ngo: { id: ngoId }, phase: "running", gifts: [{ slug: expect.any(String) }, { slug: expect.any(String) }] });

    const guest = await server.guest();
    await expect(joinCampaignRoom(server.url, guest.token, hidden.id)).rejects.toMatchObject({ code: 404 });
    await expect(joinCampaignRoom(server.url, guest.token, theirs.id)).rejects.toMatchObject({ code: 404 });
    await expect(joinCampaignRoom(server.url, undefined, hidden.id)).rejects.toMatchObject({ code: 404 });
    // The NGO's own members may watch their draft, until their session ends.
    expect((await joinCampaign(hidden.id, viewer.token)).state.goal).toBe(hidden.goalCents);
    const member = await signUpAccount(server, "Watcher");
    await addNgoMember(server, ngoId, member.player.id, "viewer");
    const watching = await joinCampaign(hidden.id, member.token);
    const closed = new Promise<number>((resolve) => watching.onLeave((code) => resolve(code)));
    expect((await server.api("/api/account/signout", { method: "POST", token: member.token })).status).toBe(204);
    expect(await closed).toBe(CLOSE_SESSION_ENDED);
  });
});

describe("emergency campaigns", () => {
  it("reach every open village at once when published, and each player joining a village while they run", async () => {
    const resident = await server.guest();
    const home = await joinVillageRoom(server.url, resident.token, resident.villageId);
    rooms.push(home);
    await vi.waitFor(() => expect(home.state.villageId).toBe(resident.villageId));
    const alerts: EmergencyMessage[] = [];
    home.onMessage("emergency", (m: EmergencyMessage) => alerts.push(m));

    // A pending NGO's emergency reaches nobody; nor does an emergency draft.
    const pending = await createNgoWithGift(server, "pending");
    const pendingEditor = await signUpAccount(server, "Urgent");
    await addNgoMember(server, pending.ngoId, pendingEditor.player.id, "editor");
    const unseen = (await create(pendingEditor, draft({ giftIds: [pending.giftId], emergency: true }), pending.ngoId)).body;
    await publish(pendingEditor, unseen.id, pending.ngoId);
    const draftOnly = (await create(editor, draft({ emergency: true }))).body;

    const arrived = nextMessage<EmergencyMessage>(home, "emergency");
    const startedAt = Date.now();
    const urgent = await published({ emergency: true, titleFr: "Sécheresse", titleEn: "Drought", giftIds: [g.gift("puits").id] });
    const message = await arrived;
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(message).toEqual({
      campaignId: urgent.id, ngoName: "Semences Solidaires (démo)", title: { fr: "Sécheresse", en: "Drought" }, giftIds: [g.gift("puits").id], endsAt: urgent.endsAt,
    });
    expect(alerts.map((a) => a.campaignId)).toEqual([urgent.id]);
    expect(alerts.map((a) => a.campaignId)).not.toContain(draftOnly.id);

    // Someone arriving in a village later is told on joining.
    const late = await server.guest();
    const lateRoom = await joinVillageRoom(server.url, late.token, late.villageId);
    rooms.push(lateRoom);
    const onJoin = await Promise.race([nextMessage<EmergencyMessage>(lateRoom, "emergency"), new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
    expect(onJoin?.campaignId).toBe(urgent.id);
    expect(mentionsMoney(message)).toBe(false);
  });
});
