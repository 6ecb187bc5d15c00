/**
 * Sign-in limits behind one reverse proxy (TRUST_PROXY=1: the client's
 * address is the last X-Forwarded-For entry): failures counted per (email,
 * address) with backoff, successes never counted, and an email under attack
 * from many addresses that still opens for its owner's correct password from
 * a new address. Time moves with a test clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import { SIGN_IN_LIMITS } from "../../server/services/sign-in-limits.ts";
import { signUpAccount } from "../support/accounts.ts";
import { TestClock } from "../support/clock.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
const clock = new TestClock();
beforeAll(async () => {
  server = await startTestServer({ env: { TRUST_PROXY: "1" }, now: clock.now });
});
afterAll(async () => {
  await server?.stop();
});

const signIn = (email: string, password: string, from: string) =>
  server.api<SessionResponse & ApiErrorBody>("/api/account/signin", { body: { email, password }, headers: { "x-forwarded-for": from } });
const statuses = async (email: string, password: string, from: string, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await signIn(email, `${password} ${i}`, from)).status);
  return out;
};
const retryAfter = (res: { headers: Headers }) => Number(res.headers.get("retry-after"));

describe("sign-in limits", () => {
  it("counts failures per address: another client behind the proxy has its own, and waits double each time", async () => {
    const owner = await signUpAccount(server, "Pair");
    expect(await statuses(owner.email, "wrong guess", "203.0.113.1", 5)).toEqual([401, 401, 401, 401, 401]);
    const waiting = await signIn(owner.email, "wrong again", "203.0.113.1");
    expect(waiting.status).toBe(429);
    expect(waiting.body.error.code).toBe("rate_limited");
    expect(retryAfter(waiting)).toBe(60);
    // Even the right password waits on that address…
    expect((await signIn(owner.email, owner.password, "203.0.113.1")).status).toBe(429);
    // …but another client (another X-Forwarded-For) is not held up.
    expect((await signIn(owner.email, owner.password, "203.0.113.2")).status).toBe(200);
    // After the wait, one more try; a failure doubles the wait (1, 2, 4, 8, then 15 minutes at most).
    for (const minutes of [1, 2, 4, 8, 15, 15]) {
      clock.advance(minutes * 60_000 - 1_000);
      expect((await signIn(owner.email, "still wrong", "203.0.113.1")).status).toBe(429);
      clock.advance(1_000);
      expect((await signIn(owner.email, "still wrong", "203.0.113.1")).status).toBe(401);
      const next = await signIn(owner.email, "still wrong", "203.0.113.1");
      expect(next.status).toBe(429);
      expect(retryAfter(next)).toBe(Math.min(minutes * 2, 15) * 60);
    }
    // A pair's failures are forgotten a day after the last one.
    clock.advance(SIGN_IN_LIMITS.pairMemoryMs);
    expect((await signIn(owner.email, owner.password, "203.0.113.1")).status).toBe(200);
  });

  it("does not count successes, and a success clears its address's failures", async () => {
    const owner = await signUpAccount(server, "Often");
    // The old limit refused the sixth sign-in in 15 minutes, right or wrong.
    for (let i = 0; i < 12; i++) expect((await signIn(owner.email, owner.password, "192.0.2.10")).status).toBe(200);
    expect(await statuses(owner.email, "typo", "192.0.2.10", 4)).toEqual([401, 401, 401, 401]);
    expect((await signIn(owner.email, owner.password, "192.0.2.10")).status).toBe(200);
    expect(await statuses(owner.email, "typo again", "192.0.2.10", 5)).toEqual([401, 401, 401, 401, 401]);
    expect((await signIn(owner.email, "typo again", "192.0.2.10")).status).toBe(429);
  });

  it("books an attempt before checking it: 20 guesses at once from one address get 5 answers", async () => {
    const owner = await signUpAccount(server, "Burst");
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(owner.email, `burst guess ${i}`, "198.51.100.200")));
    const counts = all.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 401: 5, 429: 15 });
  });

  it("slows an email down under a spread-out attack, and still lets its owner in from a new address", async () => {
    const owner = await signUpAccount(server, "Target");
    // 10 addresses, 2 guesses each: 20 failures in the window put the email under pressure.
    for (let a = 1; a <= 10; a++) {
      expect(await statuses(owner.email, "spread guess", `100.64.0.${a}`, 2)).toEqual([401, 401]);
    }
    // Every address that failed now waits (it had 3 more free failures a moment ago).
    expect((await signIn(owner.email, "spread guess", "100.64.0.1")).status).toBe(429);
    // Under pressure, an address that failed once waits; it would have had 5 free failures before.
    const calm = await signUpAccount(server, "Calm");
    expect(await statuses(calm.email, "calm guess", "100.64.1.1", 2)).toEqual([401, 401]);
    expect(await statuses(owner.email, "one more", "100.64.0.99", 2)).toEqual([401, 429]);
    // The owner's right password from an address that never failed: never refused.
    const res = await signIn(owner.email, owner.password, "192.0.2.200");
    expect(res.status).toBe(200);
    expect(res.body.player.id).toBe(owner.player.id);
    // And an unknown email is treated exactly alike (no answer tells whether it exists).
    const nobody = `nobody.${Date.now()}@example.org`;
    expect(await statuses(nobody, "guess", "203.0.113.50", 6)).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
