/**
 * The NGO console's reports, read from the books: donations from the ledger
 * entries on the NGO's project accounts (liability:ngo:<ngo>:project:<project>),
 * split by gift through the order lines; the yearly tax-receipt declaration
 * from the receipts issued. Only this NGO's accounts, lines and receipts are
 * ever read, so an order that also gave to another NGO shows only its part.
 */
import { and, asc, eq, gte, inArray, like, lt } from "drizzle-orm";
import { aggregateDonations, type AggregatedRow, type MovementKind } from "../../shared/donation-report.ts";
import type { DonationReportQuery, DonationReportResponse, DonationReportRow, TaxReceiptDeclaration } from "../../shared/reports.ts";
import { periodBounds, REPORT_TIME_ZONE } from "../../shared/reports.ts";
import { receiptDeclaration, type IssuedReceipt } from "../../shared/tax-declaration.ts";
import type { TaxReceipt } from "../../shared/receipts.ts";
import type { Db } from "../db/connect.ts";
import { gifts, ledgerEntries, ledgerTransactions, ngos, orderLines, projects, taxReceipts } from "../db/schema.ts";
import { projectAccount } from "../payments/ledger.ts";

/** The extra support given on top of gifts, as the receipts name it. */
export const SUPPORT_NAME = { fr: "Soutien en plus au projet", en: "Extra support for the project" } as const;

const MOVEMENT_KINDS: ReadonlySet<string> = new Set<MovementKind>(["donation", "refund", "dispute", "dispute_reversal"]);

export async function donationReport(db: Db, ngoId: string, q: Pick<DonationReportQuery, "from" | "to" | "by">): Promise<DonationReportResponse> {
  const { start, end } = periodBounds(q.from, q.to);
  // The NGO's ids are uuids (validated): no LIKE wildcard can hide in the prefix.
  const prefix = projectAccount(ngoId, "");
  const onNgoAccounts = like(ledgerEntries.account, `${prefix}%`);
  const inPeriod = and(onNgoAccounts, gte(ledgerTransactions.createdAt, start), lt(ledgerTransactions.createdAt, end));

  const entries = await db
    .select({
      orderId: ledgerTransactions.orderId, kind: ledgerTransactions.kind, bookedAt: ledgerTransactions.createdAt,
      account: ledgerEntries.account, amountCents: ledgerEntries.amountCents, currency: ledgerEntries.currency,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .where(inPeriod);
  const movements = entries.map((e) => {
    // A refund correction (a refund that failed or shrank) is a refund going back: it lowers the refunded figure.
    const kind = e.kind === "refund_correction" ? "refund" : e.kind;
    if (!e.orderId || !MOVEMENT_KINDS.has(kind)) throw new Error(`unexpected ${e.kind} entry on ${e.account}`);
    return { orderId: e.orderId, kind: kind as MovementKind, projectId: e.account.slice(prefix.length), currency: e.currency, amountCents: e.amountCents, bookedAt: e.bookedAt };
  });

  const ordersInPeriod = db.selectDistinct({ id: ledgerTransactions.orderId }).from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId)).where(inPeriod);
  const lines = movements.length === 0 ? [] : await db
    .select({ orderId: orderLines.orderId, projectId: orderLines.projectId, giftId: orderLines.giftId, quantity: orderLines.quantity, lineTotalCents: orderLines.lineTotalCents })
    .from(orderLines)
    .where(and(eq(orderLines.ngoId, ngoId), inArray(orderLines.orderId, ordersInPeriod)));
  // The gift split needs each order's whole donation to a project, whenever it was paid.
  const credits = q.by !== "gift" || movements.length === 0 ? [] : (await db
    .select({ orderId: ledgerTransactions.orderId, account: ledgerEntries.account, amountCents: ledgerEntries.amountCents })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .where(and(onNgoAccounts, eq(ledgerTransactions.kind, "donation"), inArray(ledgerTransactions.orderId, ordersInPeriod))))
    .map((c) => ({ orderId: c.orderId!, projectId: c.account.slice(prefix.length), cents: -c.amountCents }));

  const report = aggregateDonations({ movements, lines, credits }, q.by);
  return { ngoId, from: q.from, to: q.to, by: q.by, timeZone: REPORT_TIME_ZONE, rows: await labelled(db, ngoId, report.rows), totals: report.totals };
}

/** Rows with their project and gift names, in a stable order: by day, or by project then gift (support last). */
async function labelled(db: Db, ngoId: string, rows: AggregatedRow[]): Promise<DonationReportRow[]> {
  const projectRows = await db.select({ id: projects.id, fr: projects.nameFr, en: projects.nameEn }).from(projects).where(eq(projects.ngoId, ngoId));
  const giftIds = [...new Set(rows.map((r) => r.giftId).filter((g): g is string => typeof g === "string"))];
  const giftRows = giftIds.length === 0 ? [] : await db.select({ id: gifts.id, fr: gifts.nameFr, en: gifts.nameEn }).from(gifts).where(and(eq(gifts.ngoId, ngoId), inArray(gifts.id, giftIds)));
  const projectName = new Map(projectRows.map((p) => [p.id, { fr: p.fr, en: p.en }]));
  const giftName = new Map(giftRows.map((g) => [g.id, { fr: g.fr, en: g.en }]));
  const out: DonationReportRow[] = rows.map(({ day, projectId, giftId, ...figures }) => ({
    ...(day !== undefined ? { day } : {}),
    ...(projectId !== undefined ? { project: { id: projectId, name: projectName.get(projectId) ?? { fr: projectId, en: projectId } } } : {}),
    ...(giftId !== undefined ? { gift: giftId === null ? null : { id: giftId, name: giftName.get(giftId) ?? { fr: giftId, en: giftId } } } : {}),
    ...figures,
  }));
  const text = (r: DonationReportRow) => [r.day ?? "", r.project?.name.fr ?? "", r.gift === null ? "\uffff" : r.gift?.name.fr ?? "", r.currency];
  return out.sort((a, b) => {
    const [x, y] = [text(a), text(b)];
    for (let i = 0; i < x.length; i++) {
      const c = x[i]!.localeCompare(y[i]!, "fr");
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** The NGO's slug, for file names. */
export async function ngoSlug(db: Db, ngoId: string): Promise<string> {
  const [row] = await db.select({ slug: ngos.slug }).from(ngos).where(eq(ngos.id, ngoId));
  return (row?.slug ?? "ngo").toLowerCase().replace(/[^a-z0-9-]+/g, "-");
}

/** The receipts issued for a year's donations, in number order, with the donor as printed. */
export async function issuedReceipts(db: Db, ngoId: string, year: number): Promise<IssuedReceipt[]> {
  const rows = await db
    .select({ id: taxReceipts.id, number: taxReceipts.number, issuedAt: taxReceipts.issuedAt, totalCents: taxReceipts.totalCents, playerId: taxReceipts.playerId, content: taxReceipts.content, status: taxReceipts.status, replacesId: taxReceipts.replacesId })
    .from(taxReceipts)
    .where(and(eq(taxReceipts.ngoId, ngoId), eq(taxReceipts.year, year)))
    .orderBy(asc(taxReceipts.number));
  const replacedBy = new Map(rows.filter((r) => r.replacesId).map((r) => [r.replacesId!, r.number]));
  return rows.map((r) => {
    const donor = (r.content as Pick<TaxReceipt, "donor">).donor;
    return {
      number: r.number, issuedAt: r.issuedAt, totalCents: r.totalCents, playerId: r.playerId, donor: { firstName: donor.firstName, lastName: donor.lastName },
      cancelled: r.status === "cancelled", replacedBy: replacedBy.get(r.id) ?? null,
    };
  });
}

export async function taxReceiptDeclaration(db: Db, ngoId: string, year: number): Promise<TaxReceiptDeclaration> {
  return { ngoId, year, currency: "EUR", ...receiptDeclaration(await issuedReceipts(db, ngoId, year)) };
}
