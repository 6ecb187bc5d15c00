/**
 * The production layout of deploy/: HAProxy (deploy/haproxy.cfg, as shipped) in front of three
 * Hameau processes sharing PostgreSQL and Redis. A room's socket reaches the process that holds
 * the room through `/<route>/<processId>/<roomId>` (PROXY_ROUTE), everything else goes
 * round-robin. Runs in the PostgreSQL pass (PGlite cannot be shared); needs `haproxy`
 * (Debian's package; .ci/run installs it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import net from "node:net";
import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import type { VillageState } from "../../shared/state.ts";
import { mailedConfirmationToken, uniqueSuffix } from "../support/accounts.ts";
import { spawnServer, type ChildServer } from "../support/child-server.ts";
import { freshDatabase, type TestDatabase } from "../support/database.ts";
import { onItemAdded } from "../support/room-callbacks.ts";
import { joinVillageRoom } from "../support/room-join.ts";

const onPostgres = inject("dbKind") === "postgres";
const ROUTES = ["g1", "g2", "g3"] as const;
const HAPROXY = process.env.HAPROXY_PATH ?? (existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy");
let database: TestDatabase | undefined;
const children: ChildServer[] = [];
let haproxy: ChildProcess | undefined;
let proxy = "";
const rooms: Room<any, VillageState>[] = [];

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

beforeAll(async () => {
  if (!onPostgres) return;
  database = await freshDatabase();
  if (database.target.kind !== "postgres") throw new Error("needs PostgreSQL");
  const port = await freePort();
  proxy = `http://127.0.0.1:${port}`;
  const common = {
    DATABASE_URL: database.target.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_PREFIX: `hameau-test-${randomBytes(4).toString("hex")}:`,
    PUBLIC_URL: proxy,
    TRUST_PROXY: "loopback",
  };
  children.push(...(await Promise.all(ROUTES.map((route) => spawnServer({ ...common, PROXY_ROUTE: route })))));
  const [g1, g2, g3] = children.map((c) => new URL(c.url).host);
  haproxy = spawn(HAPROXY, ["-f", "deploy/haproxy.cfg", "-db"], {
    env: { ...process.env, HAMEAU_BIND: `127.0.0.1:${port}`, HAMEAU_G1: g1!, HAMEAU_G2: g2!, HAMEAU_G3: g3! },
    stdio: ["ignore", "ignore", "inherit"],
  });
  // Ready when every process answers its health check through the proxy.
  await vi.waitFor(async () => {
    const answers = await Promise.all(ROUTES.map(() => fetch(`${proxy}/healthz`).then((r) => r.status)));
    expect(answers).toEqual([200, 200, 200]);
  }, { timeout: 20_000, interval: 200 });
}, 90_000);
afterAll(async () => {
  await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  haproxy?.kill("SIGTERM");
  await Promise.all(children.map((c) => c.kill("SIGTERM")));
  await database?.drop();
});

async function call(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(proxy + path, {
    method, redirect: "manual",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as any };
}
async function signUp(prefix: string): Promise<SessionResponse> {
  const email = `${prefix.toLowerCase()}.${uniqueSuffix()}@example.org`;
  expect((await call("POST", "/api/account/signup", { email, name: `${prefix} ${uniqueSuffix()}` })).status).toBe(202);
  const confirmed = await call("POST", "/api/account/confirm", { token: await mailedConfirmationToken(proxy, email), password: "a long test password" });
  expect(confirmed.status).toBe(201);
  return confirmed.body as SessionResponse;
}
async function join(who: SessionResponse, villageId: string) {
  const room = await joinVillageRoom(proxy, who.token, villageId);
  rooms.push(room);
  await vi.waitFor(() => expect(room.state.villageId).toBe(villageId));
  return room;
}

describe.runIf(onPostgres)("HAProxy in front of three processes (deploy/haproxy.cfg)", () => {
  it("routes each process's room sockets to that process by its route (/g1, /g2, /g3)", async () => {
    // Matchmaking sent to process i creates the room there; the seat reservation sends the socket
    // to `<proxy>/g<i>/…`, which only process i can accept.
    for (const child of children) {
      const guest = (await call("POST", "/api/session/guest")).body as SessionResponse;
      const room = await joinVillageRoom(child.url, guest.token, guest.villageId);
      rooms.push(room);
      await vi.waitFor(() => expect(room.state.villageId).toBe(guest.villageId));
      await vi.waitFor(() => expect(room.state.players.size).toBe(1));
    }
    // A route the proxy does not know goes to the round-robin pool, where no room lives.
    expect((await fetch(`${proxy}/g9/${"a".repeat(9)}/${"b".repeat(9)}`)).status).toBe(404);
  }, 30_000);

  it("friends connected through the proxy land in the owner's room, whichever process holds it and served their matchmaking", async () => {
    const owner = await signUp("Owner");
    const friends = await Promise.all([signUp("Ana"), signUp("Ben"), signUp("Cy")]);
    for (const f of friends) {
      expect((await call("POST", "/api/friends/requests", { name: f.player.name }, owner.token)).status).toBe(201);
      expect((await call("POST", `/api/friends/${owner.player.id}/accept`, {}, f.token)).status).toBe(204);
    }
    const home = await join(owner, owner.villageId);
    // Two requests a join (ticket, matchmaking) over three processes in turn: the three friends'
    // matchmaking requests reach three different processes, and all land in the one room.
    const visits: Room<any, VillageState>[] = [];
    for (const f of friends) visits.push(await join(f, owner.villageId));
    await vi.waitFor(() => expect(home.state.players.size).toBe(4), { timeout: 10_000 });
    for (const v of visits) expect(v.roomId).toBe(home.roomId);

    // Payments completed on any process reach the room, for the owner and each visitor.
    const catalog = (await call("GET", "/api/catalog")).body as CatalogResponse;
    const gift = catalog.gifts.find((g) => g.priceCents <= 500) ?? catalog.gifts[0]!;
    const seen = [home, ...visits].map((room) => {
      let count = 0;
      onItemAdded(room, (item) => void (item.donated && count++));
      return () => count;
    });
    for (let i = 0; i < 3; i++) {
      const checkout = await call("POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] }, owner.token);
      expect(checkout.status).toBe(201);
      const pay = await fetch(proxy + (checkout.body as CheckoutResponse).checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
      expect(pay.status).toBe(303);
    }
    await vi.waitFor(() => expect(seen.map((n) => n())).toEqual([3, 3, 3, 3]), { timeout: 15_000, interval: 100 });
  }, 90_000);

  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    it(`after ${signal} of the process holding a village, the village opens again on another process, nothing lost`, async () => {
      const alive = children.filter((c) => c.process.exitCode === null && c.process.signalCode === null);
      const owner = (await call("POST", "/api/session/guest")).body as SessionResponse;
      // Matchmaking sent straight to a process puts the room there (its socket still goes through the proxy).
      const holder = alive[0]!;
      const room = await joinVillageRoom(holder.url, owner.token, owner.villageId);
      await vi.waitFor(() => expect(room.state.villageId).toBe(owner.villageId));
      const items = room.state.items.size;
      const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
      await holder.kill(signal);
      await left;
      // The game's client joins again through the proxy: any living process opens the village.
      const again = await vi.waitFor(async () => joinVillageRoom(proxy, owner.token, owner.villageId), { timeout: 30_000, interval: 500 });
      rooms.push(again);
      await vi.waitFor(() => expect(again.state.villageId).toBe(owner.villageId));
      expect(again.state.items.size).toBe(items);
      expect(again.roomId).not.toBe(room.roomId);
    }, 60_000);
  }
});
