/**
 * What the books say about one order, per project account: paid, and taken
 * back (refunds, refund corrections, a lost or still-open dispute, a dispute
 * won giving back). Only the kinds that change what the donor gave count;
 * money moved on to an NGO (transfers, payouts) is not the donor's business.
 * A dispute still open is not counted as taken back: it is not final, and a
 * receipt changes only when it is lost.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { splitTaken } from "../../shared/refund-split.ts";
import type { Db, Tx } from "../db/connect.ts";
import { ledgerEntries, ledgerTransactions, orders } from "../db/schema.ts";

export const DONOR_KINDS = ["donation", "refund", "dispute", "dispute_reversal", "refund_correction"] as const;

/** Ledger amounts on project accounts: negative entries are credits to the NGO. This counts them as the NGO's net. */
export const ngoNetOfEntries = sql<string>`-sum(case when ${ledgerTransactions.kind} in ('dispute', 'dispute_reversal') and ${orders.disputeStatus} = 'open' then 0 else ${ledgerEntries.amountCents} end)`;

export interface ProjectShare {
  account: string;
  paidCents: number;
  takenBackCents: number;
}

/** Per project account of an order: what was paid to it, and what was taken back since. */
export async function projectShares(db: Db | Tx, orderId: string): Promise<ProjectShare[]> {
  const rows = await db
    .select({
      account: ledgerEntries.account,
      paid: sql<string>`-sum(case when ${ledgerTransactions.kind} = 'donation' then ${ledgerEntries.amountCents} else 0 end)`,
      net: ngoNetOfEntries,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .innerJoin(orders, eq(orders.id, ledgerTransactions.orderId))
    .where(and(eq(ledgerTransactions.orderId, orderId), inArray(ledgerTransactions.kind, [...DONOR_KINDS]), sql`${ledgerEntries.account} like 'liability:ngo:%'`))
    .groupBy(ledgerEntries.account);
  return rows.map((r) => ({ account: r.account, paidCents: Number(r.paid), takenBackCents: Number(r.paid) - Number(r.net) }));
}

/** The NGO id of a project account ("liability:ngo:<ngo>:project:<project>"). */
export function ngoOfAccount(account: string): string | undefined {
  return /^liability:ngo:([^:]+):project:/.exec(account)?.[1];
}

export function projectOfAccount(account: string): string | undefined {
  return /:project:([^:]+)$/.exec(account)?.[1];
}

/**
 * What each line of an order gave back (and "support" for the extra support), as the one refund
 * split says (shared/refund-split.ts): the same gifts leave the village, the same cents leave each
 * project in the ledger, and the receipts print the same figures. `shares` are the ledger's per
 * project amounts; their total taken back is what the split divides.
 */
export function takenBackPerLine(
  lines: ReadonlyArray<{ id: string; ngoId: string; projectId: string; unitPriceCents: number; quantity: number }>,
  supportCents: number,
  shares: readonly ProjectShare[],
): Map<string, number> {
  const taken = shares.reduce((sum, s) => sum + Math.max(0, s.takenBackCents), 0);
  const split = splitTaken({ lines: lines.map((l) => ({ ...l, lineId: l.id })), supportCents }, taken);
  const out = new Map(Object.entries(split.lineCents));
  if (split.supportCents > 0) out.set("support", split.supportCents);
  return out;
}
