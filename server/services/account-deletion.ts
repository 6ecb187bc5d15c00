/**
 * Deleting a player's account, in one transaction. What accounting needs
 * stays: the players row (anonymised: no name, private defaults, no coins,
 * deleted_at set), the village row (renamed to nothing: orders point at it),
 * the donated gifts' rows (marked removed, reason "account_deleted": they
 * record which paid order line granted what, and the ledger check counts
 * them), orders, order lines, Stripe events and the ledger, untouched. Tax
 * receipts already issued are legal documents the NGO must keep: they stay,
 * detached from the player (player_id null), content unchanged.
 *
 * Everything else goes: the account (email, password hash, name key — the
 * email and the name are free again), sessions, friend links and requests,
 * blocks both ways, invite links, the donor profile, notifications, and every
 * village item that is not a donated gift (starter decor, decorations,
 * crops), their name in the gift_received notifications of the players
 * they gave gifts to, and the friend requests and acceptances others were told.
 *
 * Monthly gifts stop (payments/monthly-stop.ts): with Stripe keys the
 * subscriptions are cancelled at Stripe after the password check and before
 * the transaction (a refusal deletes nothing), and every open monthly gift is
 * marked cancelled in it; what was given stays given.
 *
 * Confirmation: `confirm: "DELETE"`, and for an account its current password.
 * Revoking what is live (room connections, the village room, presence) is
 * done after commit by the caller (realtime/account-deletions.ts).
 */
import { verify } from "@node-rs/argon2";
import { and, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import { type RuleResult, refuse } from "../../shared/errors.ts";
import type { Db } from "../db/connect.ts";
import { accounts, blocks, giftDedications, impactDigests, collectionClaims, collectionPieces, donorProfiles, friendHelpDays, friendInvites, friendLinks, fundraisers, ngoInvitations, ngoMembers, notifications, orders, orderReferrals, platformAdmins, playerProgress, players, progressClaims, referralAttributions, referralCodes, sessions, taxReceipts, villageItems, villages } from "../db/schema.ts";
import { forgetFriendNotificationsAbout } from "./friend-notifications.ts";
import { forgetThanksBy } from "./thanks.ts";
import { lockVillage } from "./villages.ts";
import { cancelMonthlyGiftsOf } from "../payments/monthly-stop.ts";

/** What an anonymised player and their village are called: nothing. */
export const DELETED_NAME = "";

export interface DeletionInput {
  playerId: string;
  /** The current password; required when the player has an account. */
  password: string | undefined;
}

export interface Deleted {
  playerId: string;
  villageId: string;
  wasAccount: boolean;
  /** Stripe checkouts of monthly gifts never started, to expire after commit. */
  monthlyCheckouts: string[];
}

const WRONG_PASSWORD = refuse("invalid_credentials", "Give your current password to delete your account");

/** Checks the password (outside the transaction: argon2 is slow), then deletes in one transaction. */
export async function deleteAccount(
  db: Db, input: DeletionInput, before: { stopMonthly?: (playerId: string) => Promise<void> } = {},
): Promise<RuleResult<{ deleted: Deleted }>> {
  const [account] = await db.select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.playerId, input.playerId));
  if (account) {
    if (!input.password) return WRONG_PASSWORD;
    const valid = await verify(account.passwordHash, input.password).catch(() => false);
    if (!valid) return WRONG_PASSWORD;
  }
  // No one keeps being charged for an account that is gone: Stripe first (it may refuse; then nothing is deleted).
  await before.stopMonthly?.(input.playerId);
  return db.transaction(async (tx) => {
    const [player] = await tx
      .select({ deletedAt: players.deletedAt })
      .from(players)
      .where(eq(players.id, input.playerId))
      .for("update");
    if (!player || player.deletedAt) return refuse("account_deleted", "This account was deleted");
    // The password checked above must still be the account's (not changed or deleted meanwhile).
    const [still] = await tx.select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.playerId, input.playerId));
    if (Boolean(still) !== Boolean(account) || (still && still.passwordHash !== account?.passwordHash)) return WRONG_PASSWORD;

    const [village] = await tx.select({ id: villages.id }).from(villages).where(eq(villages.ownerId, input.playerId));
    if (!village) throw new Error(`player ${input.playerId} has no village`);
    // Under the village lock, as fulfilment and moves take it: no gift lands while the village empties.
    await lockVillage(tx, village.id);
    await tx.delete(villageItems).where(and(eq(villageItems.villageId, village.id), isNull(villageItems.giftId)));
    await tx
      .update(villageItems)
      .set({ removedAt: sql`now()`, removalReason: "account_deleted", x: null, y: null })
      .where(and(eq(villageItems.villageId, village.id), isNotNull(villageItems.giftId), isNull(villageItems.removedAt)));
    await tx.update(villages).set({ name: DELETED_NAME }).where(eq(villages.id, village.id));

    await tx.update(taxReceipts).set({ playerId: null }).where(eq(taxReceipts.playerId, input.playerId));
    await tx.delete(sessions).where(eq(sessions.playerId, input.playerId));
    await tx.delete(accounts).where(eq(accounts.playerId, input.playerId));
    await tx.delete(friendLinks).where(or(eq(friendLinks.requesterId, input.playerId), eq(friendLinks.addresseeId, input.playerId)));
    await tx.delete(blocks).where(or(eq(blocks.blockerId, input.playerId), eq(blocks.blockedId, input.playerId)));
    await tx.delete(friendInvites).where(eq(friendInvites.inviterId, input.playerId));
    await tx.delete(donorProfiles).where(eq(donorProfiles.playerId, input.playerId));
    await tx.delete(notifications).where(eq(notifications.playerId, input.playerId));
    // Their dedications go (an honoree's address and a message are theirs to forget), delivered or not,
    // and dedications into their village are not delivered any more; their monthly digests stop, and their record goes.
    await tx.delete(giftDedications).where(or(eq(giftDedications.giverId, input.playerId), eq(giftDedications.villageId, village.id)));
    await tx.update(players).set({ impactDigest: false }).where(eq(players.id, input.playerId));
    await tx.delete(impactDigests).where(eq(impactDigests.playerId, input.playerId));
    // Their monthly gifts stop (the items they grew stay, like every donated gift's row).
    const monthlyCheckouts = await cancelMonthlyGiftsOf(tx, input.playerId);
    // Their friend requests and acceptances leave the others' lists (no name of a deleted account).
    await forgetFriendNotificationsAbout(tx, input.playerId);
    await forgetThanksBy(tx, input.playerId);
    // NGO roles, invitations and platform administration end with the account (the NGO keeps its other members).
    await tx.delete(ngoMembers).where(eq(ngoMembers.playerId, input.playerId));
    await tx.delete(ngoInvitations).where(eq(ngoInvitations.playerId, input.playerId));
    await tx.delete(platformAdmins).where(eq(platformAdmins.playerId, input.playerId));
    // Referrals: the code goes (links already shared lead nowhere), referrals still pending on
    // unpaid orders go, and what their links brought stays in the NGO's totals, anonymised.
    // Daily play: XP, quests, claims and who helped whom go with the account.
    await tx.delete(playerProgress).where(eq(playerProgress.playerId, input.playerId));
    await tx.delete(progressClaims).where(eq(progressClaims.playerId, input.playerId));
    await tx.delete(collectionPieces).where(eq(collectionPieces.playerId, input.playerId));
    await tx.delete(collectionClaims).where(eq(collectionClaims.playerId, input.playerId));
    await tx.delete(friendHelpDays).where(or(eq(friendHelpDays.helperId, input.playerId), eq(friendHelpDays.ownerId, input.playerId)));
    await tx.delete(referralCodes).where(eq(referralCodes.playerId, input.playerId));
    await tx.delete(orderReferrals).where(eq(orderReferrals.sharerId, input.playerId));
    await tx.update(referralAttributions).set({ sharerId: null }).where(eq(referralAttributions.sharerId, input.playerId));
    // Their fundraisers close and lose what they wrote (the rows stay: paid orders point at them, and count for the campaign).
    await tx.update(fundraisers).set({ title: "—", message: "", listed: false, showName: false, closedAt: sql`coalesce(${fundraisers.closedAt}, now())` })
      .where(eq(fundraisers.playerId, input.playerId));
    // Gifts they gave into others' villages stay there (they belong to that village now), but their
    // name goes from what the recipients were told; the village room already hides it (loadVillage).
    await tx
      .update(notifications)
      .set({ payload: sql`${notifications.payload} || jsonb_build_object('fromName', null)` })
      .where(and(
        eq(notifications.kind, "gift_received"),
        sql`${notifications.payload}->>'orderId' in (select id::text from ${orders} where ${orders.playerId} = ${input.playerId})`,
      ));
    await tx
      .update(players)
      .set({ displayName: DELETED_NAME, villageVisibility: "friends", showPresence: false, showOnLeaderboards: false, shareReferrals: false, showAmountsOnLeaderboards: false, coins: 0, deletedAt: sql`now()` })
      .where(eq(players.id, input.playerId));
    return { ok: true as const, deleted: { playerId: input.playerId, villageId: village.id, wasAccount: Boolean(account), monthlyCheckouts } };
  });
}
