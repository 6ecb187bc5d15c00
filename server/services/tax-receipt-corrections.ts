/**
 * "Annule et remplace": when a refund or a lost dispute takes money back from
 * a donation already on an issued tax receipt, that receipt is cancelled (kept,
 * with its number, its printed content and its new status) and, if money is
 * left, a receipt with a NEW number of the same NGO and year replaces it and
 * names it. The donor is told by mail (queued in the same transaction).
 *
 * Called by the refund and dispute code (server/payments/reversals.ts) inside
 * the transaction that posts the reversal, so a crash cannot post one without
 * the other. Idempotent by content: a receipt is corrected only when what it
 * certifies differs from what the ledger now says, so a replayed event, or a
 * second call, cancels nothing twice. The counter row of each NGO and year is
 * locked before reading the receipts (as issuing does), so an issue running at
 * the same moment is either seen or sees this reversal.
 */
import { and, eq } from "drizzle-orm";
import type { Tx } from "../db/connect.ts";
import { mailQueue, ngos, orderLines, orders, taxReceipts } from "../db/schema.ts";
import { netDonations, parisYear, reviveReceipt } from "./receipts.ts";
import { lockReceiptCounter, nextReceiptNumber, receiptContent, sponsorMatchesOf } from "./tax-receipts.ts";

export type CorrectionReason = "refunded" | "dispute_lost";

export interface Correction {
  cancelled: { id: string; number: string };
  replacement: { id: string; number: string; totalCents: number } | null;
}

export async function correctTaxReceiptsOfOrder(tx: Tx, orderId: string, reason: CorrectionReason, now = new Date()): Promise<Correction[]> {
  const [order] = await tx.select({ playerId: orders.playerId, paidAt: orders.paidAt }).from(orders).where(eq(orders.id, orderId));
  if (!order?.paidAt) return [];
  const year = parisYear(order.paidAt);
  const ngoIds = [...new Set((await tx.selectDistinct({ ngoId: orderLines.ngoId }).from(orderLines).where(eq(orderLines.orderId, orderId))).map((r) => r.ngoId))].sort();
  const done: Correction[] = [];
  for (const ngoId of ngoIds) {
    await lockReceiptCounter(tx, ngoId, year);
    const [receipt] = await tx.select().from(taxReceipts)
      .where(and(eq(taxReceipts.playerId, order.playerId), eq(taxReceipts.ngoId, ngoId), eq(taxReceipts.year, year), eq(taxReceipts.status, "issued")));
    if (!receipt) continue;
    const donations = await netDonations(tx, order.playerId, ngoId, year);
    const totalCents = donations.reduce((s, d) => s + d.netCents, 0);
    // Unchanged (a replay) or more (cannot come from a reversal): nothing to correct.
    if (totalCents >= receipt.totalCents) continue;
    await tx.update(taxReceipts).set({ status: "cancelled", cancelledAt: now, cancellationReason: reason })
      .where(and(eq(taxReceipts.id, receipt.id), eq(taxReceipts.status, "issued")));
    let replacement: Correction["replacement"] = null;
    if (totalCents > 0) {
      const [ngo] = await tx.select().from(ngos).where(eq(ngos.id, ngoId));
      const old = reviveReceipt(receipt.content);
      const number = await nextReceiptNumber(tx, ngo!, year);
      const content = receiptContent({
        number, year, now, ngo: ngo!, donor: old.donor, donations, replaces: { number: receipt.number, issuedAt: old.issuedAt },
        sponsorMatches: await sponsorMatchesOf(tx, donations, ngoId),
      });
      const [row] = await tx.insert(taxReceipts).values({
        number, ngoId, playerId: order.playerId, year, totalCents, content, issuedAt: now, replacesId: receipt.id,
      }).returning({ id: taxReceipts.id });
      replacement = { id: row!.id, number, totalCents };
    }
    await tx.insert(mailQueue).values({
      kind: "tax_receipt_cancelled", dedupeKey: `tax_receipt_cancelled:${receipt.id}`, playerId: order.playerId,
      payload: { cancelledId: receipt.id, replacementId: replacement?.id ?? null },
    }).onConflictDoNothing({ target: mailQueue.dedupeKey });
    done.push({ cancelled: { id: receipt.id, number: receipt.number }, replacement });
  }
  return done;
}
