/**
 * The room door with two Hameau processes sharing PostgreSQL and Redis:
 * both racing to create the same village's room end with one room; a
 * sign-out through process A closes the socket process B holds; a send-away
 * in a room on B holds at A's door; a friendship removed through A shows the
 * visitor out of the room on B. Runs in the PostgreSQL pass of the suite
 * (PGlite cannot be shared).
 */
import { randomBytes } from "node:crypto";
import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { CLOSE_SENT_AWAY, CLOSE_SESSION_ENDED, CLOSE_VISIT_ENDED } from "../../shared/messages.ts";
import type { VillageState } from "../../shared/state.ts";
import { mailedConfirmationToken, uniqueSuffix } from "../support/accounts.ts";
import { spawnServer, type ChildServer } from "../support/child-server.ts";
import { freshDatabase, type TestDatabase } from "../support/database.ts";
import { joinVillageRoom, roomTicket } from "../support/room-join.ts";

const onPostgres = inject("dbKind") === "postgres";
const PASSWORD = "a long test password";
let database: TestDatabase | undefined;
const children: ChildServer[] = [];
let a = "";
let b = "";
const rooms: Room<any, VillageState>[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  database = await freshDatabase();
  if (database.target.kind !== "postgres") throw new Error("needs PostgreSQL");
  const prefix = `hameau-test-${randomBytes(4).toString("hex")}:`;
  const env = { DATABASE_URL: database.target.url, REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", REDIS_PREFIX: prefix };
  children.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
  [a, b] = children.map((c) => c.url) as [string, string];
}, 60_000);
afterAll(async () => {
  await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  await Promise.all(children.map((c) => c.kill("SIGTERM")));
  await database?.drop();
});

async function call(base: string, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(base + path, {
    method, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}
async function signUp(prefix: string): Promise<SessionResponse> {
  const email = `${prefix.toLowerCase()}.${uniqueSuffix()}@example.org`;
  expect((await call(a, "POST", "/api/account/signup", { email, name: `${prefix} ${uniqueSuffix()}` })).status).toBe(202);
  // The password is chosen by whoever opens the mailed link (docs/accounts-and-social.md).
  const confirmed = await call(a, "POST", "/api/account/confirm", { token: await mailedConfirmationToken(a, email), password: PASSWORD });
  expect(confirmed.status).toBe(201);
  return confirmed.body as SessionResponse;
}
async function befriend(x: SessionResponse, y: SessionResponse) {
  expect((await call(a, "POST", "/api/friends/requests", { name: y.player.name }, x.token)).status).toBe(201);
  expect((await call(b, "POST", `/api/friends/${x.player.id}/accept`, {}, y.token)).status).toBe(204);
}
async function joinOn(base: string, who: SessionResponse, villageId: string) {
  const room = await joinVillageRoom(base, who.token, villageId);
  rooms.push(room);
  await vi.waitFor(() => expect(room.state.villageId).toBe(villageId));
  return room;
}
const closed = (room: Room<any, VillageState>) => new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
const matchmake = async (base: string, method: string, body: unknown) => call(base, "POST", `/matchmake/${method}/village`, body);

describe.runIf(onPostgres)("the room door with two processes, one PostgreSQL, one Redis", () => {
  it("two processes racing to create the same village's room end with one room", async () => {
    const owner = await signUp("Raced");
    const friends = await Promise.all([signUp("RaceA"), signUp("RaceB")]);
    for (const f of friends) await befriend(owner, f);
    const who = [owner, ...friends, owner, ...friends];
    const tickets = await Promise.all(who.map((w) => roomTicket(a, w.token)));
    const answers = await Promise.all(
      tickets.map((ticket, i) => matchmake(i % 2 === 0 ? a : b, ["create", "joinOrCreate", "join"][i % 3]!, { villageId: owner.villageId, ticket })),
    );
    for (const answer of answers) expect(answer.status).toBe(200);
    expect(new Set(answers.map((x) => x.body.roomId)).size).toBe(1);
  }, 60_000);

  it("a sign-out through process A closes the socket process B holds", async () => {
    const owner = await signUp("Twofold");
    const room = await joinOn(b, owner, owner.villageId);
    const gone = closed(room);
    expect((await call(a, "POST", "/api/account/signout", undefined, owner.token)).status).toBe(204);
    expect(await gone).toBe(CLOSE_SESSION_ENDED);
  }, 60_000);

  it("a send-away in a room on B holds at A's door, for every method", async () => {
    const owner = await signUp("Sender");
    const friend = await signUp("Sent");
    await befriend(owner, friend);
    const home = await joinOn(b, owner, owner.villageId);
    const visit = await joinOn(b, friend, owner.villageId);
    const out = closed(visit);
    home.send("sendAway", { playerId: friend.player.id });
    expect(await out).toBe(CLOSE_SENT_AWAY);
    for (const method of ["create", "joinOrCreate", "join"]) {
      const answer = await matchmake(a, method, { villageId: owner.villageId, ticket: await roomTicket(a, friend.token) });
      expect(answer).toMatchObject({ status: 423, body: { error: { code: "sent_away" } } });
    }
  }, 60_000);

  it("a friendship removed through A shows the visitor out of the room on B", async () => {
    const owner = await signUp("Parting");
    const friend = await signUp("Parted");
    await befriend(owner, friend);
    await joinOn(b, owner, owner.villageId);
    const visit = await joinOn(b, friend, owner.villageId);
    const out = closed(visit);
    expect((await call(a, "DELETE", `/api/friends/${friend.player.id}`, undefined, owner.token)).status).toBe(204);
    expect(await out).toBe(CLOSE_VISIT_ENDED);
    // And the refusal at either door says so.
    const again = await matchmake(a, "joinOrCreate", { villageId: owner.villageId, ticket: await roomTicket(a, friend.token) });
    expect(again).toMatchObject({ status: 403, body: { error: { code: "village_private" } } });
  }, 60_000);
});
