/**
 * NGOs for tests: a valid application body, NGO rows and memberships written
 * straight into the test server's database (as the CLI or the members API
 * would), platform administrators, and an NGO with one project and one gift,
 * so tests can prove one NGO never sees another's data.
 *
 * Every NGO made here has a simulated connected Stripe account that can take
 * charges (as after a TEST MODE onboarding), so its gifts can be in the shop;
 * `connected: false` makes one that never connected.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { NgoApplicationRequest } from "../../shared/ngo-accounts.ts";
import type { NgoRole, NgoStatus } from "../../shared/ngo-roles.ts";
import { gifts, ngoMembers, ngos, platformAdmins, projects } from "../../server/db/schema.ts";
import { uniqueSuffix } from "./accounts.ts";
import type { Db } from "../../server/db/connect.ts";
import type { TestServer } from "./server.ts";

/** The seeded demo NGO ("Semences Solidaires (démo)", receipt prefix SEMSOL). */
export async function demoNgoId(server: TestServer): Promise<string> {
  return (await demoNgoOf(server)).id;
}


/** The Stripe columns of an NGO with a simulated account that can take charges, or of one that never connected. */
export function testStripeAccount(connected = true) {
  return connected
    ? { stripeAccountId: `acct_test_local_${randomBytes(8).toString("hex")}`, stripeDetailsSubmitted: true, stripeChargesEnabled: true, stripePayoutsEnabled: true }
    : { stripeAccountId: null, stripeDetailsSubmitted: false, stripeChargesEnabled: false, stripePayoutsEnabled: false };
}

/** An NGO (approved unless told, connected unless told) with one project and one gift, named as told. */
export async function insertNgoWithGift(
  server: TestServer,
  opts: { name: string; projectName: string; giftName: string; priceCents: number; status?: NgoStatus; sprite?: string; connected?: boolean },
): Promise<{ ngoId: string; slug: string; projectId: string; giftId: string }> {
  const db = server.hameau.database.db;
  const slug = `test-ngo-${randomBytes(4).toString("hex")}`;
  const [ngo] = await db.insert(ngos).values({
    slug, name: opts.name, legalName: `Association ${opts.name}`, purpose: "Test purpose", status: opts.status ?? "approved",
    ...testStripeAccount(opts.connected ?? true),
  }).returning({ id: ngos.id });
  const [project] = await db.insert(projects).values({
    ngoId: ngo!.id, slug: `${slug}-project`, nameFr: opts.projectName, nameEn: opts.projectName, country: "FR",
  }).returning({ id: projects.id });
  const [gift] = await db.insert(gifts).values({
    slug: `${slug}-gift`, ngoId: ngo!.id, projectId: project!.id, nameFr: opts.giftName, nameEn: opts.giftName,
    impactFr: "Impact", impactEn: "Impact", priceCents: opts.priceCents, sprite: opts.sprite ?? "school-kit",
  }).returning({ id: gifts.id });
  await server.hameau.catalogChanged([gift!.id]);
  return { ngoId: ngo!.id, slug, projectId: project!.id, giftId: gift!.id };
}

/** A complete, valid NGO application (name made unique unless told). */
export function ngoApplication(overrides: Partial<NgoApplicationRequest> = {}): NgoApplicationRequest {
  return {
    name: `Puits Partagés ${uniqueSuffix()}`,
    legalName: "Association Puits Partagés",
    legalStatus: "Association loi 1901 reconnue d'intérêt général",
    registrationNumber: "RNA W691234567",
    purpose: "Creuser et entretenir des puits villageois.",
    contactName: "Awa Diallo",
    contactEmail: "contact@puits-partages.example",
    website: "https://puits-partages.example",
    address: { addressLines: ["3 place du Marché"], postalCode: "69001", city: "Lyon", country: "France" },
    signatoryName: "Awa Diallo",
    signatoryTitle: "Présidente",
    ...overrides,
  };
}

/** The database of a test server, or the database itself. */
function dbOf(target: TestServer | Db): Db {
  return "hameau" in target ? target.hameau.database.db : target;
}

/** Inserts an NGO (approved and connected unless told), with a unique slug and name, contact included. */
export async function insertTestNgo(
  target: TestServer | Db, opts: { status?: NgoStatus; name?: string; connected?: boolean } = {},
): Promise<{ id: string; slug: string; name: string }> {
  const tag = randomUUID().slice(0, 8);
  const name = opts.name ?? `Test NGO ${tag}`;
  const [row] = await dbOf(target)
    .insert(ngos)
    .values({
      slug: `test-ngo-${tag}`, name, legalName: `${name} (association)`, purpose: "Testing the NGO console",
      status: opts.status ?? "approved", contactName: "Test Contact", contactEmail: `ngo-${tag}@example.org`,
      ...testStripeAccount(opts.connected ?? true),
    })
    .returning({ id: ngos.id, slug: ngos.slug, name: ngos.name });
  await catalogChangedOn(target);
  return row!;
}

/** Makes the player a member of the NGO with this role, or changes their role (straight into the database). */
export async function addNgoMember(target: TestServer | Db, ngoId: string, playerId: string, role: NgoRole): Promise<void> {
  await dbOf(target).insert(ngoMembers).values({ ngoId, playerId, role }).onConflictDoUpdate({ target: [ngoMembers.ngoId, ngoMembers.playerId], set: { role } });
}

export async function setTestNgoStatus(target: TestServer | Db, ngoId: string, status: NgoStatus): Promise<void> {
  await dbOf(target).update(ngos).set({ status }).where(eq(ngos.id, ngoId));
  await catalogChangedOn(target);
}

/**
 * Written straight into the database, behind the server's back: the shop's cached catalog
 * (server/services/catalog-cache.ts) is told, as the API's own writes tell it.
 */
export async function catalogChangedOn(target: TestServer | Db): Promise<void> {
  if ("hameau" in target) await target.hameau.catalogChanged([]);
}

/** Makes the player a platform administrator (straight into the database). */
export async function makeTestPlatformAdmin(server: TestServer, playerId: string): Promise<void> {
  await server.hameau.database.db.insert(platformAdmins).values({ playerId }).onConflictDoNothing();
}

/** An NGO with one project and one 5 € gift, in the given status (pending: applied, not approved yet), connected unless told. */
export function createNgoWithGift(
  server: TestServer, status: NgoStatus = "pending", opts: { connected?: boolean } = {},
): Promise<{ ngoId: string; slug: string; projectId: string; giftId: string }> {
  return insertNgoWithGift(server, {
    name: `Test NGO ${randomBytes(4).toString("hex")}`, projectName: "Test project", giftName: "Test gift", priceCents: 500, status, sprite: "goat", ...opts,
  });
}

/** The seeded demo NGO ("semences-solidaires", approved) and its projects by slug. */
export async function demoNgoOf(server: TestServer): Promise<{ id: string; name: string; projects: Map<string, string> }> {
  const db = server.hameau.database.db;
  const [ngo] = await db.select({ id: ngos.id, name: ngos.name }).from(ngos).where(eq(ngos.slug, "semences-solidaires"));
  if (!ngo) throw new Error("the demo NGO is not seeded");
  const rows = await db.select({ id: projects.id, slug: projects.slug }).from(projects).where(eq(projects.ngoId, ngo.id));
  return { ...ngo, projects: new Map(rows.map((p) => [p.slug, p.id])) };
}
