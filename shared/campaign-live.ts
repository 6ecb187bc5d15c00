/**
 * The live campaign feed (GET /api/campaigns/:id/live, Server-Sent Events)
 * that public pages and the embeddable widget share: what one event carries,
 * and how the markup shows it. Pure and dependency-free (no zod): the
 * standalone /embed/live.js script bundles this file, and the server renders
 * the same texts into the widget page before any script runs.
 *
 * Markup contract: an element `data-campaign-live="<campaignId>"` holds
 * elements `data-live="bar"` (its width is the percent, capped at 100),
 * `"raised"`, `"goal"`, `"percent"`, `"donors"` and `"matched"` (texts).
 */
import type { CampaignPhase } from "./campaigns.ts";
import { type Currency, formatMoney, type Locale } from "./money.ts";

/** One event of the feed: a published campaign's public progress. Integers only, nothing per person. */
export interface CampaignLiveSnapshot {
  campaignId: string;
  currency: Currency;
  raisedCents: number;
  goalCents: number;
  /** Whole percent of the goal (floor), may pass 100. */
  percent: number;
  donors: number;
  /** Matched by sponsors, when the campaign has a matching pledge (shown apart from the donors' own gifts). */
  matchedCents?: number;
  phase: CampaignPhase;
  startsAt: string;
  endsAt: string;
}

/** The SSE event that says the campaign is no longer public (unpublished, NGO suspended): stop listening. */
export const LIVE_CLOSED_EVENT = "closed";
/** What the server asks EventSource to wait before reconnecting (ms). */
export const LIVE_RETRY_MS = 5_000;
/** How often the server sends a comment line so proxies keep the stream open. */
export const LIVE_HEARTBEAT_MS = 25_000;

export const LIVE_FIELDS = ["bar", "raised", "goal", "percent", "donors", "matched"] as const;
export type LiveField = (typeof LIVE_FIELDS)[number];

/** The page's language for the feed's texts: French for any `fr…` tag, English otherwise. */
export function liveLocale(lang: string | null | undefined): Locale {
  return (lang ?? "").trim().toLowerCase().startsWith("fr") ? "fr" : "en";
}

/** The bar's width in percent: the goal's percent, between 0 and 100. */
export function barPercent(s: Pick<CampaignLiveSnapshot, "percent">): number {
  return Math.max(0, Math.min(100, Math.floor(s.percent)));
}

/** "42 %" in French, "42%" in English (spaces are plain, as formatMoney's). */
export function percentText(percent: number, locale: Locale): string {
  return locale === "fr" ? `${percent} %` : `${percent}%`;
}

/** A count in the page's language ("1 234" / "1,234"). */
export function countText(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB").format(n).replace(/\u202f|\u00a0/g, " ");
}

/** Every text field of the markup for one snapshot, in one language. */
export function liveTexts(s: CampaignLiveSnapshot, locale: Locale): Record<Exclude<LiveField, "bar">, string> {
  return {
    raised: formatMoney({ cents: s.raisedCents, currency: s.currency }, locale),
    goal: formatMoney({ cents: s.goalCents, currency: s.currency }, locale),
    percent: percentText(s.percent, locale),
    donors: countText(s.donors, locale),
    matched: formatMoney({ cents: s.matchedCents ?? 0, currency: s.currency }, locale),
  };
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** What a client accepts from the feed (anything else is ignored). */
export function isLiveSnapshot(value: unknown): value is CampaignLiveSnapshot {
  const v = value as Partial<CampaignLiveSnapshot> | null;
  return typeof v === "object" && v !== null && typeof v.campaignId === "string" && v.currency === "EUR"
    && isInt(v.raisedCents) && isInt(v.goalCents) && isInt(v.percent) && isInt(v.donors)
    && (v.matchedCents === undefined || isInt(v.matchedCents))
    && (v.phase === "upcoming" || v.phase === "running" || v.phase === "ended")
    && typeof v.startsAt === "string" && typeof v.endsAt === "string";
}

/** The feed's path for a campaign. */
export function livePath(campaignId: string): string {
  return `/api/campaigns/${encodeURIComponent(campaignId)}/live`;
}
