/**
 * Where rate limits count. One process alone counts in memory; with REDIS_URL
 * every process counts in Redis, so a password guesser spreading attempts
 * over several processes still meets one limit. A counter is one Redis key
 * per limiter and client, created with the window as its expiry (fixed
 * window, as express-rate-limit's memory store does).
 */
import type { Store } from "express-rate-limit";
import type { Redis } from "ioredis";

/** Gives each limiter its own store (express-rate-limit refuses a store shared by two limiters). */
export type LimiterStores = (limiter: string) => Store | undefined;

/** No shared store: each limiter uses express-rate-limit's memory store. */
export const memoryStores: LimiterStores = () => undefined;

// One round trip: count the hit and start the window on the first one.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

export class RedisLimiterStore implements Store {
  private windowMs = 60_000;
  private readonly redis: Redis;
  /** Key prefix inside the deployment's prefix (ioredis adds REDIS_PREFIX). */
  readonly prefix: string;
  readonly localKeys = false;

  constructor(redis: Redis, limiter: string) {
    this.redis = redis;
    this.prefix = `ratelimit:${limiter}:`;
  }

  init(options: { windowMs: number }): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string) {
    const [hits, ttl] = await Promise.all([this.redis.get(this.prefix + key), this.redis.pttl(this.prefix + key)]);
    if (hits === null) return undefined;
    return { totalHits: Number(hits), resetTime: ttl > 0 ? new Date(Date.now() + ttl) : undefined };
  }

  async increment(key: string) {
    const [hits, ttl] = (await this.redis.eval(INCREMENT, 1, this.prefix + key, String(this.windowMs))) as [number, number];
    return { totalHits: hits, resetTime: new Date(Date.now() + ttl) };
  }

  async decrement(key: string): Promise<void> {
    await this.redis.decr(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

export function redisStores(redis: Redis): LimiterStores {
  return (limiter) => new RedisLimiterStore(redis, limiter);
}
