/**
 * Per-client message rate limits for rooms: a token bucket per client and
 * message type. A message over the limit is dropped; the client is told at
 * most once a second.
 */
export interface Rate {
  /** Messages per second, sustained. */
  perSecond: number;
  /** Messages allowed at once after a quiet spell. */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class MessageLimits {
  private readonly rates: Record<string, Rate>;
  private readonly fallback: Rate;
  private readonly buckets = new Map<string, Bucket>();
  private readonly warned = new Map<string, number>();

  constructor(rates: Record<string, Rate>, fallback: Rate) {
    this.rates = rates;
    this.fallback = fallback;
  }

  /** Takes one message from the client's bucket; false when over the limit. */
  take(clientId: string, type: string, now: number): boolean {
    const rate = this.rates[type] ?? this.fallback;
    const key = `${clientId}\u0000${type in this.rates ? type : "*"}`;
    const bucket = this.buckets.get(key) ?? { tokens: rate.burst, at: now };
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Whether to tell the client it is being limited (once a second at most). */
  shouldWarn(clientId: string, now: number): boolean {
    const last = this.warned.get(clientId) ?? -Infinity;
    if (now - last < 1000) return false;
    this.warned.set(clientId, now);
    return true;
  }

  /** How many buckets are kept (one per client and message type at most): for tests and metrics. */
  get size(): number {
    return this.buckets.size + this.warned.size;
  }

  forget(clientId: string): void {
    for (const key of this.buckets.keys()) if (key.startsWith(`${clientId}\u0000`)) this.buckets.delete(key);
    this.warned.delete(clientId);
  }
}
