/**
 * GET /api/catalog from memory. The catalog every player sees is the same, so each process
 * keeps it serialised once, with its ETag and its gzip and br forms, and answers from that.
 *
 * It is dropped:
 * - when the catalog changes: every write that changes it (an NGO edits a gift or a project,
 *   a review, a Stripe account that starts or stops taking charges, a checkout or a cancel of
 *   a limited gift) announces it on the catalog channel (realtime/catalog-events.ts), which
 *   every process hears through Colyseus presence (Redis pub/sub with REDIS_URL); the process
 *   that wrote drops its copy at once, before publishing;
 * - when it changes by itself: the next availability window that opens or closes (on the
 *   rules' clock), or the first open checkout of a limited gift that stops holding its units;
 * - after `maxAgeMs` in any case (default 30 s), so a change that was not announced (a refund,
 *   a failed delayed payment, a message lost by Redis) shows within that time.
 *
 * One build at a time: requests arriving during a build wait for it. A change announced while a
 * build runs makes that build's result unusable for later requests (it may have read the old rows).
 */
import { createHash } from "node:crypto";
import type { Presence } from "@colyseus/core";
import type { Db } from "../db/connect.ts";
import { COMPRESS_THRESHOLD_BYTES, compress, type Encoding } from "../http/content-encoding.ts";
import { watchCatalogChanges } from "../realtime/catalog-events.ts";
import { catalogSnapshot } from "./catalog.ts";

export const CATALOG_MAX_AGE_MS = 30_000;

export interface CachedCatalog {
  /** A weak validator (the same for every encoding of the same JSON). */
  etag: string;
  json: Buffer;
  /** Null when the body is too small to be worth compressing. */
  encoded: Record<Encoding, Buffer> | null;
  /** Rules' clock: the next window change. */
  windowChangeAt: number | null;
  /** Wall clock: when this copy is stale (max age, or the first hold that lapses). */
  staleAt: number;
}

export interface CatalogCache {
  get(): Promise<CachedCatalog>;
  /** The catalog changed: the next request reads it again. */
  invalidate(): void;
  /** Listens to catalog changes announced by any process. */
  watch(presence: Presence): Promise<void>;
  close(): void;
}

export interface CatalogCacheDeps {
  db: Db;
  /** The rules' clock (availability windows). */
  now: () => number;
  maxAgeMs?: number;
  /** The wall clock (max age, holds); tests may replace it. */
  wallClock?: () => number;
  /** Counts builds (metrics and tests). */
  onBuild?: () => void;
}

export function catalogCache(deps: CatalogCacheDeps): CatalogCache {
  const maxAgeMs = deps.maxAgeMs ?? CATALOG_MAX_AGE_MS;
  const wall = deps.wallClock ?? Date.now;
  let version = 0;
  let current: CachedCatalog | undefined;
  let building: { version: number; promise: Promise<CachedCatalog> } | undefined;
  let unwatch: (() => void) | undefined;

  const fresh = (c: CachedCatalog) => wall() < c.staleAt && (c.windowChangeAt === null || deps.now() < c.windowChangeAt);

  async function build(): Promise<CachedCatalog> {
    const startedAt = wall();
    const { body, holdsLapseAt } = await catalogSnapshot(deps.db, deps.now());
    const json = Buffer.from(JSON.stringify(body));
    const encoded = json.length >= COMPRESS_THRESHOLD_BYTES
      ? { br: await compress(json, "br"), gzip: await compress(json, "gzip") }
      : null;
    deps.onBuild?.();
    return {
      etag: `W/"c${createHash("sha256").update(json).digest("base64url").slice(0, 27)}"`,
      json,
      encoded,
      windowChangeAt: body.nextChangeAt === null ? null : Date.parse(body.nextChangeAt),
      staleAt: Math.min(startedAt + maxAgeMs, holdsLapseAt ?? Infinity),
    };
  }

  const invalidate = () => {
    version += 1;
    current = undefined;
  };

  return {
    get() {
      if (current && fresh(current)) return Promise.resolve(current);
      if (building && building.version === version) return building.promise;
      const started = { version, promise: build() };
      building = started;
      const settle = () => {
        if (building === started) building = undefined;
      };
      started.promise.then((built) => {
        if (started.version === version) current = built;
        settle();
      }, settle);
      return started.promise;
    },
    invalidate,
    async watch(presence) {
      unwatch = await watchCatalogChanges(presence, invalidate);
    },
    close() {
      unwatch?.();
    },
  };
}
