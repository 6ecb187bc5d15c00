/**
 * NGOs and their members for the console's tests, written straight into the
 * database (the NGO application and member routes are tested on their own).
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { NgoRole, NgoStatus } from "../../shared/ngo-roles.ts";
import type { Db } from "../../server/db/connect.ts";
import { ngoMembers, ngos } from "../../server/db/schema.ts";

/** Inserts an NGO (approved unless told), with a unique slug and name. */
export async function insertTestNgo(db: Db, opts: { status?: NgoStatus; name?: string } = {}): Promise<{ id: string; slug: string; name: string }> {
  const tag = randomBytes(4).toString("hex");
  const name = opts.name ?? `Test NGO ${tag}`;
  const [row] = await db
    .insert(ngos)
    .values({
      slug: `test-ngo-${tag}`, name, legalName: `${name} (association)`, purpose: "Testing the NGO console",
      status: opts.status ?? "approved", contactName: "Test Contact", contactEmail: `ngo-${tag}@example.org`,
    })
    .returning({ id: ngos.id, slug: ngos.slug, name: ngos.name });
  return row!;
}

/** Makes a player a member of an NGO with this role (or changes their role). */
export async function addTestNgoMember(db: Db, ngoId: string, playerId: string, role: NgoRole): Promise<void> {
  await db.insert(ngoMembers).values({ ngoId, playerId, role }).onConflictDoUpdate({ target: [ngoMembers.ngoId, ngoMembers.playerId], set: { role } });
}

export async function setTestNgoStatus(db: Db, ngoId: string, status: NgoStatus): Promise<void> {
  await db.update(ngos).set({ status }).where(eq(ngos.id, ngoId));
}
