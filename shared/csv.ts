/**
 * CSV for accounting, as a pure rule.
 * - RFC 4180: CRLF after every record, a field holding the separator, a quote,
 *   CR or LF is quoted, with its quotes doubled.
 * - `excel-fr` (the default of the reports): UTF-8 with a byte-order mark, `;`
 *   between fields and decimal commas, which French spreadsheets open as is;
 *   `rfc4180`: UTF-8 without a mark, `,` and decimal points.
 * - Amounts are written from integer cents by text manipulation, never by
 *   floating-point arithmetic: 123456 → "1234,56" / "1234.56", -5 → "-0,05".
 * - Formula injection: a text cell beginning with = + - @ (or a tab or CR) is
 *   prefixed with a single quote, so a spreadsheet shows it as text instead of
 *   running it. Amounts and counts are written by us from integers and are
 *   left as numbers.
 */
import { assertCents } from "./money.ts";
import type { CsvFormat } from "./reports.ts";

/** A text, an amount in cents, or a whole count. */
export type CsvCell = string | { cents: number } | { count: number };

const BOM = "\uFEFF";

export function csvSeparator(format: CsvFormat): string {
  return format === "excel-fr" ? ";" : ",";
}

/** "-1234,56" from -123456 cents (decimal comma or point), with no floating point. */
export function centsToDecimal(cents: number, decimalMark: "," | "."): string {
  assertCents(cents);
  const digits = String(Math.abs(cents)).padStart(3, "0");
  return `${cents < 0 ? "-" : ""}${digits.slice(0, -2)}${decimalMark}${digits.slice(-2)}`;
}

/** A text cell a spreadsheet would read as a formula gets a leading quote. */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Quotes a field when RFC 4180 requires it (separator, quote, CR or LF inside). */
export function quoteField(text: string, separator: string): string {
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvField(cell: CsvCell, format: CsvFormat): string {
  const separator = csvSeparator(format);
  if (typeof cell === "string") return quoteField(guardFormula(cell), separator);
  if ("cents" in cell) return quoteField(centsToDecimal(cell.cents, format === "excel-fr" ? "," : "."), separator);
  if (!Number.isSafeInteger(cell.count)) throw new RangeError(`a count must be an integer, got ${cell.count}`);
  return String(cell.count);
}

/** The whole file: a header record, then the records, each ended by CRLF; a BOM first for excel-fr. */
export function csvDocument(header: readonly string[], records: ReadonlyArray<readonly CsvCell[]>, format: CsvFormat): string {
  const separator = csvSeparator(format);
  const lines = [header, ...records].map((r) => r.map((c) => csvField(c, format)).join(separator) + "\r\n");
  return (format === "excel-fr" ? BOM : "") + lines.join("");
}
