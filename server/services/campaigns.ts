/**
 * An NGO's campaigns as its members manage them: create a draft, correct it,
 * publish it. Every write runs in one transaction, after the request was
 * validated (shared/campaigns.ts) and the gifts checked to be this NGO's; a
 * refusal writes nothing.
 *
 * Once published, a campaign's titles, descriptions, goal, gifts and period
 * may still be corrected (progress is recomputed from the orders, so nothing
 * goes stale); its emergency flag may not change, since the alert has gone out.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { campaignPhase } from "../../shared/campaign-progress.ts";
import type { CampaignView, CreateCampaignRequest, UpdateCampaignRequest } from "../../shared/campaigns.ts";
import { type RuleError, refuse } from "../../shared/errors.ts";
import type { Currency } from "../../shared/money.ts";
import type { Db, Tx } from "../db/connect.ts";
import { campaignGifts, campaigns, gifts } from "../db/schema.ts";
import { type CampaignWithGifts, giftIdsOf, progressAndLeaderboard, withMilestones } from "./campaign-progress.ts";

type Created = Omit<CreateCampaignRequest, "startsAt" | "endsAt"> & { startsAt: Date; endsAt: Date };
type Patch = Omit<UpdateCampaignRequest, "startsAt" | "endsAt"> & { startsAt?: Date; endsAt?: Date };

/** A refusal with the field it is about: a 400 with `fields`, or another status with a code. */
export type CampaignRefusal = RuleError & { fields?: Record<string, string> };
export type CampaignResult<T> = { ok: true; value: T } | CampaignRefusal;

export async function viewOf(db: Db, c: CampaignWithGifts, now: number): Promise<CampaignView> {
  const r = c.campaign;
  const progress = await withMilestones(db, r.id, (await progressAndLeaderboard(db, c, now)).progress);
  return {
    id: r.id, ngoId: r.ngoId, title: { fr: r.titleFr, en: r.titleEn }, description: { fr: r.descriptionFr, en: r.descriptionEn },
    goalCents: r.goalCents, currency: r.currency as Currency, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString(),
    emergency: r.emergency, publishedAt: r.publishedAt?.toISOString() ?? null, giftIds: c.giftIds,
    phase: campaignPhase({ startsAt: r.startsAt.getTime(), endsAt: r.endsAt.getTime() }, now), progress,
  };
}

export async function ngoCampaigns(db: Db, ngoId: string, now: number): Promise<CampaignView[]> {
  const rows = await db.select().from(campaigns).where(eq(campaigns.ngoId, ngoId)).orderBy(asc(campaigns.startsAt), asc(campaigns.createdAt));
  const giftIds = await giftIdsOf(db, rows.map((r) => r.id));
  return Promise.all(rows.map((campaign) => viewOf(db, { campaign, giftIds: giftIds.get(campaign.id) ?? [] }, now)));
}

/** One of this NGO's campaigns (another NGO's is as unknown as a missing one). */
export async function ngoCampaign(db: Db | Tx, ngoId: string, campaignId: string): Promise<CampaignWithGifts | null> {
  const [campaign] = await db.select().from(campaigns).where(and(eq(campaigns.id, campaignId), eq(campaigns.ngoId, ngoId)));
  if (!campaign) return null;
  const rows = await db.select({ giftId: campaignGifts.giftId }).from(campaignGifts).where(eq(campaignGifts.campaignId, campaignId)).orderBy(asc(campaignGifts.giftId));
  return { campaign, giftIds: rows.map((r) => r.giftId) };
}

/**
 * Each gift must be this NGO's, and a gift newly added must not be retired (one already in the
 * campaign may stay). The first wrong one is named under its field, `giftIds.<index>`.
 */
async function checkGifts(tx: Tx, ngoId: string, giftIds: readonly string[], already: readonly string[] = []): Promise<CampaignRefusal | null> {
  const rows = await tx.select({ id: gifts.id, ngoId: gifts.ngoId, retiredAt: gifts.retiredAt }).from(gifts).where(inArray(gifts.id, [...giftIds]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [i, id] of giftIds.entries()) {
    const g = byId.get(id);
    if (!g || g.ngoId !== ngoId) return fieldError(`giftIds.${i}`, "this gift is not one of this NGO's gifts");
    if (g.retiredAt && !already.includes(id)) return fieldError(`giftIds.${i}`, "this gift is retired");
  }
  return null;
}

function fieldError(field: string, message: string): CampaignRefusal {
  return { ...refuse("bad_request", `Invalid request body: ${field}: ${message}`), fields: { [field]: message } };
}

export async function createCampaign(db: Db, ngoId: string, input: Created): Promise<CampaignResult<CampaignWithGifts>> {
  return db.transaction(async (tx) => {
    const bad = await checkGifts(tx, ngoId, input.giftIds);
    if (bad) return bad;
    const [campaign] = await tx
      .insert(campaigns)
      .values({
        ngoId, titleFr: input.titleFr, titleEn: input.titleEn, descriptionFr: input.descriptionFr ?? "", descriptionEn: input.descriptionEn ?? "",
        goalCents: input.goalCents, startsAt: input.startsAt, endsAt: input.endsAt, emergency: input.emergency ?? false,
      })
      .returning();
    await tx.insert(campaignGifts).values(input.giftIds.map((giftId) => ({ campaignId: campaign!.id, giftId })));
    return { ok: true as const, value: { campaign: campaign!, giftIds: [...input.giftIds].sort() } };
  });
}

export async function updateCampaign(db: Db, ngoId: string, campaignId: string, patch: Patch): Promise<CampaignResult<CampaignWithGifts>> {
  return db.transaction(async (tx) => {
    const [locked] = await tx.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.id, campaignId), eq(campaigns.ngoId, ngoId))).for("update");
    const current = locked ? await ngoCampaign(tx, ngoId, campaignId) : null;
    if (!current) return refuse("not_found", "No such campaign");
    const c = current.campaign;
    if (patch.emergency !== undefined && patch.emergency !== c.emergency && c.publishedAt) {
      return { ...refuse("campaign_published", "The emergency flag of a published campaign cannot change"), fields: { emergency: "fixed once published" } };
    }
    const startsAt = patch.startsAt ?? c.startsAt;
    const endsAt = patch.endsAt ?? c.endsAt;
    if (endsAt <= startsAt) return fieldError(patch.endsAt ? "endsAt" : "startsAt", "endsAt must be after startsAt");
    if (patch.giftIds) {
      const bad = await checkGifts(tx, ngoId, patch.giftIds, current.giftIds);
      if (bad) return bad;
    }
    const { giftIds, ...columns } = patch;
    if (Object.keys(columns).length > 0) await tx.update(campaigns).set(columns).where(eq(campaigns.id, campaignId));
    if (giftIds) {
      await tx.delete(campaignGifts).where(eq(campaignGifts.campaignId, campaignId));
      await tx.insert(campaignGifts).values(giftIds.map((giftId) => ({ campaignId, giftId })));
    }
    return { ok: true as const, value: (await ngoCampaign(tx, ngoId, campaignId))! };
  });
}

/**
 * Publishes a draft (publishedAt = now). Publishing again changes nothing and says so
 * (`newly: false`); a campaign already over cannot be published.
 */
export async function publishCampaign(db: Db, ngoId: string, campaignId: string, now: number): Promise<CampaignResult<CampaignWithGifts & { newly: boolean }>> {
  return db.transaction(async (tx) => {
    const [c] = await tx.select().from(campaigns).where(and(eq(campaigns.id, campaignId), eq(campaigns.ngoId, ngoId))).for("update");
    if (!c) return refuse("not_found", "No such campaign");
    let newly = false;
    if (!c.publishedAt) {
      if (c.endsAt.getTime() <= now) return refuse("campaign_ended", "This campaign is already over; change its end first");
      await tx.update(campaigns).set({ publishedAt: new Date(now) }).where(eq(campaigns.id, campaignId));
      newly = true;
    }
    return { ok: true as const, value: { ...(await ngoCampaign(tx, ngoId, campaignId))!, newly } };
  });
}
