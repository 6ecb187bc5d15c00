/**
 * Reads what a campaign's progress is made of (the lines of paid orders for
 * its gifts, in its window) and asks the pure rules in
 * shared/campaign-progress.ts. Also: which campaigns an order counts for
 * (so a payment, refund or dispute tells their rooms), and what players may
 * see — published campaigns of approved NGOs only.
 */
import { and, asc, eq, gt, gte, inArray, isNotNull, lte, sql } from "drizzle-orm";
import {
  type CampaignWindow, type ProgressLine, campaignLeaderboard, campaignPhase, countedLines, isListed, progressOf,
} from "../../shared/campaign-progress.ts";
import {
  type CampaignLeaderboard, type CampaignProgress, type PublicCampaign, type PublicCampaignGift, RECENTLY_ENDED_MS,
} from "../../shared/campaigns.ts";
import { type CampaignLeaderboardResponse, type LeaderboardOrder, giverLeaderboard } from "../../shared/campaign-leaderboard.ts";
import type { EmergencyMessage } from "../../shared/messages.ts";
import type { Currency } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { campaignGifts, campaigns, gifts, ngos, orderLines, orders, players, villageItems, villages } from "../db/schema.ts";
import { milestoneViews } from "./milestones.ts";
import { ngoCanTakePayments } from "./ngo-visibility.ts";
import { campaignPledgeRows, pledgeProgress } from "./pledges.ts";

export type CampaignRow = typeof campaigns.$inferSelect;

export interface CampaignWithGifts {
  campaign: CampaignRow;
  giftIds: string[];
}

export function windowOf(c: CampaignWithGifts): CampaignWindow {
  return { giftIds: c.giftIds, startsAt: c.campaign.startsAt.getTime(), endsAt: c.campaign.endsAt.getTime(), goalCents: c.campaign.goalCents };
}

/** The gift ids of these campaigns. */
export async function giftIdsOf(db: Db, campaignIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(campaignIds.map((id) => [id, []]));
  if (campaignIds.length === 0) return out;
  const rows = await db
    .select({ campaignId: campaignGifts.campaignId, giftId: campaignGifts.giftId })
    .from(campaignGifts)
    .where(inArray(campaignGifts.campaignId, [...campaignIds]))
    .orderBy(asc(campaignGifts.giftId));
  for (const r of rows) out.get(r.campaignId)?.push(r.giftId);
  return out;
}

/**
 * Every gift line of the paid orders that hold one of the campaign's gifts and were paid in its
 * window (the other lines too: they take their share of a refund).
 */
export async function progressLines(db: Db, c: CampaignWithGifts): Promise<ProgressLine[]> {
  if (c.giftIds.length === 0) return [];
  const concerned = db
    .selectDistinct({ orderId: orderLines.orderId })
    .from(orderLines)
    .where(inArray(orderLines.giftId, c.giftIds));
  const withdrawn = sql<number>`(select count(*)::int from ${villageItems} vi
    where vi.order_line_id = ${orderLines.id} and vi.removal_reason in ('refunded', 'dispute_lost'))`;
  const rows = await db
    .select({
      lineId: orderLines.id, orderId: orderLines.orderId, giftId: orderLines.giftId, quantity: orderLines.quantity,
      lineTotalCents: orderLines.lineTotalCents, orderTotalCents: orders.totalCents, supportCents: orders.supportCents,
      refundedCents: orders.refundedCents, disputeStatus: orders.disputeStatus, paidAt: orders.paidAt, withdrawnUnits: withdrawn,
      donorId: orders.playerId, villageId: villages.id, villageName: villages.name,
      optedIn: players.showOnLeaderboards, showAmount: players.showAmountsOnLeaderboards, deletedAt: players.deletedAt, toVillageId: orders.villageId,
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .innerJoin(players, eq(players.id, orders.playerId))
    .innerJoin(villages, eq(villages.ownerId, orders.playerId))
    .where(
      and(
        eq(orders.status, "paid"), isNotNull(orders.paidAt), gte(orders.paidAt, c.campaign.startsAt), lte(orders.paidAt, c.campaign.endsAt),
        inArray(orderLines.orderId, concerned),
      ),
    );
  return rows.map((r) => ({
    lineId: r.lineId, orderId: r.orderId, giftId: r.giftId, quantity: r.quantity, lineTotalCents: r.lineTotalCents,
    orderTotalCents: r.orderTotalCents, supportCents: r.supportCents, refundedCents: r.refundedCents, disputeStatus: r.disputeStatus,
    paidAt: r.paidAt!.getTime(), withdrawnUnits: Number(r.withdrawnUnits), donorId: r.donorId,
    // A deleted account is never named, whatever it chose before.
    village: { id: r.villageId, name: r.villageName, named: r.optedIn && r.deletedAt === null, showAmount: r.optedIn && r.showAmount && r.deletedAt === null },
    toVillageId: r.toVillageId,
  }));
}

export async function progressAndLeaderboard(db: Db, c: CampaignWithGifts, now: number): Promise<{ progress: CampaignProgress; leaderboard: CampaignLeaderboard }> {
  const counted = countedLines(await progressLines(db, c), windowOf(c), now);
  // Sponsors' matches, apart from the donors' own gifts (only when the campaign has pledges).
  const matching = pledgeProgress((await campaignPledgeRows(db, [c.campaign.id])).get(c.campaign.id) ?? [], now);
  return { progress: { ...progressOf(counted, c.campaign.goalCents), ...matching }, leaderboard: campaignLeaderboard(counted) };
}

/** The progress with the campaign's milestones (its own or the defaults, reached or not). */
export async function withMilestones(db: Db, campaignId: string, progress: CampaignProgress): Promise<CampaignProgress> {
  return { ...progress, milestones: await milestoneViews(db, campaignId) };
}

/** GET /api/campaigns/:id/leaderboard: the givers of a visible campaign ranked (shared/campaign-leaderboard.ts), or null. */
export async function publicLeaderboard(db: Db, campaignId: string, by: LeaderboardOrder, now: number): Promise<CampaignLeaderboardResponse | null> {
  const c = await visibleCampaign(db, campaignId);
  if (!c) return null;
  const counted = countedLines(await progressLines(db, c), windowOf(c), now);
  return { campaignId, currency: c.campaign.currency, ...giverLeaderboard(counted, by) };
}

/** The published campaigns that count one of this order's gifts (their rooms must recompute). */
export async function campaignsOfOrder(db: Db, orderId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: campaignGifts.campaignId })
    .from(orderLines)
    .innerJoin(campaignGifts, eq(campaignGifts.giftId, orderLines.giftId))
    .innerJoin(campaigns, eq(campaigns.id, campaignGifts.campaignId))
    .where(and(eq(orderLines.orderId, orderId), isNotNull(campaigns.publishedAt)));
  return rows.map((r) => r.id);
}

const visibleToPlayers = and(isNotNull(campaigns.publishedAt), eq(ngos.status, "approved"));

/**
 * One campaign players may see (published, of an approved NGO), or null;
 * `ngoTakesPayments`: its gifts are offered (an emergency alert is sent only then).
 */
export async function visibleCampaign(db: Db, campaignId: string): Promise<(CampaignWithGifts & { ngoName: string; ngoTakesPayments: boolean }) | null> {
  const [row] = await db
    .select({ campaign: campaigns, ngoName: ngos.name, ngoTakesPayments: ngos.stripeChargesEnabled })
    .from(campaigns)
    .innerJoin(ngos, eq(ngos.id, campaigns.ngoId))
    .where(and(eq(campaigns.id, campaignId), visibleToPlayers));
  if (!row) return null;
  return { campaign: row.campaign, ngoName: row.ngoName, ngoTakesPayments: row.ngoTakesPayments, giftIds: (await giftIdsOf(db, [campaignId])).get(campaignId) ?? [] };
}

/** A campaign by id whatever its state (for the NGO's own members), or null. */
export async function anyCampaign(db: Db, campaignId: string): Promise<CampaignWithGifts | null> {
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) return null;
  return { campaign, giftIds: (await giftIdsOf(db, [campaignId])).get(campaignId) ?? [] };
}

async function publicGifts(db: Db, ids: readonly string[]): Promise<Map<string, PublicCampaignGift>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(gifts).where(inArray(gifts.id, [...ids])).orderBy(asc(gifts.sortOrder), asc(gifts.priceCents));
  return new Map(rows.map((g) => [g.id, { id: g.id, slug: g.slug, name: { fr: g.nameFr, en: g.nameEn }, sprite: g.sprite, priceCents: g.priceCents }]));
}

function publicView(c: CampaignWithGifts & { ngoName: string }, giftsById: Map<string, PublicCampaignGift>, progress: CampaignProgress, now: number): PublicCampaign {
  const r = c.campaign;
  return {
    id: r.id, ngo: { id: r.ngoId, name: c.ngoName }, title: { fr: r.titleFr, en: r.titleEn }, description: { fr: r.descriptionFr, en: r.descriptionEn },
    goalCents: r.goalCents, currency: r.currency as Currency, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString(), emergency: r.emergency,
    phase: campaignPhase({ startsAt: r.startsAt.getTime(), endsAt: r.endsAt.getTime() }, now),
    gifts: c.giftIds.flatMap((id) => (giftsById.has(id) ? [giftsById.get(id)!] : [])), progress,
  };
}

/**
 * GET /api/campaigns: published campaigns of approved NGOs, running or recently ended (emergencies first, then soonest end);
 * with `ngoId`, one NGO's only (its public page).
 */
export async function listPublicCampaigns(db: Db, now: number, opts: { ngoId?: string } = {}): Promise<PublicCampaign[]> {
  const rows = await db
    .select({ campaign: campaigns, ngoName: ngos.name })
    .from(campaigns)
    .innerJoin(ngos, eq(ngos.id, campaigns.ngoId))
    .where(and(
      visibleToPlayers, lte(campaigns.startsAt, new Date(now)), gte(campaigns.endsAt, new Date(now - RECENTLY_ENDED_MS)),
      opts.ngoId ? eq(campaigns.ngoId, opts.ngoId) : undefined,
    ))
    .orderBy(sql`${campaigns.emergency} desc`, asc(campaigns.endsAt));
  const listed = rows.filter((r) => isListed({ startsAt: r.campaign.startsAt.getTime(), endsAt: r.campaign.endsAt.getTime() }, now, RECENTLY_ENDED_MS));
  const giftIds = await giftIdsOf(db, listed.map((r) => r.campaign.id));
  const all = listed.map((r) => ({ ...r, giftIds: giftIds.get(r.campaign.id) ?? [] }));
  const giftsById = await publicGifts(db, [...new Set(all.flatMap((c) => c.giftIds))]);
  return Promise.all(all.map(async (c) => publicView(c, giftsById, await withMilestones(db, c.campaign.id, (await progressAndLeaderboard(db, c, now)).progress), now)));
}

/** GET /api/campaigns/:id: one visible campaign with its progress and leaderboard, or null. */
export async function publicCampaign(db: Db, campaignId: string, now: number): Promise<(PublicCampaign & { leaderboard: CampaignLeaderboard }) | null> {
  const c = await visibleCampaign(db, campaignId);
  if (!c) return null;
  const { progress, leaderboard } = await progressAndLeaderboard(db, c, now);
  return { ...publicView(c, await publicGifts(db, c.giftIds), await withMilestones(db, c.campaign.id, progress), now), leaderboard };
}

/** The emergency message of a visible campaign. */
export function emergencyMessageOf(c: CampaignWithGifts & { ngoName: string }): EmergencyMessage {
  const r = c.campaign;
  return { campaignId: r.id, ngoName: c.ngoName, title: { fr: r.titleFr, en: r.titleEn }, giftIds: c.giftIds, endsAt: r.endsAt.toISOString() };
}

/**
 * Emergency campaigns running now (published, approved NGO that can take payments, so its gifts are
 * in the shop): what a player joining a village is told.
 */
export async function runningEmergencies(db: Db, now: number): Promise<EmergencyMessage[]> {
  const at = new Date(now);
  const rows = await db
    .select({ campaign: campaigns, ngoName: ngos.name })
    .from(campaigns)
    .innerJoin(ngos, eq(ngos.id, campaigns.ngoId))
    .where(and(visibleToPlayers, ngoCanTakePayments, eq(campaigns.emergency, true), lte(campaigns.startsAt, at), gt(campaigns.endsAt, at)))
    .orderBy(asc(campaigns.endsAt));
  if (rows.length === 0) return [];
  const giftIds = await giftIdsOf(db, rows.map((r) => r.campaign.id));
  return rows.map((r) => emergencyMessageOf({ ...r, giftIds: giftIds.get(r.campaign.id) ?? [] }));
}
