/**
 * The yearly declaration of tax receipts (article 222 bis du code général des
 * impôts, since 2021): an NGO declares to the tax administration the number of
 * receipts it issued for a year's donations and their total amount. A pure
 * rule over the receipts issued: count, total, distinct donors, and the range
 * of numbers used (`<PREFIX>-<year>-<sequence>`, sequential per NGO and year).
 */
import { sumCents } from "./money.ts";
import type { TaxReceiptDeclaration } from "./reports.ts";

export interface IssuedReceipt {
  number: string;
  issuedAt: Date;
  totalCents: number;
  /** Null once the donor deleted their account (the receipt stays, as issued). */
  playerId: string | null;
  donor: { firstName: string; lastName: string };
  /** Cancelled by a refund or a lost dispute: its number stays used, its amount no longer counts. */
  cancelled?: boolean;
  /** The number of the receipt that replaced a cancelled one. */
  replacedBy?: string | null;
}

/** The sequence number at the end of a receipt number, or null when it has none. */
export function receiptSequence(number: string): number | null {
  const m = /-(\d+)$/.exec(number);
  return m ? Number(m[1]) : null;
}

/**
 * The declaration counts the receipts in force (a cancelled one's amount no longer counts, its
 * replacement's does) and checks the numbers over all of them, cancelled ones included.
 */
export function receiptDeclaration(receipts: readonly IssuedReceipt[]): Omit<TaxReceiptDeclaration, "ngoId" | "year" | "currency"> {
  const inForce = receipts.filter((r) => !r.cancelled);
  const cancelled = receipts.length - inForce.length;
  const totalCents = sumCents(inForce.map((r) => r.totalCents));
  // One annual receipt per donor: a receipt whose donor deleted their account still counts as one donor.
  const donors = new Set(inForce.map((r) => r.playerId ?? `receipt:${r.number}`)).size;
  if (receipts.length === 0) return { receipts: 0, cancelled, totalCents, donors, numbers: null };
  const bySequence = [...receipts].sort((a, b) => (receiptSequence(a.number) ?? 0) - (receiptSequence(b.number) ?? 0) || a.number.localeCompare(b.number));
  const used = new Set(receipts.map((r) => receiptSequence(r.number)));
  const highest = receiptSequence(bySequence.at(-1)!.number) ?? 0;
  const missingSequenceNumbers: number[] = [];
  for (let n = 1; n <= highest; n++) if (!used.has(n)) missingSequenceNumbers.push(n);
  return { receipts: inForce.length, cancelled, totalCents, donors, numbers: { first: bySequence[0]!.number, last: bySequence.at(-1)!.number, missingSequenceNumbers } };
}
