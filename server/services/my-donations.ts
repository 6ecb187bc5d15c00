/**
 * "My donations" from the books: the player's orders (newest first), each
 * with its lines, its NGOs' shares and what came back per line (the ledger's
 * split), its payment receipt and the tax receipts it is on.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { donationStatus, type MyDonation, type MyDonationsResponse } from "../../shared/my-donations.ts";
import type { DedicationOrder, DedicationView } from "../../shared/dedications.ts";
import type { Db } from "../db/connect.ts";
import { gifts, ledgerEntries, ledgerTransactions, ngos, orderLines, orders, projects, villages } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { DONOR_KINDS, ngoNetOfEntries, type ProjectShare, takenBackPerLine } from "./order-ledger.ts";
import { parisYear } from "./receipts.ts";
import { matchesOfOrders } from "./pledges.ts";
import { taxReceiptsOf } from "./tax-receipts.ts";
import { dedicationsOfOrders } from "./dedications.ts";

/** A dedication still scheduled whose order no longer counts (expired, refunded, lost) will not be delivered: shown cancelled. */
function shownDedication(d: DedicationView, order: { status: DedicationOrder["status"]; refundedCents: number; disputeStatus: DedicationOrder["disputeStatus"] }): DedicationView {
  const off = order.status === "expired" || order.status === "failed" || order.refundedCents > 0 || order.disputeStatus === "lost";
  return d.status === "scheduled" && off ? { ...d, status: "cancelled" } : d;
}

const LIMIT = 200;

export async function myDonations(db: Db, playerId: string, onlyOrderId?: string): Promise<MyDonationsResponse> {
  const rows = await db
    .select({ order: orders, villageOwner: villages.ownerId, villageName: villages.name })
    .from(orders)
    .innerJoin(villages, eq(villages.id, orders.villageId))
    .where(and(eq(orders.playerId, playerId), onlyOrderId ? eq(orders.id, onlyOrderId) : undefined))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(LIMIT);
  if (onlyOrderId && rows.length === 0) throw new HttpError(404, "not_found", "No such order");
  const ids = rows.map((r) => r.order.id);
  const lines = ids.length === 0 ? [] : await db
    .select({ line: orderLines, gift: { fr: gifts.nameFr, en: gifts.nameEn }, project: { fr: projects.nameFr, en: projects.nameEn }, ngoName: ngos.name })
    .from(orderLines)
    .innerJoin(gifts, eq(gifts.id, orderLines.giftId))
    .innerJoin(projects, eq(projects.id, orderLines.projectId))
    .innerJoin(ngos, eq(ngos.id, orderLines.ngoId))
    .where(inArray(orderLines.orderId, ids))
    .orderBy(orderLines.id);
  const paidIds = rows.filter((r) => r.order.status === "paid").map((r) => r.order.id);
  const shareRows = paidIds.length === 0 ? [] : await db
    .select({
      orderId: ledgerTransactions.orderId, account: ledgerEntries.account,
      paid: sql<string>`-sum(case when ${ledgerTransactions.kind} = 'donation' then ${ledgerEntries.amountCents} else 0 end)`,
      net: ngoNetOfEntries,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .innerJoin(orders, eq(orders.id, ledgerTransactions.orderId))
    .where(and(inArray(ledgerTransactions.orderId, paidIds), inArray(ledgerTransactions.kind, [...DONOR_KINDS]), sql`${ledgerEntries.account} like 'liability:ngo:%'`))
    .groupBy(ledgerTransactions.orderId, ledgerEntries.account);
  const receipts = await taxReceiptsOf(db, playerId);
  const matches = await matchesOfOrders(db, paidIds);
  const dedications = await dedicationsOfOrders(db, ids);

  const donations = rows.map(({ order, villageOwner, villageName }): MyDonation => {
    const mine = lines.filter((l) => l.line.orderId === order.id);
    const main = [...mine].sort((a, b) => b.line.lineTotalCents - a.line.lineTotalCents)[0];
    const shares: ProjectShare[] = shareRows.filter((s) => s.orderId === order.id)
      .map((s) => ({ account: s.account, paidCents: Number(s.paid), takenBackCents: Number(s.paid) - Number(s.net) }));
    const back = takenBackPerLine(mine.map((l) => l.line), order.supportCents, shares);
    const outLines: MyDonation["lines"] = mine.map((l) => ({
      giftId: l.line.giftId, giftName: l.gift, projectName: l.project, ngoName: l.ngoName,
      quantity: l.line.quantity, amountCents: l.line.lineTotalCents, refundedCents: back.get(l.line.id) ?? 0,
    }));
    const ngoIds = mine.map((l) => l.line.ngoId);
    if (main && order.supportCents > 0) {
      outLines.push({
        giftId: "", giftName: { fr: "Soutien en plus au projet", en: "Extra support for the project" }, projectName: main.project, ngoName: main.ngoName,
        quantity: 1, amountCents: order.supportCents, refundedCents: back.get("support") ?? 0, support: true,
      });
      ngoIds.push(main.line.ngoId);
    }
    const byNgo = new Map<string, MyDonation["ngos"][number]>();
    outLines.forEach((l, i) => {
      const ngoId = ngoIds[i]!;
      const entry = byNgo.get(ngoId) ?? { ngoId, name: l.ngoName, paidCents: 0, refundedCents: 0 };
      entry.paidCents += l.amountCents;
      entry.refundedCents += l.refundedCents;
      byNgo.set(ngoId, entry);
    });
    const year = order.paidAt ? parisYear(order.paidAt) : null;
    return {
      orderId: order.id, createdAt: order.createdAt.toISOString(), paidAt: order.paidAt?.toISOString() ?? null,
      status: donationStatus(order), currency: order.currency, totalCents: order.totalCents, refundedCents: order.refundedCents,
      giftedTo: villageOwner !== playerId ? villageName : null,
      lines: outLines, ngos: [...byNgo.values()],
      receiptPath: order.status === "paid" ? `/api/orders/${order.id}/receipt.pdf` : null,
      taxReceipts: year === null ? [] : receipts.filter((r) => r.year === year && byNgo.has(r.ngoId)),
      ...(matches.has(order.id) ? { matches: matches.get(order.id)! } : {}),
      ...(dedications.has(order.id) ? { dedication: shownDedication(dedications.get(order.id)!, order) } : {}),
    };
  });
  return { donations, taxReceipts: receipts };
}
