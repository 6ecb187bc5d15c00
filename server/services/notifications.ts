/**
 * A player's notifications: listing their own (newest first, with the unread
 * count), marking their own as read, and finding the notifications a payment
 * event just created so they can be pushed live.
 *
 * The rows are written in the payment's own transaction (migration 0005's
 * trigger for gift_received, gift-withdrawals.ts for gift_withdrawn and gift_restored), so each exists
 * exactly once. What leaves here never has an amount; a giver's name only
 * when they allowed it and still have an account.
 */
import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Translated } from "../../shared/api.ts";
import type { MilestoneReachedPayload, NotificationGift, NotificationMessage, NotificationView } from "../../shared/notifications.ts";
import type { Db } from "../db/connect.ts";
import { notifications, orders, players } from "../db/schema.ts";
import { giftLabels } from "./catalog.ts";
import { publicUpdates } from "./impact-updates.ts";
import { neighbourNotice } from "./neighbour-notices.ts";
import { thankedOrders } from "./thanks.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Row = { id: string; kind: string; payload: unknown; createdAt: Date; readAt: Date | null; giverDeleted: Date | null };

const selection = {
  id: notifications.id, kind: notifications.kind, payload: notifications.payload, createdAt: notifications.createdAt,
  readAt: notifications.readAt, giverDeleted: players.deletedAt,
};

/** The notifications of a player, newest first, joined to the order's giver (for a deleted account's name). */
function ownNotifications(db: Db, playerId: string) {
  return db
    .select(selection)
    .from(notifications)
    .leftJoin(orders, eq(orders.id, sql`(${notifications.payload}->>'orderId')::uuid`))
    .leftJoin(players, eq(players.id, orders.playerId))
    .where(eq(notifications.playerId, playerId))
    .$dynamic();
}

export async function listNotifications(db: Db, playerId: string, limit: number): Promise<{ notifications: NotificationView[]; unread: number }> {
  const rows = await ownNotifications(db, playerId).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(limit);
  return { notifications: await views(db, rows), unread: await unreadCount(db, playerId) };
}

/** One of the player's own notifications (null if it is not theirs). */
export async function notificationFor(db: Db, playerId: string, notificationId: string): Promise<NotificationView | null> {
  const rows = await ownNotifications(db, playerId).where(and(eq(notifications.playerId, playerId), eq(notifications.id, notificationId)));
  return (await views(db, rows))[0] ?? null;
}

export async function unreadCount(db: Db, playerId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(notifications).where(and(eq(notifications.playerId, playerId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

/** Marks the player's own unread notifications among these ids as read; any other id is ignored. */
export async function markRead(db: Db, playerId: string, ids: readonly string[]): Promise<{ marked: number; unread: number }> {
  const marked = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.playerId, playerId), inArray(notifications.id, [...new Set(ids)]), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { marked: marked.length, unread: await unreadCount(db, playerId) };
}

/**
 * The notification a payment event just created for an order's village owner, to push it live:
 * the gift_received of a gift into someone else's village (one per order; a gift into one's own
 * village has none, which the primary-key joins find out at once), or the newest gift_withdrawn / gift_restored.
 */
export async function notificationOfOrder(db: Db, orderId: string, kind: "gift_received" | "gift_withdrawn" | "gift_restored"): Promise<{ id: string; playerId: string } | null> {
  const toSomeoneElse = kind === "gift_received" ? sql`and o.player_id <> v.owner_id` : sql``;
  const result = (await db.execute(sql`
    select n.id, n.player_id as "playerId" from orders o
      join villages v on v.id = o.village_id
      join notifications n on n.player_id = v.owner_id and n.kind = ${kind} and n.payload->>'orderId' = o.id::text
    where o.id = ${orderId} ${toSomeoneElse}
    order by n.created_at desc, n.id desc limit 1`)) as unknown as { rows: Array<{ id: string; playerId: string }> };
  return result.rows[0] ?? null;
}

async function views(db: Db, rows: Row[]): Promise<NotificationView[]> {
  const giftIds = new Set<string>();
  const parsed = rows.map((r) => ({ row: r, payload: (r.payload ?? {}) as Record<string, unknown> }));
  for (const { payload } of parsed) for (const g of giftsIn(payload)) giftIds.add(g.giftId);
  const labels = await giftLabels(db, [...giftIds]);
  const updateIds = parsed.flatMap(({ row, payload }) => (row.kind === "impact_update" && typeof payload.updateId === "string" ? [payload.updateId] : []));
  const updates = await publicUpdates(db, [...new Set(updateIds)]);
  const receivedOrders = parsed.flatMap(({ row, payload }) => (row.kind === "gift_received" && typeof payload.orderId === "string" && UUID.test(payload.orderId) ? [payload.orderId] : []));
  const thanked = await thankedOrders(db, [...new Set(receivedOrders)]);
  const gift = (giftId: string, quantity: number): NotificationGift => {
    const label = labels.get(giftId);
    const name: Translated = { fr: label?.nameFr ?? "", en: label?.nameEn ?? "" };
    return { giftId, quantity, name, sprite: label?.sprite ?? "" };
  };
  return parsed.flatMap(({ row, payload }): NotificationView[] => {
    const base = { id: row.id, createdAt: row.createdAt.toISOString(), readAt: row.readAt?.toISOString() ?? null };
    const orderId = String(payload.orderId ?? "");
    if (row.kind === "gift_received") {
      const fromName = typeof payload.fromName === "string" && payload.fromName !== "" && !row.giverDeleted ? payload.fromName : null;
      return [{
        ...base, kind: "gift_received",
        payload: {
          orderId, villageId: String(payload.villageId ?? ""), fromName, gifts: giftsIn(payload).map((g) => gift(g.giftId, g.quantity)), thanked: thanked.has(orderId),
        },
      }];
    }
    if (row.kind === "gift_withdrawn") {
      const items = itemsIn(payload);
      const reason = payload.reason === "dispute_lost" ? "dispute_lost" : "refunded";
      return [{ ...base, kind: "gift_withdrawn", payload: { orderId, reason, items, gifts: giftsIn(payload).map((g) => gift(g.giftId, g.quantity)) } }];
    }
    if (row.kind === "gift_restored") {
      return [{ ...base, kind: "gift_restored", payload: { orderId, items: itemsIn(payload), gifts: giftsIn(payload).map((g) => gift(g.giftId, g.quantity)) } }];
    }
    if (row.kind === "impact_update") {
      // An update of an NGO no longer approved is not shown.
      const update = updates.get(String(payload.updateId ?? ""));
      if (!update) return [];
      return [{
        ...base, kind: "impact_update",
        payload: { updateId: update.id, ngo: update.ngo, project: update.project, title: update.title, photoUrl: update.photo?.url ?? null },
      }];
    }
    if (row.kind === "ngo_invitation") {
      const ngo = (payload.ngo ?? {}) as { id?: unknown; name?: unknown };
      const role = payload.role === "admin" || payload.role === "editor" ? payload.role : "viewer";
      if (typeof ngo.id !== "string" || typeof ngo.name !== "string") return [];
      return [{ ...base, kind: "ngo_invitation", payload: { ngo: { id: ngo.id, name: ngo.name }, role } }];
    }
    if (row.kind === "milestone_reached") {
      // Written whole by server/services/milestones.ts (titles as they were when reached).
      const p = payload as unknown as MilestoneReachedPayload;
      if (!p.campaign || !Array.isArray(p.milestones) || !Array.isArray(p.itemIds)) return [];
      return [{ ...base, kind: "milestone_reached", payload: { campaign: p.campaign, milestones: p.milestones, itemIds: p.itemIds } }];
    }
    if (row.kind === "dedication_received") {
      // Written by dedication-delivery.ts: the giver's name only if they chose to show it (and still have an account).
      const fromName = typeof payload.fromName === "string" && payload.fromName !== "" && !row.giverDeleted ? payload.fromName : null;
      return [{
        ...base, kind: "dedication_received",
        payload: {
          dedicationId: String(payload.dedicationId ?? ""), honoreeName: String(payload.honoreeName ?? ""), message: String(payload.message ?? ""),
          fromName, gifts: giftsIn(payload).map((g) => gift(g.giftId, g.quantity)),
          villageId: typeof payload.villageId === "string" && UUID.test(payload.villageId) ? payload.villageId : null,
          itemIds: Array.isArray(payload.itemIds) ? payload.itemIds.filter((id): id is string => typeof id === "string" && UUID.test(id)) : [],
        },
      }];
    }
    if (row.kind === "friend_request" || row.kind === "friend_accepted") {
      // Written by friend-notifications.ts: the other player's id and public name, nothing else.
      if (typeof payload.playerId !== "string" || typeof payload.name !== "string" || payload.name === "") return [];
      const player = { id: payload.playerId, name: payload.name };
      return row.kind === "friend_request"
        ? [{ ...base, kind: "friend_request", payload: { from: player } }]
        : [{ ...base, kind: "friend_accepted", payload: { friend: player } }];
    }
    if (row.kind === "crops_helped" || row.kind === "thanks_received") {
      const view = neighbourNotice(row.kind, payload, gift);
      return view ? [{ ...base, ...view }] : [];
    }
    return [];
  });
}

/** The gifts a stored payload is about, per gift: gift_received lists them; gift_withdrawn lists items. */
function giftsIn(payload: Record<string, unknown>): Array<{ giftId: string; quantity: number }> {
  if (Array.isArray(payload.gifts)) {
    return payload.gifts.flatMap((g: unknown) => {
      const { giftId, quantity } = (g ?? {}) as { giftId?: unknown; quantity?: unknown };
      return typeof giftId === "string" && typeof quantity === "number" ? [{ giftId, quantity }] : [];
    });
  }
  const perGift = new Map<string, number>();
  for (const item of itemsIn(payload)) perGift.set(item.giftId, (perGift.get(item.giftId) ?? 0) + 1);
  return [...perGift].map(([giftId, quantity]) => ({ giftId, quantity }));
}

function itemsIn(payload: Record<string, unknown>): Array<{ itemId: string; giftId: string }> {
  if (!Array.isArray(payload.items)) return [];
  return payload.items.flatMap((i: unknown) => {
    const { itemId, giftId } = (i ?? {}) as { itemId?: unknown; giftId?: unknown };
    return typeof itemId === "string" && typeof giftId === "string" && giftId !== "" ? [{ itemId, giftId }] : [];
  });
}

/** What the owner-only "notification" room message carries, for one of the player's own notifications. */
export async function notificationMessage(db: Db, playerId: string, notificationId: string): Promise<NotificationMessage | null> {
  const notification = await notificationFor(db, playerId, notificationId);
  return notification ? { notification, unread: await unreadCount(db, playerId) } : null;
}
