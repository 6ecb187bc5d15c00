/**
 * An NGO's members as its admins manage them: change a role, remove. (New
 * members come by invitation, by their public player name, never by email:
 * ngo-invitations.ts.) Every change runs under the NGO's row
 * lock and re-counts the admins, so an NGO always keeps one, even when two
 * admins demote each other at the same moment.
 */
import { and, count, eq } from "drizzle-orm";
import { type RuleError, type RuleResult, refuse } from "../../shared/errors.ts";
import { type NgoMemberView, lastAdminRefusal } from "../../shared/ngo-accounts.ts";
import type { NgoRole } from "../../shared/ngo-roles.ts";
import type { Db, Tx } from "../db/connect.ts";
import { ngoMembers, ngos, players } from "../db/schema.ts";

const NO_SUCH_MEMBER = refuse("not_found", "No such member in this NGO");

export async function listMembers(db: Db, ngoId: string): Promise<NgoMemberView[]> {
  const rows = await db
    .select({ playerId: ngoMembers.playerId, name: players.displayName, role: ngoMembers.role, since: ngoMembers.createdAt })
    .from(ngoMembers)
    .innerJoin(players, eq(players.id, ngoMembers.playerId))
    .where(eq(ngoMembers.ngoId, ngoId))
    .orderBy(players.displayName);
  return rows.map((r) => ({ ...r, since: r.since.toISOString() }));
}

const NO_SUCH_NGO = refuse("not_found", "No such NGO");

/** Runs `fn` in a transaction holding the NGO's row lock: member changes of one NGO go one at a time. */
async function underNgoLock<T>(db: Db, ngoId: string, fn: (tx: Tx) => Promise<T>): Promise<T | RuleError> {
  return db.transaction(async (tx) => {
    const [ngo] = await tx.select({ id: ngos.id }).from(ngos).where(eq(ngos.id, ngoId)).for("update");
    if (!ngo) return NO_SUCH_NGO;
    return fn(tx);
  });
}

async function memberRole(tx: Tx, ngoId: string, playerId: string): Promise<NgoRole | null> {
  const [row] = await tx.select({ role: ngoMembers.role }).from(ngoMembers).where(and(eq(ngoMembers.ngoId, ngoId), eq(ngoMembers.playerId, playerId)));
  return row?.role ?? null;
}

async function adminCount(tx: Tx, ngoId: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(ngoMembers).where(and(eq(ngoMembers.ngoId, ngoId), eq(ngoMembers.role, "admin")));
  return Number(row?.n ?? 0);
}

async function memberView(tx: Tx, ngoId: string, playerId: string): Promise<NgoMemberView> {
  const [row] = await tx
    .select({ playerId: ngoMembers.playerId, name: players.displayName, role: ngoMembers.role, since: ngoMembers.createdAt })
    .from(ngoMembers)
    .innerJoin(players, eq(players.id, ngoMembers.playerId))
    .where(and(eq(ngoMembers.ngoId, ngoId), eq(ngoMembers.playerId, playerId)));
  return { ...row!, since: row!.since.toISOString() };
}

/** Changes a member's role; the last admin cannot be demoted. */
export async function changeMemberRole(db: Db, ngoId: string, playerId: string, role: NgoRole): Promise<RuleResult<{ member: NgoMemberView }>> {
  return underNgoLock(db, ngoId, async (tx) => {
    const current = await memberRole(tx, ngoId, playerId);
    if (!current) return NO_SUCH_MEMBER;
    const refusal = lastAdminRefusal({ currentRole: current, nextRole: role, adminCount: await adminCount(tx, ngoId) });
    if (refusal) return refusal;
    if (current !== role) await tx.update(ngoMembers).set({ role }).where(and(eq(ngoMembers.ngoId, ngoId), eq(ngoMembers.playerId, playerId)));
    return { ok: true as const, member: await memberView(tx, ngoId, playerId) };
  });
}

/** Removes a member (or a member leaves); the last admin cannot go. */
export async function removeMember(db: Db, ngoId: string, playerId: string): Promise<RuleResult<object>> {
  return underNgoLock(db, ngoId, async (tx) => {
    const current = await memberRole(tx, ngoId, playerId);
    if (!current) return NO_SUCH_MEMBER;
    const refusal = lastAdminRefusal({ currentRole: current, nextRole: null, adminCount: await adminCount(tx, ngoId) });
    if (refusal) return refusal;
    await tx.delete(ngoMembers).where(and(eq(ngoMembers.ngoId, ngoId), eq(ngoMembers.playerId, playerId)));
    return { ok: true as const };
  });
}

/**
 * Makes a player a member with this role, or changes their role (operators' command line:
 * `npm run ngo:member`). Idempotent; the last admin still cannot be demoted.
 */
export async function setMemberRole(db: Db, ngoId: string, playerId: string, role: NgoRole): Promise<RuleResult<{ change: "added" | "changed" | "unchanged" }>> {
  return underNgoLock(db, ngoId, async (tx) => {
    const current = await memberRole(tx, ngoId, playerId);
    if (current === role) return { ok: true as const, change: "unchanged" as const };
    if (!current) {
      await tx.insert(ngoMembers).values({ ngoId, playerId, role });
      return { ok: true as const, change: "added" as const };
    }
    const refusal = lastAdminRefusal({ currentRole: current, nextRole: role, adminCount: await adminCount(tx, ngoId) });
    if (refusal) return refusal;
    await tx.update(ngoMembers).set({ role }).where(and(eq(ngoMembers.ngoId, ngoId), eq(ngoMembers.playerId, playerId)));
    return { ok: true as const, change: "changed" as const };
  });
}
