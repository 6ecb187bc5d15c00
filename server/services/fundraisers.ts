/**
 * Players' fundraisers: start one for a live campaign (accounts only), edit
 * and close one's own, the NGO hiding an abusive one, and the check a
 * checkout through a fundraiser passes before any order is written. Every
 * write is one transaction; a refusal writes nothing.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import { campaignPhase } from "../../shared/campaign-progress.ts";
import { type RuleError, refuse } from "../../shared/errors.ts";
import {
  type CreateFundraiserRequest, type MyFundraiser, type NgoFundraiser, type PublicFundraiser, type SignFacts, type UpdateFundraiserRequest,
  checkoutThrough, signOf,
} from "../../shared/fundraisers.ts";
import type { Db } from "../db/connect.ts";
import { campaigns, fundraisers, orders } from "../db/schema.ts";
import { isUniqueViolation } from "../db/unique-violation.ts";
import { visibleCampaign } from "./campaign-progress.ts";
import {
  type FundraiserFacts, fundraiserFacts, fundraisersOfPlayer, myViewOf, ngoViewOf, progressOfEach, publicViewOf, statusOf,
} from "./fundraiser-progress.ts";

type Created = z.output<typeof CreateFundraiserRequest>;
export type FundraiserResult<T> = { ok: true; value: T } | RuleError;

async function mine(db: Db, f: FundraiserFacts, now: number): Promise<MyFundraiser> {
  const progress = await progressOfEach(db, [f], now);
  return myViewOf(f, progress.get(f.row.id)!, now);
}

async function one(db: Db, id: string): Promise<FundraiserFacts | null> {
  const [f] = await fundraiserFacts(db, and(eq(fundraisers.id, id)));
  return f ?? null;
}

/**
 * Starts a fundraiser: the campaign must be one players see (published, approved NGO) and running;
 * one open fundraiser per player and campaign (409 fundraiser_exists).
 */
export async function createFundraiser(db: Db, playerId: string, input: Created, now: number): Promise<FundraiserResult<MyFundraiser>> {
  const campaign = await visibleCampaign(db, input.campaignId);
  if (!campaign) return refuse("not_found", "No such campaign");
  const c = campaign.campaign;
  if (campaignPhase({ startsAt: c.startsAt.getTime(), endsAt: c.endsAt.getTime() }, now) !== "running") {
    return refuse("campaign_ended", "This campaign is not running: a fundraiser needs a live campaign");
  }
  let id: string;
  try {
    const [row] = await db
      .insert(fundraisers)
      .values({
        playerId, campaignId: input.campaignId, title: input.title, message: input.message, goalCents: input.goalCents,
        listed: input.listed, showName: input.showName, createdAt: new Date(now), updatedAt: new Date(now),
      })
      .returning({ id: fundraisers.id });
    id = row!.id;
  } catch (err) {
    if (isUniqueViolation(err, /fundraisers_one_open/)) return refuse("fundraiser_exists", "You already have an open fundraiser for this campaign");
    throw err;
  }
  return { ok: true, value: await mine(db, (await one(db, id))!, now) };
}

/** Edits or closes one's own fundraiser (someone else's is 404); a closed one cannot change any more. */
export async function updateFundraiser(db: Db, playerId: string, id: string, patch: UpdateFundraiserRequest, now: number): Promise<FundraiserResult<MyFundraiser>> {
  const refused = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(fundraisers).where(and(eq(fundraisers.id, id), eq(fundraisers.playerId, playerId))).for("update");
    if (!row) return refuse("not_found", "No such fundraiser");
    if (row.closedAt) return refuse("fundraiser_closed", "This fundraiser is closed");
    const { closed, ...fields } = patch;
    await tx.update(fundraisers).set({ ...fields, updatedAt: new Date(now), ...(closed ? { closedAt: new Date(now) } : {}) }).where(eq(fundraisers.id, id));
    return null;
  });
  if (refused) return refused;
  return { ok: true, value: await mine(db, (await one(db, id))!, now) };
}

export async function myFundraisers(db: Db, playerId: string, now: number): Promise<MyFundraiser[]> {
  const list = await fundraisersOfPlayer(db, playerId);
  const progress = await progressOfEach(db, list, now);
  return list.map((f) => myViewOf(f, progress.get(f.row.id)!, now)).reverse();
}

/** GET /api/fundraisers/:id: null for a hidden one, a deleted owner's, or one of a campaign players cannot see. */
export async function publicFundraiser(db: Db, id: string, now: number): Promise<PublicFundraiser | null> {
  const f = await one(db, id);
  if (!f) return null;
  const progress = await progressOfEach(db, [f], now);
  return publicViewOf(f, progress.get(f.row.id)!, now);
}

/** GET /api/campaigns/:id/fundraisers: listed, not closed, not hidden, most raised first. */
export async function campaignFundraisers(db: Db, campaignId: string, now: number): Promise<PublicFundraiser[] | null> {
  if (!(await visibleCampaign(db, campaignId))) return null;
  const list = await fundraiserFacts(db, and(eq(fundraisers.campaignId, campaignId), eq(fundraisers.listed, true), isNull(fundraisers.closedAt), isNull(fundraisers.hiddenAt)));
  const progress = await progressOfEach(db, list, now);
  return list
    .flatMap((f) => {
      const v = publicViewOf(f, progress.get(f.row.id)!, now);
      return v ? [v] : [];
    })
    .sort((a, b) => b.progress.raisedCents - a.progress.raisedCents || a.createdAt.localeCompare(b.createdAt));
}

/** The console: every fundraiser of one of this NGO's campaigns (another NGO's campaign: null, a 404). */
export async function ngoFundraisers(db: Db, ngoId: string, campaignId: string, now: number): Promise<NgoFundraiser[] | null> {
  const [c] = await db.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.id, campaignId), eq(campaigns.ngoId, ngoId)));
  if (!c) return null;
  const list = await fundraiserFacts(db, and(eq(fundraisers.campaignId, campaignId)));
  const progress = await progressOfEach(db, list, now);
  return list.map((f) => ngoViewOf(f, progress.get(f.row.id)!, now));
}

/** An NGO editor hides (or shows again) a fundraiser of one of its campaigns; another NGO's is 404. */
export async function moderateFundraiser(
  db: Db, ngoId: string, id: string, hidden: boolean, by: string, now: number,
): Promise<FundraiserResult<{ view: NgoFundraiser; ownerId: string }>> {
  const f = await one(db, id);
  if (!f || f.campaign.campaign.ngoId !== ngoId) return refuse("not_found", "No such fundraiser");
  await db.update(fundraisers).set(hidden ? { hiddenAt: new Date(now), hiddenBy: by } : { hiddenAt: null, hiddenBy: null }).where(eq(fundraisers.id, id));
  const after = (await one(db, id))!;
  const progress = await progressOfEach(db, [after], now);
  return { ok: true, value: { view: ngoViewOf(after, progress.get(id)!, now), ownerId: after.row.playerId } };
}

/**
 * Before a checkout through a fundraiser writes anything: it must exist, be active (not closed,
 * hidden, its campaign running and visible, its owner not gone), and the basket must hold at
 * least one of its campaign's gifts. Only those lines will count for it.
 */
export async function checkFundraiserForCheckout(db: Db, id: string, lineGiftIds: readonly string[], now: number): Promise<RuleError | null> {
  const f = await one(db, id);
  if (!f || !f.campaignVisible || f.ownerDeleted) return refuse("fundraiser_closed", "This fundraiser does not take gifts");
  const check = checkoutThrough({ status: statusOf(f, now), campaignGiftIds: f.campaign.giftIds }, lineGiftIds);
  if (check.ok) return null;
  return check.code === "fundraiser_closed"
    ? refuse("fundraiser_closed", "This fundraiser does not take gifts any more")
    : refuse("fundraiser_campaign_mismatch", "None of these gifts is one of this fundraiser's campaign");
}

/** What the owner's village sign shows: their newest active fundraiser, or null (no sign). */
export async function signOfPlayer(db: Db, playerId: string, now: number): Promise<SignFacts | null> {
  const list = (await fundraisersOfPlayer(db, playerId)).filter((f) => f.campaignVisible && !f.ownerDeleted);
  const best = signOf(list.map((f) => ({ f, status: statusOf(f, now), createdAt: f.row.createdAt.getTime() })));
  if (!best) return null;
  const progress = (await progressOfEach(db, [best.f], now)).get(best.f.row.id)!;
  return {
    id: best.f.row.id, title: best.f.row.title, raisedCents: progress.raisedCents, goalCents: best.f.row.goalCents,
    donors: progress.donors, percent: progress.percent, currency: best.f.campaign.campaign.currency as SignFacts["currency"],
  };
}

/** Whose sign an order moves: the owner of the fundraiser it was given through, or null. */
export async function fundraiserOwnerOfOrder(db: Db, orderId: string): Promise<string | null> {
  const [row] = await db
    .select({ ownerId: fundraisers.playerId })
    .from(orders)
    .innerJoin(fundraisers, eq(fundraisers.id, orders.fundraiserId))
    .where(eq(orders.id, orderId));
  return row?.ownerId ?? null;
}
