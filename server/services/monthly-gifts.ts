/**
 * The caller's monthly gifts for "My donations": each with its months paid
 * (its paid invoices, each an order of its own), its growth stage and the
 * village item that grows; and, for the village, the growth of every item
 * that is a monthly gift's.
 */
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { monthlyStage, type MonthlyGiftView } from "../../shared/monthly-gifts.ts";
import type { Db, Tx } from "../db/connect.ts";
import { gifts, monthlyGifts, ngos, orderLines, orders, projects, villageItems } from "../db/schema.ts";

export async function myMonthlyGifts(db: Db, playerId: string): Promise<MonthlyGiftView[]> {
  const rows = await db
    .select({ m: monthlyGifts, gift: { fr: gifts.nameFr, en: gifts.nameEn, sprite: gifts.sprite, price: gifts.priceCents }, project: { fr: projects.nameFr, en: projects.nameEn }, ngoName: ngos.name })
    .from(monthlyGifts)
    .innerJoin(gifts, eq(gifts.id, monthlyGifts.giftId))
    .innerJoin(projects, eq(projects.id, monthlyGifts.projectId))
    .innerJoin(ngos, eq(ngos.id, monthlyGifts.ngoId))
    .where(eq(monthlyGifts.playerId, playerId))
    .orderBy(desc(monthlyGifts.createdAt))
    .limit(100);
  const months = await monthsGiven(db, rows.map((r) => r.m.id));
  // A set-up never finished (its checkout left) is not shown once it is an hour old.
  const visible = rows.filter((r) => r.m.status !== "incomplete" || (months.get(r.m.id) ?? 0) > 0 || r.m.createdAt.getTime() > Date.now() - 3_600_000);
  const items = await itemsOf(db, visible.map((r) => r.m.id));
  return visible.map(({ m, gift, project, ngoName }) => {
    const n = months.get(m.id) ?? 0;
    return {
      id: m.id, giftId: m.giftId, giftName: { fr: gift.fr, en: gift.en }, projectName: project, ngoName, sprite: gift.sprite,
      amountCents: m.amountCents, minimumCents: gift.price, currency: m.currency, status: m.status, monthsGiven: n, stage: monthlyStage(n),
      nextInvoiceAt: m.status === "cancelled" ? null : m.nextInvoiceAt?.toISOString() ?? null, actionUrl: m.actionUrl,
      itemId: items.get(m.id) ?? null, testMode: m.provider === "test", createdAt: m.createdAt.toISOString(),
    };
  });
}

/** Paid months of each monthly gift (refunded ones still count as given months: the books keep them). */
export async function monthsGiven(db: Db | Tx, monthlyGiftIds: readonly string[]): Promise<Map<string, number>> {
  if (monthlyGiftIds.length === 0) return new Map();
  const rows = await db
    .select({ id: orders.monthlyGiftId, n: sql<number>`count(*)::int` })
    .from(orders)
    .where(and(inArray(orders.monthlyGiftId, [...monthlyGiftIds]), eq(orders.status, "paid")))
    .groupBy(orders.monthlyGiftId);
  return new Map(rows.map((r) => [r.id!, Number(r.n)]));
}

/** The village item standing for each monthly gift (granted with its first paid month). */
async function itemsOf(db: Db, monthlyGiftIds: readonly string[]): Promise<Map<string, string>> {
  if (monthlyGiftIds.length === 0) return new Map();
  const rows = await db
    .select({ monthlyGiftId: orders.monthlyGiftId, itemId: villageItems.id })
    .from(villageItems)
    .innerJoin(orderLines, eq(orderLines.id, villageItems.orderLineId))
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(inArray(orders.monthlyGiftId, [...monthlyGiftIds]), isNull(villageItems.removedAt)));
  return new Map(rows.map((r) => [r.monthlyGiftId!, r.itemId]));
}

/** For a village's items: the growth stage of those that are monthly gifts' (absent otherwise). */
export async function monthlyStagesOfItems(db: Db | Tx, itemIds: readonly string[]): Promise<Map<string, number>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db
    .select({ itemId: villageItems.id, monthlyGiftId: orders.monthlyGiftId })
    .from(villageItems)
    .innerJoin(orderLines, eq(orderLines.id, villageItems.orderLineId))
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(inArray(villageItems.id, [...itemIds]), sql`${orders.monthlyGiftId} is not null`));
  const months = await monthsGiven(db, rows.map((r) => r.monthlyGiftId!));
  return new Map(rows.map((r) => [r.itemId, monthlyStage(months.get(r.monthlyGiftId!) ?? 0)]));
}
