/**
 * Friendships: requests by name, invite links, accept / decline / remove,
 * blocks, and who may visit whom. One friend_links row per pair; a block
 * removes the pair's link and stops requests and visits both ways. A refusal
 * caused by a block looks like any other ("no such player"): nobody learns
 * they are blocked. A request and an acceptance notify the other player in
 * the same transaction (friend-notifications.ts); the caller pushes what was
 * told live after commit.
 */
import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Presence } from "@colyseus/core";
import type { PlayerView } from "../../shared/api.ts";
import { type RuleResult, refuse } from "../../shared/errors.ts";
import { nameKey } from "../../shared/names.ts";
import type { FriendsResponse, FriendView } from "../../shared/social.ts";
import type { Db, Tx } from "../db/connect.ts";
import { accounts, blocks, friendInvites, friendLinks, players, villages } from "../db/schema.ts";
import { type Told, forgetFriendNotificationsBetween, forgetFriendRequest, tellFriend } from "./friend-notifications.ts";
import { whereAre } from "../realtime/online.ts";
import { hashToken } from "./players.ts";

/** An invite link works for 7 days. */
export const INVITE_DAYS = 7;

const NO_SUCH_PLAYER = refuse("player_unknown", "No player by that name can be added");

const pair = (a: string, b: string) =>
  or(and(eq(friendLinks.requesterId, a), eq(friendLinks.addresseeId, b)), and(eq(friendLinks.requesterId, b), eq(friendLinks.addresseeId, a)));

export async function isBlockedEitherWay(db: Db | Tx, a: string, b: string): Promise<boolean> {
  const rows = await db
    .select({ blockerId: blocks.blockerId })
    .from(blocks)
    .where(or(and(eq(blocks.blockerId, a), eq(blocks.blockedId, b)), and(eq(blocks.blockerId, b), eq(blocks.blockedId, a))))
    .limit(1);
  return rows.length > 0;
}

export async function areFriends(db: Db | Tx, a: string, b: string): Promise<boolean> {
  const rows = await db.select({ status: friendLinks.status }).from(friendLinks).where(and(pair(a, b), eq(friendLinks.status, "accepted"))).limit(1);
  return rows.length > 0;
}

/**
 * Sends a friend request to the account with this name (they are told); a request they already
 * sent me is accepted (they are told that). Asking again while a request waits tells nobody again.
 */
export async function requestFriend(
  db: Db, me: string, name: string,
): Promise<RuleResult<{ friend: PlayerView; status: "friend" | "outgoing"; told: Told[] }>> {
  const [target] = await db
    .select({ id: players.id, name: players.displayName })
    .from(accounts)
    .innerJoin(players, eq(players.id, accounts.playerId))
    .where(eq(accounts.nameKey, nameKey(name.trim())));
  if (!target) return NO_SUCH_PLAYER;
  if (target.id === me) return refuse("friend_self", "You cannot befriend yourself");
  return db.transaction(async (tx) => {
    if (await isBlockedEitherWay(tx, me, target.id)) return NO_SUCH_PLAYER;
    const [link] = await tx.select().from(friendLinks).where(pair(me, target.id)).for("update");
    if (link?.status === "accepted") return refuse("already_friends", "You are already friends");
    if (link && link.requesterId === target.id) {
      await tx.update(friendLinks).set({ status: "accepted", acceptedAt: new Date() }).where(pair(me, target.id));
      await forgetFriendRequest(tx, me, target.id);
      return { ok: true as const, friend: target, status: "friend" as const, told: [await tellFriend(tx, "friend_accepted", target.id, me)] };
    }
    if (link) return { ok: true as const, friend: target, status: "outgoing" as const, told: [] };
    const inserted = await tx.insert(friendLinks).values({ requesterId: me, addresseeId: target.id }).onConflictDoNothing().returning({ id: friendLinks.requesterId });
    const told = inserted.length > 0 ? [await tellFriend(tx, "friend_request", target.id, me)] : [];
    return { ok: true as const, friend: target, status: "outgoing" as const, told };
  });
}

/** Accepts a pending request another player sent me: they are told, and my request notification goes. */
export async function acceptFriend(db: Db, me: string, requesterId: string): Promise<RuleResult<{ told: Told[] }>> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(friendLinks)
      .set({ status: "accepted", acceptedAt: new Date() })
      .where(and(eq(friendLinks.requesterId, requesterId), eq(friendLinks.addresseeId, me), eq(friendLinks.status, "pending")))
      .returning({ id: friendLinks.requesterId });
    if (updated.length === 0) return refuse("not_found", "No pending request from that player");
    await forgetFriendRequest(tx, me, requesterId);
    return { ok: true as const, told: [await tellFriend(tx, "friend_accepted", requesterId, me)] };
  });
}

/** Declines a request sent to me, cancels one I sent, or ends a friendship: the pair's link goes, and any request notification. */
export async function removeFriend(db: Db, me: string, otherId: string): Promise<RuleResult<object>> {
  return db.transaction(async (tx) => {
    const deleted = await tx.delete(friendLinks).where(pair(me, otherId)).returning({ id: friendLinks.requesterId });
    if (deleted.length === 0) return refuse("not_found", "No friendship or request with that player");
    await forgetFriendRequest(tx, me, otherId);
    await forgetFriendRequest(tx, otherId, me);
    return { ok: true as const };
  });
}

export async function blockPlayer(db: Db, me: string, otherId: string): Promise<RuleResult<object>> {
  if (me === otherId) return refuse("friend_self", "You cannot block yourself");
  const [other] = await db.select({ id: players.id }).from(players).where(and(eq(players.id, otherId), isNull(players.deletedAt)));
  if (!other) return refuse("not_found", "No such player");
  await db.transaction(async (tx) => {
    await tx.delete(friendLinks).where(pair(me, otherId));
    await tx.insert(blocks).values({ blockerId: me, blockedId: otherId }).onConflictDoNothing();
    await forgetFriendNotificationsBetween(tx, me, otherId);
  });
  return { ok: true };
}

export async function unblockPlayer(db: Db, me: string, otherId: string): Promise<RuleResult<object>> {
  const deleted = await db.delete(blocks).where(and(eq(blocks.blockerId, me), eq(blocks.blockedId, otherId))).returning({ id: blocks.blockedId });
  return deleted.length > 0 ? { ok: true } : refuse("not_found", "That player is not blocked");
}

/** My friends and requests (with where friends are, if they share it), and the players I blocked. */
export async function listFriends(db: Db, presence: Presence, me: string): Promise<FriendsResponse> {
  const links = await db
    .select({
      requesterId: friendLinks.requesterId, status: friendLinks.status, id: players.id, name: players.displayName,
      showPresence: players.showPresence, villageId: villages.id,
    })
    .from(friendLinks)
    .innerJoin(players, sql`${players.id} = case when ${friendLinks.requesterId} = ${me} then ${friendLinks.addresseeId} else ${friendLinks.requesterId} end`)
    .innerJoin(villages, eq(villages.ownerId, players.id))
    .where(or(eq(friendLinks.requesterId, me), eq(friendLinks.addresseeId, me)))
    .orderBy(players.displayName);
  const sharing = links.filter((l) => l.status === "accepted" && l.showPresence).map((l) => l.id);
  const where = sharing.length > 0 ? await whereAre(presence, sharing) : new Map<string, string>();
  const friends: FriendView[] = links.map((l) => ({
    player: { id: l.id, name: l.name },
    status: l.status === "accepted" ? "friend" : l.requesterId === me ? "outgoing" : "incoming",
    villageId: l.villageId,
    online: where.has(l.id) ? { villageId: where.get(l.id)! } : null,
  }));
  const blocked = await db
    .select({ id: players.id, name: players.displayName })
    .from(blocks)
    .innerJoin(players, eq(players.id, blocks.blockedId))
    .where(eq(blocks.blockerId, me))
    .orderBy(players.displayName);
  return { friends, blocked };
}

export async function createInvite(db: Db, me: string): Promise<{ token: string; expiresAt: Date }> {
  const token = `hi_${randomBytes(24).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + INVITE_DAYS * 86_400_000);
  await db.insert(friendInvites).values({ tokenHash: hashToken(token), inviterId: me, expiresAt });
  return { token, expiresAt };
}

/** An invite link that still works: who sent it (never a deleted account). */
async function workingInvite(db: Db, token: string): Promise<{ inviterId: string; name: string } | null> {
  if (token.length > 200) return null;
  const [invite] = await db
    .select({ inviterId: friendInvites.inviterId, name: players.displayName })
    .from(friendInvites)
    .innerJoin(players, eq(players.id, friendInvites.inviterId))
    .where(and(eq(friendInvites.tokenHash, hashToken(token)), gt(friendInvites.expiresAt, sql`now()`), isNull(friendInvites.revokedAt), isNull(players.deletedAt)));
  return invite ?? null;
}

const INVITE_INVALID = refuse("invite_invalid", "This invite link is unknown, expired or withdrawn");

/**
 * Who sent an invite link, for the page it opens (a guest's too): the inviter's public name only.
 * A link that does not work, a deleted inviter and a block either way all look the same: invalid.
 */
export async function previewInvite(db: Db, me: string, token: string): Promise<RuleResult<{ inviter: { name: string } }>> {
  const invite = await workingInvite(db, token);
  if (!invite) return INVITE_INVALID;
  if (invite.inviterId === me) return refuse("friend_self", "This is your own invite link");
  if (await isBlockedEitherWay(db, me, invite.inviterId)) return INVITE_INVALID;
  return { ok: true, inviter: { name: invite.name } };
}

/** Opening an invite link while signed in: the inviter and I become friends (the inviter is told). */
export async function acceptInvite(db: Db, me: string, token: string): Promise<RuleResult<{ friend: PlayerView; told: Told[] }>> {
  const invite = await workingInvite(db, token);
  if (!invite) return INVITE_INVALID;
  if (invite.inviterId === me) return refuse("friend_self", "This is your own invite link");
  return db.transaction(async (tx) => {
    if (await isBlockedEitherWay(tx, me, invite.inviterId)) return INVITE_INVALID;
    const [link] = await tx.select().from(friendLinks).where(pair(me, invite.inviterId)).for("update");
    if (link?.status === "accepted") return { ok: true as const, friend: { id: invite.inviterId, name: invite.name }, told: [] };
    if (!link) await tx.insert(friendLinks).values({ requesterId: invite.inviterId, addresseeId: me, status: "accepted", acceptedAt: new Date() });
    else await tx.update(friendLinks).set({ status: "accepted", acceptedAt: new Date() }).where(pair(me, invite.inviterId));
    await forgetFriendRequest(tx, me, invite.inviterId);
    await forgetFriendRequest(tx, invite.inviterId, me);
    return { ok: true as const, friend: { id: invite.inviterId, name: invite.name }, told: [await tellFriend(tx, "friend_accepted", invite.inviterId, me)] };
  });
}

/** Withdraws all my invite links that still work. */
export async function revokeInvites(db: Db, me: string): Promise<number> {
  const rows = await db
    .update(friendInvites)
    .set({ revokedAt: new Date() })
    .where(and(eq(friendInvites.inviterId, me), isNull(friendInvites.revokedAt), gt(friendInvites.expiresAt, sql`now()`)))
    .returning({ id: friendInvites.tokenHash });
  return rows.length;
}

/**
 * Whether a player may enter a village: its owner; not someone blocked either way; friends; anyone
 * if public. The village of a deleted account is unknown to everyone.
 */
export async function mayVisit(db: Db, viewerId: string, villageId: string): Promise<RuleResult<{ ownerId: string; owner: boolean }>> {
  const [village] = await db
    .select({ ownerId: villages.ownerId, visibility: players.villageVisibility })
    .from(villages)
    .innerJoin(players, eq(players.id, villages.ownerId))
    .where(and(eq(villages.id, villageId), isNull(players.deletedAt)));
  if (!village) return refuse("village_unknown", "No such village");
  if (village.ownerId === viewerId) return { ok: true, ownerId: village.ownerId, owner: true };
  const privateVillage = refuse("village_private", "This village is private: open to its owner's friends only");
  if (await isBlockedEitherWay(db, viewerId, village.ownerId)) return privateVillage;
  if (village.visibility === "public" || (await areFriends(db, viewerId, village.ownerId))) return { ok: true, ownerId: village.ownerId, owner: false };
  return privateVillage;
}
