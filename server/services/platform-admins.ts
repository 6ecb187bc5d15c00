/**
 * Platform administrators (who approve NGO applications) and the operators'
 * command-line changes, which name accounts by email: only someone with
 * access to the server and its database runs them, so they tell nobody else
 * whether an email has an account.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/connect.ts";
import { accounts, ngos, platformAdmins, players } from "../db/schema.ts";

/** The account with this email (trimmed and lower-cased, as accounts store it), or null. */
export async function accountByEmail(db: Db, email: string): Promise<{ playerId: string; name: string; email: string } | null> {
  const [row] = await db
    .select({ playerId: accounts.playerId, name: players.displayName, email: accounts.email })
    .from(accounts)
    .innerJoin(players, eq(players.id, accounts.playerId))
    .where(eq(accounts.email, email.trim().toLowerCase()));
  return row ?? null;
}

export async function ngoBySlug(db: Db, slug: string): Promise<{ id: string; name: string; status: string } | null> {
  const [row] = await db.select({ id: ngos.id, name: ngos.name, status: ngos.status }).from(ngos).where(eq(ngos.slug, slug));
  return row ?? null;
}

/** Makes the player a platform administrator; false when they already were (idempotent). */
export async function grantPlatformAdmin(db: Db, playerId: string): Promise<boolean> {
  const added = await db.insert(platformAdmins).values({ playerId }).onConflictDoNothing().returning({ playerId: platformAdmins.playerId });
  return added.length > 0;
}
