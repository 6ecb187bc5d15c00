/**
 * Rate limits shared through Redis: the store counts one client's hits across
 * processes, and two server processes answer a password guesser with one
 * limit between them (PostgreSQL pass: PGlite cannot be shared by processes).
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { RedisLimiterStore } from "../../server/http/rate-limit-store.ts";
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

describe.runIf(onPostgres)("two processes, one sign-in limit", () => {
  it("refuses the sixth wrong password for an email, whichever process it reaches", async () => {
    if (database?.target.kind !== "postgres") throw new Error("needs PostgreSQL");
    const env = { DATABASE_URL: database.target.url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
    children.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    const [a, b] = children.map((c) => c.url) as [string, string];
    const email = `guessed.${randomBytes(4).toString("hex")}@example.org`;
    const signUp = await fetch(`${a}/api/account/signup`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "the right long password", name: `Guessed ${randomBytes(3).toString("hex")}` }),
    });
    expect(signUp.status).toBe(202);
    // The link mailed to the local outbox (in the database both processes share) confirms it through the other one.
    const confirmed = await fetch(`${b}/api/account/confirm`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: await mailedConfirmationToken(a, email) }),
    });
    expect(confirmed.status).toBe(201);
    const attempt = (url: string) =>
      fetch(`${url}/api/account/signin`, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: "a wrong guess 123" }),
      });
    const statuses: number[] = [];
    for (const url of [a, b, a, b, a]) statuses.push((await attempt(url)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const sixth = await attempt(b);
    expect(sixth.status).toBe(429);
    expect(((await sixth.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    // The right password is refused too until the window ends: the limit is on the email.
    const right = await fetch(`${a}/api/account/signin`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: "the right long password" }),
    });
    expect(right.status).toBe(429);
  }, 60_000);
});
