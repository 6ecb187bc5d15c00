/**
 * Thanking the giver of a gift received (POST /api/thanks/:orderId): the
 * owner of the village a paid order's gifts went to sends a short note and/or
 * a free decoration (shared/neighbours.ts THANK_YOU_DECORATIONS) back to the
 * order's payer. Exactly once per order: the gift_thanks row's primary key
 * decides, in the same transaction as the decoration and the giver's
 * thanks_received notification, so twenty concurrent presses give one
 * thank-you, one decoration, one notification.
 *
 * Anonymity both ways: the thanker never learns who gave (the answer holds
 * only what they sent); the giver learns the village's name, which they chose
 * to give into, and what it sent. A gift given anonymously is thanked all
 * the same. Refused alike (so nothing is learnt): an order that is not a paid
 * gift from someone else into my village, a giver who deleted their account,
 * and a block either way.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { type RuleResult, refuse } from "../../shared/errors.ts";
import type { ThankYouDecoration } from "../../shared/neighbours.ts";
import { DECORATIONS } from "../../shared/decorations.ts";
import { findFreeTiles } from "../../shared/village.ts";
import type { Db, Tx } from "../db/connect.ts";
import { giftThanks, notifications, orderLines, orders, players, villageItems, villages } from "../db/schema.ts";
import type { Told } from "./friend-notifications.ts";
import { isBlockedEitherWay } from "./friends.ts";
import { lockVillage } from "./villages.ts";

const NO_SUCH_GIFT = refuse("not_found", "No gift received with that id");
const CANNOT_THANK = refuse("thanks_unavailable", "This giver cannot be thanked");

export interface Thanked {
  note: string | null;
  decorationId: ThankYouDecoration | null;
  told: Told;
  /** The giver's village and the decoration placed in it, to show it live. */
  gift: { villageId: string; itemId: string } | null;
}

/** The owner `me` thanks the giver of order `orderId` (refused, nothing is written). */
export async function thankGiver(
  db: Db, me: string, orderId: string, input: { note?: string | undefined; decorationId?: ThankYouDecoration | undefined },
): Promise<RuleResult<Thanked>> {
  const note = input.note && input.note !== "" ? input.note : null;
  const decorationId = input.decorationId ?? null;
  return db.transaction(async (tx): Promise<RuleResult<Thanked>> => {
    const [order] = await tx
      .select({ giverId: orders.playerId, status: orders.status, ownerId: villages.ownerId, villageName: villages.name })
      .from(orders)
      .innerJoin(villages, eq(villages.id, orders.villageId))
      .where(eq(orders.id, orderId));
    if (!order || order.ownerId !== me || order.giverId === me || order.status !== "paid") return NO_SUCH_GIFT;
    const [giver] = await tx.select({ id: players.id }).from(players).where(and(eq(players.id, order.giverId), isNull(players.deletedAt)));
    if (!giver || (await isBlockedEitherWay(tx, me, order.giverId))) return CANNOT_THANK;
    // The key decides: the first thank-you is written, every other one (concurrent or later) is refused.
    const inserted = await tx.insert(giftThanks).values({ orderId, thankerId: me, note, decorationId }).onConflictDoNothing().returning({ orderId: giftThanks.orderId });
    if (inserted.length === 0) return refuse("already_thanked", "You already thanked the giver of this gift");
    const gift = decorationId ? await giveDecoration(tx, order.giverId, decorationId) : null;
    if (gift) await tx.update(giftThanks).set({ itemId: gift.itemId }).where(eq(giftThanks.orderId, orderId));
    const lines = await tx.select({ giftId: orderLines.giftId, quantity: orderLines.quantity }).from(orderLines).where(eq(orderLines.orderId, orderId));
    const [row] = await tx
      .insert(notifications)
      .values({ playerId: order.giverId, kind: "thanks_received", payload: { orderId, villageName: order.villageName, note, decorationId, gifts: lines } })
      .returning({ id: notifications.id });
    return { ok: true, note, decorationId, told: { playerId: order.giverId, notificationId: row!.id }, gift };
  });
}

/** Puts the decoration in the giver's village: on the free tile nearest the centre, or in its barn. */
async function giveDecoration(tx: Tx, giverId: string, decorationId: ThankYouDecoration): Promise<{ villageId: string; itemId: string } | null> {
  const [village] = await tx.select({ id: villages.id }).from(villages).where(eq(villages.ownerId, giverId));
  if (!village || !(await lockVillage(tx, village.id))) return null;
  const placed = await tx.select({ id: villageItems.id, x: villageItems.x, y: villageItems.y }).from(villageItems)
    .where(and(eq(villageItems.villageId, village.id), isNull(villageItems.removedAt)));
  const tile = findFreeTiles(placed, 1)[0] ?? null;
  const decoration = DECORATIONS[decorationId];
  const [item] = await tx
    .insert(villageItems)
    .values({ villageId: village.id, decorationId: decoration.id, sprite: decoration.sprite, x: tile?.x ?? null, y: tile?.y ?? null })
    .returning({ id: villageItems.id });
  return { villageId: village.id, itemId: item!.id };
}

/** The orders among these that I already thanked for. */
export async function thankedOrders(db: Db | Tx, orderIds: string[]): Promise<Set<string>> {
  if (orderIds.length === 0) return new Set();
  const rows = await db.select({ orderId: giftThanks.orderId }).from(giftThanks).where(inArray(giftThanks.orderId, orderIds));
  return new Set(rows.map((r) => r.orderId));
}

/** The thank-yous a player sent, for their data export (the order is theirs to know: it came into their village). */
export async function thanksExport(db: Db, playerId: string): Promise<Array<{ orderId: string; note: string | null; decorationId: string | null; createdAt: string }>> {
  const rows = await db.select().from(giftThanks).where(eq(giftThanks.thankerId, playerId)).orderBy(giftThanks.createdAt, giftThanks.orderId);
  return rows.map((r) => ({ orderId: r.orderId, note: r.note, decorationId: r.decorationId, createdAt: r.createdAt.toISOString() }));
}

/** A deleted account: the thank-you notes it sent leave their givers' lists. */
export async function forgetThanksBy(tx: Tx, playerId: string): Promise<void> {
  await tx.delete(notifications).where(and(
    eq(notifications.kind, "thanks_received"),
    sql`${notifications.payload}->>'orderId' in (select order_id::text from gift_thanks where thanker_id = ${playerId})`,
  ));
}
