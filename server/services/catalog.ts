/**
 * The gift catalog as players see it, and as the checkout prices it. Players
 * see only gifts on sale (shared/gift-offer.ts): of an approved NGO whose
 * Stripe account can take payments (services/ngo-visibility.ts), active, not
 * retired, inside their window and not sold out.
 */
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { CatalogGift } from "../../shared/api.ts";
import type { PricedGift } from "../../shared/basket.ts";
import { CHECKOUT_VALIDITY_MS, giftState, holdAllowance, nextWindowChange, stockLeft } from "../../shared/gift-offer.ts";
import type { Currency } from "../../shared/money.ts";
import type { Db, Tx } from "../db/connect.ts";
import { accounts, gifts, ngos, orderLines, orders, projects } from "../db/schema.ts";
import { approvedNgo, ngoCanTakePayments } from "./ngo-visibility.ts";

type GiftRow = typeof gifts.$inferSelect;

export interface UnitCounts {
  /** Units in paid orders. */
  sold: number;
  /** Units in pending orders younger than CHECKOUT_VALIDITY_MS: checkouts still open. */
  held: number;
}

/**
 * Units sold and held per gift. Paid orders count however old (money received
 * is the truth); a pending order counts while its checkout can still be paid.
 * Expired and failed orders hold nothing.
 */
export async function unitCounts(db: Db | Tx, giftIds: readonly string[]): Promise<Map<string, UnitCounts>> {
  if (giftIds.length === 0) return new Map();
  const seconds = CHECKOUT_VALIDITY_MS / 1000;
  const rows = await db
    .select({
      giftId: orderLines.giftId,
      sold: sql<number>`coalesce(sum(${orderLines.quantity}) filter (where ${orders.status} = 'paid'), 0)::int`,
      held: sql<number>`coalesce(sum(${orderLines.quantity}) filter (where ${orders.status} = 'pending' and ${orders.createdAt} > now() - make_interval(secs => ${seconds})), 0)::int`,
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(inArray(orderLines.giftId, [...giftIds]))
    .groupBy(orderLines.giftId);
  return new Map(rows.map((r) => [r.giftId, { sold: Number(r.sold), held: Number(r.held) }]));
}

/**
 * What the hold rule needs besides sold and held (shared/gift-offer.ts holdAllowance): units in
 * guests' open checkouts, and in this buyer's.
 */
async function holdCounts(db: Db | Tx, giftIds: readonly string[], buyerId: string): Promise<Map<string, { heldByGuests: number; heldByBuyer: number }>> {
  if (giftIds.length === 0) return new Map();
  const seconds = CHECKOUT_VALIDITY_MS / 1000;
  const open = sql`${orders.status} = 'pending' and ${orders.createdAt} > now() - make_interval(secs => ${seconds})`;
  const rows = await db
    .select({
      giftId: orderLines.giftId,
      heldByGuests: sql<number>`coalesce(sum(${orderLines.quantity}) filter (where ${open} and not exists (select 1 from ${accounts} where ${accounts.playerId} = ${orders.playerId})), 0)::int`,
      heldByBuyer: sql<number>`coalesce(sum(${orderLines.quantity}) filter (where ${open} and ${orders.playerId} = ${buyerId}), 0)::int`,
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(inArray(orderLines.giftId, [...giftIds]))
    .groupBy(orderLines.giftId);
  return new Map(rows.map((r) => [r.giftId, { heldByGuests: Number(r.heldByGuests), heldByBuyer: Number(r.heldByBuyer) }]));
}

const taken = (counts: Map<string, UnitCounts>, id: string) => (counts.get(id)?.sold ?? 0) + (counts.get(id)?.held ?? 0);

/** Whether a gift is on sale now, and how many units are left, from its row. */
function offer(gift: GiftRow, ngo: { status: string; chargesEnabled: boolean }, unitsTaken: number, now: number) {
  const state = giftState({ ngoApproved: ngo.status === "approved", ngoTakesPayments: ngo.chargesEnabled, ...gift, unitsTaken }, now);
  return { state, stockLeft: stockLeft(gift.stockLimit, unitsTaken) };
}

function toCatalogGift(gift: GiftRow, ngoName: string, project: typeof projects.$inferSelect, left: number | null): CatalogGift {
  return {
    id: gift.id,
    slug: gift.slug,
    name: { fr: gift.nameFr, en: gift.nameEn },
    impact: { fr: gift.impactFr, en: gift.impactEn },
    priceCents: gift.priceCents,
    currency: gift.currency as Currency,
    sprite: gift.sprite,
    ngo: { id: gift.ngoId, name: ngoName },
    project: { id: project.id, name: { fr: project.nameFr, en: project.nameEn } },
    description: { fr: gift.descriptionFr, en: gift.descriptionEn },
    emergency: gift.emergency,
    stockLeft: left,
  };
}

export async function listCatalog(db: Db, now: number): Promise<{ gifts: CatalogGift[]; nextChangeAt: string | null }> {
  return (await catalogSnapshot(db, now)).body;
}

/**
 * The catalog, and when it changes by itself: `nextChangeAt` (a window opens or closes, on the
 * rules' clock) and `holdsLapseAt` (an open checkout of a limited gift stops holding its units,
 * epoch ms on the database's clock, which counts the holds). Writes announce their own changes.
 */
export async function catalogSnapshot(db: Db, now: number): Promise<{ body: { gifts: CatalogGift[]; nextChangeAt: string | null }; holdsLapseAt: number | null }> {
  const rows = await db
    .select({ gift: gifts, ngoName: ngos.name, project: projects })
    .from(gifts)
    .innerJoin(ngos, eq(ngos.id, gifts.ngoId))
    .innerJoin(projects, eq(projects.id, gifts.projectId))
    .where(and(eq(gifts.active, true), sql`${gifts.retiredAt} is null`, approvedNgo, ngoCanTakePayments))
    .orderBy(asc(gifts.sortOrder), asc(gifts.priceCents), asc(gifts.id));
  const counts = await unitCounts(db, rows.filter((r) => r.gift.stockLimit !== null).map((r) => r.gift.id));
  const listed: CatalogGift[] = [];
  for (const { gift, ngoName, project } of rows) {
    const o = offer(gift, { status: "approved", chargesEnabled: true }, taken(counts, gift.id), now);
    if (o.state === "on_sale") listed.push(toCatalogGift(gift, ngoName, project, o.stockLeft));
  }
  const next = nextWindowChange(rows.map((r) => r.gift), now);
  const limited = rows.filter((r) => r.gift.stockLimit !== null).map((r) => r.gift.id);
  return {
    body: { gifts: listed, nextChangeAt: next === null ? null : new Date(next).toISOString() },
    holdsLapseAt: await firstHoldLapse(db, limited),
  };
}

/** When the oldest open checkout holding units of these gifts stops holding them (epoch ms), or null. */
async function firstHoldLapse(db: Db, giftIds: readonly string[]): Promise<number | null> {
  if (giftIds.length === 0) return null;
  const seconds = CHECKOUT_VALIDITY_MS / 1000;
  const [row] = await db
    .select({ oldest: sql<number | null>`(extract(epoch from min(${orders.createdAt})) * 1000)::float8` })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(inArray(orderLines.giftId, [...giftIds]), sql`${orders.status} = 'pending' and ${orders.createdAt} > now() - make_interval(secs => ${seconds})`));
  const oldest = row?.oldest == null ? NaN : Number(row.oldest);
  return Number.isFinite(oldest) ? Math.floor(oldest) + CHECKOUT_VALIDITY_MS : null;
}

/**
 * A gift players may see, on sale or not: on sale now, or owned by a village
 * (it was on sale when bought). Never a gift that was never published.
 */
export async function publicGift(db: Db, giftId: string, now: number): Promise<{ gift: CatalogGift; onSale: boolean } | null> {
  const [row] = await db
    .select({
      gift: gifts, ngoName: ngos.name, ngoStatus: ngos.status, ngoCharges: ngos.stripeChargesEnabled, project: projects,
      owned: sql<boolean>`exists (select 1 from order_lines ol join orders o on o.id = ol.order_id where ol.gift_id = ${gifts.id} and o.status = 'paid')`,
    })
    .from(gifts)
    .innerJoin(ngos, eq(ngos.id, gifts.ngoId))
    .innerJoin(projects, eq(projects.id, gifts.projectId))
    .where(eq(gifts.id, giftId));
  if (!row) return null;
  const counts = row.gift.stockLimit === null ? new Map<string, UnitCounts>() : await unitCounts(db, [giftId]);
  const o = offer(row.gift, { status: row.ngoStatus, chargesEnabled: row.ngoCharges }, taken(counts, giftId), now);
  const onSale = o.state === "on_sale";
  if (!onSale && !row.owned) return null;
  return { gift: toCatalogGift(row.gift, row.ngoName, row.project, o.stockLeft), onSale };
}

/** A gift as the pricing rule needs it, with its NGO's Stripe account as read with it (the charge routing). */
export interface LockedGift extends PricedGift {
  ngoStripeAccount: string | null;
  ngoChargesEnabled: boolean;
}

/**
 * Gifts as the pricing rule needs them, read under a row lock on each gift
 * (SELECT … FOR UPDATE, in id order so two checkouts never deadlock): two
 * checkouts of a limited gift run one after the other, and the second counts
 * the units the first one holds. Call inside the transaction that writes the
 * pending order.
 */
export async function lockGiftsForPricing(
  tx: Tx, ids: readonly string[], now: number, buyer: { playerId: string; guest: boolean },
): Promise<Map<string, LockedGift>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ gift: gifts, ngoStatus: ngos.status, ngoCharges: ngos.stripeChargesEnabled, ngoAccount: ngos.stripeAccountId })
    .from(gifts)
    .innerJoin(ngos, eq(ngos.id, gifts.ngoId))
    .where(inArray(gifts.id, [...ids]))
    .orderBy(asc(gifts.id))
    .for("update", { of: gifts });
  const limited = rows.filter((r) => r.gift.stockLimit !== null).map((r) => r.gift.id);
  const counts = await unitCounts(tx, limited);
  const holds = await holdCounts(tx, limited, buyer.playerId);
  return new Map(
    rows.map(({ gift: g, ngoStatus, ngoCharges, ngoAccount }) => {
      const o = offer(g, { status: ngoStatus, chargesEnabled: ngoCharges }, taken(counts, g.id), now);
      // Sold out is its own refusal (gift_sold_out), so it stays "active" here with 0 left; so does a gift
      // whose NGO cannot take payments (its own refusal, ngo_payments_unavailable, with paymentsOff).
      const paymentsOff = o.state === "ngo_payments_off";
      const active = o.state === "on_sale" || o.state === "sold_out" || paymentsOff;
      const hold = g.stockLimit === null ? undefined : holdAllowance({
        stockLimit: g.stockLimit, sold: counts.get(g.id)?.sold ?? 0, held: counts.get(g.id)?.held ?? 0,
        heldByGuests: holds.get(g.id)?.heldByGuests ?? 0, heldByBuyer: holds.get(g.id)?.heldByBuyer ?? 0, guest: buyer.guest,
      });
      const priced: LockedGift = {
        id: g.id, ngoId: g.ngoId, projectId: g.projectId, priceCents: g.priceCents, currency: g.currency as Currency, active, stockLeft: o.stockLeft,
        paymentsOff, ...(hold ? { hold } : {}), ngoStripeAccount: ngoAccount, ngoChargesEnabled: ngoCharges,
      };
      return [g.id, priced];
    }),
  );
}

/** Whether any of these gifts has a stock limit (a checkout of it changes what the shop shows). */
export async function anyLimited(db: Db, ids: readonly string[]): Promise<boolean> {
  if (ids.length === 0) return false;
  const [row] = await db.select({ id: gifts.id }).from(gifts).where(and(inArray(gifts.id, [...ids]), isNotNull(gifts.stockLimit))).limit(1);
  return Boolean(row);
}

export interface GiftLabel {
  id: string;
  sprite: string;
  nameFr: string;
  nameEn: string;
  projectNameFr: string;
  projectNameEn: string;
  ngoName: string;
}

/** Names and project of gifts, for checkout pages and Stripe line items. */
export async function giftLabels(db: Db, ids: readonly string[]): Promise<Map<string, GiftLabel>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: gifts.id, sprite: gifts.sprite, nameFr: gifts.nameFr, nameEn: gifts.nameEn,
      projectNameFr: projects.nameFr, projectNameEn: projects.nameEn, ngoName: ngos.name,
    })
    .from(gifts)
    .innerJoin(projects, eq(projects.id, gifts.projectId))
    .innerJoin(ngos, and(eq(ngos.id, gifts.ngoId)))
    .where(inArray(gifts.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r]));
}
