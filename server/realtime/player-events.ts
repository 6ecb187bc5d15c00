/**
 * Events for one player, wherever they are: each village room listens on the
 * channel of every player it holds a client of, through Colyseus presence (in
 * process, or Redis with REDIS_URL), so a player visiting a friend — in any
 * process — still hears what is theirs. The message only names what to look
 * up; the room reads it from the database, for that player only.
 */
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import type { Db } from "../db/connect.ts";
import type { Announcement } from "../payments/events.ts";
import { notificationOfOrder } from "../services/notifications.ts";
import { sharersOfOrder } from "../services/referrals.ts";

export function playerChannel(playerId: string): string {
  return `hameau:player:${playerId}`;
}

export type PlayerEvent =
  | { kind: "notification"; notificationId: string }
  /** What this player's share links brought changed (a gift attributed, or one refunded): read again. */
  | { kind: "referrals" }
  /** One of this player's orders was paid (wherever they paid it): their open baskets let go of its gifts. */
  | { kind: "orderPaid"; orderId: string };

export async function publishPlayerEvent(presence: Presence, playerId: string, event: PlayerEvent): Promise<void> {
  await presence.publish(playerChannel(playerId), event);
}

/**
 * After a payment event committed: tells the village owner about the notification it created
 * (a gift from someone else, gifts taken back). Never fails the webhook: the notification is
 * stored already and the feed shows it; only the live push would be missed.
 */
export async function pushNotificationOf(deps: { db: Db; presence: Presence; logger: Logger }, announcement: Announcement): Promise<void> {
  // A gift into one's own village notifies nobody: no query on the payments' hot path.
  if (announcement.kind === "gifts-granted" && !announcement.recipientId) return;
  try {
    const kind = announcement.kind === "gifts-granted" ? "gift_received" : announcement.kind === "gifts-restored" ? "gift_restored" : "gift_withdrawn";
    const found = await notificationOfOrder(deps.db, announcement.orderId, kind);
    if (found) await publishPlayerEvent(deps.presence, found.playerId, { kind: "notification", notificationId: found.id });
  } catch (err) {
    deps.logger.warn({ err, orderId: announcement.orderId }, "live notification push failed");
  }
}

/**
 * After a payment committed: tells the payer's clients (in any village, any process) that the
 * order was paid, so a basket that started its checkout empties even when the payer never came
 * back through the return page. Never fails the webhook: the basket also asks at start-up.
 */
export async function pushOrderPaidOf(deps: { presence: Presence; logger: Logger }, announcement: Announcement): Promise<void> {
  if (announcement.kind !== "gifts-granted" || !announcement.payerId) return;
  try {
    await publishPlayerEvent(deps.presence, announcement.payerId, { kind: "orderPaid", orderId: announcement.orderId });
  } catch (err) {
    deps.logger.warn({ err, orderId: announcement.orderId }, "live order-paid push failed");
  }
}

/**
 * After a payment event committed: tells each sharer the order was attributed to (by the database,
 * at fulfilment) that their counts changed; a refund or a lost dispute changes them too. Never
 * fails the webhook: the counts are stored, only the live push would be missed.
 */
export async function pushReferralsOf(deps: { db: Db; presence: Presence; logger: Logger }, announcement: Announcement): Promise<void> {
  try {
    const sharers = new Set((await sharersOfOrder(deps.db, announcement.orderId)).map((s) => s.sharerId));
    for (const sharerId of sharers) await publishPlayerEvent(deps.presence, sharerId, { kind: "referrals" });
  } catch (err) {
    deps.logger.warn({ err, orderId: announcement.orderId }, "live referral push failed");
  }
}
