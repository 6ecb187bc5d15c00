/**
 * The websites an NGO declared for its widget: read, replaced as a whole
 * (one transaction), and the ones that may frame a campaign's widget page.
 */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/connect.ts";
import { campaigns, ngoEmbedSites, ngos } from "../db/schema.ts";

export async function embedSites(db: Db, ngoId: string): Promise<string[]> {
  const rows = await db.select({ origin: ngoEmbedSites.origin }).from(ngoEmbedSites).where(eq(ngoEmbedSites.ngoId, ngoId)).orderBy(asc(ngoEmbedSites.origin));
  return rows.map((r) => r.origin);
}

/**
 * Replaces the NGO's sites with these (already normalised, distinct) origins. Under the NGO's row
 * lock: two saves at once take turns (else both delete, both insert, and the second breaks the key).
 */
export async function replaceEmbedSites(db: Db, ngoId: string, origins: readonly string[]): Promise<string[]> {
  await db.transaction(async (tx) => {
    await tx.select({ id: ngos.id }).from(ngos).where(eq(ngos.id, ngoId)).for("update");
    await tx.delete(ngoEmbedSites).where(eq(ngoEmbedSites.ngoId, ngoId));
    if (origins.length > 0) await tx.insert(ngoEmbedSites).values(origins.map((origin) => ({ ngoId, origin })));
  });
  return [...origins].sort();
}

/** The sites declared by the NGO that runs this campaign. */
export async function embedSitesOfCampaign(db: Db, campaignId: string): Promise<string[]> {
  const rows = await db
    .select({ origin: ngoEmbedSites.origin })
    .from(ngoEmbedSites)
    .innerJoin(campaigns, eq(campaigns.ngoId, ngoEmbedSites.ngoId))
    .where(eq(campaigns.id, campaignId))
    .orderBy(asc(ngoEmbedSites.origin));
  return rows.map((r) => r.origin);
}
