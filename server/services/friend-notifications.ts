/**
 * The notifications about friends: "Alice wants to be your friend"
 * (friend_request, to the addressee) and "Alice accepted: you are friends"
 * (friend_accepted, to the one who asked, or who sent the invite link). Each
 * is written in the transaction that changes the friendship, so it exists
 * exactly when that change does; the route pushes it live after commit
 * (realtime/player-events.ts).
 *
 * The payload holds only the other player's id (what accepting needs) and
 * public name. Whoever asks is never blocked either way (friends.ts refuses
 * first). A request that is answered, cancelled or blocked takes its
 * notification with it, and so does a block or a deleted account for every
 * friend notification between the two.
 */
import { and, eq, inArray, or, sql } from "drizzle-orm";
import { FRIEND_NOTIFICATION_KINDS } from "../../shared/notifications.ts";

/** Notifications about another player, by their id in the payload: a block or a deleted account takes them away. */
const PLAYER_NOTIFICATION_KINDS = [...FRIEND_NOTIFICATION_KINDS, "crops_helped"] as const;
import type { Db, Tx } from "../db/connect.ts";
import { notifications, players } from "../db/schema.ts";

/** A notification just written for a player, to push live after commit. */
export interface Told {
  playerId: string;
  notificationId: string;
}

type FriendKind = (typeof FRIEND_NOTIFICATION_KINDS)[number];

/** The stored payload: the other player's id and their public name at the time. */
const about = (player: { id: string; name: string }) => ({ playerId: player.id, name: player.name });
const aboutPlayer = (id: string) => sql`${notifications.payload}->>'playerId' = ${id}`;

/** Tells `to` about `from` (a request, or an accepted one). */
export async function tellFriend(tx: Db | Tx, kind: FriendKind, to: string, fromId: string): Promise<Told> {
  const [from] = await tx.select({ id: players.id, name: players.displayName }).from(players).where(eq(players.id, fromId));
  if (!from) throw new Error(`player ${fromId} is unknown`);
  const [row] = await tx.insert(notifications).values({ playerId: to, kind, payload: about(from) }).returning({ id: notifications.id });
  return { playerId: to, notificationId: row!.id };
}

/** The request `from` sent `to` is answered or withdrawn: its notification goes. */
export async function forgetFriendRequest(tx: Db | Tx, to: string, from: string): Promise<void> {
  await tx.delete(notifications).where(and(eq(notifications.playerId, to), eq(notifications.kind, "friend_request"), aboutPlayer(from)));
}

/** A block between two players: every friend (or help) notification between them goes, both ways. */
export async function forgetFriendNotificationsBetween(tx: Db | Tx, a: string, b: string): Promise<void> {
  await tx.delete(notifications).where(and(
    inArray(notifications.kind, [...PLAYER_NOTIFICATION_KINDS]),
    or(and(eq(notifications.playerId, a), aboutPlayer(b)), and(eq(notifications.playerId, b), aboutPlayer(a))),
  ));
}

/** A deleted account: the friend (and help) notifications about it, in everyone's list, go. */
export async function forgetFriendNotificationsAbout(tx: Db | Tx, playerId: string): Promise<void> {
  await tx.delete(notifications).where(and(inArray(notifications.kind, [...PLAYER_NOTIFICATION_KINDS]), aboutPlayer(playerId)));
}
