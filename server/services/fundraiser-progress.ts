/**
 * Reading fundraisers with their progress. A fundraiser's progress is its
 * campaign's counted lines (services/campaign-progress.ts, the same refund and
 * dispute rules) restricted to the paid orders that carry its id
 * (shared/fundraisers.ts fundraiserProgress). Nothing is stored.
 */
import { and, eq, inArray } from "drizzle-orm";
import { campaignPhase, countedLines } from "../../shared/campaign-progress.ts";
import {
  type FundraiserProgress, type FundraiserStatus, type MyFundraiser, type NgoFundraiser, type PublicFundraiser, fundraiserProgress, fundraiserStatus,
} from "../../shared/fundraisers.ts";
import type { Currency } from "../../shared/money.ts";
import type { Db, Tx } from "../db/connect.ts";
import { campaigns, fundraisers, gifts, ngos, orders, players } from "../db/schema.ts";
import { type CampaignWithGifts, giftIdsOf, progressLines, windowOf } from "./campaign-progress.ts";

export type FundraiserRow = typeof fundraisers.$inferSelect;

/** A fundraiser with what its views need: its campaign (and gifts), NGO and owner. */
export interface FundraiserFacts {
  row: FundraiserRow;
  campaign: CampaignWithGifts;
  ngoName: string;
  /** Players may see the campaign: published, of an approved NGO. */
  campaignVisible: boolean;
  ownerName: string;
  ownerDeleted: boolean;
}

/** Reads fundraisers by a condition, with their campaign, NGO and owner. */
export async function fundraiserFacts(db: Db | Tx, where: ReturnType<typeof and>): Promise<FundraiserFacts[]> {
  const rows = await db
    .select({ row: fundraisers, campaign: campaigns, ngoName: ngos.name, ngoStatus: ngos.status, ownerName: players.displayName, ownerDeletedAt: players.deletedAt })
    .from(fundraisers)
    .innerJoin(campaigns, eq(campaigns.id, fundraisers.campaignId))
    .innerJoin(ngos, eq(ngos.id, campaigns.ngoId))
    .innerJoin(players, eq(players.id, fundraisers.playerId))
    .where(where)
    .orderBy(fundraisers.createdAt, fundraisers.id);
  const giftIds = await giftIdsOf(db as Db, [...new Set(rows.map((r) => r.campaign.id))]);
  return rows.map((r) => ({
    row: r.row, campaign: { campaign: r.campaign, giftIds: giftIds.get(r.campaign.id) ?? [] }, ngoName: r.ngoName,
    campaignVisible: r.campaign.publishedAt !== null && r.ngoStatus === "approved", ownerName: r.ownerName, ownerDeleted: r.ownerDeletedAt !== null,
  }));
}

export function statusOf(f: FundraiserFacts, now: number): FundraiserStatus {
  const c = f.campaign.campaign;
  return fundraiserStatus(
    { closedAt: f.row.closedAt?.getTime() ?? null, hiddenAt: f.row.hiddenAt?.getTime() ?? null },
    campaignPhase({ startsAt: c.startsAt.getTime(), endsAt: c.endsAt.getTime() }, now),
  );
}

/** Each fundraiser's progress: one read of its campaign's lines per campaign, one of the fundraisers' paid orders. */
export async function progressOfEach(db: Db, list: readonly FundraiserFacts[], now: number): Promise<Map<string, FundraiserProgress>> {
  const out = new Map<string, FundraiserProgress>();
  if (list.length === 0) return out;
  const paid = await db
    .select({ orderId: orders.id, fundraiserId: orders.fundraiserId })
    .from(orders)
    .where(and(inArray(orders.fundraiserId, list.map((f) => f.row.id)), eq(orders.status, "paid")));
  const ordersOf = new Map<string, Set<string>>(list.map((f) => [f.row.id, new Set<string>()]));
  for (const o of paid) if (o.fundraiserId) ordersOf.get(o.fundraiserId)?.add(o.orderId);
  const byCampaign = new Map<string, FundraiserFacts[]>();
  for (const f of list) byCampaign.set(f.campaign.campaign.id, [...(byCampaign.get(f.campaign.campaign.id) ?? []), f]);
  for (const group of byCampaign.values()) {
    const campaign = group[0]!.campaign;
    const anyOrders = group.some((f) => ordersOf.get(f.row.id)!.size > 0);
    const counted = anyOrders ? countedLines(await progressLines(db, campaign), windowOf(campaign), now) : [];
    for (const f of group) out.set(f.row.id, fundraiserProgress(counted, ordersOf.get(f.row.id)!, f.row.goalCents));
  }
  return out;
}

function common(f: FundraiserFacts, progress: FundraiserProgress) {
  const c = f.campaign.campaign;
  return {
    id: f.row.id,
    campaign: { id: c.id, title: { fr: c.titleFr, en: c.titleEn }, ngoName: f.ngoName, giftIds: f.campaign.giftIds },
    title: f.row.title, message: f.row.message, goalCents: f.row.goalCents, currency: c.currency as Currency, progress,
    createdAt: f.row.createdAt.toISOString(),
  };
}

/** What anyone sees; null when it is not for the public (hidden, owner gone, campaign not visible). */
export function publicViewOf(f: FundraiserFacts, progress: FundraiserProgress, now: number): PublicFundraiser | null {
  const status = statusOf(f, now);
  if (status === "hidden" || f.ownerDeleted || !f.campaignVisible) return null;
  return { ...common(f, progress), status, ownerName: f.row.showName ? f.ownerName : null };
}

export function myViewOf(f: FundraiserFacts, progress: FundraiserProgress, now: number): MyFundraiser {
  return { ...common(f, progress), status: statusOf(f, now), listed: f.row.listed, showName: f.row.showName, ownerName: f.ownerName };
}

export function ngoViewOf(f: FundraiserFacts, progress: FundraiserProgress, now: number): NgoFundraiser {
  return {
    ...common(f, progress), status: statusOf(f, now), listed: f.row.listed,
    // The NGO sees the owner's name only when the owner chose to show it, like everyone else.
    ownerName: f.row.showName && !f.ownerDeleted ? f.ownerName : null,
  };
}

/** The player's fundraisers, each with its facts (any status). */
export function fundraisersOfPlayer(db: Db, playerId: string): Promise<FundraiserFacts[]> {
  return fundraiserFacts(db, and(eq(fundraisers.playerId, playerId)));
}

/** The sprites of these gifts, cheapest first (a fundraiser's share card shows its campaign's gifts). */
export async function giftSprites(db: Db, giftIds: readonly string[]): Promise<string[]> {
  if (giftIds.length === 0) return [];
  const rows = await db.select({ sprite: gifts.sprite }).from(gifts).where(inArray(gifts.id, [...giftIds])).orderBy(gifts.priceCents, gifts.id);
  return rows.map((r) => r.sprite);
}
