/**
 * The referral a visitor came with: a page opened with `?r=<code>&ch=<channel>`
 * (a shared link, or a public page's Give link that carried them on) is kept
 * in this browser's localStorage for 30 days, first-party only, and sent with
 * the next checkout (CheckoutRequest.referral). A newer link replaces it. The
 * two parameters leave the address bar, so a link copied from it never
 * carries someone else's code on. Nothing else about the visitor is kept.
 */
import { type Referral, referralFromQuery } from "../../shared/share.ts";
import { storageGet, storageSet } from "../storage.ts";

const KEY = "hameau.referral";
/** How long a shared link counts for the gifts that follow it. */
export const REFERRAL_DAYS = 30;
const TTL_MS = REFERRAL_DAYS * 24 * 60 * 60_000;

interface Stored extends Referral {
  /** Epoch ms after which it no longer counts. */
  expires: number;
}

/** Keeps the referral of the address, if any, and takes it out of the address bar. */
export function captureReferral(now = Date.now()): void {
  const url = new URL(location.href);
  const found = referralFromQuery(url.searchParams);
  if (found) storageSet(KEY, JSON.stringify({ ...found, expires: now + TTL_MS } satisfies Stored));
  if (url.searchParams.has("r") || url.searchParams.has("ch")) {
    url.searchParams.delete("r");
    url.searchParams.delete("ch");
    history.replaceState(history.state, "", url);
  }
}

/** The referral kept in this browser, if it has not expired (an expired one is forgotten). */
export function keptReferral(now = Date.now()): Referral | null {
  const raw = storageGet(KEY);
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as Partial<Stored>;
    const again = referralFromQuery(new URLSearchParams({ r: String(stored.code ?? ""), ch: String(stored.channel ?? "") }));
    if (again && typeof stored.expires === "number" && stored.expires > now) return again;
  } catch {
    // Not ours any more: forget it.
  }
  storageSet(KEY, null);
  return null;
}
