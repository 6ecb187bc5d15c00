/**
 * NGO fixtures for the console's tests: memberships and extra NGOs written
 * straight to the database (the real flows are tested where they live).
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { NgoRole, NgoStatus } from "../../shared/ngo-roles.ts";
import { gifts, ngoMembers, ngos, projects } from "../../server/db/schema.ts";
import type { TestServer } from "./server.ts";

/** The seeded demo NGO ("semences-solidaires", approved) and its projects by slug. */
export async function demoNgoOf(server: TestServer): Promise<{ id: string; name: string; projects: Map<string, string> }> {
  const db = server.hameau.database.db;
  const [ngo] = await db.select({ id: ngos.id, name: ngos.name }).from(ngos).where(eq(ngos.slug, "semences-solidaires"));
  if (!ngo) throw new Error("the demo NGO is not seeded");
  const rows = await db.select({ id: projects.id, slug: projects.slug }).from(projects).where(eq(projects.ngoId, ngo.id));
  return { ...ngo, projects: new Map(rows.map((p) => [p.slug, p.id])) };
}

/** Makes a player a member of an NGO with this role. */
export async function addNgoMemberDirectly(server: TestServer, ngoId: string, playerId: string, role: NgoRole): Promise<void> {
  await server.hameau.database.db.insert(ngoMembers).values({ ngoId, playerId, role });
}

/** Another NGO with one project and one gift, in this status. */
export async function createNgoDirectly(server: TestServer, status: NgoStatus): Promise<{ id: string; projectId: string; giftId: string }> {
  const db = server.hameau.database.db;
  const suffix = randomUUID().slice(0, 8);
  const [ngo] = await db
    .insert(ngos)
    .values({ slug: `test-ngo-${suffix}`, name: `Test NGO ${suffix}`, legalName: `Test NGO ${suffix}`, purpose: "Tests", status })
    .returning({ id: ngos.id });
  const [project] = await db
    .insert(projects)
    .values({ ngoId: ngo!.id, slug: `test-project-${suffix}`, nameFr: `Projet ${suffix}`, nameEn: `Project ${suffix}`, country: "FR" })
    .returning({ id: projects.id });
  const [gift] = await db
    .insert(gifts)
    .values({
      slug: `test-gift-${suffix}`, ngoId: ngo!.id, projectId: project!.id, nameFr: "Cadeau", nameEn: "Gift", impactFr: "Impact", impactEn: "Impact",
      priceCents: 500, sprite: "goat", active: false,
    })
    .returning({ id: gifts.id });
  return { id: ngo!.id, projectId: project!.id, giftId: gift!.id };
}
