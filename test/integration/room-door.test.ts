/**
 * The matchmaking door, attacked as an outsider would: a huge body, anonymous
 * room creation, `create` / `joinById` around the rules, a presence oracle,
 * room tickets used twice, a room filled to push friends into a second one,
 * and a send-away dodged with `create`. What every refusal answers, and that
 * nothing exists afterwards that should not.
 */
import http from "node:http";
import { matchMaker } from "@colyseus/core";
import { Client, type Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { CLOSE_SENT_AWAY, MATCHMAKE_BODY_LIMIT } from "../../shared/messages.ts";
import { VillageState } from "../../shared/state.ts";
import { signUpAccount } from "../support/accounts.ts";
import { joinVillageRoom, roomTicket } from "../support/room-join.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
const rooms: Room<any, VillageState>[] = [];
beforeAll(async () => {
  server = await startTestServer();
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
async function join(who: SessionResponse, villageId: string) {
  const room = await joinVillageRoom(server.url, who.token, villageId);
  rooms.push(room);
  await vi.waitFor(() => expect(room.state.villageId).toBe(villageId));
  return room;
}
/** A raw matchmaking request, as any HTTP client could send it. */
async function matchmake(method: string, room: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/matchmake/${method}/${room}`, {
    method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as { error?: { code: string; message: string }; roomId?: string; sessionId?: string } };
}
/** The rooms open for this village (this process's matchmaker). */
const roomsOf = async (villageId: string) => {
  const all = await matchMaker.query({ name: "village" });
  const ids: string[] = [];
  for (const r of all) {
    const local = matchMaker.getLocalRoomById(r.roomId) as unknown as { state?: VillageState } | undefined;
    if (local?.state?.villageId === villageId) ids.push(r.roomId);
  }
  return ids;
};

describe("the matchmaking body", () => {
  it("refuses a body over the cap at once, before reading it, and holds no memory for it", async () => {
    const before = process.memoryUsage();
    const started = Date.now();
    const size = 64 * 1024 * 1024;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${server.url}/matchmake/joinOrCreate/village`, { method: "POST", headers: { "content-type": "application/json", "content-length": String(size) } });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "bad_request" } });
    expect(Date.now() - started).toBeLessThan(3000);
    const after = process.memoryUsage();
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 * 1024 * 1024);
  });

  it("refuses a streamed (chunked) body as soon as it passes the cap", async () => {
    const res = await fetch(`${server.url}/matchmake/joinOrCreate/village`, {
      method: "POST", headers: { "content-type": "application/json" }, duplex: "half",
      body: new ReadableStream({
        pull(controller) {
          controller.enqueue(new TextEncoder().encode(" ".repeat(1024)));
        },
      }),
    } as RequestInit).catch((err: unknown) => err);
    // Either the 413 arrives, or the server closed the endless upload: never a read to the end.
    if (res instanceof Response) expect(res.status).toBe(413);
    else expect(String(res)).toMatch(/fetch failed|closed|reset|EPIPE/i);
    const small = await matchmake("joinOrCreate", "village", `{"villageId":"${"x".repeat(MATCHMAKE_BODY_LIMIT)}"}`);
    expect(small).toMatchObject({ status: 413, body: { error: { code: "bad_request" } } });
  });

  it("answers malformed requests with 4xx and a code", async () => {
    expect(await matchmake("joinOrCreate", "village", "{not json")).toMatchObject({ status: 400, body: { error: { code: "invalid_json" } } });
    expect(await matchmake("joinOrCreate", "village", "[1,2]")).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    expect(await matchmake("joinOrCreate", "no-such-room", {})).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await matchmake("joinById", "abcdef", {})).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await matchmake("reconnect", "abcdef", { reconnectionToken: "x" })).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await matchmake("reconnect", "../../etc", {})).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await matchmake("whatever", "village", {})).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    const get = await fetch(`${server.url}/matchmake/joinOrCreate/village`);
    expect(get.status).toBe(404);
  });
});

describe("who may cause a village room to exist", () => {
  it("nobody without a room ticket: 50 anonymous creates make no room and reserve no seat", async () => {
    const owner = await server.guest();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => matchmake(["create", "joinOrCreate", "join"][i % 3]!, "village", { villageId: owner.villageId })),
    );
    for (const a of answers) expect(a).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect(await roomsOf(owner.villageId)).toEqual([]);
    // The session token is not a ticket, in the body or in the header.
    expect(await matchmake("joinOrCreate", "village", { villageId: owner.villageId, ticket: owner.token })).toMatchObject({ status: 401 });
    expect(await matchmake("joinOrCreate", "village", { villageId: owner.villageId }, { authorization: `Bearer ${owner.token}` })).toMatchObject({ status: 401 });
    expect(await roomsOf(owner.villageId)).toEqual([]);
  });

  it("a room ticket is used once", async () => {
    const owner = await server.guest();
    const ticket = await roomTicket(server.url, owner.token);
    const first = await matchmake("joinOrCreate", "village", { villageId: owner.villageId, ticket });
    expect(first.status).toBe(200);
    expect(await matchmake("joinOrCreate", "village", { villageId: owner.villageId, ticket })).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    // A ticket of a session that ended is worth nothing.
    const unused = await roomTicket(server.url, owner.token);
    const [signedIn] = [await account("Leaver")];
    const leaverTicket = await roomTicket(server.url, signedIn.token);
    expect((await server.api("/api/account/signout", { method: "POST", token: signedIn.token })).status).toBe(204);
    expect(await matchmake("joinOrCreate", "village", { villageId: signedIn.villageId, ticket: leaverTicket })).toMatchObject({ status: 401 });
    expect((await matchmake("joinOrCreate", "village", { villageId: owner.villageId, ticket: unused })).status).toBe(200);
    expect((await server.api("/api/room-tickets", { method: "POST" })).status).toBe(401);
  });

  it("create and join mean a checked join: one room per village, however many ask at once", async () => {
    const owner = await account("Crowd");
    const friends = await Promise.all([account("F1"), account("F2"), account("F3")]);
    for (const f of friends) await befriend(owner, f);
    const everyone = [owner, ...friends, owner, ...friends];
    const answers = await Promise.all(
      everyone.map(async (who, i) => matchmake(["create", "joinOrCreate", "join"][i % 3]!, "village", { villageId: owner.villageId, ticket: await roomTicket(server.url, who.token) })),
    );
    for (const a of answers) expect(a.status).toBe(200);
    expect(new Set(answers.map((a) => a.body.roomId)).size).toBe(1);
    expect(await roomsOf(owner.villageId)).toEqual([answers[0]!.body.roomId]);
  });

  it("one player cannot fill a village's room with reservations never used", async () => {
    const owner = await server.guest();
    const asked = [];
    for (let i = 0; i < 5; i++) asked.push(await matchmake("joinOrCreate", "village", { villageId: owner.villageId, ticket: await roomTicket(server.url, owner.token) }));
    expect(asked.map((a) => a.status)).toEqual([200, 200, 200, 200, 429]);
    expect(asked.at(-1)).toMatchObject({ body: { error: { code: "rate_limited" } } });
    // Seats actually taken do not count: connecting frees the allowance.
    const other = await server.guest();
    for (let i = 0; i < 6; i++) await join(other, other.villageId);
  });

  it("a full room stays the one room: the next friend is told it is full, not sent to a second room", async () => {
    const owner = await account("Packed");
    const friend = await account("Late");
    await befriend(owner, friend);
    await server.api("/api/account/settings", { method: "PATCH", token: owner.token, body: { villageVisibility: "public" } });
    // Sixteen passers-by take every seat of the public village.
    const seats = [];
    for (let i = 0; i < 16; i++) {
      const passer = await server.guest();
      seats.push(await matchmake("joinOrCreate", "village", { villageId: owner.villageId, ticket: await roomTicket(server.url, passer.token) }));
    }
    expect(seats.every((s) => s.status === 200)).toBe(true);
    const late = await matchmake("create", "village", { villageId: owner.villageId, ticket: await roomTicket(server.url, friend.token) });
    expect(late).toMatchObject({ status: 409, body: { error: { code: "village_full" } } });
    expect((await roomsOf(owner.villageId)).length).toBe(1);
  });

  it("limits joins per session", async () => {
    const [prober, target] = [await server.guest(), await server.guest()];
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await matchmake("joinOrCreate", "village", { villageId: target.villageId, ticket: await roomTicket(server.url, prober.token) }));
    // Refused joins count too: twenty in a minute, then 429 before anything else is looked at.
    expect(answers.slice(0, 20).every((a) => a.status === 403)).toBe(true);
    expect(answers.at(-1)).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
  });
});

describe("no presence oracle", () => {
  it("every refusal for a private village is the same whether its owner is online or not", async () => {
    const owner = await account("Hidden");
    const stranger = await account("Prying");
    const guest = await server.guest();
    const probes = async () => [
      await matchmake("joinOrCreate", "village", { villageId: owner.villageId }),
      await matchmake("join", "village", { villageId: owner.villageId }),
      await matchmake("create", "village", { villageId: owner.villageId }),
      await matchmake("joinOrCreate", "village", { villageId: owner.villageId, ticket: await roomTicket(server.url, stranger.token) }),
      await matchmake("join", "village", { villageId: owner.villageId, ticket: await roomTicket(server.url, guest.token) }),
      await matchmake("joinOrCreate", "village", { villageId: owner.villageId, ticket: "ht_forged" }),
    ].map((a) => ({ status: a.status, text: a.text }));
    const offline = await probes();
    expect(offline.map((a) => a.status)).toEqual([401, 401, 401, 403, 403, 401]);
    await join(owner, owner.villageId);
    expect(await probes()).toEqual(offline);
  });
});

describe("send-away holds", () => {
  it("a visitor sent away cannot come back through create, join or a new ticket", async () => {
    const owner = await account("Strict");
    const friend = await account("Shown");
    await befriend(owner, friend);
    const home = await join(owner, owner.villageId);
    const visit = await join(friend, owner.villageId);
    const closed = new Promise<number>((resolve) => visit.onLeave((code) => resolve(code)));
    home.send("sendAway", { playerId: friend.player.id });
    expect(await closed).toBe(CLOSE_SENT_AWAY);
    for (const method of ["create", "join", "joinOrCreate"]) {
      expect(await matchmake(method, "village", { villageId: owner.villageId, ticket: await roomTicket(server.url, friend.token) }))
        .toMatchObject({ status: 423, body: { error: { code: "sent_away" } } });
    }
    // And the SDK reads the shared code from the status.
    await expect(new Client(server.url).joinOrCreate("village", { villageId: owner.villageId, ticket: await roomTicket(server.url, friend.token) })).rejects
      .toMatchObject({ code: 423 });
  });
});
