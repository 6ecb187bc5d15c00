/**
 * The books of matching pledges, and unmatching when money goes back.
 *
 * A pledge is money a sponsor promises to pay the NGO directly: Hameau never
 * holds it, so it lives on memo accounts that balance among themselves,
 * apart from the donors' money (asset:stripe-clearing, liability:ngo:*):
 *   pledge recorded (`pledge:<id>`):   + pledge:<id> cap,  − pledge-promised:<id> cap
 *   match (`match:<pledge>:<order>…`): + matched:<campaign> m, − pledge:<id> m
 *   unmatch (`unmatch:…`):             the match, reversed
 * So pledge:<id> holds what is left of the cap (never negative), matched:<campaign>
 * what the campaign's sponsors matched, and pledge-promised + pledge what the sponsor owes.
 *
 * Matching at payment is applied by the database (migration 0019) in the paying
 * transaction. Here: refunds and lost disputes bring each match of the order to
 * what the donor's gift keeps (shared/matching-rule.ts), under the pledges' row
 * locks, in the event's transaction, and a refund that failed matches again.
 */
import { asc, eq, inArray, sql } from "drizzle-orm";
import { keptBaseCents, rematchDelta, rematchTarget } from "../../shared/matching-rule.ts";
import type { SplitOrder } from "../../shared/refund-split.ts";
import type { Tx } from "../db/connect.ts";
import { campaignPledges, orders, pledgeMatches } from "../db/schema.ts";
import { type LedgerLine, postTransaction } from "./ledger.ts";

type Order = typeof orders.$inferSelect;

/** Memo: what is left of a pledge's cap. */
export const pledgeAccount = (pledgeId: string) => `pledge:${pledgeId}`;
/** Memo: the sponsor's promise (credited with the cap when the pledge is recorded). */
export const pledgePromisedAccount = (pledgeId: string) => `pledge-promised:${pledgeId}`;
/** Memo: what a campaign's sponsors matched. */
export const matchedAccount = (campaignId: string) => `matched:${campaignId}`;

export function pledgeEntries(pledgeId: string, capCents: number): LedgerLine[] {
  return [
    { account: pledgeAccount(pledgeId), amountCents: capCents },
    { account: pledgePromisedAccount(pledgeId), amountCents: -capCents },
  ];
}

/** A match of `cents` (negative: an unmatch). */
export function matchEntries(pledgeId: string, campaignId: string, cents: number): LedgerLine[] {
  return [
    { account: matchedAccount(campaignId), amountCents: cents },
    { account: pledgeAccount(pledgeId), amountCents: -cents },
  ];
}

/** Books a new pledge's promise (once: its key is the pledge). */
export async function bookPledge(tx: Tx, p: { id: string; capCents: number; currency: string }): Promise<void> {
  await postTransaction(tx, { kind: "pledge", sourceKey: `pledge:${p.id}`, orderId: null, stripeEventId: null, currency: p.currency, lines: pledgeEntries(p.id, p.capCents) });
}

/**
 * Brings every match of the order to what the donor's gift now keeps (after `order.refundedCents`
 * went back, or nothing after a lost dispute). Call with the order locked and its new amounts,
 * before the village is touched (the lock order is order → pledges → village, as at payment).
 */
export async function rematchOrder(tx: Tx, order: Order, split: SplitOrder, eventId: string | null): Promise<void> {
  const matches = await tx.select().from(pledgeMatches).where(eq(pledgeMatches.orderId, order.id)).orderBy(asc(pledgeMatches.pledgeId));
  if (matches.length === 0) return;
  // Row locks in id order, as the payment's trigger takes them; then a new read sees the holders' work.
  await tx.execute(sql`select 1 from ${campaignPledges} where ${inArray(campaignPledges.id, matches.map((m) => m.pledgeId))} order by ${campaignPledges.id} for update`);
  const pledges = new Map((await tx.select().from(campaignPledges).where(inArray(campaignPledges.id, matches.map((m) => m.pledgeId)))).map((p) => [p.id, p]));
  for (const m of matches) {
    const pledge = pledges.get(m.pledgeId)!;
    const kept = keptBaseCents(split, m.lineIds, order.refundedCents, order.disputeStatus === "lost");
    const delta = rematchDelta(m.matchedCents, rematchTarget({ originalCents: m.originalCents, baseCents: m.baseCents }, kept), pledge.capCents - pledge.matchedCents);
    if (delta === 0) continue;
    const revision = m.revision + 1;
    await postTransaction(tx, {
      kind: delta < 0 ? "unmatch" : "match", sourceKey: `${delta < 0 ? "unmatch" : "match"}:${m.pledgeId}:${order.id}:${revision}`,
      orderId: order.id, stripeEventId: eventId, currency: order.currency, lines: matchEntries(m.pledgeId, m.campaignId, delta),
    });
    await tx.update(pledgeMatches).set({ matchedCents: m.matchedCents + delta, revision }).where(sql`${pledgeMatches.pledgeId} = ${m.pledgeId} and ${pledgeMatches.orderId} = ${order.id}`);
    await tx.update(campaignPledges).set({ matchedCents: sql`${campaignPledges.matchedCents} + ${delta}` }).where(eq(campaignPledges.id, m.pledgeId));
    pledge.matchedCents += delta;
  }
}
