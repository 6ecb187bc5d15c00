/**
 * Receipts from the books. A payment receipt proves one paid order: every NGO
 * of the basket with its share, and what was refunded, per line. A donor's
 * net donations to an NGO in a year (refunds and lost disputes deducted) are
 * what a French tax receipt certifies (issued by tax-receipts.ts). A stored
 * tax receipt is always re-printed identically; a cancelled one is stamped so.
 */
import { and, eq, inArray, like } from "drizzle-orm";
import type {
  DonationReceipt, DonationReceiptLine, DonationReceiptNgoShare, TaxReceipt, TaxReceiptCancellation, TaxReceiptDonation,
} from "../../shared/receipts.ts";
import type { Locale } from "../../shared/money.ts";
import type { Db, Tx } from "../db/connect.ts";
import { gifts, ledgerEntries, ledgerTransactions, ngos, orderLines, orders, projects, taxReceipts } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { DONOR_KINDS, ngoNetOfEntries, projectShares, takenBackPerLine } from "./order-ledger.ts";
import { matchesOfOrders } from "./pledges.ts";

export const METHOD = { fr: "Carte bancaire (Stripe)", en: "Card (Stripe)" } as const;

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
  const fr = locale === "fr";
  // The support is booked to the project of the largest line (the first of equals), as fulfilment does.
  const main = [...lines].sort((a, b) => b.line.lineTotalCents - a.line.lineTotalCents)[0]!;
  const takenBack = takenBackPerLine(lines.map((l) => l.line), order.supportCents, await projectShares(db, order.id));
  const matches = (await matchesOfOrders(db, [order.id])).get(order.id) ?? [];
  const receiptLines: DonationReceiptLine[] = lines.map(({ line, gift, project, ngo }) => ({
    giftName: fr ? gift.nameFr : gift.nameEn,
    projectName: fr ? project.nameFr : project.nameEn,
    ngoName: ngo.name,
    quantity: line.quantity,
    unitPriceCents: line.unitPriceCents,
    amountCents: line.lineTotalCents,
    refundedCents: takenBack.get(line.id) ?? 0,
  }));
  if (order.supportCents > 0) {
    receiptLines.push({
      giftName: fr ? "Soutien en plus au projet" : "Extra support for the project",
      projectName: fr ? main.project.nameFr : main.project.nameEn,
      ngoName: main.ngo.name,
      quantity: 1, unitPriceCents: order.supportCents, amountCents: order.supportCents,
      refundedCents: takenBack.get("support") ?? 0,
    });
  }
  const shares = new Map<string, DonationReceiptNgoShare>();
  const ngoOfLine = [...lines.map((l) => l.ngo), ...(order.supportCents > 0 ? [main.ngo] : [])];
  receiptLines.forEach((l, i) => {
    const ngo = ngoOfLine[i]!;
    const share = shares.get(ngo.id) ?? { name: ngo.name, legalName: ngo.legalName, paidCents: 0, refundedCents: 0 };
    share.paidCents += l.amountCents;
    share.refundedCents += l.refundedCents ?? 0;
    shares.set(ngo.id, share);
  });
  return {
    locale, orderId: order.id, paidAt: order.paidAt, paymentMethod: METHOD[locale],
    ngo: { name: first.ngo.name, legalName: first.ngo.legalName, ...(first.ngo.address ? { address: first.ngo.address } : {}) },
    lines: receiptLines, totalCents: order.totalCents,
    ngos: [...shares.values()],
    refundedCents: receiptLines.reduce((s, l) => s + (l.refundedCents ?? 0), 0),
    ...(matches.length > 0 ? { sponsorMatches: matches.map((m) => ({ sponsor: m.sponsor, matchedCents: m.matchedCents })) } : {}),
  };
}

export interface NetDonation {
  orderId: string;
  paidAt: Date;
  netCents: number;
  /** A dispute is open on the payment (its amount still counts until it is lost). */
  disputeOpen: boolean;
}

/**
 * A donor's net donations to an NGO in a year, per order, from the ledger: refunds, refund
 * corrections and lost disputes deducted (an open dispute not yet). Orders refunded in full
 * are left out.
 */
export async function netDonations(db: Db | Tx, playerId: string, ngoId: string, year: number): Promise<NetDonation[]> {
  const rows = await db
    .select({ orderId: orders.id, paidAt: orders.paidAt, disputeStatus: orders.disputeStatus, net: ngoNetOfEntries })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .innerJoin(orders, eq(orders.id, ledgerTransactions.orderId))
    .where(and(
      eq(orders.playerId, playerId), eq(orders.status, "paid"), inArray(ledgerTransactions.kind, [...DONOR_KINDS]),
      like(ledgerEntries.account, `liability:ngo:${ngoId}:%`),
    ))
    .groupBy(orders.id, orders.paidAt, orders.disputeStatus)
    .orderBy(orders.paidAt);
  return rows
    .filter((r) => r.paidAt && parisYear(r.paidAt) === year)
    .map((r) => ({ orderId: r.orderId, paidAt: r.paidAt!, netCents: Number(r.net), disputeOpen: r.disputeStatus === "open" }))
    .filter((r) => r.netCents > 0);
}

/** A donor's stored receipt as printed, and, when it was cancelled, how (it is re-printed stamped so). */
export async function storedTaxReceipt(db: Db, playerId: string, receiptId: string): Promise<{ receipt: TaxReceipt; cancellation: TaxReceiptCancellation | null }> {
  const [row] = await db.select().from(taxReceipts).where(and(eq(taxReceipts.id, receiptId), eq(taxReceipts.playerId, playerId)));
  if (!row) throw new HttpError(404, "not_found", "No such receipt");
  if (row.status !== "cancelled" || !row.cancelledAt) return { receipt: reviveReceipt(row.content), cancellation: null };
  const [replacement] = await db.select({ number: taxReceipts.number }).from(taxReceipts).where(eq(taxReceipts.replacesId, row.id));
  return {
    receipt: reviveReceipt(row.content),
    cancellation: { cancelledAt: row.cancelledAt, reason: row.cancellationReason ?? "refunded", replacedBy: replacement?.number ?? null },
  };
}

/** JSON stores dates as strings: bring them back as Dates. */
export function reviveReceipt(content: unknown): TaxReceipt {
  const r = content as TaxReceipt & { issuedAt: string | Date; donations: Array<TaxReceiptDonation & { date: string | Date }>; replaces?: { number: string; issuedAt: string | Date } };
  return {
    ...r, issuedAt: new Date(r.issuedAt), donations: r.donations.map((d) => ({ ...d, date: new Date(d.date) })),
    ...(r.replaces ? { replaces: { number: r.replaces.number, issuedAt: new Date(r.replaces.issuedAt) } } : {}),
  };
}
