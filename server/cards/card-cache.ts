/**
 * Rendered share cards, kept in memory: an LRU map keyed by the card's
 * content version (a hash of everything drawn on it), so a card is rendered
 * once per state and again as soon as what it shows changes (progress moved,
 * a gift arrived). The same version is the card's ETag and the `v=` in the
 * og:image URL, so scrapers fetch a new image when the card changes.
 */
import { createHash } from "node:crypto";

/** The content version of a card: a short hash of its kind and data. */
export function cardVersion(kind: string, data: unknown): string {
  return createHash("sha256").update(kind).update("\0").update(JSON.stringify(data)).digest("base64url").slice(0, 16);
}

export class LruCache<V> {
  private readonly entries = new Map<string, V>();
  private readonly max: number;
  constructor(max: number) {
    this.max = Math.max(1, max);
  }

  get(key: string): V | undefined {
    const v = this.entries.get(key);
    if (v === undefined) return undefined;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, v);
    return v;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}
