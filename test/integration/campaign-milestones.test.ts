/**
 * Campaign leaderboards and milestones on the real server, paid through the
 * TEST MODE checkout and its signed webhook:
 * - the leaderboard (GET /api/campaigns/:id/leaderboard) ranks givers by gifts
 *   or by villages helped, names only players who opted in, shows an amount
 *   only for those who also opted in to that, never ranks by amount, and is a
 *   404 for a draft;
 * - a milestone reached by a payment gives its decoration to every giver's
 *   village once (replays, later payments and concurrent payments crossing it
 *   give no second one), live in an open village room, with a notification;
 *   a refund takes nothing back; the NGO sets its own milestones, and one
 *   already reached cannot change.
 */
import { type Room } from "@colyseus/sdk";
import { and, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { CampaignLeaderboardResponse } from "../../shared/campaign-leaderboard.ts";
import type { CampaignView, CreateCampaignRequest, PublicCampaignResponse } from "../../shared/campaigns.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { MilestonesResponse } from "../../shared/milestones.ts";
import { campaignMilestones, milestoneGrants, notifications, villageItems } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { signUpAccount } from "../support/accounts.ts";
import { gifting } from "../support/gifting.ts";
import { addNgoMember, demoNgoId } from "../support/ngo.ts";
import { joinCampaignRoom } from "../support/room-join.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, send, stripeEvent } from "../support/stripe-events.ts";

let server: TestServer;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);
const rooms: Array<Room<any, any>> = [];
let ngoId: string;
let editor: SessionResponse;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  ngoId = await demoNgoId(server);
  editor = await signUpAccount(server, "Editor");
  await addNgoMember(server, ngoId, editor.player.id, "editor");
});
afterAll(async () => {
  await Promise.all([...rooms, ...g.rooms].map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  expect(await checkLedger(g.db())).toEqual([]);
  await server?.stop();
});

/**
 * A campaign of the demo NGO's goats and hens. The campaigns made before end now, and this one's window
 * starts at the next whole second (TEST MODE payments are dated to the second): the gifts of one test
 * count for its own campaign only.
 */
async function campaign(over: Partial<CreateCampaignRequest> = {}, publish = true): Promise<CampaignView> {
  await g.db().execute(sql`update campaigns set ends_at = greatest(now(), starts_at + interval '1 millisecond') where ends_at > now()`);
  const start = Math.ceil(Date.now() / 1000) * 1000;
  await new Promise((resolve) => setTimeout(resolve, start - Date.now() + 5));
  const created = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns`, {
    token: editor.token,
    body: {
      titleFr: "Des chèvres", titleEn: "Goats", goalCents: 100_000, startsAt: iso(start), endsAt: iso(Date.now() + 24 * HOUR),
      giftIds: [g.gift("chevre").id, g.gift("poules").id], ...over,
    },
  });
  expect(created.status).toBe(201);
  if (publish) expect((await server.api(`/api/ngos/${ngoId}/campaigns/${created.body.id}/publish`, { method: "POST", token: editor.token })).status).toBe(200);
  return created.body;
}

async function give(who: SessionResponse, lines: Array<[string, number]>, to?: string) {
  const checkout = await g.checkout(who, lines, to ? { villageId: to } : {});
  expect(checkout.status).toBe(201);
  await g.pay(checkout.body);
  const order = await g.order(checkout.body.orderId);
  expect(order.status).toBe("paid");
  return { sessionId: order.checkoutSessionId!, orderId: order.id, totalCents: order.totalCents, paymentIntentId: order.paymentIntentId! };
}

/** The milestone decorations in a village (not removed), as "percent:sprite", sorted. */
async function decorationsOf(villageId: string, campaignId: string): Promise<string[]> {
  const rows = await g.db()
    .select({ percent: campaignMilestones.percent, sprite: villageItems.sprite, removedAt: villageItems.removedAt })
    .from(milestoneGrants)
    .innerJoin(campaignMilestones, eq(campaignMilestones.id, milestoneGrants.milestoneId))
    .innerJoin(villageItems, eq(villageItems.id, milestoneGrants.itemId))
    .where(and(eq(milestoneGrants.villageId, villageId), eq(campaignMilestones.campaignId, campaignId)));
  const items = await g.db().select({ id: villageItems.id }).from(villageItems)
    .where(and(eq(villageItems.villageId, villageId), like(villageItems.decorationId, "milestone:%")));
  // Every milestone item is a granted one: nothing was placed twice.
  expect(items.length).toBeGreaterThanOrEqual(rows.length);
  return rows.filter((r) => r.removedAt === null).map((r) => `${r.percent}:${r.sprite}`).sort();
}

async function milestoneNotifications(playerId: string, campaignId: string) {
  return g.db().select().from(notifications)
    .where(and(eq(notifications.playerId, playerId), eq(notifications.kind, "milestone_reached"), sql`${notifications.payload}->'campaign'->>'id' = ${campaignId}`));
}

const board = (id: string, by = "gifts") => server.api<CampaignLeaderboardResponse & ApiErrorBody>(`/api/campaigns/${id}/leaderboard?by=${by}`);
const settings = (who: SessionResponse, body: Record<string, boolean>) => server.api("/api/account/settings", { method: "PATCH", token: who.token, body });

describe("the leaderboard", () => {
  it("ranks by gifts or villages helped, names only those who opted in, amounts only when they chose so", { timeout: 60_000 }, async () => {
    const c = await campaign();
    const [shown, named, hidden, friend] = await Promise.all([
      signUpAccount(server, "Shown"), signUpAccount(server, "Named"), signUpAccount(server, "Hidden"), signUpAccount(server, "Friend"),
    ]);
    await settings(shown, { showOnLeaderboards: true, showAmountsOnLeaderboards: true });
    await settings(named, { showOnLeaderboards: true });
    // Amounts without a name stay hidden: the name switch comes first.
    await settings(hidden, { showAmountsOnLeaderboards: true });
    await g.befriend(named, friend);
    await give(shown, [["chevre", 2]]);
    await give(named, [["poules", 1]]);
    await give(named, [["poules", 1]], friend.villageId);
    await give(hidden, [["chevre", 3]]);

    const byGifts = await board(c.id, "gifts");
    expect(byGifts.status).toBe(200);
    expect(byGifts.body).toEqual({
      campaignId: c.id, currency: "EUR", by: "gifts",
      entries: [
        { rank: 2, name: named.player.name, gifts: 2, villages: 2 },
        { rank: 3, name: shown.player.name, gifts: 2, villages: 1, amountCents: 7000 },
      ],
      others: { givers: 1, gifts: 3 },
    });
    const byVillages = await board(c.id, "villages");
    expect(byVillages.body.entries.map((e) => [e.rank, e.name])).toEqual([[1, named.player.name], [3, shown.player.name]]);
    expect((await board(c.id)).body.by).toBe("gifts");
    for (const res of [byGifts, byVillages]) expect(JSON.stringify(res.body)).not.toContain(hidden.player.name);

    // The campaign room and the public campaign never name the hidden giver either.
    const room = await joinCampaignRoom(server.url, undefined, c.id);
    rooms.push(room);
    await vi.waitFor(() => expect(room.state.units).toBe(7));
    expect(room.state.leaderboard.map((e) => e.name).sort()).toEqual([named.player.name, shown.player.name].sort());
    expect(JSON.stringify((await server.api<PublicCampaignResponse>(`/api/campaigns/${c.id}`)).body)).not.toContain(hidden.player.name);

    // Turning the name off takes the amount with it; never a ranking by amount.
    await settings(shown, { showOnLeaderboards: false });
    const after = await board(c.id);
    expect(after.body.entries).toEqual([{ rank: 2, name: named.player.name, gifts: 2, villages: 2 }]);
    expect(after.body.others).toEqual({ givers: 2, gifts: 5 });
    for (const by of ["amount", "cents", ""]) {
      const bad = await board(c.id, by);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("bad_request");
    }
  });

  it("is a 404 for a draft, an unknown campaign and a malformed id", async () => {
    const draft = await campaign({}, false);
    for (const id of [draft.id, "00000000-0000-4000-8000-000000000000", "not-an-id"]) {
      const res = await board(id);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
  });
});

describe("milestones", () => {
  it("a payment reaching milestones gives every giver's village their decorations once, live, and a refund takes none back", { timeout: 60_000 }, async () => {
    const c = await campaign({ goalCents: 7000 });
    const [a, b, late] = await Promise.all([server.guest(), server.guest(), server.guest()]);
    await give(b, [["poules", 1]]);
    // 21 %: nothing reached; the defaults are written, none reached.
    const rows = await g.db().select().from(campaignMilestones).where(eq(campaignMilestones.campaignId, c.id));
    expect(rows.map((r) => [r.percent, r.reachedAt])).toEqual(expect.arrayContaining([[25, null], [50, null], [100, null]]));
    expect(await decorationsOf(b.villageId, c.id)).toEqual([]);

    // A's own village room watches: the decorations appear live.
    const room = await g.join(a, a.villageId);
    const first = await give(a, [["chevre", 1]]);
    // 71 %: 25 and 50 are reached; both givers' villages get both decorations.
    expect(await decorationsOf(a.villageId, c.id)).toEqual(["25:flower-bed", "50:lantern"]);
    expect(await decorationsOf(b.villageId, c.id)).toEqual(["25:flower-bed", "50:lantern"]);
    // (Only this campaign's: the goat also counts for the campaign of the test before, which may reach its own.)
    const ours = new Set(rows.map((r) => `milestone:${r.id}`));
    const mine = () => [...room.state.items.values()].filter((i) => ours.has(i.decorationId));
    await vi.waitFor(() => expect(mine().map((i) => i.sprite).sort()).toEqual(["flower-bed", "lantern"]));
    for (const i of mine()) {
      expect(i.kind).toBe("decoration");
      expect(i.x).toBeGreaterThanOrEqual(0);
    }
    expect((await milestoneNotifications(a.player.id, c.id)).length).toBe(1);
    expect((await milestoneNotifications(b.player.id, c.id)).length).toBe(1);
    const listed = await server.api<{ notifications: Array<{ kind: string; payload: { milestones: Array<{ percent: number }> } }> }>("/api/notifications", { token: b.token });
    expect(listed.body.notifications.find((n) => n.kind === "milestone_reached")?.payload.milestones.map((m) => m.percent)).toEqual([25, 50]);
    const shown = (await server.api<PublicCampaignResponse>(`/api/campaigns/${c.id}`)).body.progress.milestones!;
    expect(shown.map((m) => [m.percent, m.reachedAt !== null])).toEqual([[25, true], [50, true], [100, false]]);

    // The same event again changes nothing.
    const stored = await g.storedCompletedEvent(first.orderId);
    expect((await send(server.url, stored)).status).toBe(200);
    expect(await decorationsOf(a.villageId, c.id)).toEqual(["25:flower-bed", "50:lantern"]);

    // 121 %: 100 is reached. Everyone gets the fountain once; the late giver gets the earlier ones too.
    await give(late, [["chevre", 1]]);
    for (const who of [a, b]) expect(await decorationsOf(who.villageId, c.id)).toEqual(["100:fountain", "25:flower-bed", "50:lantern"]);
    expect(await decorationsOf(late.villageId, c.id)).toEqual(["100:fountain", "25:flower-bed", "50:lantern"]);
    expect((await milestoneNotifications(a.player.id, c.id)).length).toBe(2);
    expect((await milestoneNotifications(late.player.id, c.id)).length).toBe(1);

    // A full refund of A's goat takes the goat, never the decorations; the milestones stay reached.
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(first, first.totalCents)))).body).toMatchObject({ outcome: "refunded" });
    expect(await decorationsOf(a.villageId, c.id)).toEqual(["100:fountain", "25:flower-bed", "50:lantern"]);
    const after = (await server.api<PublicCampaignResponse>(`/api/campaigns/${c.id}`)).body.progress;
    expect(after.percent).toBe(71);
    expect(after.milestones!.every((m) => m.reachedAt !== null)).toBe(true);

    // A giver deletes their account: their village's decorations go with it, the grants stay (never given again).
    const deleted = await server.api("/api/me", { method: "DELETE", token: b.token, body: { confirm: "DELETE" } });
    expect(deleted.status).toBeLessThan(300);
    const kept = await g.db().select().from(milestoneGrants).where(eq(milestoneGrants.villageId, b.villageId));
    expect(kept).toHaveLength(3);
    expect(kept.every((k) => k.itemId === null)).toBe(true);
    await give(late, [["poules", 1]]);
    expect(await g.db().select().from(milestoneGrants).where(eq(milestoneGrants.villageId, b.villageId))).toHaveLength(3);
  });

  it("payments crossing a milestone at once reach it exactly once, and each giver's village gets one decoration", async () => {
    const c = await campaign({ goalCents: 10_000 });
    const set = await server.api<MilestonesResponse>(`/api/ngos/${ngoId}/campaigns/${c.id}/milestones`, {
      method: "PUT", token: editor.token, body: { milestones: [{ percent: 50, titleFr: "La moitié", titleEn: "Half", sprite: "bench" }] },
    });
    expect(set.status).toBe(200);
    expect(set.body.milestones.map((m) => [m.percent, m.sprite, m.reachedAt])).toEqual([[50, "bench", null]]);
    const givers = await Promise.all(Array.from({ length: 5 }, () => server.guest()));
    const checkouts = await Promise.all(givers.map((who) => g.checkout(who, [["chevre", 1]])));
    await Promise.all(checkouts.map((ch) => g.pay(ch.body)));
    const [m] = await g.db().select().from(campaignMilestones).where(eq(campaignMilestones.campaignId, c.id));
    expect(m!.reachedAt).not.toBeNull();
    const grants = await g.db().select().from(milestoneGrants).where(eq(milestoneGrants.milestoneId, m!.id));
    expect(grants.map((x) => x.villageId).sort()).toEqual(givers.map((x) => x.villageId).sort());
    const items = await g.db().select().from(villageItems).where(eq(villageItems.decorationId, `milestone:${m!.id}`));
    expect(items).toHaveLength(5);
    for (const who of givers) expect((await milestoneNotifications(who.player.id, c.id)).length).toBe(1);
  });

  it("lets editors set a campaign's own milestones, keeps reached ones, and writes nothing on a refusal", async () => {
    const c = await campaign({ goalCents: 100_000 });
    const viewer = await signUpAccount(server, "Viewer");
    await addNgoMember(server, ngoId, viewer.player.id, "viewer");
    const outsider = await server.guest();
    const path = `/api/ngos/${ngoId}/campaigns/${c.id}/milestones`;
    const body = { milestones: [{ percent: 10, titleFr: "Dix", titleEn: "Ten", sprite: "well" }, { percent: 200, titleFr: "Double", titleEn: "Double", sprite: "fountain" }] };
    const put = (who: SessionResponse, b: unknown, to = path) => server.api<MilestonesResponse & ApiErrorBody>(to, { method: "PUT", token: who.token, body: b });
    expect((await put(viewer, body)).status).toBe(403);
    expect((await put(outsider, body)).status).toBe(404);
    expect((await put(editor, body, `/api/ngos/${ngoId}/campaigns/00000000-0000-4000-8000-000000000000/milestones`)).status).toBe(404);
    const bad = await put(editor, { milestones: [{ percent: 0, titleFr: "", titleEn: "x", sprite: "goat" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toMatchObject({ "milestones.0.percent": "percent must be at least 1", "milestones.0.sprite": "sprite must be one of the milestone decorations" });
    expect(await g.db().select().from(campaignMilestones).where(eq(campaignMilestones.campaignId, c.id))).toEqual([]);

    const ok = await put(editor, body);
    expect(ok.status).toBe(200);
    expect(ok.body.milestones.map((m) => m.percent)).toEqual([10, 200]);
    const view = (await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns/${c.id}`, { token: viewer.token })).body;
    expect(view.progress.milestones!.map((m) => m.title.en)).toEqual(["Ten", "Double"]);

    // 10 % is reached by a gift; then it may not change nor go, and a refused edit writes nothing.
    const giver = await server.guest();
    await give(giver, [["chevre", 3]]);
    expect(await decorationsOf(giver.villageId, c.id)).toEqual(["10:well"]);
    const changed = await put(editor, { milestones: [{ ...body.milestones[0], sprite: "bench" }, body.milestones[1]] });
    expect(changed.status).toBe(400);
    expect(changed.body.error.fields).toEqual({ "milestones.0": "the milestone at 10% was reached and cannot change" });
    expect((await put(editor, { milestones: [] })).status).toBe(400);
    const kept = await put(editor, { milestones: [body.milestones[0], { percent: 50, titleFr: "Moitié", titleEn: "Half", sprite: "bench" }] });
    expect(kept.body.milestones.map((m) => [m.percent, m.reachedAt !== null])).toEqual([[10, true], [50, false]]);
  });
});
