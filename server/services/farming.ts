/**
 * The free farming loop in the database: plant, water, harvest, buy a
 * decoration with coins, put an item back in the barn. Each action runs in one
 * transaction under the village row lock (the lock gift fulfilment takes too),
 * re-reads the village and re-checks the pure rules before writing, so a
 * concurrent action or a paid gift can never put two things on one tile or
 * spend coins twice. Coins are the soft currency: nothing here touches an
 * order, the ledger or a donated gift. Time comes in as `now`. What an action
 * earns in XP, quests and help rewards (progression.ts) is written in the
 * action's own transaction and returned as `progress`.
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import { buyDecoration as buyRule, earnCoins, isDecorationId } from "../../shared/decorations.ts";
import { type RuleResult, refuse } from "../../shared/errors.ts";
import { helperIdsOf, mayHarvest, mayPlant, mayTake, mayWater, cropBaseSprite, ownerViewOf } from "../../shared/farming-actions.ts";
import { CROPS, type Crop, type CropKind, plantCrop } from "../../shared/farming.ts";
import type { OwnerViewMessage } from "../../shared/messages.ts";
import { mayHaveStarterCrop, starterCrop } from "../../shared/starter-crop.ts";
import { findFreeTiles } from "../../shared/village.ts";
import type { Db, Tx } from "../db/connect.ts";
import { players, villageItems } from "../db/schema.ts";
import { mayVisit } from "./friends.ts";
import type { Told } from "./friend-notifications.ts";
import { noteHelp } from "./help-notices.ts";
import { type ProgressUpdate, levelOfPlayer, lockPlayers, recordActivity, recordHelp } from "./progression.ts";
import { mayPlantKind, mayUseDecoration } from "../../shared/progression.ts";
import { mayBuyInSeason } from "../../shared/seasons.ts";
import { type PieceId, rollPiece } from "../../shared/collections.ts";
import { recordPiece } from "./collections.ts";
import { loadVillage, lockVillage, type VillageItemRow, type VillageSnapshot } from "./villages.ts";

const noVillage = () => refuse("village_unknown", "No such village");

/** Runs `work` in one transaction, with the village locked and freshly read. */
function underVillageLock<T>(db: Db, villageId: string, work: (tx: Tx, village: VillageSnapshot) => Promise<RuleResult<T>>): Promise<RuleResult<T>> {
  return db.transaction(async (tx) => {
    if (!(await lockVillage(tx, villageId))) return noVillage();
    const village = await loadVillage(tx, villageId);
    if (!village) return noVillage();
    return work(tx, village);
  });
}

/** The owner's coin balance, with the player row locked until the transaction ends. */
async function lockedCoins(tx: Tx, playerId: string): Promise<number> {
  const [row] = await tx.select({ coins: players.coins }).from(players).where(eq(players.id, playerId)).for("update");
  if (!row) throw new Error(`village owner ${playerId} has no player row`);
  return row.coins;
}

/** A crop as the jsonb column holds it. */
const cropColumn = (crop: Crop) => ({ kind: crop.kind, plantedAt: crop.plantedAt, growthMs: crop.growthMs, waterings: crop.waterings.map((w) => ({ by: w.by, at: w.at })) });

function itemRow(row: typeof villageItems.$inferSelect, kind: VillageItemRow["kind"], crop: VillageItemRow["crop"]): VillageItemRow {
  return { id: row.id, kind, giftId: null, decorationId: row.decorationId, crop, sprite: row.sprite, x: row.x, y: row.y, fromName: null };
}

export interface PlantInput {
  villageId: string;
  by: string;
  kind: CropKind;
  x: number;
  y: number;
  now: number;
  /** The tutorial asks for the starter crop's head start (granted only to a player with no coins and nothing growing). */
  starter?: boolean;
}

/** The owner plants a free crop on an empty tile. */
export function plant(db: Db, input: PlantInput): Promise<RuleResult<{ item: VillageItemRow; progress: ProgressUpdate[] }>> {
  return underVillageLock(db, input.villageId, async (tx, village) => {
    const rule = mayPlant({ items: village.items, ownerId: village.ownerId, by: input.by, x: input.x, y: input.y });
    if (!rule.ok) return rule;
    const unlocked = mayPlantKind(input.kind, await levelOfPlayer(tx, village.ownerId));
    if (!unlocked.ok) return unlocked;
    const starter = input.starter === true && mayHaveStarterCrop({ coins: await lockedCoins(tx, village.ownerId), items: village.items });
    const crop = starter ? starterCrop(input.kind, input.now) : plantCrop(input.kind, input.now);
    const [row] = await tx
      .insert(villageItems)
      .values({ villageId: village.id, crop: cropColumn(crop), sprite: cropBaseSprite(input.kind), x: input.x, y: input.y })
      .returning();
    if (!row) throw new Error("crop insert returned nothing");
    const progress = [await recordActivity(tx, village.ownerId, "plant", input.now)];
    return { ok: true, item: itemRow(row, "crop", crop), progress };
  });
}

export interface WaterInput {
  villageId: string;
  by: string;
  itemId: string;
  now: number;
}

/**
 * The owner or a visitor waters a crop: it grows faster and the waterer is
 * remembered. A visitor must still be allowed in the village (a friend, or
 * the village is public, and no block either way).
 */
export function water(db: Db, input: WaterInput): Promise<RuleResult<{ item: VillageItemRow; bonusMs: number; byName: string; progress: ProgressUpdate[]; told: Told | null }>> {
  return underVillageLock(db, input.villageId, async (tx, village) => {
    if (input.by !== village.ownerId) {
      const visit = await mayVisit(tx, input.by, village.id);
      if (!visit.ok) return visit;
    }
    const rule = mayWater({ items: village.items, ownerId: village.ownerId, by: input.by, itemId: input.itemId, now: input.now });
    if (!rule.ok) return rule;
    const [row] = await tx
      .update(villageItems)
      .set({ crop: cropColumn(rule.crop) })
      .where(and(eq(villageItems.id, input.itemId), eq(villageItems.villageId, village.id), isNull(villageItems.removedAt)))
      .returning();
    if (!row) throw new Error("watered crop vanished under the village lock");
    const [waterer] = await tx.select({ name: players.displayName }).from(players).where(eq(players.id, input.by));
    // Both players' rows, in id order, before either is written: two friends helping each other at once cannot deadlock.
    await lockPlayers(tx, [input.by, village.ownerId]);
    const progress = [await recordActivity(tx, input.by, "water", input.now)];
    if (input.by !== village.ownerId) progress.push(...(await recordHelp(tx, { helperId: input.by, ownerId: village.ownerId, now: input.now })));
    // "Bob watered your wheat", batched per helper (help-notices.ts).
    const told = await noteHelp(tx, { ownerId: village.ownerId, helperId: input.by, cropKind: rule.crop.kind, now: input.now });
    return { ok: true, item: itemRow(row, "crop", rule.crop), bonusMs: rule.bonusMs, byName: waterer?.name ?? "", progress, told };
  });
}

export interface HarvestInput {
  villageId: string;
  by: string;
  itemId: string;
  now: number;
}

/**
 * The owner harvests a ripe crop: the crop's row is deleted and its coins go
 * to the owner's balance, which never passes the cap (`coins` is what was
 * really added).
 */
export function harvest(db: Db, input: HarvestInput): Promise<RuleResult<{ itemId: string; cropKind: CropKind; coins: number; balance: number; progress: ProgressUpdate[]; piece: PieceId | null }>> {
  return underVillageLock(db, input.villageId, async (tx, village) => {
    const rule = mayHarvest({ items: village.items, ownerId: village.ownerId, by: input.by, itemId: input.itemId, now: input.now });
    if (!rule.ok) return rule;
    const earned = earnCoins(await lockedCoins(tx, village.ownerId), rule.coins);
    if (!earned.ok) return earned;
    await tx.delete(villageItems).where(and(eq(villageItems.id, input.itemId), eq(villageItems.villageId, village.id)));
    await tx.update(players).set({ coins: earned.balance }).where(eq(players.id, village.ownerId));
    const progress = await recordActivity(tx, village.ownerId, "harvest", input.now, CROPS[rule.crop.kind].xp);
    // A seeded chance of a collectible piece (shared/collections.ts), booked in the harvest's transaction.
    const piece = rollPiece({ playerId: village.ownerId, itemId: input.itemId, now: input.now, source: "harvest", crop: rule.crop.kind });
    if (piece) await recordPiece(tx, village.ownerId, piece);
    return { ok: true, itemId: input.itemId, cropKind: rule.crop.kind, coins: earned.earned, balance: progress.balance, progress: [progress], piece };
  });
}

export interface BuyDecorationInput {
  villageId: string;
  by: string;
  decorationId: string;
  now: number;
}

/**
 * The owner buys a decoration with coins, if their level and the season
 * allow it (a collection's reward is never sold). It lands on the free tile nearest
 * the centre, or in the barn when the village is full.
 */
export function buyDecoration(db: Db, input: BuyDecorationInput): Promise<RuleResult<{ item: VillageItemRow; balance: number }>> {
  return underVillageLock(db, input.villageId, async (tx, village) => {
    if (input.by !== village.ownerId) return refuse("not_owner", "Only the village owner can buy decorations");
    if (isDecorationId(input.decorationId)) {
      const unlocked = mayUseDecoration(input.decorationId, await levelOfPlayer(tx, village.ownerId));
      if (!unlocked.ok) return unlocked;
      const season = mayBuyInSeason(input.decorationId, input.now);
      if (!season.ok) return season;
    }
    const bought = buyRule(await lockedCoins(tx, village.ownerId), input.decorationId);
    if (!bought.ok) return bought;
    const tile = findFreeTiles(village.items, 1)[0] ?? null;
    const [row] = await tx
      .insert(villageItems)
      .values({ villageId: village.id, decorationId: bought.decoration.id, sprite: bought.decoration.sprite, x: tile?.x ?? null, y: tile?.y ?? null })
      .returning();
    if (!row) throw new Error("decoration insert returned nothing");
    await tx.update(players).set({ coins: bought.balance }).where(eq(players.id, village.ownerId));
    return { ok: true, item: itemRow(row, "decoration", null), balance: bought.balance };
  });
}

export interface TakeInput {
  villageId: string;
  by: string;
  itemId: string;
}

/** The owner puts an item back in the barn (no tile). Crops cannot be taken. */
export function takeItem(db: Db, input: TakeInput): Promise<RuleResult<{ moved: boolean }>> {
  return underVillageLock(db, input.villageId, async (tx, village) => {
    const rule = mayTake({ items: village.items, ownerId: village.ownerId, by: input.by, itemId: input.itemId });
    if (!rule.ok) return rule;
    if (rule.moved) {
      await tx
        .update(villageItems)
        .set({ x: null, y: null })
        .where(and(eq(villageItems.id, input.itemId), eq(villageItems.villageId, village.id)));
    }
    return { ok: true, moved: rule.moved };
  });
}

/**
 * What only the owner sees: their coins and, per crop, the names of the
 * players who helped. A player whose account was deleted shows no name.
 */
export async function ownerView(db: Db, villageId: string): Promise<OwnerViewMessage | null> {
  const village = await loadVillage(db, villageId);
  if (!village) return null;
  const [owner] = await db.select({ coins: players.coins }).from(players).where(eq(players.id, village.ownerId));
  const ids = helperIdsOf(village.items, village.ownerId);
  const names = new Map<string, string | null>();
  if (ids.length > 0) {
    const rows = await db
      .select({ id: players.id, name: players.displayName, deletedAt: players.deletedAt })
      .from(players)
      .where(inArray(players.id, ids));
    for (const r of rows) names.set(r.id, r.deletedAt ? null : r.name);
  }
  return ownerViewOf(village.items, village.ownerId, owner?.coins ?? 0, names);
}
