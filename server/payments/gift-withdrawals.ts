/**
 * Which of an order's gifts stand in the village for the money kept: after
 * every refund movement (up or down) and every lost dispute, the village is
 * brought to what shared/refund-split.ts says — the same rule the ledger
 * uses. Gifts leave visibly (gift_withdrawn), and gifts whose refund failed
 * or shrank come back visibly (gift_restored): on their old tile when it is
 * still free, else on the first free tile, else in the barn. Items taken away
 * with a deleted account never come back. The owner is told, unless their
 * account is deleted.
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import { type SplitOrder, splitTaken } from "../../shared/refund-split.ts";
import { tilesFromCentre } from "../../shared/village.ts";
import type { Tx } from "../db/connect.ts";
import { notifications, orderLines, orders, players, villageItems, villages } from "../db/schema.ts";

type Order = typeof orders.$inferSelect;
export type WithdrawalReason = "refunded" | "dispute_lost";
export interface GiftRef { itemId: string; giftId: string }

export interface GiftChanges {
  /** The village the order's gifts stand in: the order's, or the honoree's of a delivered dedication. */
  villageId: string;
  withdrawn: GiftRef[];
  reason: WithdrawalReason;
  restored: GiftRef[];
}

/** The order as the split rule reads it, from its lines (which never change). */
export async function splitOrderOf(tx: Tx, order: Pick<Order, "id" | "supportCents">): Promise<SplitOrder> {
  const lines = await tx
    .select({ lineId: orderLines.id, ngoId: orderLines.ngoId, projectId: orderLines.projectId, unitPriceCents: orderLines.unitPriceCents, quantity: orderLines.quantity })
    .from(orderLines)
    .where(eq(orderLines.orderId, order.id))
    .orderBy(orderLines.id);
  return { lines, supportCents: order.supportCents };
}

/** Brings the order's gifts in the village to what its refunds (or a lost dispute) leave paid for. */
export async function syncGiftsWithMoney(tx: Tx, order: Order, split: SplitOrder): Promise<GiftChanges> {
  const items = await tx
    .select({ id: villageItems.id, villageId: villageItems.villageId, giftId: villageItems.giftId, lineId: villageItems.orderLineId, x: villageItems.x, y: villageItems.y, removedAt: villageItems.removedAt, reason: villageItems.removalReason })
    .from(villageItems)
    .innerJoin(orderLines, eq(orderLines.id, villageItems.orderLineId))
    .where(eq(orderLines.orderId, order.id))
    .orderBy(villageItems.id);
  // A dedicated gift stands in the honoree's village (services/dedication-items.ts); all of an order's items stand in one.
  const villageId = items[0]?.villageId ?? order.villageId;
  const lost = order.disputeStatus === "lost";
  const reason: WithdrawalReason = lost ? "dispute_lost" : "refunded";
  const unitsOut = lost ? null : splitTaken(split, order.refundedCents).unitsOut;
  const toWithdraw: typeof items = [];
  const toRestore: typeof items = [];
  for (const line of split.lines) {
    const ofLine = items.filter((i) => i.lineId === line.lineId && i.reason !== "account_deleted");
    const active = ofLine.filter((i) => !i.removedAt);
    if (!unitsOut) {
      toWithdraw.push(...active);
      continue;
    }
    const out = ofLine.filter((i) => i.removedAt && i.reason === "refunded");
    const want = Math.min(unitsOut[line.lineId] ?? 0, ofLine.length);
    // Gifts waiting in the barn leave first; the last taken back come back first.
    if (out.length < want) toWithdraw.push(...[...active].sort((a, b) => Number(a.x !== null) - Number(b.x !== null)).slice(0, want - out.length));
    if (out.length > want) toRestore.push(...[...out].sort((a, b) => b.removedAt!.getTime() - a.removedAt!.getTime()).slice(0, out.length - want));
  }
  if (toWithdraw.length === 0 && toRestore.length === 0) return { villageId, withdrawn: [], reason, restored: [] };

  const ref = (i: (typeof items)[number]): GiftRef => ({ itemId: i.id, giftId: i.giftId ?? "" });
  if (toWithdraw.length > 0) {
    await tx.update(villageItems).set({ removedAt: new Date(), removalReason: reason }).where(inArray(villageItems.id, toWithdraw.map((i) => i.id)));
  }
  if (toRestore.length > 0) await restore(tx, villageId, toRestore);
  const changes = { villageId, withdrawn: toWithdraw.map(ref), reason, restored: toRestore.map(ref) };
  await tell(tx, order, changes);
  return changes;
}

/** Puts gifts back, under the village lock: on their tile if free, else the first free tile, else the barn. */
async function restore(tx: Tx, villageId: string, back: Array<{ id: string; x: number | null; y: number | null }>): Promise<void> {
  await tx.select({ id: villages.id }).from(villages).where(eq(villages.id, villageId)).for("update");
  const standing = await tx
    .select({ x: villageItems.x, y: villageItems.y })
    .from(villageItems)
    .where(and(eq(villageItems.villageId, villageId), isNull(villageItems.removedAt)));
  const taken = new Set(standing.filter((s) => s.x !== null && s.y !== null).map((s) => `${s.x},${s.y}`));
  const free = tilesFromCentre().filter((t) => !taken.has(`${t.x},${t.y}`));
  for (const item of back) {
    let tile: { x: number; y: number } | null = null;
    if (item.x !== null && item.y !== null && !taken.has(`${item.x},${item.y}`)) tile = { x: item.x, y: item.y };
    else tile = free.find((t) => !taken.has(`${t.x},${t.y}`)) ?? null;
    if (tile) taken.add(`${tile.x},${tile.y}`);
    await tx.update(villageItems).set({ removedAt: null, removalReason: null, x: tile?.x ?? null, y: tile?.y ?? null }).where(eq(villageItems.id, item.id));
  }
}

/** Notifies the owner of the village the gifts stand in (a deleted account is told nothing: nothing more is stored about it). */
async function tell(tx: Tx, order: Order, changes: GiftChanges): Promise<void> {
  const [village] = await tx
    .select({ ownerId: villages.ownerId })
    .from(villages)
    .innerJoin(players, eq(players.id, villages.ownerId))
    .where(and(eq(villages.id, changes.villageId), isNull(players.deletedAt)));
  if (!village) return;
  if (changes.withdrawn.length > 0) {
    await tx.insert(notifications).values({ playerId: village.ownerId, kind: "gift_withdrawn", payload: { orderId: order.id, reason: changes.reason, items: changes.withdrawn } });
  }
  if (changes.restored.length > 0) {
    await tx.insert(notifications).values({ playerId: village.ownerId, kind: "gift_restored", payload: { orderId: order.id, items: changes.restored } });
  }
}
