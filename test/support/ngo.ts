/**
 * NGOs for the console's tests: membership rows written directly through the
 * server's database (as the CLI or the members API would), and a second NGO
 * with one project and one gift, so tests can prove one NGO never sees
 * another's data.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { NgoRole } from "../../shared/ngo-roles.ts";
import { gifts, ngoMembers, ngos, projects } from "../../server/db/schema.ts";
import type { TestServer } from "./server.ts";

/** The seeded demo NGO ("Semences Solidaires (démo)", receipt prefix SEMSOL). */
export async function demoNgoId(server: TestServer): Promise<string> {
  const [row] = await server.hameau.database.db.select({ id: ngos.id }).from(ngos).where(eq(ngos.slug, "semences-solidaires"));
  if (!row) throw new Error("the demo NGO is not in the test database");
  return row.id;
}

/** Makes a player a member of an NGO with a role. */
export async function addNgoMember(server: TestServer, ngoId: string, playerId: string, role: NgoRole): Promise<void> {
  await server.hameau.database.db.insert(ngoMembers).values({ ngoId, playerId, role });
}

/** An approved NGO with one project and one gift on sale, named as told. */
export async function insertNgoWithGift(
  server: TestServer,
  opts: { name: string; projectName: string; giftName: string; priceCents: number },
): Promise<{ ngoId: string; slug: string; projectId: string; giftId: string }> {
  const db = server.hameau.database.db;
  const slug = `test-ngo-${randomBytes(4).toString("hex")}`;
  const [ngo] = await db.insert(ngos).values({
    slug, name: opts.name, legalName: `Association ${opts.name}`, purpose: "Test purpose", status: "approved",
  }).returning({ id: ngos.id });
  const [project] = await db.insert(projects).values({
    ngoId: ngo!.id, slug: `${slug}-project`, nameFr: opts.projectName, nameEn: opts.projectName, country: "FR",
  }).returning({ id: projects.id });
  const [gift] = await db.insert(gifts).values({
    slug: `${slug}-gift`, ngoId: ngo!.id, projectId: project!.id, nameFr: opts.giftName, nameEn: opts.giftName,
    impactFr: "Impact", impactEn: "Impact", priceCents: opts.priceCents, sprite: "school-kit",
  }).returning({ id: gifts.id });
  return { ngoId: ngo!.id, slug, projectId: project!.id, giftId: gift!.id };
}
