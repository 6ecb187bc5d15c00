/** The gift catalog as players see it, and as the checkout prices it. */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { CatalogGift } from "../../shared/api.ts";
import type { PricedGift } from "../../shared/basket.ts";
import type { Currency } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { gifts, ngos, projects } from "../db/schema.ts";

export async function listCatalog(db: Db): Promise<CatalogGift[]> {
  const rows = await db
    .select({ gift: gifts, ngoName: ngos.name, project: projects })
    .from(gifts)
    .innerJoin(ngos, eq(ngos.id, gifts.ngoId))
    .innerJoin(projects, eq(projects.id, gifts.projectId))
    .where(eq(gifts.active, true))
    .orderBy(asc(gifts.sortOrder), asc(gifts.priceCents));
  return rows.map(({ gift, ngoName, project }) => ({
    id: gift.id,
    slug: gift.slug,
    name: { fr: gift.nameFr, en: gift.nameEn },
    impact: { fr: gift.impactFr, en: gift.impactEn },
    priceCents: gift.priceCents,
    currency: gift.currency as Currency,
    sprite: gift.sprite,
    ngo: { id: gift.ngoId, name: ngoName },
    project: { id: project.id, name: { fr: project.nameFr, en: project.nameEn } },
  }));
}

/** Gifts as the pricing rule needs them, read from the database only. */
export async function giftsForPricing(db: Db, ids: readonly string[]): Promise<Map<string, PricedGift>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(gifts).where(inArray(gifts.id, [...ids]));
  return new Map(
    rows.map((g) => [
      g.id,
      { id: g.id, ngoId: g.ngoId, projectId: g.projectId, priceCents: g.priceCents, currency: g.currency as Currency, active: g.active },
    ]),
  );
}

export interface GiftLabel {
  id: string;
  sprite: string;
  nameFr: string;
  nameEn: string;
  projectNameFr: string;
  projectNameEn: string;
  ngoName: string;
}

/** Names and project of gifts, for checkout pages and Stripe line items. */
export async function giftLabels(db: Db, ids: readonly string[]): Promise<Map<string, GiftLabel>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: gifts.id, sprite: gifts.sprite, nameFr: gifts.nameFr, nameEn: gifts.nameEn,
      projectNameFr: projects.nameFr, projectNameEn: projects.nameEn, ngoName: ngos.name,
    })
    .from(gifts)
    .innerJoin(projects, eq(projects.id, gifts.projectId))
    .innerJoin(ngos, and(eq(ngos.id, gifts.ngoId)))
    .where(inArray(gifts.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r]));
}
