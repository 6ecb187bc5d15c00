/**
 * Where a basket's gifts go: the buyer's own village, or someone else's the
 * buyer may visit (a friend's, or a public village; never across a block,
 * never the village of a deleted account). Checked before anything is written.
 */
import { eq } from "drizzle-orm";
import { type RuleResult, refuse } from "../../shared/errors.ts";
import type { Db } from "../db/connect.ts";
import { orders, players, villages } from "../db/schema.ts";
import { mayVisit } from "./friends.ts";

export interface GiftDestination {
  villageId: string;
  /** Null for the buyer's own village; otherwise the owner's name, for the payer's checkout page only. */
  recipientName: string | null;
  /** Whether the giver allowed their name with the gift (always false for one's own village). */
  showGiverName: boolean;
}

export async function giftDestination(
  db: Db,
  buyer: { playerId: string; villageId: string },
  requested: { villageId?: string | undefined; showGiverName: boolean },
): Promise<RuleResult<{ destination: GiftDestination }>> {
  if (!requested.villageId || requested.villageId === buyer.villageId) {
    return { ok: true, destination: { villageId: buyer.villageId, recipientName: null, showGiverName: false } };
  }
  const [village] = await db
    .select({ ownerId: villages.ownerId, ownerName: players.displayName, deletedAt: players.deletedAt })
    .from(villages)
    .innerJoin(players, eq(players.id, villages.ownerId))
    .where(eq(villages.id, requested.villageId));
  if (!village || village.deletedAt) return refuse("village_unknown", "No such village");
  const allowed = await mayVisit(db, buyer.playerId, requested.villageId);
  if (!allowed.ok) return allowed;
  if (allowed.owner) return { ok: true, destination: { villageId: requested.villageId, recipientName: null, showGiverName: false } };
  return { ok: true, destination: { villageId: requested.villageId, recipientName: village.ownerName, showGiverName: requested.showGiverName } };
}

/** Who paid an order (for telling the payer's own clients apart from everyone else in a room). */
export async function payerOf(db: Db, orderId: string): Promise<string | null> {
  const [row] = await db.select({ playerId: orders.playerId }).from(orders).where(eq(orders.id, orderId)).limit(1);
  return row?.playerId ?? null;
}
