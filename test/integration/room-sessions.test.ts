/**
 * Sessions and visits that end, end in the rooms too: a sign-out closes that
 * session's connections (not the player's other sessions), an expired session
 * is closed by the room's periodic check, a dropped connection cannot come
 * back with its reconnection token once its session ended, and a friendship
 * removed, a block or a village made private shows out the visitors who may
 * not stay, live. And an emote flood is limited with bounded memory.
 */
import { matchMaker } from "@colyseus/core";
import { Client, type Room } from "@colyseus/sdk";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { CLOSE_SESSION_ENDED, CLOSE_VISIT_ENDED } from "../../shared/messages.ts";
import { VillageState } from "../../shared/state.ts";
import { sessions } from "../../server/db/schema.ts";
import { hashToken } from "../../server/services/players.ts";
import { signUpAccount } from "../support/accounts.ts";
import { joinVillageRoom } from "../support/room-join.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
const rooms: Room<any, VillageState>[] = [];
beforeAll(async () => {
  server = await startTestServer({ sessionCheckMs: 250 });
});
afterAll(async () => {
  await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  await server?.stop();
});

const account = (prefix: string) => signUpAccount(server, prefix);
async function befriend(a: SessionResponse, b: SessionResponse) {
  await server.api("/api/friends/requests", { token: a.token, body: { name: b.player.name } });
  expect((await server.api(`/api/friends/${a.player.id}/accept`, { method: "POST", token: b.token })).status).toBe(204);
}
async function join(who: { token: string }, villageId: string) {
  const room = await joinVillageRoom(server.url, who.token, villageId);
  rooms.push(room);
  await vi.waitFor(() => expect(room.state.villageId).toBe(villageId));
  return room;
}
const closed = (room: Room<any, VillageState>) => new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
const present = (room: Room<any, VillageState>) => [...room.state.players.values()].map((p) => ({ playerId: p.playerId, connected: p.connected }));
const signIn = async (who: { email: string; password: string }) =>
  (await server.api<SessionResponse>("/api/account/signin", { body: { email: who.email, password: who.password } })).body;

describe("a session that ends", () => {
  it("sign-out closes that session's connections, and only those", async () => {
    const owner = await account("Signer");
    const phone = await signIn(owner);
    const laptop = await join(owner, owner.villageId);
    const onPhone = await join(phone, owner.villageId);
    const laptopClosed = closed(laptop);
    expect((await server.api("/api/account/signout", { method: "POST", token: owner.token })).status).toBe(204);
    expect(await laptopClosed).toBe(CLOSE_SESSION_ENDED);
    await vi.waitFor(() => expect(present(onPhone)).toHaveLength(1));
    expect(onPhone.connection.isOpen).toBe(true);
  });

  it("an expired session is closed by the room's periodic check", async () => {
    const owner = await account("Expiring");
    const room = await join(owner, owner.villageId);
    const gone = closed(room);
    await server.hameau.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.tokenHash, hashToken(owner.token)));
    expect(await gone).toBe(CLOSE_SESSION_ENDED);
  });

  it("a dropped connection does not come back with its reconnection token once its session ended", async () => {
    const owner = await account("Holder");
    const friend = await account("Dropped");
    await befriend(owner, friend);
    const home = await join(owner, owner.villageId);
    const visit = await join(friend, owner.villageId);
    await vi.waitFor(() => expect(present(home)).toContainEqual({ playerId: friend.player.id, connected: true }));
    visit.reconnection.enabled = false;
    const token = visit.reconnectionToken;
    void visit.leave(false); // the socket closes without a goodbye
    await vi.waitFor(() => expect(present(home)).toContainEqual({ playerId: friend.player.id, connected: false }), { timeout: 5000 });
    expect((await server.api("/api/account/signout", { method: "POST", token: friend.token })).status).toBe(204);
    // The place kept for the connection goes at once; the token resumes nothing.
    await vi.waitFor(() => expect(present(home).map((p) => p.playerId)).not.toContain(friend.player.id), { timeout: 3000 });
    await expect(new Client(server.url).reconnect(token, VillageState)).rejects.toBeDefined();
    expect(present(home).map((p) => p.playerId)).not.toContain(friend.player.id);
  });

  it("a session that expired while its connection was down is not resumed (onReconnect checks again)", async () => {
    const owner = await account("Keeper");
    const friend = await account("Napping");
    await befriend(owner, friend);
    const home = await join(owner, owner.villageId);
    const visit = await join(friend, owner.villageId);
    await vi.waitFor(() => expect(present(home)).toContainEqual({ playerId: friend.player.id, connected: true }));
    visit.reconnection.enabled = false;
    const token = visit.reconnectionToken;
    void visit.leave(false);
    await vi.waitFor(() => expect(present(home)).toContainEqual({ playerId: friend.player.id, connected: false }), { timeout: 5000 });
    // Expired, not signed out: nothing is announced; the reconnection itself must be refused.
    await server.hameau.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.tokenHash, hashToken(friend.token)));
    const back = await new Client(server.url).reconnect(token, VillageState).catch((err: unknown) => err);
    if (back instanceof Error || !(back as { leave?: unknown }).leave) expect(back).toBeDefined();
    else expect(await closed(back as Room<any, VillageState>)).toBe(CLOSE_SESSION_ENDED);
    await vi.waitFor(() => expect(present(home).map((p) => p.playerId)).not.toContain(friend.player.id), { timeout: 3000 });
  });
});

describe("a visit that may not go on", () => {
  it("removing a friend shows them out of the village, live", async () => {
    const owner = await account("Ending");
    const friend = await account("Former");
    await befriend(owner, friend);
    await join(owner, owner.villageId);
    const visit = await join(friend, owner.villageId);
    const out = closed(visit);
    expect((await server.api(`/api/friends/${friend.player.id}`, { method: "DELETE", token: owner.token })).status).toBe(204);
    expect(await out).toBe(CLOSE_VISIT_ENDED);
  });

  it("the visitor unfriending, or blocking, leaves the owner's village too", async () => {
    const owner = await account("Stays");
    const [leaver, blocker] = [await account("Unfriends"), await account("Blocks")];
    await befriend(owner, leaver);
    await befriend(owner, blocker);
    await join(owner, owner.villageId);
    const [a, b] = [await join(leaver, owner.villageId), await join(blocker, owner.villageId)];
    const [outA, outB] = [closed(a), closed(b)];
    expect((await server.api(`/api/friends/${owner.player.id}`, { method: "DELETE", token: leaver.token })).status).toBe(204);
    expect(await outA).toBe(CLOSE_VISIT_ENDED);
    expect((await server.api(`/api/blocks/${owner.player.id}`, { method: "POST", token: blocker.token })).status).toBe(204);
    expect(await outB).toBe(CLOSE_VISIT_ENDED);
  });

  it("a village made private shows out the strangers, not the friends", async () => {
    const owner = await account("Closing");
    const [friend, stranger] = [await account("Insider"), await account("Passerby")];
    await befriend(owner, friend);
    await server.api("/api/account/settings", { method: "PATCH", token: owner.token, body: { villageVisibility: "public" } });
    const home = await join(owner, owner.villageId);
    const [visit, passing] = [await join(friend, owner.villageId), await join(stranger, owner.villageId)];
    const out = closed(passing);
    await server.api("/api/account/settings", { method: "PATCH", token: owner.token, body: { villageVisibility: "friends" } });
    expect(await out).toBe(CLOSE_VISIT_ENDED);
    await vi.waitFor(() => expect(present(home).map((p) => p.playerId).sort()).toEqual([owner.player.id, friend.player.id].sort()));
    expect(visit.connection.isOpen).toBe(true);
  });
});

describe("an emote flood", () => {
  it("is limited: the others see a handful, and the room's limiter keeps no more than a few buckets", async () => {
    const owner = await server.guest();
    const home = await join(owner, owner.villageId);
    const second = await join(owner, owner.villageId);
    await vi.waitFor(() => expect(home.state.players.size).toBe(2));
    const avatar = () => home.state.players.get(second.sessionId)!;
    await vi.waitFor(() => expect(avatar()).toBeDefined());
    const before = avatar().emoteSeq;
    let seen = before;
    const room = matchMaker.getLocalRoomById(home.roomId) as unknown as { limits: { size: number } };
    let most = 0;
    second.reconnection.enabled = false;
    const flooderClosed = closed(second);
    home.onStateChange(() => {
      seen = Math.max(seen, avatar()?.emoteSeq ?? seen);
      most = Math.max(most, room.limits.size);
    });
    for (let i = 0; i < 500; i++) second.send("emote", { emote: "clap" });
    // Past 100 messages a second the connection is closed, and its place is not kept.
    expect(await flooderClosed).toBe(4002);
    expect(seen - before).toBeLessThanOrEqual(5);
    await vi.waitFor(() => expect(home.state.players.size).toBe(1));
    // One bucket per client and message type at most while it ran; none left once it is gone.
    expect(most).toBeLessThanOrEqual(2 * 3);
    await vi.waitFor(() => expect(room.limits.size).toBeLessThanOrEqual(1));
    expect(home.connection.isOpen).toBe(true);
  });
});
