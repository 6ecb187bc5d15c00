/**
 * What the books say about one order, per project account: paid, and taken
 * back (refunds, refund corrections, a lost or still-open dispute, a dispute
 * won giving back). Only the kinds that change what the donor gave count;
 * money moved on to an NGO (transfers, payouts) is not the donor's business.
 * A dispute still open is not counted as taken back: it is not final, and a
 * receipt changes only when it is lost.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { allocate } from "../../shared/money.ts";
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
 * Splits what a project account gave back over the order's lines of that project (and the
 * support, booked to the project of the largest line), in proportion to their amounts.
 */
export function takenBackPerLine(
  lines: ReadonlyArray<{ key: string; account: string; amountCents: number }>,
  shares: readonly ProjectShare[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const share of shares) {
    const mine = lines.filter((l) => l.account === share.account);
    if (mine.length === 0 || share.takenBackCents <= 0) continue;
    const parts = allocate(share.takenBackCents, mine.map((l) => l.amountCents));
    mine.forEach((l, i) => out.set(l.key, (out.get(l.key) ?? 0) + parts[i]!));
  }
  return out;
}
