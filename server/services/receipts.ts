/**
 * Receipts from the books. A payment receipt proves one paid order. A French
 * tax receipt covers a donor's net donations to one NGO over a finished
 * calendar year, read from the ledger (refunds and lost disputes deducted);
 * it gets the NGO's next sequential number, and its content is stored so it
 * is always re-printed identically. Numbers are never reused.
 */
import { and, eq, like, sql } from "drizzle-orm";
import type { DonationReceipt, TaxReceipt, TaxReceiptDonation } from "../../shared/receipts.ts";
import type { Locale } from "../../shared/money.ts";
import type { Db, Tx } from "../db/connect.ts";
import { donorProfiles, gifts, ledgerEntries, ledgerTransactions, ngos, orderLines, orders, projects, receiptCounters, taxReceipts } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { isUniqueViolation } from "../db/unique-violation.ts";

const METHOD = { fr: "Carte bancaire (Stripe)", en: "Card (Stripe)" } as const;

/** The calendar year of a date in France. */
export function parisYear(date: Date): number {
  return Number(new Intl.DateTimeFormat("en", { timeZone: "Europe/Paris", year: "numeric" }).format(date));
}

export async function donationReceipt(db: Db, playerId: string, orderId: string, locale: Locale): Promise<DonationReceipt> {
  const [order] = await db.select().from(orders).where(and(eq(orders.id, orderId), eq(orders.playerId, playerId)));
  if (!order) throw new HttpError(404, "not_found", "No such order");
  if (order.status !== "paid" || !order.paidAt) throw new HttpError(409, "order_not_paid", "This order is not paid, so it has no receipt");
  const lines = await db
    .select({ line: orderLines, gift: gifts, project: projects, ngo: ngos })
    .from(orderLines)
    .innerJoin(gifts, eq(gifts.id, orderLines.giftId))
    .innerJoin(projects, eq(projects.id, orderLines.projectId))
    .innerJoin(ngos, eq(ngos.id, orderLines.ngoId))
    .where(eq(orderLines.orderId, order.id))
    .orderBy(orderLines.id);
  const first = lines[0];
  if (!first) throw new Error(`paid order ${order.id} has no lines`);
  const mixed = new Set(lines.map((l) => l.ngo.id)).size > 1;
  const fr = locale === "fr";
  const receiptLines = lines.map(({ line, gift, project, ngo }) => ({
    giftName: fr ? gift.nameFr : gift.nameEn,
    projectName: fr ? project.nameFr : project.nameEn,
    ...(mixed ? { ngoName: ngo.name } : {}),
    quantity: line.quantity,
    unitPriceCents: line.unitPriceCents,
    amountCents: line.lineTotalCents,
  }));
  if (order.supportCents > 0) {
    receiptLines.push({
      giftName: fr ? "Soutien en plus au projet" : "Extra support for the project",
      projectName: fr ? first.project.nameFr : first.project.nameEn,
      quantity: 1, unitPriceCents: order.supportCents, amountCents: order.supportCents,
    });
  }
  return {
    locale, orderId: order.id, paidAt: order.paidAt, paymentMethod: METHOD[locale],
    ngo: { name: first.ngo.name, legalName: first.ngo.legalName, ...(first.ngo.address ? { address: first.ngo.address } : {}) },
    lines: receiptLines, totalCents: order.totalCents,
  };
}

export interface NetDonation {
  orderId: string;
  paidAt: Date;
  netCents: number;
}

/** A donor's net donations to an NGO in a year, per order, from the ledger. */
export async function netDonations(db: Db, playerId: string, ngoId: string, year: number): Promise<NetDonation[]> {
  const rows = await db
    .select({
      orderId: orders.id,
      paidAt: orders.paidAt,
      // Credits to the NGO's accounts are negative; refunds and disputes debit them back.
      net: sql<string>`-sum(${ledgerEntries.amountCents})`,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .innerJoin(orders, eq(orders.id, ledgerTransactions.orderId))
    .where(and(eq(orders.playerId, playerId), eq(orders.status, "paid"), like(ledgerEntries.account, `liability:ngo:${ngoId}:%`)))
    .groupBy(orders.id, orders.paidAt)
    .orderBy(orders.paidAt);
  return rows
    .filter((r) => r.paidAt && parisYear(r.paidAt) === year)
    .map((r) => ({ orderId: r.orderId, paidAt: r.paidAt!, netCents: Number(r.net) }))
    .filter((r) => r.netCents > 0);
}

/** NGOs the donor gave to in a year, with what a tax receipt would show. */
export async function taxReceiptSummary(db: Db, playerId: string, year: number) {
  const givenTo = await db.selectDistinct({ id: ngos.id, name: ngos.name }).from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId)).innerJoin(ngos, eq(ngos.id, orderLines.ngoId))
    .where(and(eq(orders.playerId, playerId), eq(orders.status, "paid")));
  const issued = await db.select().from(taxReceipts).where(and(eq(taxReceipts.playerId, playerId), eq(taxReceipts.year, year)));
  const out = [];
  for (const ngo of givenTo) {
    const donations = await netDonations(db, playerId, ngo.id, year);
    const totalCents = donations.reduce((s, d) => s + d.netCents, 0);
    const receipt = issued.find((r) => r.ngoId === ngo.id);
    if (totalCents > 0 || receipt) out.push({ ngoId: ngo.id, ngoName: ngo.name, totalCents, payments: donations.length, receipt: receipt ? { id: receipt.id, number: receipt.number } : null });
  }
  return out;
}

/** Issues (once) the donor's tax receipt for an NGO and a finished year. */
export async function issueTaxReceipt(db: Db, playerId: string, ngoId: string, year: number, now = new Date()): Promise<{ id: string; number: string; content: TaxReceipt; created: boolean }> {
  if (year >= parisYear(now)) throw new HttpError(422, "receipt_year_open", "Annual tax receipts are issued once the year is over");
  const existingReceipt = async (q: Db | Tx) => {
    const [existing] = await q.select().from(taxReceipts).where(and(eq(taxReceipts.playerId, playerId), eq(taxReceipts.ngoId, ngoId), eq(taxReceipts.year, year)));
    return existing ? { id: existing.id, number: existing.number, content: reviveReceipt(existing.content), created: false } : null;
  };
  try {
    return await issueOnce(db, playerId, ngoId, year, now, existingReceipt);
  } catch (err) {
    // The same receipt asked for several times at once: the first one issued it; the others answer it.
    if (!isUniqueViolation(err)) throw err;
    const issued = await existingReceipt(db);
    if (issued) return issued;
    throw new HttpError(409, "try_again", "This receipt is being issued: try again");
  }
}

async function issueOnce(
  db: Db, playerId: string, ngoId: string, year: number, now: Date, existingReceipt: (q: Tx) => Promise<{ id: string; number: string; content: TaxReceipt; created: boolean } | null>,
): Promise<{ id: string; number: string; content: TaxReceipt; created: boolean }> {
  return db.transaction(async (tx) => {
    const existing = await existingReceipt(tx);
    if (existing) return existing;
    const [donor] = await tx.select().from(donorProfiles).where(eq(donorProfiles.playerId, playerId));
    if (!donor) throw new HttpError(422, "donor_profile_missing", "A tax receipt needs your name and postal address first");
    const [ngo] = await tx.select().from(ngos).where(eq(ngos.id, ngoId));
    if (!ngo) throw new HttpError(404, "not_found", "No such NGO");
    if (!ngo.address || !ngo.receiptPrefix || !ngo.signatoryName) {
      throw new HttpError(409, "receipts_unavailable", "This NGO has not set up tax receipts yet");
    }
    const donations = await netDonations(tx as unknown as Db, playerId, ngoId, year);
    const totalCents = donations.reduce((s, d) => s + d.netCents, 0);
    if (totalCents <= 0) throw new HttpError(422, "nothing_to_receipt", "No donation to this NGO that year");
    // The counter row is locked until commit: two receipts can never get the same number.
    const [counter] = await tx
      .insert(receiptCounters).values({ ngoId, year, last: 1 })
      .onConflictDoUpdate({ target: [receiptCounters.ngoId, receiptCounters.year], set: { last: sql`${receiptCounters.last} + 1` } })
      .returning({ last: receiptCounters.last });
    const number = `${ngo.receiptPrefix}-${year}-${String(counter!.last).padStart(6, "0")}`;
    const content: TaxReceipt = {
      number, year, issuedAt: now, placeOfIssue: ngo.address.city,
      ngo: { name: ngo.name, legalName: ngo.legalName, address: ngo.address, purpose: ngo.purpose, legalStatus: ngo.legalStatus, ...(ngo.registrationNumber ? { registrationNumber: ngo.registrationNumber } : {}) },
      donor: { firstName: donor.firstName, lastName: donor.lastName, addressLines: donor.addressLines, postalCode: donor.postalCode, city: donor.city, country: donor.country },
      donations: donations.map((d): TaxReceiptDonation => ({ date: d.paidAt, amountCents: d.netCents, method: METHOD.fr, form: "Don manuel", nature: "Numéraire" })),
      totalCents,
      signatory: { name: ngo.signatoryName, title: ngo.signatoryTitle ?? "" },
    };
    const [row] = await tx.insert(taxReceipts).values({ number, ngoId, playerId, year, totalCents, content }).returning({ id: taxReceipts.id });
    return { id: row!.id, number, content, created: true };
  });
}

export async function storedTaxReceipt(db: Db, playerId: string, receiptId: string): Promise<TaxReceipt> {
  const [row] = await db.select().from(taxReceipts).where(and(eq(taxReceipts.id, receiptId), eq(taxReceipts.playerId, playerId)));
  if (!row) throw new HttpError(404, "not_found", "No such receipt");
  return reviveReceipt(row.content);
}

/** JSON stores dates as strings: bring them back as Dates. */
function reviveReceipt(content: unknown): TaxReceipt {
  const r = content as TaxReceipt & { issuedAt: string | Date; donations: Array<TaxReceiptDonation & { date: string | Date }> };
  return { ...r, issuedAt: new Date(r.issuedAt), donations: r.donations.map((d) => ({ ...d, date: new Date(d.date) })) };
}
