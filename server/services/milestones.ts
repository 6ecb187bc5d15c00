/**
 * A campaign's milestones (shared/milestones.ts): read them, let its NGO set
 * them, and reach them. Reaching runs after a payment's fulfilment committed:
 * under the campaign's row lock, the milestones the progress got to are marked
 * reached (once: the lock and `reached_at` make a concurrent payment, in this
 * process or another, find them reached already). Then every village that gave
 * to the campaign gets the decoration of every reached milestone it lacks,
 * each in its own transaction under the village's lock, on the free tile
 * nearest the centre or in the barn when the village is full (the decoration
 * rule of server/services/farming.ts). The key (milestone, village) of
 * milestone_grants makes a second grant a no-op. A refund takes nothing back.
 */
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { countedLines, progressOf } from "../../shared/campaign-progress.ts";
import {
  DEFAULT_MILESTONES, type MilestoneInput, type MilestoneView, type StoredMilestone, checkMilestoneEdit, effectiveMilestones, isMilestoneSprite, milestoneView, newlyReached,
} from "../../shared/milestones.ts";
import { findFreeTiles } from "../../shared/village.ts";
import type { Db, Tx } from "../db/connect.ts";
import type { MilestoneReachedPayload } from "../../shared/notifications.ts";
import { campaignMilestones, campaigns, milestoneGrants, notifications, players, villageItems, villages } from "../db/schema.ts";
import { anyCampaign, progressLines, windowOf } from "./campaign-progress.ts";
import { lockVillage } from "./villages.ts";

type Reader = Db | Tx;

export async function storedMilestones(db: Reader, campaignId: string): Promise<StoredMilestone[]> {
  const rows = await db.select().from(campaignMilestones).where(eq(campaignMilestones.campaignId, campaignId)).orderBy(asc(campaignMilestones.percent));
  return rows.map((r) => ({
    id: r.id, percent: r.percent, titleFr: r.titleFr, titleEn: r.titleEn, sprite: isMilestoneSprite(r.sprite) ? r.sprite : "flower-bed", reachedAt: r.reachedAt,
  }));
}

/** The milestones players and the console see: the campaign's own, or the defaults. */
export async function milestoneViews(db: Reader, campaignId: string): Promise<MilestoneView[]> {
  return effectiveMilestones(await storedMilestones(db, campaignId)).map(milestoneView);
}

export type MilestoneEditResult = { ok: true; milestones: MilestoneView[] } | { ok: false; status: number; code: "not_found" | "bad_request"; message: string; fields?: Record<string, string> };

/**
 * Replaces the campaign's milestones not reached yet with `wanted` (an empty list: the defaults,
 * unless some were reached). One transaction under the campaign's lock, so it cannot race a
 * payment reaching one.
 */
export async function setMilestones(db: Db, ngoId: string, campaignId: string, wanted: readonly MilestoneInput[]): Promise<MilestoneEditResult> {
  return db.transaction(async (tx) => {
    const [c] = await tx.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.id, campaignId), eq(campaigns.ngoId, ngoId))).for("update");
    if (!c) return { ok: false as const, status: 404, code: "not_found" as const, message: "No such campaign" };
    const stored = await storedMilestones(tx, campaignId);
    const checked = checkMilestoneEdit(stored, wanted);
    if (!checked.ok) {
      return { ok: false as const, status: 400, code: "bad_request" as const, message: `Invalid request body: ${checked.field}: ${checked.message}`, fields: { [checked.field]: checked.message } };
    }
    await tx.delete(campaignMilestones).where(and(eq(campaignMilestones.campaignId, campaignId), isNull(campaignMilestones.reachedAt)));
    if (checked.write.length > 0) {
      await tx.insert(campaignMilestones).values(checked.write.map((m) => ({ campaignId, percent: m.percent, titleFr: m.titleFr, titleEn: m.titleEn, sprite: m.sprite })));
    }
    return { ok: true as const, milestones: effectiveMilestones(await storedMilestones(tx, campaignId)).map(milestoneView) };
  });
}

export interface ReachedMilestone {
  milestoneId: string;
  percent: number;
  titleFr: string;
  titleEn: string;
  sprite: string;
}

/**
 * After a payment for one of the campaign's gifts committed: marks the milestones its progress got
 * to as reached (those this call reached are returned: exactly one caller reaches each), then gives
 * every giver's village the decorations of all reached milestones it lacks. Answers what was reached
 * now and which villages got which new items.
 */
export interface MilestoneGrant {
  villageId: string;
  playerId: string;
  itemIds: string[];
  milestoneIds: string[];
  /** The milestone_reached notification stored with the grant. */
  notificationId: string;
}

export async function reachMilestones(db: Db, campaignId: string, now: number): Promise<{ reached: ReachedMilestone[]; granted: MilestoneGrant[] }> {
  const reached = await db.transaction(async (tx) => {
    const [locked] = await tx.select({ id: campaigns.id, publishedAt: campaigns.publishedAt }).from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
    if (!locked?.publishedAt) return [];
    const found = await anyCampaign(tx as unknown as Db, campaignId);
    if (!found) return [];
    const progress = progressOf(countedLines(await progressLines(tx as unknown as Db, found), windowOf(found), now), found.campaign.goalCents);
    let stored = await storedMilestones(tx, campaignId);
    if (stored.length === 0) {
      // The defaults are written on first use, so that "reached" has a row to live in.
      await tx.insert(campaignMilestones).values(DEFAULT_MILESTONES.map((m) => ({ campaignId, ...m }))).onConflictDoNothing();
      stored = await storedMilestones(tx, campaignId);
    }
    const due = newlyReached(stored, progress.percent);
    if (due.length === 0) return [];
    await tx.update(campaignMilestones).set({ reachedAt: new Date(now) }).where(and(inArray(campaignMilestones.id, due.map((m) => m.id)), isNull(campaignMilestones.reachedAt)));
    return due.map((m) => ({ milestoneId: m.id, percent: m.percent, titleFr: m.titleFr, titleEn: m.titleEn, sprite: m.sprite }));
  });
  const granted = await grantReached(db, campaignId, now);
  return { reached, granted };
}

/** Gives each giver's village (accounts not deleted) the decorations of the campaign's reached milestones it lacks. */
async function grantReached(db: Db, campaignId: string, now: number) {
  const reached = (await storedMilestones(db, campaignId)).filter((m) => m.reachedAt !== null);
  if (reached.length === 0) return [];
  const found = await anyCampaign(db, campaignId);
  if (!found) return [];
  const givers = new Set(countedLines(await progressLines(db, found), windowOf(found), now).filter((c) => c.units > 0 || c.cents > 0).map((c) => c.line.donorId));
  if (givers.size === 0) return [];
  const owned = await db
    .select({ villageId: villages.id, playerId: villages.ownerId })
    .from(villages)
    .innerJoin(players, eq(players.id, villages.ownerId))
    .where(and(inArray(villages.ownerId, [...givers]), isNull(players.deletedAt)))
    .orderBy(asc(villages.id));
  const have = await db
    .select({ milestoneId: milestoneGrants.milestoneId, villageId: milestoneGrants.villageId })
    .from(milestoneGrants)
    .where(inArray(milestoneGrants.milestoneId, reached.map((m) => m.id)));
  const got = new Set(have.map((h) => `${h.milestoneId}/${h.villageId}`));
  const out: MilestoneGrant[] = [];
  for (const v of owned) {
    const missing = reached.filter((m) => !got.has(`${m.id}/${v.villageId}`));
    if (missing.length === 0) continue;
    const done = await grantToVillage(db, { ...v, campaign: found.campaign }, missing);
    if (done) out.push({ ...v, ...done });
  }
  return out;
}

/**
 * One village's new milestone decorations, under its lock: free tiles nearest the centre, then the
 * barn; and, in the same transaction, one notification for its owner naming them.
 */
async function grantToVillage(
  db: Db,
  to: { villageId: string; playerId: string; campaign: { id: string; titleFr: string; titleEn: string } },
  milestones: readonly StoredMilestone[],
): Promise<{ itemIds: string[]; milestoneIds: string[]; notificationId: string } | null> {
  const { villageId } = to;
  return db.transaction(async (tx) => {
    if (!(await lockVillage(tx, villageId))) return null;
    const placed = await tx.select({ id: villageItems.id, x: villageItems.x, y: villageItems.y }).from(villageItems)
      .where(and(eq(villageItems.villageId, villageId), isNull(villageItems.removedAt)));
    const itemIds: string[] = [];
    const milestoneIds: string[] = [];
    const given: StoredMilestone[] = [];
    for (const m of milestones) {
      const [already] = await tx.select({ itemId: milestoneGrants.itemId }).from(milestoneGrants).where(and(eq(milestoneGrants.milestoneId, m.id), eq(milestoneGrants.villageId, villageId)));
      if (already) continue;
      const tile = findFreeTiles(placed, 1)[0] ?? null;
      const [item] = await tx
        .insert(villageItems)
        .values({ villageId, decorationId: `milestone:${m.id}`, sprite: m.sprite, x: tile?.x ?? null, y: tile?.y ?? null })
        .returning({ id: villageItems.id });
      await tx.insert(milestoneGrants).values({ milestoneId: m.id, villageId, itemId: item!.id });
      if (tile) placed.push({ id: item!.id, ...tile });
      itemIds.push(item!.id);
      milestoneIds.push(m.id);
      given.push(m);
    }
    if (itemIds.length === 0) return null;
    const payload: MilestoneReachedPayload = {
      campaign: { id: to.campaign.id, title: { fr: to.campaign.titleFr, en: to.campaign.titleEn } },
      milestones: given.map((m) => ({ id: m.id, percent: m.percent, title: { fr: m.titleFr, en: m.titleEn }, sprite: m.sprite })),
      itemIds,
    };
    const [told] = await tx.insert(notifications).values({ playerId: to.playerId, kind: "milestone_reached", payload }).returning({ id: notifications.id });
    return { itemIds, milestoneIds, notificationId: told!.id };
  });
}
