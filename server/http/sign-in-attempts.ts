/**
 * Where sign-in failures are counted (the rule is services/sign-in-limits.ts):
 * in memory for one process, in Redis when processes share it, so a guesser
 * spreading attempts over processes meets one count.
 *
 * An attempt is booked as a failure before the password is checked (so 20
 * concurrent guesses cannot all pass the check first) and unbooked when it
 * succeeds. Emails are keyed by a SHA-256 prefix: no address is written to
 * Redis.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { SIGN_IN_LIMITS, type PairFailures, signInWaitMs } from "../services/sign-in-limits.ts";

export interface SignInAttempts {
  /**
   * If this email may be tried from this address now, books the attempt as a failure and answers 0;
   * otherwise answers the milliseconds left to wait (nothing is booked).
   */
  attempt(email: string, address: string, now: number): Promise<number>;
  /** The attempt succeeded: it does not count, and the pair's failures are forgotten. */
  succeeded(email: string, address: string): Promise<void>;
}

const emailKey = (email: string) => createHash("sha256").update(email).digest("base64url").slice(0, 22);
const pairKey = (email: string, address: string) => `${emailKey(email)}|${address}`;

/** One process: counters in memory, dropped when they expire. */
export class MemorySignInAttempts implements SignInAttempts {
  private readonly pairs = new Map<string, PairFailures & { expiresMs: number }>();
  private readonly emails = new Map<string, { failures: number; resetMs: number }>();

  async attempt(email: string, address: string, now: number): Promise<number> {
    if (this.pairs.size + this.emails.size > 100_000) this.sweep(now);
    const ek = emailKey(email);
    const pk = pairKey(email, address);
    let counted = this.emails.get(ek);
    if (counted && counted.resetMs <= now) counted = undefined;
    let pair = this.pairs.get(pk);
    if (pair && pair.expiresMs <= now) pair = undefined;
    const wait = signInWaitMs(pair, counted?.failures ?? 0, now);
    if (wait > 0) return wait;
    this.emails.set(ek, { failures: (counted?.failures ?? 0) + 1, resetMs: counted?.resetMs ?? now + SIGN_IN_LIMITS.emailWindowMs });
    this.pairs.set(pk, { failures: (pair?.failures ?? 0) + 1, lastFailureMs: now, expiresMs: now + SIGN_IN_LIMITS.pairMemoryMs });
    return 0;
  }

  async succeeded(email: string, address: string): Promise<void> {
    this.pairs.delete(pairKey(email, address));
    const counted = this.emails.get(emailKey(email));
    if (counted && counted.failures > 0) counted.failures -= 1;
  }

  private sweep(now: number): void {
    for (const [k, v] of this.pairs) if (v.expiresMs <= now) this.pairs.delete(k);
    for (const [k, v] of this.emails) if (v.resetMs <= now) this.emails.delete(k);
  }
}

// The rule of sign-in-limits.ts, run atomically in Redis (check and book in one step).
// KEYS: the email's counter, the pair's hash. ARGV: now, pressure, free, pressured free, base, cap, pair memory, email window.
const ATTEMPT = `
local now = tonumber(ARGV[1])
local emailFailures = tonumber(redis.call('GET', KEYS[1]) or '0')
local failures = tonumber(redis.call('HGET', KEYS[2], 'f') or '0')
local last = tonumber(redis.call('HGET', KEYS[2], 'l') or '0')
local free = tonumber(ARGV[3])
if emailFailures >= tonumber(ARGV[2]) then free = tonumber(ARGV[4]) end
if failures >= free then
  local wait = math.min(tonumber(ARGV[5]) * 2 ^ (failures - free), tonumber(ARGV[6]))
  local left = last + wait - now
  if left > 0 then return math.ceil(left) end
end
redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[8]) end
redis.call('HSET', KEYS[2], 'f', failures + 1, 'l', now)
redis.call('PEXPIRE', KEYS[2], ARGV[7])
return 0`;

const SUCCEEDED = `
redis.call('DEL', KEYS[2])
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/** Several processes: the counters live in Redis (under the deployment's key prefix). */
export class RedisSignInAttempts implements SignInAttempts {
  private readonly redis: Redis;
  private readonly prefix = "signin:";

  constructor(redis: Redis) {
    this.redis = redis;
  }

  private keys(email: string, address: string): [string, string] {
    return [`${this.prefix}email:${emailKey(email)}`, `${this.prefix}pair:${pairKey(email, address)}`];
  }

  async attempt(email: string, address: string, now: number): Promise<number> {
    const l = SIGN_IN_LIMITS;
    const args = [now, l.emailPressureFailures, l.pairFreeFailures, l.pressuredFreeFailures, l.backoffBaseMs, l.backoffCapMs, l.pairMemoryMs, l.emailWindowMs];
    return Number(await this.redis.eval(ATTEMPT, 2, ...this.keys(email, address), ...args.map(String)));
  }

  async succeeded(email: string, address: string): Promise<void> {
    await this.redis.eval(SUCCEEDED, 2, ...this.keys(email, address));
  }
}
