/**
 * Villages in the database: the starter layout, loading for a room, and
 * moving an item under a row lock so concurrent moves and gift grants never
 * put two things on one tile.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { RuleResult } from "../../shared/errors.ts";
import { placeItem } from "../../shared/village.ts";
import type { Db, Tx } from "../db/connect.ts";
import { isCrop, type Crop } from "../../shared/farming.ts";
import type { ItemKind } from "../../shared/state.ts";
import { giftDedications, orderLines, orders, players, villageItems, villages } from "../db/schema.ts";
import { monthlyStagesOfItems } from "./monthly-gifts.ts";

const STARTER_DECOR = [
  { sprite: "house", x: 1, y: 1 },
  { sprite: "tree", x: 0, y: 4 },
  { sprite: "pine", x: 10, y: 1 },
  { sprite: "pine", x: 11, y: 7 },
  { sprite: "flower", x: 3, y: 6 },
  { sprite: "rock", x: 9, y: 6 },
];

export async function createStarterVillage(tx: Tx, ownerId: string, ownerName: string): Promise<string> {
  const [village] = await tx.insert(villages).values({ ownerId, name: ownerName }).returning({ id: villages.id });
  if (!village) throw new Error("village insert returned nothing");
  await tx.insert(villageItems).values(STARTER_DECOR.map((d) => ({ ...d, villageId: village.id })));
  return village.id;
}

export interface VillageItemRow {
  id: string;
  kind: ItemKind;
  giftId: string | null;
  decorationId: string | null;
  crop: Crop | null;
  sprite: string;
  x: number | null;
  y: number | null;
  /** A gift from someone else whose giver allowed their name: that name. */
  fromName: string | null;
  /** A monthly gift's item: its growth stage (monthlyStage); absent or 0 otherwise. */
  monthlyStage?: number;
}

export interface VillageSnapshot {
  id: string;
  ownerId: string;
  name: string;
  items: VillageItemRow[];
}

/** A village and what stands in it; null if unknown or if its owner deleted their account (it is gone). */
export async function loadVillage(db: Db | Tx, villageId: string): Promise<VillageSnapshot | null> {
  const [village] = await db
    .select({ id: villages.id, ownerId: villages.ownerId, name: villages.name })
    .from(villages)
    .innerJoin(players, eq(players.id, villages.ownerId))
    .where(and(eq(villages.id, villageId), isNull(players.deletedAt)))
    .limit(1);
  if (!village) return null;
  const rows = await db
    .select({
      id: villageItems.id, giftId: villageItems.giftId, decorationId: villageItems.decorationId, crop: villageItems.crop,
      sprite: villageItems.sprite, x: villageItems.x, y: villageItems.y,
      giverId: orders.playerId, showGiverName: orders.showGiverName, giverName: players.displayName, giverDeleted: players.deletedAt,
      dedicatedShowName: giftDedications.showGiverName,
    })
    .from(villageItems)
    .leftJoin(orderLines, eq(orderLines.id, villageItems.orderLineId))
    .leftJoin(orders, eq(orders.id, orderLines.orderId))
    // A gift dedicated to this village: the giver's name only if they chose to show it to the honoree.
    .leftJoin(giftDedications, and(eq(giftDedications.orderId, orders.id), eq(giftDedications.villageId, villageId)))
    .leftJoin(players, eq(players.id, orders.playerId))
    .where(and(eq(villageItems.villageId, villageId), isNull(villageItems.removedAt)))
    .orderBy(villageItems.createdAt, villageItems.id);
  const items = rows.map((r): VillageItemRow => {
    const crop = r.crop && isCrop(r.crop) ? r.crop : null;
    const fromSomeoneElse = r.giverId !== null && r.giverId !== village.ownerId;
    return {
      id: r.id,
      kind: r.giftId ? "gift" : crop ? "crop" : r.decorationId ? "decoration" : "decor",
      giftId: r.giftId,
      decorationId: r.decorationId,
      crop,
      sprite: r.sprite,
      x: r.x,
      y: r.y,
      fromName: fromSomeoneElse && (r.dedicatedShowName ?? r.showGiverName) && !r.giverDeleted ? r.giverName : null,
    };
  });
  const stages = await monthlyStagesOfItems(db, items.filter((i) => i.giftId !== null).map((i) => i.id));
  for (const item of items) if (stages.has(item.id)) item.monthlyStage = stages.get(item.id)!;
  return { id: village.id, ownerId: village.ownerId, name: village.name, items };
}

/** Locks the village row for the rest of the transaction. */
export async function lockVillage(tx: Tx, villageId: string): Promise<boolean> {
  const rows = await tx.execute(sql`select id from villages where id = ${villageId} for update`);
  return rowCount(rows) > 0;
}

function rowCount(result: unknown): number {
  const r = result as { rows?: unknown[]; length?: number };
  return Array.isArray(r.rows) ? r.rows.length : (r.length ?? 0);
}

/** The owner moves an item: checked against the database, under the village lock. */
export async function moveItem(
  db: Db,
  input: { villageId: string; by: string; itemId: string; x: number; y: number },
): Promise<RuleResult<{ moved: boolean }>> {
  return db.transaction(async (tx) => {
    if (!(await lockVillage(tx, input.villageId))) {
      return { ok: false as const, code: "village_unknown" as const, message: "No such village" };
    }
    const village = await loadVillage(tx, input.villageId);
    if (!village) return { ok: false as const, code: "village_unknown" as const, message: "No such village" };
    const result = placeItem({ items: village.items, ownerId: village.ownerId, by: input.by, itemId: input.itemId, x: input.x, y: input.y });
    if (!result.ok) return result;
    if (result.moved) {
      await tx
        .update(villageItems)
        .set({ x: input.x, y: input.y })
        .where(and(eq(villageItems.id, input.itemId), eq(villageItems.villageId, input.villageId)));
    }
    return { ok: true as const, moved: result.moved };
  });
}
