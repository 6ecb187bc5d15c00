/**
 * Friend requests reach the addressee at once: a "friend_request" notification,
 * stored and pushed live to their open village room (within a second), holding
 * only the requester's id and public name; accepting tells the requester
 * ("friend_accepted"), and so does an invite link. Nothing is written for a
 * blocked requester; a block or a deleted account takes the notifications
 * away. The invite link names who sent it (POST /api/friends/invites/preview),
 * and no name for a deleted or blocked inviter.
 */
import type { Room } from "@colyseus/sdk";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { NotificationMessage, NotificationsResponse } from "../../shared/notifications.ts";
import type { InvitePreviewResponse, InviteResponse } from "../../shared/social.ts";
import { friendInvites } from "../../server/db/schema.ts";
import { signUpAccount, uniqueSuffix } from "../support/accounts.ts";
import { joinVillageRoom } from "../support/room-join.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
const rooms: Room[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(rooms.map((r) => r.leave().catch(() => {})));
  await server?.stop();
});

const player = (prefix: string) => signUpAccount(server, prefix);
const ask = (from: SessionResponse, to: SessionResponse) => server.api<ApiErrorBody>("/api/friends/requests", { token: from.token, body: { name: to.player.name } });
const notificationsOf = async (p: SessionResponse) => (await server.api<NotificationsResponse>("/api/notifications", { token: p.token })).body;
const friendKinds = async (p: SessionResponse) =>
  (await notificationsOf(p)).notifications.filter((n) => n.kind === "friend_request" || n.kind === "friend_accepted");

/** Joins the player's own village and records every notification pushed to them. */
async function listen(p: SessionResponse): Promise<{ heard: NotificationMessage[]; next(): Promise<NotificationMessage> }> {
  const room = await joinVillageRoom(server.url, p.token, p.villageId);
  rooms.push(room);
  const heard: NotificationMessage[] = [];
  const waiting: Array<(m: NotificationMessage) => void> = [];
  room.onMessage("notification", (m: NotificationMessage) => {
    heard.push(m);
    waiting.shift()?.(m);
  });
  return { heard, next: () => new Promise((resolve) => waiting.push(resolve)) };
}

describe("friend request notifications", () => {
  it("reach the addressee's open village within a second, stored, with only the requester's name and id", async () => {
    const [ana, ben] = [await player("Ana"), await player("Ben")];
    const bell = await listen(ben);
    const next = bell.next();
    const sentAt = Date.now();
    expect((await ask(ana, ben)).status).toBe(201);
    const message = await next;
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(message.notification).toMatchObject({ kind: "friend_request", readAt: null });
    expect(message.notification.payload).toEqual({ from: { id: ana.player.id, name: ana.player.name } });
    expect(message.unread).toBe(1);
    // Stored: the list has it, and the requester has nothing.
    expect((await friendKinds(ben)).map((n) => [n.kind, n.payload])).toEqual([["friend_request", { from: { id: ana.player.id, name: ana.player.name } }]]);
    expect(await friendKinds(ana)).toEqual([]);
    // Asking again while the request waits tells nobody twice.
    expect((await ask(ana, ben)).status).toBe(201);
    expect(await friendKinds(ben)).toHaveLength(1);

    // Ben accepts: Ana's open village hears it, and Ben's request notification has done its job.
    const anaBell = await listen(ana);
    const accepted = anaBell.next();
    expect((await server.api(`/api/friends/${ana.player.id}/accept`, { method: "POST", token: ben.token })).status).toBe(204);
    expect((await accepted).notification).toMatchObject({ kind: "friend_accepted", payload: { friend: { id: ben.player.id, name: ben.player.name } } });
    expect(await friendKinds(ben)).toEqual([]);
    expect((await friendKinds(ana)).map((n) => n.kind)).toEqual(["friend_accepted"]);
  });

  it("two requests toward each other: the first asker is told it was accepted", async () => {
    const [a, b] = [await player("Cat"), await player("Dan")];
    await ask(a, b);
    const bell = await listen(a);
    const told = bell.next();
    expect((await ask(b, a)).status).toBe(201);
    expect((await told).notification).toMatchObject({ kind: "friend_accepted", payload: { friend: { id: b.player.id } } });
    expect(await friendKinds(b)).toEqual([]);
  });

  it("writes and pushes nothing for a blocked requester, and a block or a declined request takes it away", async () => {
    const [eve, fay, gus] = [await player("Eve"), await player("Fay"), await player("Gus")];
    expect((await server.api(`/api/blocks/${eve.player.id}`, { method: "POST", token: fay.token })).status).toBe(204);
    const bell = await listen(fay);
    expect((await ask(eve, fay)).status).toBe(404);
    // Gus asks after: what the room pushes comes in order, so Eve's would have arrived first.
    const next = bell.next();
    expect((await ask(gus, fay)).status).toBe(201);
    expect((await next).notification.payload).toEqual({ from: { id: gus.player.id, name: gus.player.name } });
    expect(bell.heard).toHaveLength(1);
    expect((await friendKinds(fay)).map((n) => n.payload)).toEqual([{ from: { id: gus.player.id, name: gus.player.name } }]);

    // Fay declines Gus: his request leaves her list. He asks again, she blocks him: gone again.
    expect((await server.api(`/api/friends/${gus.player.id}`, { method: "DELETE", token: fay.token })).status).toBe(204);
    expect(await friendKinds(fay)).toEqual([]);
    expect((await ask(gus, fay)).status).toBe(201);
    expect(await friendKinds(fay)).toHaveLength(1);
    expect((await server.api(`/api/blocks/${gus.player.id}`, { method: "POST", token: fay.token })).status).toBe(204);
    expect(await friendKinds(fay)).toEqual([]);
  });

  it("a deleted account's requests leave the others' lists", async () => {
    const [hal, ivy] = [await player("Hal"), await player("Ivy")];
    await ask(hal, ivy);
    expect(await friendKinds(ivy)).toHaveLength(1);
    expect((await server.api("/api/me", { method: "DELETE", token: hal.token, body: { confirm: "DELETE", password: hal.password } })).status).toBe(204);
    expect(await friendKinds(ivy)).toEqual([]);
  });
});

describe("invite links say who invited you", () => {
  const preview = (token: string, as: SessionResponse) =>
    server.api<InvitePreviewResponse & ApiErrorBody>("/api/friends/invites/preview", { token: as.token, body: { token } });
  const invite = async (from: SessionResponse) => (await server.api<InviteResponse>("/api/friends/invites", { method: "POST", token: from.token })).body;

  it("names the inviter to a guest, and the inviter is told when the link is used", async () => {
    const host = await player("Ada");
    const link = await invite(host);
    const guest = await server.guest();
    const seen = await preview(link.token, guest);
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ inviter: { name: host.player.name } });

    const bell = await listen(host);
    const told = bell.next();
    const joiner = await player("Bo");
    expect((await server.api("/api/friends/invites/accept", { token: joiner.token, body: { token: link.token } })).status).toBe(200);
    expect((await told).notification).toMatchObject({ kind: "friend_accepted", payload: { friend: { id: joiner.player.id, name: joiner.player.name } } });
  });

  it("names nobody for a link that does not work, a blocked inviter either way, or a deleted one", async () => {
    const host = await player("Kai");
    const link = await invite(host);
    const guest = await server.guest();
    const refused = async (token: string, as: SessionResponse) => {
      const res = await preview(token, as);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("invite_invalid");
      expect(JSON.stringify(res.body)).not.toContain(host.player.name);
    };
    await refused(`hi_${uniqueSuffix()}`, guest);
    expect((await preview("", guest)).status).toBe(400);
    expect((await server.api("/api/friends/invites/preview", { body: { token: link.token } })).status).toBe(401);

    // Blocked either way: the guest blocks the host, or the host blocks someone who then opens the link.
    expect((await server.api(`/api/blocks/${host.player.id}`, { method: "POST", token: guest.token })).status).toBe(204);
    await refused(link.token, guest);
    const blocked = await player("Lou");
    expect((await server.api(`/api/blocks/${blocked.player.id}`, { method: "POST", token: host.token })).status).toBe(204);
    await refused(link.token, blocked);

    // Expired.
    const other = await server.guest();
    expect((await preview(link.token, other)).status).toBe(200);
    await server.hameau.database.db.update(friendInvites).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(friendInvites.inviterId, host.player.id));
    await refused(link.token, other);

    // Deleted.
    const fresh = await invite(host);
    expect((await preview(fresh.token, other)).status).toBe(200);
    expect((await server.api("/api/me", { method: "DELETE", token: host.token, body: { confirm: "DELETE", password: host.password } })).status).toBe(204);
    await refused(fresh.token, other);
  });
});
