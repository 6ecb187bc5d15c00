/**
 * Money taken back from a donor is taken back from the NGOs it went to: a
 * refund or a lost dispute of an order paid to the NGOs' own Stripe accounts
 * writes, in the same transaction as its ledger entries, one transfer reversal
 * per NGO into the outbox (ngo_transfers), split exactly as the ledger split it
 * (shared/refund-split.ts, through the refund's ledger lines). The outbox makes it after commit. The
 * transfers themselves are written by fulfilment (migration 0010).
 */
import { eq, sql } from "drizzle-orm";
import type { Tx } from "../db/connect.ts";
import { ngoTransfers, type orders } from "../db/schema.ts";
import type { LedgerLine } from "./ledger.ts";
import { ngoShares } from "./ngo-ledger.ts";

type Order = typeof orders.$inferSelect;

/**
 * Owes each NGO's share of `lines` (the entries that took the money back from its
 * projects) as a reversal of its transfer. `key` names the movement once
 * (refund:<order>:<cumulative>, dispute:<dispute>): a replay owes nothing more.
 * A reversal never exceeds what the NGO was transferred less what was already reversed.
 */
export async function oweTransferReversals(
  tx: Tx,
  input: { order: Order; reason: "refund" | "dispute"; key: string; lines: readonly LedgerLine[] },
): Promise<number> {
  const { order } = input;
  if (order.chargeMode !== "destination" && order.chargeMode !== "separate") return 0;
  const owed = await tx
    .select({
      ngoId: ngoTransfers.ngoId,
      transferred: sql<number>`coalesce(sum(${ngoTransfers.amountCents}) filter (where ${ngoTransfers.kind} = 'transfer'), 0)`.mapWith(Number),
      reversed: sql<number>`coalesce(sum(${ngoTransfers.amountCents}) filter (where ${ngoTransfers.kind} = 'transfer_reversal'), 0)`.mapWith(Number),
    })
    .from(ngoTransfers)
    .where(eq(ngoTransfers.orderId, order.id))
    .groupBy(ngoTransfers.ngoId);
  const left = new Map(owed.map((o) => [o.ngoId, o.transferred - o.reversed]));
  const rows = [...ngoShares(input.lines)]
    .map(([ngoId, cents]) => ({ ngoId, cents: Math.min(cents, left.get(ngoId) ?? 0) }))
    .filter((r) => r.cents > 0)
    .map((r) => ({
      obligationKey: `transfer_reversal:${input.key}:${r.ngoId}`, kind: "transfer_reversal" as const, reason: input.reason,
      orderId: order.id, ngoId: r.ngoId, amountCents: r.cents, currency: order.currency, chargeMode: order.chargeMode as "destination" | "separate",
    }));
  if (rows.length === 0) return 0;
  const inserted = await tx.insert(ngoTransfers).values(rows).onConflictDoNothing({ target: ngoTransfers.obligationKey }).returning({ id: ngoTransfers.id });
  return inserted.length;
}
