/**
 * The village items of a dedicated order. An order dedicated to someone's
 * village grants nothing when it is paid (payments/fulfilment.ts leaves its
 * units out); on the dedication's date its units are granted here, into the
 * honoree's village, in the transaction that marks the dedication delivered
 * (services/dedication-delivery.ts). If it can no longer go there (the
 * honoree blocked the giver, or left), the units go to the giver's own village
 * instead: the gift was paid for and stands somewhere.
 *
 * The giver's village keeps no duplicate: their record is the order itself
 * (My donations shows the dedication and its status). A refund after delivery
 * takes the items back from the village they stand in (payments/gift-withdrawals.ts).
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { DedicationOrder } from "../../shared/dedications.ts";
import { findFreeTiles } from "../../shared/village.ts";
import type { Db, Tx } from "../db/connect.ts";
import { gifts, orderLines, villageItems } from "../db/schema.ts";
import { lockVillage } from "./villages.ts";

export interface LockedOrder extends DedicationOrder {
  /** The village the order was given from (the giver's, or a friend's they gave into). */
  villageId: string;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/**
 * Locks the order for the rest of the transaction and reads what the delivery rule needs, fresh: a
 * refund or a dispute (which lock the order too) is either seen here or waits for this delivery.
 */
export async function lockOrderForDelivery(tx: Tx, orderId: string): Promise<LockedOrder | null> {
  const [row] = rowsOf<LockedOrder>(await tx.execute(sql`
    select status, total_cents as "totalCents", refunded_cents as "refundedCents", dispute_status as "disputeStatus", village_id as "villageId"
    from orders where id = ${orderId} for update`));
  return row ?? null;
}

/**
 * Grants one item per unit of the order's lines into the village, under its lock: free tiles
 * nearest the centre, then the barn (no tile). Answers the new items' ids (none if the village is gone).
 */
export async function grantOrderUnits(tx: Tx, orderId: string, villageId: string): Promise<string[]> {
  if (!(await lockVillage(tx, villageId))) return [];
  const lines = await tx
    .select({ id: orderLines.id, giftId: orderLines.giftId, quantity: orderLines.quantity, sprite: gifts.sprite })
    .from(orderLines)
    .innerJoin(gifts, eq(gifts.id, orderLines.giftId))
    .where(eq(orderLines.orderId, orderId))
    .orderBy(asc(orderLines.id));
  const units = lines.flatMap((l) => Array.from({ length: l.quantity }, () => l));
  if (units.length === 0) return [];
  const standing = await tx
    .select({ id: villageItems.id, x: villageItems.x, y: villageItems.y })
    .from(villageItems)
    .where(and(eq(villageItems.villageId, villageId), isNull(villageItems.removedAt)));
  const tiles = findFreeTiles(standing, units.length);
  const granted = await tx
    .insert(villageItems)
    .values(units.map((u, i) => ({ villageId, giftId: u.giftId, orderLineId: u.id, sprite: u.sprite, x: tiles[i]?.x ?? null, y: tiles[i]?.y ?? null })))
    .returning({ id: villageItems.id });
  return granted.map((g) => g.id);
}

/** The gifts of an order as a notification lists them (never an amount). */
export async function orderGifts(db: Db | Tx, orderId: string): Promise<Array<{ giftId: string; quantity: number }>> {
  return db.select({ giftId: orderLines.giftId, quantity: orderLines.quantity }).from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.id));
}
