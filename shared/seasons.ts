/**
 * The seasonal calendar, as a pure rule: some decorations are in the shop
 * only between two Paris calendar dates each year (a window may run over the
 * new year). They arrive at midnight in Paris on their first day and leave at
 * midnight in Paris after their last day, whatever the player's time zone.
 * The shop shows a countdown until they leave; the server refuses them out of
 * their window (`out_of_season`). Time (`now`, epoch ms) is passed in.
 */
import { type DecorationId, DECORATIONS } from "./decorations.ts";
import { type RuleResult, refuse } from "./errors.ts";
import { addDays, parisDay, parisMidnightOf } from "./paris-day.ts";

/** A window of Paris calendar dates, "MM-DD", both days included; `from` after `until` runs over the new year. */
export interface SeasonWindow {
  readonly from: string;
  readonly until: string;
}

/** When each seasonal decoration (source "season" in decorations.ts) is in the shop. */
export const SEASON_WINDOWS: Readonly<Partial<Record<DecorationId, SeasonWindow>>> = {
  snowman: { from: "12-01", until: "02-28" },
  "christmas-tree": { from: "12-01", until: "01-06" },
  "spring-chick": { from: "03-20", until: "04-30" },
  "beach-umbrella": { from: "06-21", until: "08-31" },
  "autumn-leaves": { from: "09-22", until: "11-20" },
  ghost: { from: "10-20", until: "11-02" },
};

export type SeasonAvailability =
  | { readonly available: true; /** Epoch ms: when it leaves the shop (midnight in Paris after its last day). */ readonly endsAt: number }
  | { readonly available: false; /** Epoch ms: when it comes back (midnight in Paris on its first day). */ readonly startsAt: number };

function inWindow(monthDay: string, w: SeasonWindow): boolean {
  return w.from <= w.until ? monthDay >= w.from && monthDay <= w.until : monthDay >= w.from || monthDay <= w.until;
}

/** Whether a seasonal decoration is in the shop at `now`, and until or from when. Null for a decoration of every season. */
export function seasonOf(id: DecorationId, now: number): SeasonAvailability | null {
  const w = SEASON_WINDOWS[id];
  if (!w) return null;
  const today = parisDay(now);
  const year = Number(today.slice(0, 4));
  const monthDay = today.slice(5);
  if (inWindow(monthDay, w)) {
    // The last day is this year's, or next year's when the window runs over the new year and began this year.
    const lastYear = w.from > w.until && monthDay >= w.from ? year + 1 : year;
    return { available: true, endsAt: parisMidnightOf(addDays(`${lastYear}-${w.until}`, 1)) };
  }
  const firstYear = monthDay < w.from ? year : year + 1;
  return { available: false, startsAt: parisMidnightOf(`${firstYear}-${w.from}`) };
}

/** The seasonal decorations in the shop at `now`. */
export function inSeason(now: number): DecorationId[] {
  return (Object.keys(SEASON_WINDOWS) as DecorationId[]).filter((id) => seasonOf(id, now)?.available === true);
}

/** A decoration may be bought now: any decoration of every season, a seasonal one only in its window. */
export function mayBuyInSeason(id: DecorationId, now: number): RuleResult<object> {
  const season = seasonOf(id, now);
  if (season && !season.available) return refuse("out_of_season", `${DECORATIONS[id].nameEn} is not in the shop at this time of year`);
  return { ok: true };
}
