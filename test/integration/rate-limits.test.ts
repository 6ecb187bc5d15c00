/**
 * Rate limits shared through Redis: the store counts one client's hits across
 * processes, sign-in failures are booked atomically across connections, and
 * two server processes answer a password guesser with one limit between them
 * (PostgreSQL pass: PGlite cannot be shared by processes).
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { RedisLimiterStore } from "../../server/http/rate-limit-store.ts";
import { RedisSignInAttempts } from "../../server/http/sign-in-attempts.ts";
import { SIGN_IN_LIMITS } from "../../server/services/sign-in-limits.ts";
import { mailedConfirmationToken } from "../support/accounts.ts";
import { spawnServer, type ChildServer } from "../support/child-server.ts";
import { freshDatabase, type TestDatabase } from "../support/database.ts";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `hameau-test-${randomBytes(4).toString("hex")}:`;
const onPostgres = inject("dbKind") === "postgres";
const connections: Redis[] = [];
const children: ChildServer[] = [];
let database: TestDatabase | undefined;

function connect(): Redis {
  const redis = new Redis(redisUrl, { keyPrefix: prefix, maxRetriesPerRequest: 2 });
  connections.push(redis);
  return redis;
}

beforeAll(async () => {
  if (onPostgres) database = await freshDatabase();
}, 60_000);
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill("SIGTERM")));
  const cleanup = new Redis(redisUrl);
  const keys = await cleanup.keys(`${prefix}*`);
  if (keys.length) await cleanup.del(...keys);
  await cleanup.quit();
  await Promise.all(connections.map((c) => c.quit()));
  await database?.drop();
});

describe("the Redis rate-limit store", () => {
  it("counts one client's hits across connections, in one window, and resets", async () => {
    const a = new RedisLimiterStore(connect(), "signin");
    const b = new RedisLimiterStore(connect(), "signin");
    a.init({ windowMs: 60_000 });
    b.init({ windowMs: 60_000 });
    const first = await a.increment("203.0.113.7");
    expect(first.totalHits).toBe(1);
    expect(first.resetTime!.getTime() - Date.now()).toBeGreaterThan(55_000);
    expect((await b.increment("203.0.113.7")).totalHits).toBe(2);
    const third = await a.increment("203.0.113.7");
    expect(third.totalHits).toBe(3);
    // The window started with the first hit and is not pushed back by later ones.
    expect(Math.abs(third.resetTime!.getTime() - first.resetTime!.getTime())).toBeLessThan(1_000);
    expect((await b.get("203.0.113.7"))?.totalHits).toBe(3);
    // Another client and another limiter count apart.
    expect((await b.increment("198.51.100.1")).totalHits).toBe(1);
    const other = new RedisLimiterStore(connect(), "guest");
    other.init({ windowMs: 60_000 });
    expect((await other.increment("203.0.113.7")).totalHits).toBe(1);
    await a.decrement("203.0.113.7");
    expect((await b.get("203.0.113.7"))?.totalHits).toBe(2);
    await b.resetKey("203.0.113.7");
    expect(await a.get("203.0.113.7")).toBeUndefined();
  });

  it("lets the window expire", async () => {
    const store = new RedisLimiterStore(connect(), "short");
    store.init({ windowMs: 150 });
    await store.increment("k");
    expect((await store.increment("k")).totalHits).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await store.increment("k")).totalHits).toBe(1);
  });
});

describe("sign-in failures in Redis", () => {
  it("books concurrent attempts from several connections one at a time, and forgets a pair on success", async () => {
    const stores = [new RedisSignInAttempts(connect()), new RedisSignInAttempts(connect())];
    const email = `redis.${randomBytes(4).toString("hex")}@example.org`;
    const now = Date.now();
    const waits = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.attempt(email, "203.0.113.9", now)));
    expect(waits.filter((w) => w === 0)).toHaveLength(SIGN_IN_LIMITS.pairFreeFailures);
    expect(waits.filter((w) => w === SIGN_IN_LIMITS.backoffBaseMs)).toHaveLength(20 - SIGN_IN_LIMITS.pairFreeFailures);
    // Another address is not held up; a minute later the first one may try once more.
    expect(await stores[0]!.attempt(email, "203.0.113.10", now)).toBe(0);
    expect(await stores[1]!.attempt(email, "203.0.113.9", now + SIGN_IN_LIMITS.backoffBaseMs)).toBe(0);
    expect(await stores[0]!.attempt(email, "203.0.113.9", now + SIGN_IN_LIMITS.backoffBaseMs)).toBe(2 * SIGN_IN_LIMITS.backoffBaseMs);
    await stores[1]!.succeeded(email, "203.0.113.9");
    expect(await stores[0]!.attempt(email, "203.0.113.9", now + SIGN_IN_LIMITS.backoffBaseMs)).toBe(0);
    // No email is written to Redis, only a digest of it.
    const plain = new Redis(redisUrl);
    connections.push(plain);
    const keys = await plain.keys(`${prefix}signin:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(" ")).not.toContain(email);
  });

  it("puts an email under pressure across addresses, never refusing an address that has not failed", async () => {
    const store = new RedisSignInAttempts(connect());
    const email = `pressed.${randomBytes(4).toString("hex")}@example.org`;
    const now = Date.now();
    for (let a = 0; a < SIGN_IN_LIMITS.emailPressureFailures; a++) expect(await store.attempt(email, `100.64.2.${a}`, now)).toBe(0);
    expect(await store.attempt(email, "100.64.2.0", now)).toBe(SIGN_IN_LIMITS.backoffBaseMs);
    expect(await store.attempt(email, "192.0.2.99", now)).toBe(0);
  });
});

describe.runIf(onPostgres)("two processes, one sign-in limit", () => {
  it("refuses the sixth wrong password from an address, whichever process it reaches, and lets the owner in from another", async () => {
    if (database?.target.kind !== "postgres") throw new Error("needs PostgreSQL");
    // Behind one proxy on loopback: the address is the X-Forwarded-For entry.
    const env = { DATABASE_URL: database.target.url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, TRUST_PROXY: "loopback" };
    children.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    const [a, b] = children.map((c) => c.url) as [string, string];
    const email = `guessed.${randomBytes(4).toString("hex")}@example.org`;
    const signUp = await fetch(`${a}/api/account/signup`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, name: `Guessed ${randomBytes(3).toString("hex")}` }),
    });
    expect(signUp.status).toBe(202);
    // The link mailed to the local outbox (in the database both processes share) confirms it through the other one.
    const confirmed = await fetch(`${b}/api/account/confirm`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: await mailedConfirmationToken(a, email), password: "the right long password" }),
    });
    expect(confirmed.status).toBe(201);
    const signIn = (url: string, password: string, from: string) =>
      fetch(`${url}/api/account/signin`, {
        method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": from }, body: JSON.stringify({ email, password }),
      });
    const attempt = (url: string) => signIn(url, "a wrong guess 123", "203.0.113.66");
    const statuses: number[] = [];
    for (const url of [a, b, a, b, a]) statuses.push((await attempt(url)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const sixth = await attempt(b);
    expect(sixth.status).toBe(429);
    expect(((await sixth.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(50);
    // That address waits even with the right password; the owner elsewhere is not held up, on either process.
    expect((await signIn(a, "the right long password", "203.0.113.66")).status).toBe(429);
    expect((await signIn(a, "the right long password", "198.51.100.5")).status).toBe(200);
    expect((await signIn(b, "the right long password", "198.51.100.6")).status).toBe(200);
  }, 60_000);
});
