/**
 * Who belongs to which NGO, with which role, and who is a platform
 * administrator. Authorisation reads here; nothing else decides it.
 */
import { and, eq } from "drizzle-orm";
import type { NgoMembershipView, NgoRole } from "../../shared/ngo-roles.ts";
import type { Db, Tx } from "../db/connect.ts";
import { ngoMembers, ngos, platformAdmins } from "../db/schema.ts";

/** The caller's role in this NGO, or null when they are not a member. */
export async function roleIn(db: Db | Tx, ngoId: string, playerId: string): Promise<NgoRole | null> {
  const [row] = await db
    .select({ role: ngoMembers.role })
    .from(ngoMembers)
    .where(and(eq(ngoMembers.ngoId, ngoId), eq(ngoMembers.playerId, playerId)))
    .limit(1);
  return row?.role ?? null;
}

/** Every NGO this player is a member of. */
export async function membershipsOf(db: Db | Tx, playerId: string): Promise<NgoMembershipView[]> {
  const rows = await db
    .select({ id: ngos.id, slug: ngos.slug, name: ngos.name, status: ngos.status, role: ngoMembers.role })
    .from(ngoMembers)
    .innerJoin(ngos, eq(ngos.id, ngoMembers.ngoId))
    .where(eq(ngoMembers.playerId, playerId))
    .orderBy(ngos.name);
  return rows.map((r) => ({ ngo: { id: r.id, slug: r.slug, name: r.name, status: r.status }, role: r.role }));
}

export async function isPlatformAdmin(db: Db | Tx, playerId: string): Promise<boolean> {
  const [row] = await db.select({ playerId: platformAdmins.playerId }).from(platformAdmins).where(eq(platformAdmins.playerId, playerId)).limit(1);
  return row !== undefined;
}
