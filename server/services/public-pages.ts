/**
 * What the public pages may show, read from the database with the same rules
 * as the game: an NGO only once approved (services/ngo-visibility.ts), a gift
 * only if players may see it (catalog.ts `publicGift`) and its NGO is
 * approved, a village only when its owner made it public (and never one of a
 * deleted account). Each answers null for anything else, and the page is a
 * 404. Nothing here carries an amount a person gave.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { CatalogGift } from "../../shared/api.ts";
import type { PublicCampaign } from "../../shared/campaigns.ts";
import { DECORATIONS, isDecorationId } from "../../shared/decorations.ts";
import type { Db } from "../db/connect.ts";
import { ngos, players, villages } from "../db/schema.ts";
import { listPublicCampaigns } from "./campaign-progress.ts";
import { giftLabels, listCatalog, publicGift } from "./catalog.ts";
import { approvedNgo } from "./ngo-visibility.ts";
import { loadVillage } from "./villages.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PublicNgoPage {
  id: string;
  slug: string;
  name: string;
  purpose: string;
  website: string | null;
  /** Its campaigns running now. */
  campaigns: PublicCampaign[];
  /** Its gifts on sale now. */
  gifts: CatalogGift[];
}

/** An approved NGO by slug or id, with its running campaigns and its gifts on sale. */
export async function publicNgoPage(db: Db, ref: string, now: number): Promise<PublicNgoPage | null> {
  const byRef = UUID.test(ref) ? eq(ngos.id, ref) : eq(ngos.slug, ref.toLowerCase());
  const [ngo] = await db
    .select({ id: ngos.id, slug: ngos.slug, name: ngos.name, purpose: ngos.purpose, website: ngos.website })
    .from(ngos)
    .where(and(byRef, approvedNgo));
  if (!ngo) return null;
  const [campaigns, catalog] = await Promise.all([listPublicCampaigns(db, now, { ngoId: ngo.id }), listCatalog(db, now)]);
  return {
    ...ngo,
    website: ngo.website && /^https?:\/\//i.test(ngo.website) ? ngo.website : null,
    campaigns: campaigns.filter((c) => c.phase === "running"),
    gifts: catalog.gifts.filter((g) => g.ngo.id === ngo.id),
  };
}

export interface PublicGiftPage {
  gift: CatalogGift;
  onSale: boolean;
  ngoSlug: string;
}

/** A gift players may see (on sale, or already in a village) of an approved NGO. */
export async function publicGiftPage(db: Db, giftId: string, now: number): Promise<PublicGiftPage | null> {
  const found = await publicGift(db, giftId, now);
  if (!found) return null;
  const [ngo] = await db.select({ slug: ngos.slug }).from(ngos).where(and(eq(ngos.id, found.gift.ngo.id), approvedNgo));
  if (!ngo) return null;
  return { ...found, ngoSlug: ngo.slug };
}

export interface PublicVillageGift {
  giftId: string;
  sprite: string;
  name: { fr: string; en: string };
  ngoName: string;
  count: number;
  /** Givers who allowed their name with the gift (never an amount). */
  givers: string[];
}

export interface PublicVillagePage {
  id: string;
  /** The village's name, as every visitor of a public village sees it. */
  name: string;
  gifts: PublicVillageGift[];
  decorations: Array<{ id: string; sprite: string; name: { fr: string; en: string }; count: number }>;
  crops: number;
}

/** A public village (its owner chose "anyone may visit"), with what stands in it. */
export async function publicVillagePage(db: Db, villageId: string): Promise<PublicVillagePage | null> {
  const [open] = await db
    .select({ id: villages.id })
    .from(villages)
    .innerJoin(players, eq(players.id, villages.ownerId))
    .where(and(eq(villages.id, villageId), isNull(players.deletedAt), eq(players.villageVisibility, "public")));
  if (!open) return null;
  const village = await loadVillage(db, villageId);
  if (!village) return null;
  const labels = await giftLabels(db, [...new Set(village.items.flatMap((i) => (i.giftId ? [i.giftId] : [])))]);
  const gifts = new Map<string, PublicVillageGift>();
  const decorations = new Map<string, PublicVillagePage["decorations"][number]>();
  let crops = 0;
  for (const item of village.items) {
    if (item.kind === "gift" && item.giftId) {
      const label = labels.get(item.giftId);
      const entry = gifts.get(item.giftId) ?? {
        giftId: item.giftId, sprite: label?.sprite ?? item.sprite, name: { fr: label?.nameFr ?? "", en: label?.nameEn ?? "" }, ngoName: label?.ngoName ?? "",
        count: 0, givers: [],
      };
      entry.count++;
      if (item.fromName && !entry.givers.includes(item.fromName)) entry.givers.push(item.fromName);
      gifts.set(item.giftId, entry);
    } else if (item.kind === "decoration" && isDecorationId(item.decorationId)) {
      const d = DECORATIONS[item.decorationId];
      const entry = decorations.get(d.id) ?? { id: d.id, sprite: d.sprite, name: { fr: d.nameFr, en: d.nameEn }, count: 0 };
      entry.count++;
      decorations.set(d.id, entry);
    } else if (item.kind === "crop") {
      crops++;
    }
  }
  const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
  return { id: village.id, name: village.name, gifts: [...gifts.values()].sort(byCount), decorations: [...decorations.values()].sort(byCount), crops };
}
