/**
 * NGOs for tests: a valid application body, NGO rows and memberships
 * written straight into the test server's database (for tests of other
 * features), and platform administrators.
 */
import { randomUUID } from "node:crypto";
import type { NgoApplicationRequest } from "../../shared/ngo-accounts.ts";
import type { NgoRole, NgoStatus } from "../../shared/ngo-roles.ts";
import { ngoMembers, ngos, platformAdmins } from "../../server/db/schema.ts";
import { uniqueSuffix } from "./accounts.ts";
import type { TestServer } from "./server.ts";

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

/** Inserts an NGO row with this status (approved by default) and returns its id and slug. */
export async function insertTestNgo(server: TestServer, opts: { status?: NgoStatus; name?: string } = {}): Promise<{ id: string; slug: string }> {
  const slug = `test-ngo-${randomUUID().slice(0, 8)}`;
  const [row] = await server.hameau.database.db
    .insert(ngos)
    .values({ slug, name: opts.name ?? slug, legalName: `${slug} (association)`, purpose: "Tests", status: opts.status ?? "approved" })
    .returning({ id: ngos.id, slug: ngos.slug });
  return row!;
}

/** Makes the player a member of the NGO with this role (straight into the database). */
export async function addTestNgoMember(server: TestServer, ngoId: string, playerId: string, role: NgoRole): Promise<void> {
  await server.hameau.database.db.insert(ngoMembers).values({ ngoId, playerId, role }).onConflictDoUpdate({ target: [ngoMembers.ngoId, ngoMembers.playerId], set: { role } });
}

/** Makes the player a platform administrator (straight into the database). */
export async function makeTestPlatformAdmin(server: TestServer, playerId: string): Promise<void> {
  await server.hameau.database.db.insert(platformAdmins).values({ playerId }).onConflictDoNothing();
}
