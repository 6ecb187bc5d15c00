/**
 * The live catalog in the browser. The shop shows GET /api/catalog and
 * refetches it when the village room says `catalogChanged` (an NGO edited its
 * gifts, or a limited stock moved) and when an availability window opens or
 * closes (the catalog's `nextChangeAt`): no reload.
 *
 * `known` also keeps gifts that left the shop (retired, ended, sold out):
 * a village that owns one still draws and describes it. A village item whose
 * gift was never in this page's catalog is looked up once in GET /api/gifts/:id.
 */
import type { CatalogGift, CatalogResponse, PublicGiftResponse } from "../../shared/api.ts";

export interface CatalogSyncDeps {
  catalog(): Promise<CatalogResponse>;
  gift(giftId: string): Promise<PublicGiftResponse>;
  /** The gifts on sale now, after each fetch. */
  onSale(gifts: CatalogGift[]): void;
}

/** Many clients hear one change at once: each waits a little, at random, so they do not all ask in the same instant. */
const SPREAD_MS = 100;
/** Timers cannot wait longer than this (about 24.8 days); a farther window change is looked at again later. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class CatalogSync {
  /** Every gift this page knows: on sale, or seen before, or looked up for a village item. */
  readonly known = new Map<string, CatalogGift>();
  private readonly deps: CatalogSyncDeps;
  private readonly looking = new Set<string>();
  private pending: ReturnType<typeof setTimeout> | undefined;
  private windowTimer: ReturnType<typeof setTimeout> | undefined;
  private fetching: Promise<void> | null = null;
  private again = false;

  constructor(deps: CatalogSyncDeps) {
    this.deps = deps;
  }

  /** Fetches the catalog now (at start). */
  async load(): Promise<void> {
    const response = await this.deps.catalog();
    this.apply(response);
  }

  /** The catalog changed on the server: refetch soon (several changes in a row make one fetch). */
  changed(): void {
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      void this.refresh();
    }, Math.random() * SPREAD_MS);
  }

  /** Makes sure a gift a village holds is known (looked up once if it is not in the catalog). */
  ensure(giftId: string): void {
    if (!giftId || this.known.has(giftId) || this.looking.has(giftId)) return;
    this.looking.add(giftId);
    this.deps.gift(giftId).then(
      (found) => {
        if (!this.known.has(giftId)) this.known.set(giftId, found.gift);
      },
      (err: unknown) => {
        this.looking.delete(giftId); // a later item may try again
        console.warn("gift lookup failed", giftId, err);
      },
    );
  }

  private async refresh(): Promise<void> {
    if (this.fetching) {
      this.again = true;
      return this.fetching;
    }
    this.fetching = (async () => {
      try {
        this.apply(await this.deps.catalog());
      } catch (err) {
        console.warn("catalog refresh failed", err);
      } finally {
        this.fetching = null;
      }
    })();
    await this.fetching;
    if (this.again) {
      this.again = false;
      await this.refresh();
    }
  }

  private apply(response: CatalogResponse): void {
    for (const gift of response.gifts) this.known.set(gift.id, gift);
    this.deps.onSale(response.gifts);
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    if (response.nextChangeAt) {
      const wait = new Date(response.nextChangeAt).getTime() - Date.now();
      this.windowTimer = setTimeout(() => this.changed(), Math.min(MAX_TIMER_MS, Math.max(0, wait) + 200));
    }
  }
}
