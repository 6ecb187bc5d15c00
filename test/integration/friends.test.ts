/**
 * Friends: requests by name, accept / decline / remove, invite links that
 * expire, blocks that nobody can see, and the guest who must sign up first.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { FriendsResponse, InviteResponse } from "../../shared/social.ts";
import { friendInvites } from "../../server/db/schema.ts";
import { signUpAccount, uniqueSuffix } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const unique = uniqueSuffix;
const player = (prefix = "Ami") => signUpAccount(server, prefix);
const list = async (p: SessionResponse) => (await server.api<FriendsResponse>("/api/friends", { token: p.token })).body;
const ask = (from: SessionResponse, name: string) => server.api<ApiErrorBody & { status: string }>("/api/friends/requests", { token: from.token, body: { name } });
const statusOf = async (p: SessionResponse, other: SessionResponse) => (await list(p)).friends.find((f) => f.player.id === other.player.id)?.status ?? null;

describe("friend requests", () => {
  it("by name: pending both ways until accepted, then friends", async () => {
    const [ana, ben] = [await player("Ana"), await player("Ben")];
    const res = await ask(ana, ben.player.name.toUpperCase());
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("outgoing");
    expect(await statusOf(ana, ben)).toBe("outgoing");
    expect(await statusOf(ben, ana)).toBe("incoming");
    expect((await server.api(`/api/friends/${ana.player.id}/accept`, { method: "POST", token: ben.token })).status).toBe(204);
    expect(await statusOf(ana, ben)).toBe("friend");
    expect(await statusOf(ben, ana)).toBe("friend");
    expect((await ask(ana, ben.player.name)).body.error.code).toBe("already_friends");
    // Only the addressee can accept.
    const cid = await player("Cid");
    await ask(ana, cid.player.name);
    expect((await server.api(`/api/friends/${cid.player.id}/accept`, { method: "POST", token: ana.token })).status).toBe(404);
  });

  it("two requests toward each other make a friendship", async () => {
    const [a, b] = [await player(), await player()];
    await ask(a, b.player.name);
    const back = await ask(b, a.player.name);
    expect(back.body.status).toBe("friend");
    expect(await statusOf(a, b)).toBe("friend");
  });

  it("decline, cancel and remove all end the link", async () => {
    const [a, b] = [await player(), await player()];
    await ask(a, b.player.name);
    expect((await server.api(`/api/friends/${a.player.id}`, { method: "DELETE", token: b.token })).status).toBe(204);
    expect(await statusOf(a, b)).toBeNull();
    await ask(a, b.player.name);
    await server.api(`/api/friends/${a.player.id}/accept`, { method: "POST", token: b.token });
    expect((await server.api(`/api/friends/${b.player.id}`, { method: "DELETE", token: a.token })).status).toBe(204);
    expect(await statusOf(b, a)).toBeNull();
    expect((await server.api(`/api/friends/${b.player.id}`, { method: "DELETE", token: a.token })).status).toBe(404);
  });

  it("refuses unknown names, oneself, and guests", async () => {
    const a = await player();
    expect((await ask(a, `Nobody ${unique()}`)).body.error.code).toBe("player_unknown");
    expect((await ask(a, a.player.name)).body.error.code).toBe("friend_self");
    const guest = await server.guest();
    const res = await server.api<ApiErrorBody>("/api/friends/requests", { token: guest.token, body: { name: a.player.name } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("account_required");
    expect((await server.api("/api/friends", {})).status).toBe(401);
  });
});

describe("blocks", () => {
  it("end the friendship, stop requests both ways, and look like an unknown name", async () => {
    const [a, b] = [await player(), await player()];
    await ask(a, b.player.name);
    await server.api(`/api/friends/${a.player.id}/accept`, { method: "POST", token: b.token });
    expect((await server.api(`/api/blocks/${a.player.id}`, { method: "POST", token: b.token })).status).toBe(204);
    expect(await statusOf(a, b)).toBeNull();
    expect((await list(b)).blocked.map((p) => p.id)).toEqual([a.player.id]);
    expect((await list(a)).blocked).toEqual([]); // a does not learn it was blocked
    expect((await ask(a, b.player.name)).body.error.code).toBe("player_unknown");
    expect((await ask(b, a.player.name)).body.error.code).toBe("player_unknown");
    expect((await server.api(`/api/blocks/${a.player.id}`, { method: "DELETE", token: b.token })).status).toBe(204);
    expect((await ask(a, b.player.name)).status).toBe(201);
  });
});

describe("invite links", () => {
  it("make whoever opens one while signed in a friend, until it expires or is withdrawn", async () => {
    const [host, guestOfHonour, late] = [await player("Hote"), await player(), await player()];
    const invite = (await server.api<InviteResponse>("/api/friends/invites", { method: "POST", token: host.token })).body;
    expect(new URL(invite.url).searchParams.get("invite")).toBe(invite.token);
    expect(Date.parse(invite.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    const accepted = await server.api<{ friend: { id: string } }>("/api/friends/invites/accept", { token: guestOfHonour.token, body: { token: invite.token } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.friend.id).toBe(host.player.id);
    expect(await statusOf(host, guestOfHonour)).toBe("friend");
    expect((await server.api<ApiErrorBody>("/api/friends/invites/accept", { token: host.token, body: { token: invite.token } })).body.error.code).toBe("friend_self");

    // Expired: refused.
    await server.hameau.database.db.update(friendInvites).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(friendInvites.inviterId, host.player.id));
    const expired = await server.api<ApiErrorBody>("/api/friends/invites/accept", { token: late.token, body: { token: invite.token } });
    expect(expired.status).toBe(404);
    expect(expired.body.error.code).toBe("invite_invalid");
    // Withdrawn: refused too.
    const second = (await server.api<InviteResponse>("/api/friends/invites", { method: "POST", token: host.token })).body;
    expect((await server.api<{ revoked: number }>("/api/friends/invites", { method: "DELETE", token: host.token })).body.revoked).toBe(1);
    expect((await server.api<ApiErrorBody>("/api/friends/invites/accept", { token: late.token, body: { token: second.token } })).body.error.code).toBe("invite_invalid");
    expect((await server.api<ApiErrorBody>("/api/friends/invites/accept", { token: late.token, body: { token: "hi_forged" } })).body.error.code).toBe("invite_invalid");
    expect(await statusOf(host, late)).toBeNull();
  });
});
