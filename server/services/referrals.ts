/**
 * Referrals: a player's share code, the referral a checkout came with, and
 * the counts shown to the sharer (per campaign) and to the NGO (per campaign
 * and channel). Attribution itself is done by the database when an order
 * becomes paid (migration 0017, trigger hameau_attribute_referral), in the
 * fulfilment's own transaction. Nobody is ever shown who gave: counts only.
 *
 * Counted: an attribution whose order is still paid and neither fully
 * refunded nor lost in a dispute (a partial refund keeps it counted).
 */
import { randomInt } from "node:crypto";
import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { MyReferralsResponse, NgoReferralsResponse, ReferralTotals } from "../../shared/referrals.ts";
import type { Referral, ShareChannel } from "../../shared/share.ts";
import type { Currency } from "../../shared/money.ts";
import type { Db, Tx } from "../db/connect.ts";
import { campaigns, orderReferrals, orders, players, referralAttributions, referralCodes } from "../db/schema.ts";
import { isUniqueViolation } from "../db/unique-violation.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** 10 characters of 62: about 8×10^17 codes, random (crypto), never derived from an id. */
export const CODE_LENGTH = 10;

export function newReferralCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** The player's code, made the first time (stable afterwards). */
export async function referralCodeOf(db: Db, playerId: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [found] = await db.select({ code: referralCodes.code }).from(referralCodes).where(eq(referralCodes.playerId, playerId));
    if (found) return found.code;
    try {
      const [made] = await db.insert(referralCodes).values({ playerId, code: newReferralCode() }).onConflictDoNothing({ target: referralCodes.playerId })
        .returning({ code: referralCodes.code });
      if (made) return made.code;
    } catch (err) {
      // Two players drew the same code (or a concurrent first share): draw again.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw new Error(`no referral code could be made for ${playerId}`);
}

/**
 * Keeps the referral of a pending order, in the checkout's transaction, when its code belongs to a
 * player (an unknown code is ignored). Whether it counts is decided when the order is paid.
 */
export async function recordOrderReferral(tx: Tx, orderId: string, referral: Referral | null | undefined): Promise<void> {
  if (!referral) return;
  const [owner] = await tx.select({ playerId: referralCodes.playerId }).from(referralCodes).where(eq(referralCodes.code, referral.code));
  if (!owner) return;
  await tx.insert(orderReferrals).values({ orderId, sharerId: owner.playerId, channel: referral.channel }).onConflictDoNothing();
}

/** Attributions that still count: their order paid, not fully refunded, not lost in a dispute. */
const counted = and(
  eq(orders.status, "paid"),
  sql`${orders.refundedCents} < ${orders.totalCents}`,
  sql`${orders.disputeStatus} is distinct from 'lost'`,
);

export async function myReferrals(db: Db, playerId: string): Promise<MyReferralsResponse> {
  const [me] = await db.select({ enabled: players.shareReferrals }).from(players).where(eq(players.id, playerId));
  const enabled = me?.enabled ?? false;
  const rows = await db
    .select({
      campaignId: referralAttributions.campaignId, titleFr: campaigns.titleFr, titleEn: campaigns.titleEn,
      gifts: sql<number>`sum(${referralAttributions.gifts})::int`, donations: sql<number>`count(*)::int`,
    })
    .from(referralAttributions)
    .innerJoin(orders, eq(orders.id, referralAttributions.orderId))
    .innerJoin(campaigns, eq(campaigns.id, referralAttributions.campaignId))
    .where(and(eq(referralAttributions.sharerId, playerId), counted))
    .groupBy(referralAttributions.campaignId, campaigns.titleFr, campaigns.titleEn)
    .orderBy(asc(campaigns.titleEn));
  const list = rows.map((r) => ({ campaignId: r.campaignId, title: { fr: r.titleFr, en: r.titleEn }, gifts: Number(r.gifts), donations: Number(r.donations) }));
  return {
    code: enabled ? await referralCodeOf(db, playerId) : null,
    enabled,
    campaigns: list,
    totalGifts: list.reduce((n, c) => n + c.gifts, 0),
  };
}

/** Every campaign of the NGO (published), with its referral totals overall and per channel. */
export async function ngoReferrals(db: Db, ngoId: string): Promise<NgoReferralsResponse> {
  const list = await db
    .select({ id: campaigns.id, titleFr: campaigns.titleFr, titleEn: campaigns.titleEn, currency: campaigns.currency })
    .from(campaigns)
    .where(and(eq(campaigns.ngoId, ngoId), isNotNull(campaigns.publishedAt)))
    .orderBy(asc(campaigns.startsAt), asc(campaigns.id));
  const rows = await db
    .select({
      campaignId: referralAttributions.campaignId, channel: referralAttributions.channel,
      donations: sql<number>`count(*)::int`, gifts: sql<number>`sum(${referralAttributions.gifts})::int`,
      raisedCents: sql<number>`sum(${referralAttributions.raisedCents})::int`,
    })
    .from(referralAttributions)
    .innerJoin(orders, eq(orders.id, referralAttributions.orderId))
    .innerJoin(campaigns, eq(campaigns.id, referralAttributions.campaignId))
    .where(and(eq(campaigns.ngoId, ngoId), counted))
    .groupBy(referralAttributions.campaignId, referralAttributions.channel)
    .orderBy(asc(referralAttributions.channel));
  const zero = (): ReferralTotals => ({ donations: 0, gifts: 0, raisedCents: 0 });
  return {
    campaigns: list.map((c) => {
      const channels = rows
        .filter((r) => r.campaignId === c.id)
        .map((r) => ({ channel: r.channel as ShareChannel, donations: Number(r.donations), gifts: Number(r.gifts), raisedCents: Number(r.raisedCents) }));
      const total = channels.reduce((t, ch) => ({ donations: t.donations + ch.donations, gifts: t.gifts + ch.gifts, raisedCents: t.raisedCents + ch.raisedCents }), zero());
      return { campaignId: c.id, title: { fr: c.titleFr, en: c.titleEn }, currency: c.currency as Currency, ...total, channels };
    }),
  };
}

/** The sharers an order was just attributed to (for the live push after commit). */
export async function sharersOfOrder(db: Db, orderId: string): Promise<Array<{ sharerId: string; campaignId: string }>> {
  const rows = await db
    .select({ sharerId: referralAttributions.sharerId, campaignId: referralAttributions.campaignId })
    .from(referralAttributions)
    .where(and(eq(referralAttributions.orderId, orderId), isNotNull(referralAttributions.sharerId)));
  return rows.map((r) => ({ sharerId: r.sharerId!, campaignId: r.campaignId }));
}

/** For the data export: my code, if made, and my counts per campaign (counted attributions only). */
export async function referralsExport(db: Db, playerId: string): Promise<{ code: string | null; campaigns: Array<{ campaignId: string; gifts: number; donations: number }> }> {
  const [own] = await db.select({ code: referralCodes.code }).from(referralCodes).where(eq(referralCodes.playerId, playerId));
  const rows = await db
    .select({ campaignId: referralAttributions.campaignId, gifts: sql<number>`sum(${referralAttributions.gifts})::int`, donations: sql<number>`count(*)::int` })
    .from(referralAttributions)
    .innerJoin(orders, eq(orders.id, referralAttributions.orderId))
    .where(and(eq(referralAttributions.sharerId, playerId), counted))
    .groupBy(referralAttributions.campaignId)
    .orderBy(asc(referralAttributions.campaignId));
  return { code: own?.code ?? null, campaigns: rows.map((r) => ({ campaignId: r.campaignId, gifts: Number(r.gifts), donations: Number(r.donations) })) };
}
