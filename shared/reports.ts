/**
 * The NGO console's reports: query schemas (validated at the door, with a
 * message per field), response shapes, and the calendar rules they rest on.
 *
 * Dates are calendar days in France (Europe/Paris, CET/CEST): a period
 * `from`–`to` covers every instant from midnight at the start of `from` to
 * midnight at the end of `to`, Paris time, and a movement's day is its date in
 * Paris. Time is always passed in; nothing here reads the clock.
 */
import { z } from "zod";
import type { Translated } from "./api.ts";

export const REPORT_TIME_ZONE = "Europe/Paris";
/** The longest period a report covers: two years of days (a leap year included). */
export const MAX_REPORT_DAYS = 731;

export const REPORT_GROUPINGS = ["project", "gift", "day"] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** excel-fr: UTF-8 with a BOM, `;` between cells, decimal commas. rfc4180: UTF-8, `,`, decimal points. */
export const CSV_FORMATS = ["excel-fr", "rfc4180"] as const;
export type CsvFormat = (typeof CSV_FORMATS)[number];

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Whether a text is a real calendar day written YYYY-MM-DD. */
export function isCalendarDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Days from `from` to `to`, both counted (1 when they are the same day). */
export function daysInPeriod(from: string, to: string): number {
  return Math.round((utcOfDay(to) - utcOfDay(from)) / MS_PER_DAY) + 1;
}

/** The calendar day `n` days after `day` (YYYY-MM-DD). */
export function addDays(day: string, n: number): string {
  return new Date(utcOfDay(day) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

function utcOfDay(day: string): number {
  const m = DAY.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string): Intl.DateTimeFormat {
  let f = wallClocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    wallClocks.set(timeZone, f);
  }
  return f;
}

function wallParts(instant: number, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const p of wallClock(timeZone).formatToParts(instant)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return parts;
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone (Paris unless told). */
export function dayIn(instant: Date, timeZone = REPORT_TIME_ZONE): string {
  const p = wallParts(instant.getTime(), timeZone);
  return `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** How far the time zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const p = wallParts(instant, timeZone);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant midnight begins `day` in a time zone (Paris unless told), across summer-time changes. */
export function startOfDayIn(day: string, timeZone = REPORT_TIME_ZONE): Date {
  const wallMidnight = utcOfDay(day);
  let guess = wallMidnight;
  for (let i = 0; i < 3; i++) {
    const next = wallMidnight - offsetAt(guess, timeZone);
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

/** The half-open interval [start, end) of instants a period of days covers. */
export function periodBounds(from: string, to: string, timeZone = REPORT_TIME_ZONE): { start: Date; end: Date } {
  return { start: startOfDayIn(from, timeZone), end: startOfDayIn(addDays(to, 1), timeZone) };
}

const dayField = (name: string) =>
  z.string({ error: `${name} is required, as YYYY-MM-DD` }).refine(isCalendarDay, { error: `${name} must be a calendar day written YYYY-MM-DD` });

const Lang = z.enum(["fr", "en"], { error: "lang must be fr or en" }).default("fr");

/** GET /api/ngos/:ngoId/reports/donations(.csv)?from&to&by[&format][&lang] */
export const DonationReportQuery = z
  .object({
    from: dayField("from"),
    to: dayField("to"),
    by: z.enum(REPORT_GROUPINGS, { error: "by must be project, gift or day" }).default("project"),
    format: z.enum(CSV_FORMATS, { error: "format must be excel-fr or rfc4180" }).default("excel-fr"),
    lang: Lang,
  })
  .superRefine((q, ctx) => {
    if (!isCalendarDay(q.from) || !isCalendarDay(q.to)) return;
    const days = daysInPeriod(q.from, q.to);
    if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: "to must be the same day as from or later" });
    else if (days > MAX_REPORT_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `a report covers at most ${MAX_REPORT_DAYS} days (two years)` });
  });
export type DonationReportQuery = z.output<typeof DonationReportQuery>;

/** GET /api/ngos/:ngoId/reports/tax-receipts(.csv)?year[&format][&lang] */
export const TaxReceiptReportQuery = z.object({
  year: z
    .string({ error: "year is required" })
    .regex(/^\d{4}$/, { error: "year must be a year such as 2025" })
    .transform(Number)
    .refine((y) => y >= 2000 && y <= 2100, { error: "year must be between 2000 and 2100" }),
  format: z.enum(CSV_FORMATS, { error: "format must be excel-fr or rfc4180" }).default("excel-fr"),
  lang: Lang,
});
export type TaxReceiptReportQuery = z.output<typeof TaxReceiptReportQuery>;

/** Money movements of one row, in integer cents of `currency`, with net = gross − refunded − disputed. */
export interface DonationFigures {
  currency: string;
  /** Donations received (paid orders), booked on the day of payment. */
  grossCents: number;
  /** Refunded, booked on the day of the refund. */
  refundedCents: number;
  /** Withheld by disputes: taken when a dispute opens, given back when it is won; a lost dispute stays taken. */
  disputedCents: number;
  netCents: number;
  /** Gift units paid for (support on top of gifts is not a unit). */
  units: number;
  /** Distinct paid orders. */
  orders: number;
}

export interface DonationReportRow extends DonationFigures {
  /** by=day: the day in Paris. */
  day?: string;
  /** by=project and by=gift. */
  project?: { id: string; name: Translated };
  /** by=gift: the gift, or null on the row of the extra support given on top of the gifts. */
  gift?: { id: string; name: Translated } | null;
}

export interface DonationReportResponse {
  ngoId: string;
  from: string;
  to: string;
  by: ReportGrouping;
  timeZone: typeof REPORT_TIME_ZONE;
  rows: DonationReportRow[];
  /** One per currency (a row's orders may overlap another's: totals count each order once). */
  totals: DonationFigures[];
}

export interface TaxReceiptDeclaration {
  ngoId: string;
  /** The year of the donations the receipts cover (declared to the tax administration the following year). */
  year: number;
  currency: "EUR";
  /** Receipts in force (a cancelled receipt no longer counts; its replacement does). */
  receipts: number;
  /** Receipts cancelled by a refund or a lost dispute (their numbers stay used). */
  cancelled: number;
  totalCents: number;
  donors: number;
  /**
   * The receipt numbers used, lowest and highest, and the sequence numbers from 1 to the highest that
   * were not found (numbers are never reused nor skipped, so this should always be empty).
   */
  numbers: { first: string; last: string; missingSequenceNumbers: number[] } | null;
}
