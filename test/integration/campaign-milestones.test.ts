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

async function campaign(over: Partial<CreateCampaignRequest> = {}, publish = true): Promise<CampaignView> {
  const created = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns`, {
    token: editor.token,
    body: {
      titleFr: "Des chèvres", titleEn: "Goats", goalCents: 100_000, startsAt: iso(Date.now() - HOUR), endsAt: iso(Date.now() + 24 * HOUR),
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
  return g.order(checkout.body.orderId);
}

const board = (id: string, by = "gifts") => server.api<CampaignLeaderboardResponse & ApiErrorBody>(`/api/campaigns/${id}/leaderboard?by=${by}`);
const settings = (who: SessionResponse, body: Record<string, boolean>) => server.api("/api/account/settings", { method: "PATCH", token: who.token, body });

describe("the leaderboard", () => {
  it("ranks by gifts or villages helped, names only those who opted in, amounts only when they chose so", async () => {
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
