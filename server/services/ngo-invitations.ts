/**
 * Joining an NGO takes the invited player's consent. An admin invites an
 * account by its public name with a role; the player is told (a notification
 * in the game, the invitation in the NGO console) and accepts or declines.
 * Until they accept they have no role at all: requireNgoRole finds no
 * membership. Accepting turns the invitation into a membership in one
 * transaction; declining deletes it.
 */
import { and, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type RuleResult, refuse } from "../../shared/errors.ts";
import type { MyNgoInvitation, NgoInvitationView } from "../../shared/ngo-accounts.ts";
import { nameKey } from "../../shared/names.ts";
import type { NgoMembershipView, NgoRole } from "../../shared/ngo-roles.ts";
import type { Db } from "../db/connect.ts";
import { accounts, ngoInvitations, ngoMembers, ngos, notifications, players } from "../db/schema.ts";

const NO_SUCH_INVITATION = refuse("invitation_unknown", "No pending invitation to this NGO");

/** Invites the account with this public name (guests have none and cannot be found). */
export async function inviteByName(
  db: Db, ngoId: string, name: string, role: NgoRole, invitedBy: string,
): Promise<RuleResult<{ invitation: NgoInvitationView; notificationId: string }>> {
  const [target] = await db
    .select({ id: players.id, name: players.displayName })
    .from(accounts)
    .innerJoin(players, eq(players.id, accounts.playerId))
    .where(eq(accounts.nameKey, nameKey(name.trim())));
  if (!target) return refuse("player_unknown", "No account has this name");
  return db.transaction(async (tx) => {
    const [ngo] = await tx.select({ id: ngos.id, name: ngos.name }).from(ngos).where(eq(ngos.id, ngoId)).for("update");
    if (!ngo) return refuse("not_found", "No such NGO");
    const [member] = await tx.select({ role: ngoMembers.role }).from(ngoMembers).where(and(eq(ngoMembers.ngoId, ngoId), eq(ngoMembers.playerId, target.id)));
    if (member) return refuse("already_member", "This player is already a member of this NGO");
    const [row] = await tx.insert(ngoInvitations).values({ ngoId, playerId: target.id, role, invitedBy }).onConflictDoNothing().returning();
    if (!row) return refuse("invitation_pending", "This player already has an invitation to this NGO");
    const [told] = await tx
      .insert(notifications).values({ playerId: target.id, kind: "ngo_invitation", payload: { ngo: { id: ngo.id, name: ngo.name }, role } })
      .returning({ id: notifications.id });
    return {
      ok: true as const, invitation: { playerId: target.id, name: target.name, role: row.role, since: row.createdAt.toISOString() }, notificationId: told!.id,
    };
  });
}

/** The NGO's invitations nobody answered yet (its admins' members screen). */
export async function pendingInvitations(db: Db, ngoId: string): Promise<NgoInvitationView[]> {
  const rows = await db
    .select({ playerId: ngoInvitations.playerId, name: players.displayName, role: ngoInvitations.role, since: ngoInvitations.createdAt })
    .from(ngoInvitations)
    .innerJoin(players, eq(players.id, ngoInvitations.playerId))
    .where(eq(ngoInvitations.ngoId, ngoId))
    .orderBy(players.displayName);
  return rows.map((r) => ({ ...r, since: r.since.toISOString() }));
}

/** The invitations a player has not answered yet. */
export async function invitationsOf(db: Db, playerId: string): Promise<MyNgoInvitation[]> {
  const inviter = alias(players, "inviter");
  const rows = await db
    .select({ ngoId: ngos.id, ngoName: ngos.name, role: ngoInvitations.role, invitedBy: inviter.displayName, inviterGone: inviter.deletedAt, since: ngoInvitations.createdAt })
    .from(ngoInvitations)
    .innerJoin(ngos, eq(ngos.id, ngoInvitations.ngoId))
    .leftJoin(inviter, eq(inviter.id, ngoInvitations.invitedBy))
    .where(eq(ngoInvitations.playerId, playerId))
    .orderBy(ngoInvitations.createdAt);
  return rows.map((r) => ({
    ngo: { id: r.ngoId, name: r.ngoName }, role: r.role, invitedBy: r.inviterGone ? null : (r.invitedBy ?? null), since: r.since.toISOString(),
  }));
}

/** The player accepts: the invitation becomes a membership with its role, at once. */
export async function acceptInvitation(db: Db, playerId: string, ngoId: string): Promise<RuleResult<{ membership: NgoMembershipView }>> {
  return db.transaction(async (tx) => {
    const [invitation] = await tx.delete(ngoInvitations).where(and(eq(ngoInvitations.ngoId, ngoId), eq(ngoInvitations.playerId, playerId))).returning();
    if (!invitation) return NO_SUCH_INVITATION;
    await tx.insert(ngoMembers).values({ ngoId, playerId, role: invitation.role }).onConflictDoNothing();
    const [row] = await tx
      .select({ id: ngos.id, slug: ngos.slug, name: ngos.name, status: ngos.status, role: ngoMembers.role })
      .from(ngoMembers)
      .innerJoin(ngos, eq(ngos.id, ngoMembers.ngoId))
      .where(and(eq(ngoMembers.ngoId, ngoId), eq(ngoMembers.playerId, playerId)));
    return { ok: true as const, membership: { ngo: { id: row!.id, slug: row!.slug, name: row!.name, status: row!.status }, role: row!.role } };
  });
}

/** The player declines (or the NGO's admins withdraw it): the invitation is gone. */
export async function declineInvitation(db: Db, playerId: string, ngoId: string): Promise<RuleResult<object>> {
  const gone = await db.delete(ngoInvitations).where(and(eq(ngoInvitations.ngoId, ngoId), eq(ngoInvitations.playerId, playerId))).returning({ ngoId: ngoInvitations.ngoId });
  return gone.length > 0 ? { ok: true } : NO_SUCH_INVITATION;
}
