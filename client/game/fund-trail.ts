/**
 * The fund trail shown in a donated gift's label ("Funded 3 Nov · Sent to
 * the field 20 Nov · In use —"): read from the server the first time the
 * label is shown, kept a minute, then read again (the NGO advances it). The
 * scene refreshes a visible label twice a second, so the line appears as
 * soon as the answer is in.
 */
import type { ItemTrailResponse } from "../../shared/fund-trail.ts";
import { locale, t } from "../i18n.ts";
import { feedApi } from "../net/feed-api.ts";

const KEEP_MS = 60_000;
const RETRY_MS = 15_000;

export interface ItemTrailsDeps {
  token(): string | undefined;
  villageId(): string;
}

export class ItemTrails {
  private readonly deps: ItemTrailsDeps;
  private readonly known = new Map<string, { trail: ItemTrailResponse | null; at: number }>();
  private readonly asking = new Set<string>();

  constructor(deps: ItemTrailsDeps) {
    this.deps = deps;
  }

  /** The trail line of a donated item of the open village; null until known. */
  line(itemId: string, now = Date.now()): string | null {
    const villageId = this.deps.villageId();
    const key = `${villageId}/${itemId}`;
    const cached = this.known.get(key);
    if (!cached || now - cached.at > (cached.trail ? KEEP_MS : RETRY_MS)) this.ask(key, villageId, itemId, now);
    return cached?.trail ? trailLine(cached.trail) : null;
  }

  private ask(key: string, villageId: string, itemId: string, now: number): void {
    const token = this.deps.token();
    if (!token || !villageId || this.asking.has(key)) return;
    this.asking.add(key);
    feedApi
      .itemTrail(token, villageId, itemId)
      .then((trail) => this.known.set(key, { trail, at: now }))
      .catch(() => this.known.set(key, { trail: this.known.get(key)?.trail ?? null, at: now }))
      .finally(() => this.asking.delete(key));
  }
}

/** "Funded 3 Nov · Sent to the field 20 Nov · In use —", in the player's language. */
export function trailLine(trail: ItemTrailResponse): string {
  return [
    t("trail.funded", { date: shortDate(trail.funded) }),
    trail.sentToField ? t("trail.sent", { date: shortDate(trail.sentToField.on) }) : t("trail.sentNot"),
    trail.inUse ? t("trail.inUse", { date: shortDate(trail.inUse.on) }) : t("trail.inUseNot"),
  ].join(" · ");
}

/** "3 Nov" / "3 nov." from a calendar date (no time zone shift; day first in English too, as in Europe). */
export function shortDate(date: string): string {
  return new Intl.DateTimeFormat(locale() === "en" ? "en-GB" : "fr-FR", { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}
