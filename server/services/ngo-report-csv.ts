/**
 * The reports as CSV files for accounting: column titles in French or
 * English, a header record, one record per row, then the totals (one per
 * currency). Amounts are decimal euros written from integer cents; days are
 * ISO dates (YYYY-MM-DD) in Paris time.
 */
import { csvDocument, type CsvCell } from "../../shared/csv.ts";
import type { IssuedReceipt } from "../../shared/tax-declaration.ts";
import { dayIn, type CsvFormat, type DonationFigures, type DonationReportResponse, type ReportGrouping } from "../../shared/reports.ts";
import type { Locale } from "../../shared/money.ts";
import { SUPPORT_NAME } from "./ngo-reports.ts";

const TITLES = {
  fr: {
    day: "Jour", project: "Projet", gift: "Cadeau", currency: "Devise", gross: "Dons reçus (brut)", refunded: "Remboursements",
    disputed: "Litiges (retenus)", net: "Net", units: "Cadeaux (unités)", orders: "Commandes", total: "Total",
    number: "Numéro", issuedOn: "Date d'émission", amount: "Montant (EUR)", lastName: "Nom", firstName: "Prénom",
    status: "Statut", issued: "émis", cancelled: "annulé", replacedBy: "annulé, remplacé par",
  },
  en: {
    day: "Day", project: "Project", gift: "Gift", currency: "Currency", gross: "Gross received", refunded: "Refunded",
    disputed: "Disputed (withheld)", net: "Net", units: "Gift units", orders: "Orders", total: "Total",
    number: "Number", issuedOn: "Issued on", amount: "Amount (EUR)", lastName: "Last name", firstName: "First name",
    status: "Status", issued: "issued", cancelled: "cancelled", replacedBy: "cancelled, replaced by",
  },
} as const satisfies Record<Locale, Record<string, string>>;

const keyColumns = (by: ReportGrouping, lang: Locale): string[] =>
  by === "day" ? [TITLES[lang].day] : by === "project" ? [TITLES[lang].project] : [TITLES[lang].project, TITLES[lang].gift];

const figureCells = (f: DonationFigures): CsvCell[] => [
  f.currency, { cents: f.grossCents }, { cents: f.refundedCents }, { cents: f.disputedCents }, { cents: f.netCents }, { count: f.units }, { count: f.orders },
];

export function donationReportCsv(report: DonationReportResponse, format: CsvFormat, lang: Locale): string {
  const t = TITLES[lang];
  const keys = keyColumns(report.by, lang);
  const header = [...keys, t.currency, t.gross, t.refunded, t.disputed, t.net, t.units, t.orders];
  const records: CsvCell[][] = report.rows.map((r) => {
    const key: CsvCell[] = report.by === "day" ? [r.day ?? ""]
      : report.by === "project" ? [r.project?.name[lang] ?? ""]
      : [r.project?.name[lang] ?? "", r.gift === null ? SUPPORT_NAME[lang] : r.gift?.name[lang] ?? ""];
    return [...key, ...figureCells(r)];
  });
  for (const total of report.totals) records.push([t.total, ...keys.slice(1).map(() => ""), ...figureCells(total)]);
  return csvDocument(header, records, format);
}

/** The receipts of a year: number, day of issue (Paris), amount, the donor's name as printed on the receipt, and whether it was cancelled (and replaced). */
export function taxReceiptsCsv(receipts: readonly IssuedReceipt[], format: CsvFormat, lang: Locale): string {
  const t = TITLES[lang];
  return csvDocument(
    [t.number, t.issuedOn, t.amount, t.lastName, t.firstName, t.status],
    receipts.map((r) => [
      r.number, dayIn(r.issuedAt), { cents: r.totalCents }, r.donor.lastName, r.donor.firstName,
      !r.cancelled ? t.issued : r.replacedBy ? `${t.replacedBy} ${r.replacedBy}` : t.cancelled,
    ]),
    format,
  );
}

/** A dated, ASCII file name: the NGO, the report and its period. */
export function reportFileName(kind: "donations" | "tax-receipts", slug: string, lang: Locale, period: { from: string; to: string; by: ReportGrouping } | { year: number }): string {
  if ("year" in period) return lang === "fr" ? `hameau-recus-fiscaux-${slug}-${period.year}.csv` : `hameau-tax-receipts-${slug}-${period.year}.csv`;
  const by = lang === "fr" ? { project: "projet", gift: "cadeau", day: "jour" }[period.by] : period.by;
  return lang === "fr" ? `hameau-dons-${slug}-${period.from}-au-${period.to}-par-${by}.csv` : `hameau-${kind}-${slug}-${period.from}-to-${period.to}-by-${by}.csv`;
}
