/**
 * Matching pledges as an NGO's members record them on a campaign (console),
 * and as progress shows them (public). A write runs in one transaction after
 * the request was validated (shared/matching.ts) and the campaign checked to
 * be this NGO's; a refusal writes nothing. Recording a pledge books the
 * sponsor's promise on memo accounts (server/payments/matching.ts).
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { byCreation, pledgeLeft } from "../../shared/matching-rule.ts";
import { type CreatePledgeRequest, type OrderMatch, PLEDGES_PER_CAMPAIGN_MAX, type PledgeProgress, type PledgeView } from "../../shared/matching.ts";
import { refuse } from "../../shared/errors.ts";
import type { Db, Tx } from "../db/connect.ts";
import { campaignPledges, campaigns, pledgeMatches } from "../db/schema.ts";
import { bookPledge } from "../payments/matching.ts";
import type { CampaignRefusal, CampaignResult } from "./campaigns.ts";

export type PledgeRow = typeof campaignPledges.$inferSelect;
type Created = Omit<CreatePledgeRequest, "startsAt" | "endsAt"> & { startsAt?: Date; endsAt?: Date };

export function pledgeView(p: PledgeRow, now: number): PledgeView {
  return {
    id: p.id, campaignId: p.campaignId, sponsor: p.sponsorName, ratioPercent: p.ratioPercent, capCents: p.capCents, matchedCents: p.matchedCents,
    leftCents: pledgeLeft(rule(p), now), startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString(), status: p.status, createdAt: p.createdAt.toISOString(),
  };
}

const rule = (p: PledgeRow) => ({
  id: p.id, status: p.status, startsAt: p.startsAt.getTime(), endsAt: p.endsAt.getTime(), capCents: p.capCents, matchedCents: p.matchedCents,
  ratioPercent: p.ratioPercent, createdAt: p.createdAt.getTime(),
});

const ordered = (rows: PledgeRow[]) => {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return byCreation(rows.map(rule)).map((p) => byId.get(p.id)!);
};

export async function campaignPledgeRows(db: Db, campaignIds: readonly string[]): Promise<Map<string, PledgeRow[]>> {
  const out = new Map<string, PledgeRow[]>(campaignIds.map((id) => [id, []]));
  if (campaignIds.length === 0) return out;
  const rows = await db.select().from(campaignPledges).where(inArray(campaignPledges.campaignId, [...campaignIds])).orderBy(asc(campaignPledges.createdAt), asc(campaignPledges.id));
  for (const r of rows) out.get(r.campaignId)?.push(r);
  for (const [id, list] of out) out.set(id, ordered(list));
  return out;
}

/** What a campaign's progress says of its pledges: nothing when it has none (players never see a cancelled one). */
export function pledgeProgress(rows: readonly PledgeRow[], now: number): { matchedCents: number; pledges: PledgeProgress[] } | null {
  const shown = rows.filter((p) => p.status !== "cancelled");
  if (shown.length === 0) return null;
  return {
    matchedCents: rows.reduce((s, p) => s + p.matchedCents, 0),
    pledges: shown.map((p) => ({
      id: p.id, sponsor: p.sponsorName, ratioPercent: p.ratioPercent, capCents: p.capCents, matchedCents: p.matchedCents,
      leftCents: pledgeLeft(rule(p), now), startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString(),
    })),
  };
}

/** The sponsors' matches of these orders (only those still matching something), per order, in the order pledges apply. */
export async function matchesOfOrders(db: Db | Tx, orderIds: readonly string[]): Promise<Map<string, OrderMatch[]>> {
  const out = new Map<string, OrderMatch[]>();
  if (orderIds.length === 0) return out;
  const rows = await db
    .select({ orderId: pledgeMatches.orderId, sponsor: campaignPledges.sponsorName, ratioPercent: campaignPledges.ratioPercent, matchedCents: pledgeMatches.matchedCents, ngoId: campaignPledges.ngoId })
    .from(pledgeMatches)
    .innerJoin(campaignPledges, eq(campaignPledges.id, pledgeMatches.pledgeId))
    .where(and(inArray(pledgeMatches.orderId, [...orderIds]), sql`${pledgeMatches.matchedCents} > 0`))
    .orderBy(asc(campaignPledges.createdAt), asc(campaignPledges.id));
  for (const { orderId, ...m } of rows) out.set(orderId, [...(out.get(orderId) ?? []), m]);
  return out;
}

function fieldError(field: string, message: string): CampaignRefusal {
  return { ...refuse("bad_request", `Invalid request body: ${field}: ${message}`), fields: { [field]: message } };
}

/**
 * Records a pledge. Its window defaults to the campaign's period; it must overlap the campaign's
 * period and not be over. A campaign already over takes no pledge.
 */
export async function createPledge(db: Db, ngoId: string, campaignId: string, by: string, input: Created, now: number): Promise<CampaignResult<PledgeRow>> {
  return db.transaction(async (tx) => {
    // The campaign's lock makes the count of its pledges exact under concurrent requests.
    const [c] = await tx.select().from(campaigns).where(and(eq(campaigns.id, campaignId), eq(campaigns.ngoId, ngoId))).for("update");
    if (!c) return refuse("not_found", "No such campaign");
    if (c.endsAt.getTime() <= now) return refuse("campaign_ended", "This campaign is already over");
    const startsAt = input.startsAt ?? c.startsAt;
    const endsAt = input.endsAt ?? c.endsAt;
    if (endsAt <= startsAt) return fieldError(input.endsAt ? "endsAt" : "startsAt", "endsAt must be after startsAt");
    if (endsAt.getTime() <= now) return fieldError("endsAt", "endsAt is already past");
    if (startsAt >= c.endsAt) return fieldError("startsAt", "the pledge must start before the campaign ends");
    if (endsAt <= c.startsAt) return fieldError("endsAt", "the pledge must end after the campaign starts");
    const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(campaignPledges).where(eq(campaignPledges.campaignId, campaignId));
    if ((n?.n ?? 0) >= PLEDGES_PER_CAMPAIGN_MAX) return refuse("pledge_limit", `A campaign has at most ${PLEDGES_PER_CAMPAIGN_MAX} pledges`);
    const [row] = await tx
      .insert(campaignPledges)
      .values({
        campaignId, ngoId, sponsorName: input.sponsorName, ratioPercent: input.ratioPercent, capCents: input.capCents, currency: c.currency,
        startsAt, endsAt, createdBy: by,
      })
      .returning();
    await bookPledge(tx, { id: row!.id, capCents: row!.capCents, currency: row!.currency });
    return { ok: true as const, value: row! };
  });
}

/**
 * Ends a pledge early: from now on it matches nothing more (what it matched stays the sponsor's
 * promise). One that has not started yet is cancelled instead. An ended one answers 409.
 */
export async function endPledge(db: Db, ngoId: string, campaignId: string, pledgeId: string, now: number): Promise<CampaignResult<PledgeRow>> {
  return db.transaction(async (tx) => {
    const [p] = await tx
      .select()
      .from(campaignPledges)
      .where(and(eq(campaignPledges.id, pledgeId), eq(campaignPledges.campaignId, campaignId), eq(campaignPledges.ngoId, ngoId)))
      .for("update");
    if (!p) return refuse("not_found", "No such pledge");
    if (p.status !== "active" || p.endsAt.getTime() <= now) return refuse("pledge_ended", "This pledge has already ended");
    const at = new Date(now);
    const started = p.startsAt.getTime() < now;
    const [row] = await tx
      .update(campaignPledges)
      .set(started ? { status: "ended", endsAt: at, endedAt: at } : { status: "cancelled", endedAt: at })
      .where(eq(campaignPledges.id, pledgeId))
      .returning();
    return { ok: true as const, value: row! };
  });
}
