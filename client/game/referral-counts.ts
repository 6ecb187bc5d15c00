/**
 * What my share links brought (GET /api/me/referrals), kept up to date live:
 * the village room pushes the same body (`referrals`) when a gift is
 * attributed to me or a refund takes one back. Counts only, never who gave.
 */
import type { MyReferralsResponse } from "../../shared/referrals.ts";
import { request } from "../net/api.ts";

export const referralsApi = {
  mine: (token: string) => request<MyReferralsResponse>("GET", "/api/me/referrals", { token }),
};

export class ReferralCounts {
  private value: MyReferralsResponse | null = null;
  private loading: Promise<MyReferralsResponse | null> | null = null;
  private readonly listeners = new Set<(now: MyReferralsResponse, before: MyReferralsResponse | null) => void>();
  private readonly token: () => string | undefined;

  constructor(token: () => string | undefined) {
    this.token = token;
  }

  get current(): MyReferralsResponse | null {
    return this.value;
  }

  /** My code (null while referrals are off or not loaded yet). */
  get code(): string | null {
    return this.value?.enabled ? this.value.code : null;
  }

  giftsFor(campaignId: string): number {
    return this.value?.campaigns.find((c) => c.campaignId === campaignId)?.gifts ?? 0;
  }

  /** Reads them (again); a failure keeps what was known. */
  load(): Promise<MyReferralsResponse | null> {
    const token = this.token();
    if (!token) return Promise.resolve(this.value);
    this.loading ??= referralsApi.mine(token).then(
      (v) => {
        this.set(v);
        return v;
      },
      () => this.value,
    ).finally(() => (this.loading = null));
    return this.loading;
  }

  /** Pushed by the village room, or just read. */
  set(next: MyReferralsResponse): void {
    const before = this.value;
    this.value = next;
    for (const listener of this.listeners) listener(next, before);
  }

  subscribe(listener: (now: MyReferralsResponse, before: MyReferralsResponse | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
