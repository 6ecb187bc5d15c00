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

/**
 * A paid order whose village dedication was cancelled while its payment was being applied (the order
 * had expired; the money came after all) may stand nowhere: its units go into the order's village,
 * once (under the order's lock, only if none of its items exist). Answers what was granted, or null.
 */
export async function grantStrandedUnits(db: Db, orderId: string): Promise<{ villageId: string; itemIds: string[] } | null> {
  return db.transaction(async (tx) => {
    const order = await lockOrderForDelivery(tx, orderId);
    if (!order || order.status !== "paid" || order.refundedCents > 0 || order.disputeStatus === "lost") return null;
    const [stranded] = rowsOf<{ id: string }>(await tx.execute(sql`
      select d.id from gift_dedications d where d.order_id = ${orderId} and d.kind = 'village' and d.status = 'cancelled'
        and not exists (select 1 from village_items i join order_lines l on l.id = i.order_line_id where l.order_id = ${orderId})`));
    if (!stranded) return null;
    const itemIds = await grantOrderUnits(tx, orderId, order.villageId);
    return itemIds.length > 0 ? { villageId: order.villageId, itemIds } : null;
  });
}

/** The gifts of an order as a notification lists them (never an amount). */
export async function orderGifts(db: Db | Tx, orderId: string): Promise<Array<{ giftId: string; quantity: number }>> {
  return db.select({ giftId: orderLines.giftId, quantity: orderLines.quantity }).from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.id));
}
