/**
 * Live visits with real SDK clients: the owner, a friend and a stranger.
 * Who may enter, seeing each other move and wave, what a visitor may not do,
 * sending away and blocking, rate limits, and a dropped connection that
 * comes back to its place.
 */
import { matchMaker } from "@colyseus/core";
import { type Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { CLOSE_SENT_AWAY, JOIN_REFUSALS, joinRefusalOf, type RoomErrorMessage } from "../../shared/messages.ts";
import { announceAccountDeleted } from "../../server/realtime/account-deletions.ts";
import { VillageState } from "../../shared/state.ts";
import { signUpAccount, uniqueSuffix } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { joinVillageRoom } from "../support/room-join.ts";

let server: TestServer;
const rooms: Room<any, VillageState>[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  // A room the owner closed (sent away) has already left: do not wait for it.
  await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  await server?.stop();
});

const account = (prefix: string) => signUpAccount(server, prefix);
async function befriend(a: SessionResponse, b: SessionResponse) {
  await server.api("/api/friends/requests", { token: a.token, body: { name: b.player.name } });
  expect((await server.api(`/api/friends/${a.player.id}/accept`, { method: "POST", token: b.token })).status).toBe(204);
}
async function join(who: SessionResponse, villageId: string) {
  const room = await joinVillageRoom(server.url, who.token, villageId);
  rooms.push(room);
  await vi.waitFor(() => expect(room.state.villageId).toBe(villageId));
  return room;
}
const avatars = (room: Room<any, VillageState>) =>
  [...room.state.players.values()].map((p) => ({ playerId: p.playerId, name: p.name, isOwner: p.isOwner, x: p.x, y: p.y, emote: p.emote, connected: p.connected }));
const avatarOf = (room: Room<any, VillageState>, playerId: string) => avatars(room).find((a) => a.playerId === playerId);
/** How a join was refused: the SDK error's code, and the shared refusal the client reads from it. */
async function refusal(joining: Promise<unknown>): Promise<{ code: unknown; reason: string | null; message: string }> {
  try {
    await joining;
  } catch (err) {
    const { code, message } = err as { code?: unknown; message: string };
    return { code, reason: joinRefusalOf(code), message };
  }
  throw new Error("the join was not refused");
}
function nextError(room: Room<any, VillageState>): Promise<RoomErrorMessage> {
  return new Promise((resolve) => {
    const off = room.onMessage("error", (m: RoomErrorMessage) => {
      off();
      resolve(m);
    });
  });
}

describe("who may visit", () => {
  it("a friend may enter a private village; a stranger may not until it is public; a guest is refused too", async () => {
    const [owner, friend, stranger] = [await account("Owner"), await account("Friend"), await account("Stranger")];
    await befriend(owner, friend);
    const guest = await server.guest();
    await expect(join(stranger, owner.villageId)).rejects.toThrow(/private/);
    await expect(join(guest, owner.villageId)).rejects.toThrow(/private/);
    const visit = await join(friend, owner.villageId);
    await vi.waitFor(() => expect(avatarOf(visit, friend.player.id)).toMatchObject({ isOwner: false, connected: true }));
    await server.api("/api/account/settings", { method: "PATCH", token: owner.token, body: { villageVisibility: "public" } });
    const open = await join(stranger, owner.villageId);
    await vi.waitFor(() => expect(avatars(open).map((a) => a.playerId).sort()).toEqual([friend.player.id, stranger.player.id].sort()));
  });
});

describe("a visit", () => {
  let owner: SessionResponse, friend: SessionResponse, third: SessionResponse;
  let home: Room<any, VillageState>, visit: Room<any, VillageState>, other: Room<any, VillageState>;
  beforeAll(async () => {
    [owner, friend, third] = [await account("Host"), await account("Guest"), await account("Third")];
    await befriend(owner, friend);
    await befriend(owner, third);
    home = await join(owner, owner.villageId);
    visit = await join(friend, owner.villageId);
    other = await join(third, owner.villageId);
  });

  it("shows everyone present to everyone, with names, the visitors at the gate", async () => {
    for (const room of [home, visit, other]) {
      await vi.waitFor(() => expect(avatars(room).map((a) => a.name).sort()).toEqual([owner.player.name, friend.player.name, third.player.name].sort()));
    }
    expect(avatarOf(home, owner.player.id)).toMatchObject({ isOwner: true });
    expect(avatarOf(home, friend.player.id)).toMatchObject({ isOwner: false, y: 8 });
  });

  it("shares moves and emotes live", async () => {
    visit.send("move", { x: 3.5, y: 2 });
    visit.send("emote", { emote: "wave" });
    home.send("move", { x: 7, y: 4 });
    for (const room of [home, other]) await vi.waitFor(() => expect(avatarOf(room, friend.player.id)).toMatchObject({ x: 3.5, y: 2, emote: "wave" }));
    await vi.waitFor(() => expect(avatarOf(visit, owner.player.id)).toMatchObject({ x: 7, y: 4 }));
  });

  it("refuses a visitor's forged place, and leaves the item where it was", async () => {
    const item = [...home.state.items.values()].find((i) => i.x >= 0)!;
    const before = { x: item.x, y: item.y };
    const refused = nextError(visit);
    visit.send("place", { itemId: item.id, x: 0, y: 0 });
    expect(await refused).toMatchObject({ code: "not_owner", about: "place" });
    expect(home.state.items.get(item.id)).toMatchObject(before);
  });

  it("refuses messages that are malformed, out of the village or unknown", async () => {
    let refused = nextError(visit);
    visit.send("move", { x: 99, y: 1 });
    expect(await refused).toMatchObject({ code: "bad_request", about: "move" });
    refused = nextError(visit);
    visit.send("emote", { emote: "<img src=x>" });
    expect(await refused).toMatchObject({ code: "bad_request", about: "emote" });
    refused = nextError(visit);
    visit.send("fly", { to: "anywhere" });
    expect(await refused).toMatchObject({ code: "bad_request", about: "unknown" });
    refused = nextError(visit);
    visit.send("take", { itemId: "anything" });
    expect(await refused).toMatchObject({ code: "bad_request", about: "take" });
    refused = nextError(visit);
    visit.send("sendAway", { playerId: owner.player.id });
    expect(await refused).toMatchObject({ code: "visitor_forbidden", about: "sendAway" });
    expect(avatarOf(home, friend.player.id)).toMatchObject({ x: 3.5, y: 2 });
  });

  it("rate limits a flood and drops what is over the limit", async () => {
    const refused = nextError(other);
    for (let i = 0; i < 20; i++) other.send("emote", { emote: "clap" });
    expect(await refused).toMatchObject({ code: "rate_limited", about: "emote" });
  });

  it("brings a dropped connection back to its place within the reconnection window", async () => {
    visit.reconnection.minUptime = 0;
    const back = new Promise<void>((resolve) => visit.onReconnect.once(() => resolve()));
    const sessionId = visit.sessionId;
    void visit.leave(false); // the socket closes without a goodbye, as on a network cut
    await vi.waitFor(() => expect(avatarOf(home, friend.player.id)).toMatchObject({ connected: false, x: 3.5, y: 2 }), { timeout: 5000 });
    await back;
    expect(visit.sessionId).toBe(sessionId);
    await vi.waitFor(() => expect(avatarOf(home, friend.player.id)).toMatchObject({ connected: true, x: 3.5, y: 2 }), { timeout: 5000 });
    visit.send("emote", { emote: "heart" });
    await vi.waitFor(() => expect(avatarOf(home, friend.player.id)).toMatchObject({ emote: "heart" }));
  });

  it("lets the owner send a visitor away (no coming back for a while) and block another", async () => {
    const closed = new Promise<number>((resolve) => visit.onLeave((code) => resolve(code)));
    home.send("sendAway", { playerId: friend.player.id });
    expect(await closed).toBe(CLOSE_SENT_AWAY);
    await vi.waitFor(() => expect(avatarOf(home, friend.player.id)).toBeUndefined());
    await expect(join(friend, owner.villageId)).rejects.toThrow(/sent you away/);
    expect(await refusal(join(friend, owner.villageId))).toMatchObject({ code: JOIN_REFUSALS.sent_away, reason: "sent_away" });

    const blocked = new Promise<number>((resolve) => other.onLeave((code) => resolve(code)));
    home.send("sendAway", { playerId: third.player.id, block: true });
    expect(await blocked).toBe(CLOSE_SENT_AWAY);
    const friends = (await server.api<{ friends: unknown[]; blocked: Array<{ id: string }> }>("/api/friends", { token: owner.token })).body;
    expect(friends.blocked.map((b) => b.id)).toContain(third.player.id);
    // A block looks like a private village to the blocked player.
    expect(await refusal(join(third, owner.villageId))).toMatchObject({ code: JOIN_REFUSALS.village_private, reason: "village_private" });
  });
});

describe("sending away a visitor whose connection dropped", () => {
  it("ends the place kept for them at once; they cannot come back to it nor rejoin", async () => {
    const [owner, friend] = [await account("Keeper"), await account("Wanderer")];
    await befriend(owner, friend);
    const home = await join(owner, owner.villageId);
    const visit = await join(friend, owner.villageId);
    await vi.waitFor(() => expect(avatarOf(home, friend.player.id)).toMatchObject({ connected: true }));
    // No retry from this SDK: the place the room keeps for the dropped connection is what is tested.
    visit.reconnection.enabled = false;
    void visit.leave(false); // the socket closes without a goodbye
    await vi.waitFor(() => expect(avatarOf(home, friend.player.id)).toMatchObject({ connected: false }), { timeout: 5000 });

    home.send("sendAway", { playerId: friend.player.id });
    // Gone now, not when the 20-second window ends.
    await vi.waitFor(() => expect(avatarOf(home, friend.player.id)).toBeUndefined(), { timeout: 2000 });
    // A fresh join is refused as sent away.
    expect(await refusal(join(friend, owner.villageId))).toMatchObject({ code: JOIN_REFUSALS.sent_away, reason: "sent_away" });
  });
});

describe("a refused join says why with a shared code, not only in words", () => {
  it("gives each refusal its own code", () => {
    expect(new Set(Object.values(JOIN_REFUSALS)).size).toBe(Object.keys(JOIN_REFUSALS).length);
  });

  it("unauthorized, unknown village, private village, sent away and account deleted", async () => {
    const [owner, friend, stranger, leaving] = [await account("Gate"), await account("Pal"), await account("Nosy"), await account("Leaving")];
    await befriend(owner, friend);
    await befriend(owner, leaving);
    const home = await join(owner, owner.villageId);

    expect(await refusal(join({ ...owner, token: "not-a-session-token" }, owner.villageId))).toMatchObject({ code: 401, reason: "unauthorized" });
    const nowhere = await refusal(join(owner, crypto.randomUUID()));
    expect(nowhere).toMatchObject({ code: 404, reason: "village_unknown" });
    expect(nowhere.message).toMatch(/No such village/);
    expect(await refusal(join(owner, "not-a-village"))).toMatchObject({ code: 404, reason: "village_unknown" });
    expect(await refusal(join(stranger, owner.villageId))).toMatchObject({ code: 403, reason: "village_private" });

    const visit = await join(friend, owner.villageId);
    const closed = new Promise<number>((resolve) => visit.onLeave((code) => resolve(code)));
    home.send("sendAway", { playerId: friend.player.id });
    expect(await closed).toBe(CLOSE_SENT_AWAY);
    expect(await refusal(join(friend, owner.villageId))).toMatchObject({ code: 423, reason: "sent_away" });

    // The deletion of an account reaches the room while that player's join is under way (past the
    // session check): announced here without deleting, so the session still passes onAuth.
    await announceAccountDeleted(matchMaker.presence, { playerId: leaving.player.id, villageId: leaving.villageId });
    expect(await refusal(join(leaving, owner.villageId))).toMatchObject({ code: 410, reason: "account_deleted" });
    expect(avatarOf(home, leaving.player.id)).toBeUndefined();
  });
});
