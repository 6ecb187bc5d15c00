/**
 * The game's day is the calendar day in Europe/Paris: daily quests, the daily
 * reward and the friend-help caps all start again at midnight in Paris,
 * whatever the player's own time zone. Pure: the instant (`now`, epoch
 * milliseconds) is always passed in. A day is written "YYYY-MM-DD".
 */
const PARIS = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });
const DAY_MS = 86_400_000;
const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

/** The Paris calendar day at this instant. */
export function parisDay(now: number): string {
  if (!Number.isFinite(now)) throw new RangeError(`time must be epoch milliseconds, got ${String(now)}`);
  return PARIS.format(new Date(now));
}

export function isDay(value: unknown): value is string {
  return typeof value === "string" && DAY_FORMAT.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** The calendar day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  if (!isDay(day)) throw new RangeError(`not a day: ${day}`);
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The first instant of a Paris day ("YYYY-MM-DD"): midnight in Paris. */
export function parisMidnightOf(day: string): number {
  if (!isDay(day)) throw new RangeError(`not a day: ${day}`);
  // Paris is UTC+1 in winter and UTC+2 in summer: midnight there is 22:00 or 23:00 UTC the day before.
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  for (const offsetHours of [2, 1]) {
    const candidate = utcMidnight - offsetHours * 3_600_000;
    if (parisDay(candidate) === day && parisDay(candidate - 1) !== day) return candidate;
  }
  throw new Error(`no Paris midnight found for ${day}`);
}

/** The first instant of the next Paris day (the moment quests and the daily reward come back). */
export function nextParisMidnight(now: number): number {
  return parisMidnightOf(addDays(parisDay(now), 1));
}
