/**
 * Annual French tax receipts, issued by an NGO to a donor for one finished
 * year: only by an NGO that declared itself eligible (article 200 CGI), only
 * for money actually received (every donation of the year past the NGO's
 * refund window, none under an open dispute; net of refunds and lost
 * disputes, from the ledger), numbered `<PREFIX>-<year>-<000001>` per NGO and
 * year without gaps: the number is taken from the counter row, locked until
 * commit, by the same transaction that stores the receipt. The counter row is
 * locked FIRST (see lockReceiptCounter), so an issue and a correction of the
 * same NGO and year never miss each other. Its content is stored and always
 * re-printed identically; a refund or a lost dispute later cancels and
 * replaces it (tax-receipt-corrections.ts).
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { TaxReceiptListItem, TaxReceiptSummary } from "../../shared/api.ts";
import type { TaxReceipt, TaxReceiptDonation, TaxReceiptDonor } from "../../shared/receipts.ts";
import { annualReceiptRefusal, isEligible, receivedFrom } from "../../shared/tax-eligibility.ts";
import type { Db, Tx } from "../db/connect.ts";
import { donorProfiles, ngos, orderLines, orders, receiptCounters, taxReceipts } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { matchesOfOrders } from "./pledges.ts";
import { METHOD, type NetDonation, netDonations, parisYear, reviveReceipt } from "./receipts.ts";

type NgoRow = typeof ngos.$inferSelect;

/** Locks the NGO's counter row of a year (creating it at 0): every issue and correction of that NGO and year queue here. */
export async function lockReceiptCounter(tx: Tx, ngoId: string, year: number): Promise<void> {
  await tx.insert(receiptCounters).values({ ngoId, year, last: 0 })
    .onConflictDoUpdate({ target: [receiptCounters.ngoId, receiptCounters.year], set: { last: sql`${receiptCounters.last}` } });
}

/** The next number of the NGO's year (the counter row must be locked by this transaction). */
export async function nextReceiptNumber(tx: Tx, ngo: Pick<NgoRow, "id" | "receiptPrefix">, year: number): Promise<string> {
  const [counter] = await tx.update(receiptCounters).set({ last: sql`${receiptCounters.last} + 1` })
    .where(and(eq(receiptCounters.ngoId, ngo.id), eq(receiptCounters.year, year))).returning({ last: receiptCounters.last });
  if (!counter) throw new Error(`receipt counter of ${ngo.id} for ${year} is not locked`);
  return `${ngo.receiptPrefix}-${year}-${String(counter.last).padStart(6, "0")}`;
}

/** What a receipt prints: the NGO as it is now, the donor, the donations (net, received). */
export function receiptContent(input: {
  number: string; year: number; now: Date; ngo: NgoRow; donor: TaxReceiptDonor; donations: readonly NetDonation[]; replaces?: TaxReceipt["replaces"];
  sponsorMatches?: TaxReceipt["sponsorMatches"];
}): TaxReceipt {
  const { ngo } = input;
  if (!ngo.address || !ngo.signatoryName) throw new Error(`NGO ${ngo.id} has no address or signatory`);
  return {
    number: input.number, year: input.year, issuedAt: input.now, placeOfIssue: ngo.address.city,
    ngo: { name: ngo.name, legalName: ngo.legalName, address: ngo.address, purpose: ngo.purpose, legalStatus: ngo.legalStatus, ...(ngo.registrationNumber ? { registrationNumber: ngo.registrationNumber } : {}) },
    donor: input.donor,
    donations: input.donations.map((d): TaxReceiptDonation => ({ date: d.paidAt, amountCents: d.netCents, method: METHOD.fr, form: "Don manuel", nature: "Numéraire" })),
    totalCents: input.donations.reduce((s, d) => s + d.netCents, 0),
    signatory: { name: ngo.signatoryName, title: ngo.signatoryTitle ?? "" },
    ...(input.replaces ? { replaces: input.replaces } : {}),
    ...(input.sponsorMatches && input.sponsorMatches.length > 0 ? { sponsorMatches: input.sponsorMatches } : {}),
  };
}

/** The sponsors who matched these donations to this NGO, with what they match now (the tax receipt mentions them as theirs). */
export async function sponsorMatchesOf(db: Db | Tx, donations: readonly NetDonation[], ngoId: string): Promise<NonNullable<TaxReceipt["sponsorMatches"]>> {
  const matches = await matchesOfOrders(db, donations.map((d) => d.orderId));
  const bySponsor = new Map<string, number>();
  for (const m of [...matches.values()].flat()) if (m.ngoId === ngoId) bySponsor.set(m.sponsor, (bySponsor.get(m.sponsor) ?? 0) + m.matchedCents);
  return [...bySponsor].map(([sponsor, matchedCents]) => ({ sponsor, matchedCents }));
}

const REFUSAL_STATUS = { ngo_not_eligible: 409, receipt_year_open: 422, receipt_window_open: 409, receipt_dispute_open: 409 } as const;

/** Issues (once) the donor's tax receipt for an NGO and a finished year. */
export async function issueTaxReceipt(db: Db, playerId: string, ngoId: string, year: number, now = new Date()): Promise<{ id: string; number: string; content: TaxReceipt; created: boolean }> {
  const [ngoExists] = await db.select({ id: ngos.id }).from(ngos).where(eq(ngos.id, ngoId));
  if (!ngoExists) throw new HttpError(404, "not_found", "No such NGO");
  return db.transaction(async (tx) => {
    await lockReceiptCounter(tx, ngoId, year);
    // A new statement after the lock: it sees the receipt a concurrent request just committed.
    const [existing] = await tx.select().from(taxReceipts)
      .where(and(eq(taxReceipts.playerId, playerId), eq(taxReceipts.ngoId, ngoId), eq(taxReceipts.year, year), eq(taxReceipts.status, "issued")));
    if (existing) return { id: existing.id, number: existing.number, content: reviveReceipt(existing.content), created: false };
    const [ngo] = await tx.select().from(ngos).where(eq(ngos.id, ngoId));
    if (!ngo) throw new HttpError(404, "not_found", "No such NGO");
    const eligibility = { status: ngo.taxReceiptStatus };
    if (!isEligible(eligibility) || year >= parisYear(now)) throwRefusal(annualReceiptRefusal({ eligibility, windowDays: ngo.refundWindowDays, year, currentYear: parisYear(now), donations: [], now }));
    const [donor] = await tx.select().from(donorProfiles).where(eq(donorProfiles.playerId, playerId));
    if (!donor) throw new HttpError(422, "donor_profile_missing", "A tax receipt needs your name and postal address first");
    if (!ngo.address || !ngo.receiptPrefix || !ngo.signatoryName) {
      throw new HttpError(409, "receipts_unavailable", "This NGO has not set up tax receipts yet");
    }
    const donations = await netDonations(tx, playerId, ngoId, year);
    if (donations.length === 0) throw new HttpError(422, "nothing_to_receipt", "No donation to this NGO that year");
    throwRefusal(annualReceiptRefusal({ eligibility, windowDays: ngo.refundWindowDays, year, currentYear: parisYear(now), donations, now }));
    const number = await nextReceiptNumber(tx, ngo, year);
    const content = receiptContent({
      number, year, now, ngo, donations, sponsorMatches: await sponsorMatchesOf(tx, donations, ngoId),
      donor: { firstName: donor.firstName, lastName: donor.lastName, addressLines: donor.addressLines, postalCode: donor.postalCode, city: donor.city, country: donor.country },
    });
    const [row] = await tx.insert(taxReceipts).values({ number, ngoId, playerId, year, totalCents: content.totalCents, content, issuedAt: now }).returning({ id: taxReceipts.id });
    return { id: row!.id, number, content, created: true };
  });
}

function throwRefusal(refusal: ReturnType<typeof annualReceiptRefusal>): void {
  if (!refusal) return;
  throw new HttpError(REFUSAL_STATUS[refusal.code as keyof typeof REFUSAL_STATUS] ?? 409, refusal.code, refusal.message);
}

/** Every tax receipt of a donor (cancelled ones included), newest year first, then by NGO, newest number first; optionally of one year. */
export async function taxReceiptsOf(db: Db, playerId: string, year?: number): Promise<TaxReceiptListItem[]> {
  const rows = await db
    .select({ receipt: taxReceipts, ngoName: ngos.name })
    .from(taxReceipts)
    .innerJoin(ngos, eq(ngos.id, taxReceipts.ngoId))
    .where(and(eq(taxReceipts.playerId, playerId), year === undefined ? undefined : eq(taxReceipts.year, year)))
    .orderBy(desc(taxReceipts.year), ngos.name, taxReceipts.ngoId, desc(taxReceipts.number));
  const numberOf = new Map(rows.map((r) => [r.receipt.id, r.receipt.number]));
  const replacedBy = new Map(rows.filter((r) => r.receipt.replacesId).map((r) => [r.receipt.replacesId!, r.receipt.number]));
  return rows.map(({ receipt: r, ngoName }) => ({
    id: r.id, number: r.number, ngoId: r.ngoId, ngoName, year: r.year, totalCents: r.totalCents, status: r.status,
    issuedAt: r.issuedAt.toISOString(), cancelledAt: r.cancelledAt?.toISOString() ?? null,
    replaces: r.replacesId ? (numberOf.get(r.replacesId) ?? null) : null,
    replacedBy: replacedBy.get(r.id) ?? null,
  }));
}

/** NGOs the donor gave to in a year, with what a tax receipt would show and whether it can be issued. */
export async function taxReceiptSummary(db: Db, playerId: string, year: number, now = new Date()): Promise<TaxReceiptSummary["ngos"]> {
  const givenTo = await db.selectDistinct({ id: ngos.id, name: ngos.name, status: ngos.taxReceiptStatus, windowDays: ngos.refundWindowDays }).from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId)).innerJoin(ngos, eq(ngos.id, orderLines.ngoId))
    .where(and(eq(orders.playerId, playerId), eq(orders.status, "paid")));
  const history = await taxReceiptsOf(db, playerId, year);
  const out: TaxReceiptSummary["ngos"] = [];
  for (const ngo of givenTo.sort((a, b) => a.name.localeCompare(b.name))) {
    const donations = await netDonations(db, playerId, ngo.id, year);
    const totalCents = donations.reduce((s, d) => s + d.netCents, 0);
    const mine = history.filter((r) => r.ngoId === ngo.id);
    const current = mine.find((r) => r.status === "issued");
    const last = Math.max(...donations.map((d) => receivedFrom(d.paidAt, ngo.windowDays).getTime()));
    if (totalCents > 0 || mine.length > 0) {
      out.push({
        ngoId: ngo.id, ngoName: ngo.name, totalCents, payments: donations.length,
        receipt: current ? { id: current.id, number: current.number } : null,
        eligible: isEligible(ngo), availableFrom: Number.isFinite(last) && last > now.getTime() ? new Date(last).toISOString() : null,
        history: mine,
      });
    }
  }
  return out;
}
