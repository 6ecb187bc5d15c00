/**
 * Everything Hameau holds about one player, as one JSON document
 * (shared/privacy.ts DataExport): their player row, account email, sessions,
 * village and its items, their orders (their own money), notifications,
 * donor profile, tax receipts issued to them, friends and requests both ways,
 * the blocks they made (never who blocked them) and their invite links.
 *
 * Never in it: the password hash, session and invite tokens or their hashes.
 * Columns are picked one by one, so a secret column added later stays out.
 */
import { asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Currency } from "../../shared/money.ts";
import { EXPORT_FORMAT, type DataExport, type ExportOrder, type ExportRelation, type ExportVillageItem } from "../../shared/privacy.ts";
import { referralsExport } from "./referrals.ts";
import { progressExport } from "./progression.ts";
import type { Db } from "../db/connect.ts";
import { thanksExport } from "./thanks.ts";
import {
  accounts, blocks, donorProfiles, friendInvites, friendLinks, fundraisers, gifts, ngos, notifications, orderLines, orders, players, projects, sessions,
  impactDigests, monthlyGifts, taxReceipts, villageItems, villages,
} from "../db/schema.ts";

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** The export of a player (not deleted), or null if there is none. `currentTokenHash` marks the session asking. */
export async function exportPlayerData(db: Db, playerId: string, currentTokenHash: string | null, now: Date): Promise<DataExport | null> {
  const [player] = await db
    .select({
      id: players.id, name: players.displayName, createdAt: players.createdAt, villageVisibility: players.villageVisibility,
      showPresence: players.showPresence, showOnLeaderboards: players.showOnLeaderboards, shareReferrals: players.shareReferrals,
      showAmountsOnLeaderboards: players.showAmountsOnLeaderboards, soundOn: players.soundOn, mailLocale: players.mailLocale, impactDigest: players.impactDigest, coins: players.coins, deletedAt: players.deletedAt,
    })
    .from(players)
    .where(eq(players.id, playerId));
  if (!player || player.deletedAt) return null;
  const [account] = await db.select({ email: accounts.email, createdAt: accounts.createdAt }).from(accounts).where(eq(accounts.playerId, playerId));
  const [village] = await db.select({ id: villages.id, name: villages.name, createdAt: villages.createdAt }).from(villages).where(eq(villages.ownerId, playerId));
  if (!village) throw new Error(`player ${playerId} has no village`);

  const [sessionRows, items, orderList, notes, donor, receipts, social, invites] = await Promise.all([
    db.select({ tokenHash: sessions.tokenHash, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt }).from(sessions)
      .where(eq(sessions.playerId, playerId)).orderBy(asc(sessions.createdAt)),
    villageItemsOf(db, village.id),
    ordersOf(db, playerId, village.id),
    db.select({ id: notifications.id, kind: notifications.kind, payload: notifications.payload, createdAt: notifications.createdAt, readAt: notifications.readAt })
      .from(notifications).where(eq(notifications.playerId, playerId)).orderBy(asc(notifications.createdAt), asc(notifications.id)),
    db.select().from(donorProfiles).where(eq(donorProfiles.playerId, playerId)),
    db.select({ id: taxReceipts.id, number: taxReceipts.number, year: taxReceipts.year, ngoId: ngos.id, ngoName: ngos.name, totalCents: taxReceipts.totalCents, issuedAt: taxReceipts.issuedAt })
      .from(taxReceipts).innerJoin(ngos, eq(ngos.id, taxReceipts.ngoId)).where(eq(taxReceipts.playerId, playerId)).orderBy(asc(taxReceipts.year), asc(taxReceipts.number)),
    relationsOf(db, playerId),
    db.select({ createdAt: friendInvites.createdAt, expiresAt: friendInvites.expiresAt, revokedAt: friendInvites.revokedAt }).from(friendInvites)
      .where(eq(friendInvites.inviterId, playerId)).orderBy(asc(friendInvites.createdAt)),
  ]);
  const profile = donor[0];
  return {
    format: EXPORT_FORMAT,
    exportedAt: iso(now),
    player: {
      id: player.id, name: player.name, createdAt: iso(player.createdAt),
      settings: { villageVisibility: player.villageVisibility, showPresence: player.showPresence, showOnLeaderboards: player.showOnLeaderboards, shareReferrals: player.shareReferrals,
        showAmountsOnLeaderboards: player.showAmountsOnLeaderboards, impactDigest: player.impactDigest,
      }, preferences: { soundOn: player.soundOn, mailLocale: player.mailLocale }, coins: player.coins,
    },
    account: account ? { email: account.email, createdAt: iso(account.createdAt) } : null,
    sessions: sessionRows.map((s) => ({ createdAt: iso(s.createdAt), expiresAt: iso(s.expiresAt), current: s.tokenHash === currentTokenHash })),
    village: { id: village.id, name: village.name, createdAt: iso(village.createdAt), items },
    orders: orderList,
    notifications: notes.map((n) => ({ id: n.id, kind: n.kind, payload: n.payload, createdAt: iso(n.createdAt), readAt: isoOrNull(n.readAt) })),
    donorProfile: profile
      ? {
          firstName: profile.firstName, lastName: profile.lastName, addressLines: profile.addressLines, postalCode: profile.postalCode,
          city: profile.city, country: profile.country, updatedAt: iso(profile.updatedAt),
        }
      : null,
    taxReceipts: receipts.map((r) => ({
      id: r.id, number: r.number, year: r.year, ngo: { id: r.ngoId, name: r.ngoName }, totalCents: r.totalCents, currency: "EUR", issuedAt: iso(r.issuedAt),
    })),
    ...social,
    invites: invites.map((i) => ({ createdAt: iso(i.createdAt), expiresAt: iso(i.expiresAt), revokedAt: isoOrNull(i.revokedAt) })),
    fundraisers: (await db.select().from(fundraisers).where(eq(fundraisers.playerId, playerId)).orderBy(asc(fundraisers.createdAt), asc(fundraisers.id))).map((f) => ({
      id: f.id, campaignId: f.campaignId, title: f.title, message: f.message, goalCents: f.goalCents, listed: f.listed, showName: f.showName,
      createdAt: iso(f.createdAt), closedAt: isoOrNull(f.closedAt), hiddenAt: isoOrNull(f.hiddenAt),
    })),
    referrals: await referralsExport(db, playerId),
    progress: await progressExport(db, playerId),
    thanksSent: await thanksExport(db, playerId),
    impactDigests: (await db.select().from(impactDigests).where(eq(impactDigests.playerId, playerId)).orderBy(asc(impactDigests.month))).map((d) => ({
      month: d.month, status: d.status, outcome: d.outcome, unsubscribedAt: isoOrNull(d.unsubscribedAt),
    })),
    monthlyGifts: (await db.select().from(monthlyGifts).where(eq(monthlyGifts.playerId, playerId)).orderBy(asc(monthlyGifts.createdAt), asc(monthlyGifts.id))).map((m) => ({
      id: m.id, giftId: m.giftId, ngoId: m.ngoId, projectId: m.projectId, amountCents: m.amountCents, currency: m.currency, status: m.status,
      provider: m.provider, createdAt: iso(m.createdAt), nextInvoiceAt: isoOrNull(m.nextInvoiceAt), cancelledAt: isoOrNull(m.cancelledAt),
    })),
  };
}

/** Every item of the village, the removed ones too (with why). */
async function villageItemsOf(db: Db, villageId: string): Promise<ExportVillageItem[]> {
  const rows = await db
    .select({
      id: villageItems.id, giftId: villageItems.giftId, decorationId: villageItems.decorationId, crop: villageItems.crop, sprite: villageItems.sprite,
      x: villageItems.x, y: villageItems.y, createdAt: villageItems.createdAt, removedAt: villageItems.removedAt, removalReason: villageItems.removalReason,
      orderId: orderLines.orderId,
    })
    .from(villageItems)
    .leftJoin(orderLines, eq(orderLines.id, villageItems.orderLineId))
    .where(eq(villageItems.villageId, villageId))
    .orderBy(asc(villageItems.createdAt), asc(villageItems.id));
  return rows.map((r) => ({
    id: r.id,
    kind: r.giftId ? "gift" : r.crop ? "crop" : r.decorationId ? "decoration" : "decor",
    sprite: r.sprite,
    tile: r.x !== null && r.y !== null ? { x: r.x, y: r.y } : null,
    createdAt: iso(r.createdAt),
    giftId: r.giftId,
    orderId: r.orderId,
    decorationId: r.decorationId,
    crop: r.crop ? { kind: r.crop.kind, plantedAt: r.crop.plantedAt, growthMs: r.crop.growthMs, waterings: r.crop.waterings.map((w) => ({ by: w.by, at: w.at })) } : null,
    removedAt: isoOrNull(r.removedAt),
    removalReason: r.removalReason,
  }));
}

/** The player's own orders, with their lines and what each line was (gift, NGO, project). */
async function ordersOf(db: Db, playerId: string, ownVillageId: string): Promise<ExportOrder[]> {
  const rows = await db.select().from(orders).where(eq(orders.playerId, playerId)).orderBy(asc(orders.createdAt), asc(orders.id));
  if (rows.length === 0) return [];
  const lines = await db
    .select({
      orderId: orderLines.orderId, giftId: orderLines.giftId, quantity: orderLines.quantity, unitPriceCents: orderLines.unitPriceCents,
      lineTotalCents: orderLines.lineTotalCents, giftFr: gifts.nameFr, giftEn: gifts.nameEn, ngoId: ngos.id, ngoName: ngos.name,
      projectId: projects.id, projectFr: projects.nameFr, projectEn: projects.nameEn,
    })
    .from(orderLines)
    .innerJoin(gifts, eq(gifts.id, orderLines.giftId))
    .innerJoin(ngos, eq(ngos.id, orderLines.ngoId))
    .innerJoin(projects, eq(projects.id, orderLines.projectId))
    .where(inArray(orderLines.orderId, rows.map((o) => o.id)))
    .orderBy(asc(orderLines.id));
  return rows.map((o) => ({
    id: o.id, status: o.status, villageId: o.villageId, toOwnVillage: o.villageId === ownVillageId, showGiverName: o.showGiverName,
    totalCents: o.totalCents, supportCents: o.supportCents, refundedCents: o.refundedCents, disputeStatus: o.disputeStatus,
    currency: o.currency as Currency, provider: o.provider, createdAt: iso(o.createdAt), paidAt: isoOrNull(o.paidAt),
    lines: lines.filter((l) => l.orderId === o.id).map((l) => ({
      giftId: l.giftId, gift: { fr: l.giftFr, en: l.giftEn }, ngo: { id: l.ngoId, name: l.ngoName },
      project: { id: l.projectId, name: { fr: l.projectFr, en: l.projectEn } },
      quantity: l.quantity, unitPriceCents: l.unitPriceCents, lineTotalCents: l.lineTotalCents,
    })),
  }));
}

/** Friends, requests both ways, and the blocks this player made. */
async function relationsOf(db: Db, playerId: string): Promise<Pick<DataExport, "friends" | "friendRequests" | "blocks">> {
  const other = sql`case when ${friendLinks.requesterId} = ${playerId} then ${friendLinks.addresseeId} else ${friendLinks.requesterId} end`;
  const links = await db
    .select({
      requesterId: friendLinks.requesterId, status: friendLinks.status, createdAt: friendLinks.createdAt, acceptedAt: friendLinks.acceptedAt,
      id: players.id, name: players.displayName,
    })
    .from(friendLinks)
    .innerJoin(players, sql`${players.id} = ${other}`)
    .where(or(eq(friendLinks.requesterId, playerId), eq(friendLinks.addresseeId, playerId)))
    .orderBy(asc(friendLinks.createdAt));
  const relation = (l: (typeof links)[number]): ExportRelation => ({ player: { id: l.id, name: l.name }, createdAt: iso(l.createdAt) });
  const blocked = await db
    .select({ id: players.id, name: players.displayName, createdAt: blocks.createdAt })
    .from(blocks)
    .innerJoin(players, eq(players.id, blocks.blockedId))
    .where(eq(blocks.blockerId, playerId))
    .orderBy(asc(blocks.createdAt));
  return {
    friends: links.filter((l) => l.status === "accepted").map((l) => ({ ...relation(l), acceptedAt: isoOrNull(l.acceptedAt) })),
    friendRequests: {
      incoming: links.filter((l) => l.status === "pending" && l.requesterId !== playerId).map(relation),
      outgoing: links.filter((l) => l.status === "pending" && l.requesterId === playerId).map(relation),
    },
    blocks: blocked.map((b) => ({ player: { id: b.id, name: b.name }, createdAt: iso(b.createdAt) })),
  };
}
