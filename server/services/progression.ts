/**
 * Daily play in the database: XP and quest progress from farming, the
 * friend-help reward for both players, and the claims (daily reward, a
 * finished quest). Farming calls `recordActivity` / `recordHelp` inside its
 * own transaction, so an action and what it earns commit together or not at
 * all. Every write first locks the player rows concerned (in id order, so two
 * friends helping each other at once cannot deadlock), re-reads, re-checks the
 * pure rules in shared/ and writes; a claim also inserts its progress_claims
 * row, whose primary key refuses a second claim of the same reward, however
 * many arrive at once. Time comes in as `now`.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { type QuestProgress, advanceQuests, mayClaimQuest } from "../../shared/daily-quests.ts";
import { mayClaimDailyReward } from "../../shared/daily-reward.ts";
import { earnCoins } from "../../shared/decorations.ts";
import { type RuleResult, refuse } from "../../shared/errors.ts";
import { helpReward } from "../../shared/friend-help.ts";
import { parisDay } from "../../shared/paris-day.ts";
import type { DataExport } from "../../shared/privacy.ts";
import { type ClaimResponse, type ProgressGain, type ProgressView, type StoredProgress, progressViewOf } from "../../shared/progress-api.ts";
import { type Activity, XP_FOR, gainXp, levelOf } from "../../shared/progression.ts";
import type { Db, Tx } from "../db/connect.ts";
import { friendHelpDays, playerProgress, players, progressClaims } from "../db/schema.ts";
import { rollPiece } from "../../shared/collections.ts";
import { recordPiece } from "./collections.ts";
import { areFriends } from "./friends.ts";

/** What one action changed for one player: the room tells that player's clients. */
export interface ProgressUpdate {
  playerId: string;
  gain: ProgressGain;
  balance: number;
  reason: Activity | "helped";
}

/** Locks the players' rows (in id order) until the transaction ends; answers their coin balances. */
export async function lockPlayers(tx: Tx, ids: string[]): Promise<Map<string, number>> {
  const sorted = [...new Set(ids)].sort();
  const rows = await tx.select({ id: players.id, coins: players.coins }).from(players).where(inArray(players.id, sorted)).orderBy(players.id).for("update");
  return new Map(rows.map((r) => [r.id, r.coins]));
}

async function storedOf(db: Db | Tx, playerId: string): Promise<StoredProgress> {
  const [row] = await db.select().from(playerProgress).where(eq(playerProgress.playerId, playerId));
  if (!row) return { xp: 0, quests: null, lastReward: null };
  const quests: QuestProgress | null = row.questDay ? { day: row.questDay, progress: row.questProgress, claimed: row.questsClaimed } : null;
  const lastReward = row.lastRewardDay ? { day: row.lastRewardDay, streak: row.rewardStreak } : null;
  return { xp: row.xp, quests, lastReward };
}

async function saveStored(tx: Tx, playerId: string, stored: StoredProgress): Promise<void> {
  const values = {
    xp: stored.xp, questDay: stored.quests?.day ?? null, questProgress: { ...(stored.quests?.progress ?? {}) }, questsClaimed: [...(stored.quests?.claimed ?? [])],
    lastRewardDay: stored.lastReward?.day ?? null, rewardStreak: stored.lastReward?.streak ?? 0, updatedAt: sql`now()`,
  };
  await tx.insert(playerProgress).values({ playerId, ...values }).onConflictDoUpdate({ target: playerProgress.playerId, set: values });
}

/**
 * Gives a (locked) player XP and coins, advances today's quests for the
 * activity, pays the levels reached, and writes it all. Coins never pass the cap.
 */
async function grant(
  tx: Tx, playerId: string, input: { xp: number; coins: number; activity: Activity | null; now: number; stored?: StoredProgress },
): Promise<{ gain: ProgressGain; balance: number; stored: StoredProgress }> {
  const [row] = await tx.select({ coins: players.coins }).from(players).where(eq(players.id, playerId)).for("update");
  if (!row) throw new Error(`player ${playerId} has no row`);
  const stored = input.stored ?? (await storedOf(tx, playerId));
  const advanced = input.activity ? advanceQuests(stored.quests, playerId, parisDay(input.now), input.activity) : null;
  const xp = gainXp(stored.xp, input.xp);
  const earned = earnCoins(row.coins, input.coins + xp.bonusCoins);
  const balance = earned.ok ? earned.balance : row.coins;
  const next: StoredProgress = { ...stored, xp: xp.xp, quests: advanced ? advanced.quests : stored.quests };
  await saveStored(tx, playerId, next);
  if (balance !== row.coins) await tx.update(players).set({ coins: balance }).where(eq(players.id, playerId));
  const gain: ProgressGain = { xp: xp.gained, coins: balance - row.coins, levelsReached: xp.levelsReached, completed: advanced?.completed ?? [] };
  return { gain, balance, stored: next };
}

/** A farming action earns its XP (`xp`: a harvest's, by crop) and advances the day's quests (in the action's transaction). */
export async function recordActivity(tx: Tx, playerId: string, activity: Activity, now: number, xp = XP_FOR[activity]): Promise<ProgressUpdate> {
  const { gain, balance } = await grant(tx, playerId, { xp, coins: 0, activity, now });
  return { playerId, gain, balance, reason: activity };
}

/**
 * A player watered a friend's crop: under the cap per friend per Paris day,
 * both are rewarded (the helper's "help" quests advance too). Past the cap,
 * or between players who are not friends, nothing is paid. Call it after
 * `lockPlayers(tx, [helperId, ownerId])`.
 */
export async function recordHelp(tx: Tx, input: { helperId: string; ownerId: string; now: number }): Promise<ProgressUpdate[]> {
  const day = parisDay(input.now);
  const key = and(eq(friendHelpDays.helperId, input.helperId), eq(friendHelpDays.ownerId, input.ownerId), eq(friendHelpDays.day, day));
  const [count] = await tx.select({ helps: friendHelpDays.helps }).from(friendHelpDays).where(key);
  const friends = await areFriends(tx, input.helperId, input.ownerId);
  const reward = helpReward({ helpsToday: count?.helps ?? 0, friends, helperId: input.helperId, ownerId: input.ownerId });
  if (!reward) return [];
  await tx
    .insert(friendHelpDays).values({ helperId: input.helperId, ownerId: input.ownerId, day, helps: 1 })
    .onConflictDoUpdate({ target: [friendHelpDays.helperId, friendHelpDays.ownerId, friendHelpDays.day], set: { helps: sql`${friendHelpDays.helps} + 1` } });
  const helper = await grant(tx, input.helperId, { ...reward.helper, activity: "help", now: input.now });
  // A rewarded help may turn up a friendship piece (shared/collections.ts) for the helper.
  const piece = rollPiece({ playerId: input.helperId, itemId: input.ownerId, now: input.now, source: "help" });
  if (piece) await recordPiece(tx, input.helperId, piece);
  const owner = await grant(tx, input.ownerId, { ...reward.owner, activity: null, now: input.now });
  return [
    { playerId: input.helperId, gain: helper.gain, balance: helper.balance, reason: "help" },
    { playerId: input.ownerId, gain: owner.gain, balance: owner.balance, reason: "helped" },
  ];
}

/** The player's level (for what it unlocks), read inside a transaction. */
export async function levelOfPlayer(db: Db | Tx, playerId: string): Promise<number> {
  return levelOf((await storedOf(db, playerId)).xp);
}

/** What the player sees of their progression now, with their coins. */
export async function progressOf(db: Db, playerId: string, now: number): Promise<{ view: ProgressView; balance: number }> {
  const [row] = await db.select({ coins: players.coins }).from(players).where(eq(players.id, playerId));
  return { view: progressViewOf(await storedOf(db, playerId), playerId, now), balance: row?.coins ?? 0 };
}

/** Books a claim by its key; false when this reward was already claimed (the key exists). */
async function bookClaim(tx: Tx, row: { playerId: string; day: string; reward: string; coins: number; xp: number }): Promise<boolean> {
  const booked = await tx.insert(progressClaims).values(row).onConflictDoNothing().returning({ day: progressClaims.day });
  return booked.length > 0;
}

const alreadyClaimed = () => refuse("already_claimed", "This reward was already claimed");

/** Today's daily reward (once per Paris day), with its streak. */
export function claimDailyReward(db: Db, playerId: string, now: number): Promise<RuleResult<ClaimResponse>> {
  return db.transaction(async (tx) => {
    await lockPlayers(tx, [playerId]);
    const stored = await storedOf(tx, playerId);
    const rule = mayClaimDailyReward(stored.lastReward, now);
    if (!rule.ok) return rule;
    if (!(await bookClaim(tx, { playerId, day: rule.day, reward: "daily", coins: rule.coins, xp: rule.xp }))) return alreadyClaimed();
    const granted = await grant(tx, playerId, { xp: rule.xp, coins: rule.coins, activity: null, now, stored: { ...stored, lastReward: { day: rule.day, streak: rule.streak } } });
    return { ok: true, gain: granted.gain, balance: granted.balance, view: progressViewOf(granted.stored, playerId, now) };
  });
}

/** A finished quest of today pays its reward, once. */
export function claimQuest(db: Db, playerId: string, questId: string, now: number): Promise<RuleResult<ClaimResponse>> {
  return db.transaction(async (tx) => {
    await lockPlayers(tx, [playerId]);
    const stored = await storedOf(tx, playerId);
    const day = parisDay(now);
    const rule = mayClaimQuest(stored.quests, playerId, day, questId);
    if (!rule.ok) return rule;
    if (!(await bookClaim(tx, { playerId, day, reward: rule.quest.id, coins: rule.quest.coins, xp: rule.quest.xp }))) return alreadyClaimed();
    const granted = await grant(tx, playerId, { xp: rule.quest.xp, coins: rule.quest.coins, activity: null, now, stored: { ...stored, quests: rule.quests } });
    return { ok: true, gain: granted.gain, balance: granted.balance, view: progressViewOf(granted.stored, playerId, now) };
  });
}

/** What the data export shows of a player's daily play. */
export async function progressExport(db: Db, playerId: string): Promise<DataExport["progress"]> {
  const claims = await db.select().from(progressClaims).where(eq(progressClaims.playerId, playerId)).orderBy(progressClaims.day, progressClaims.reward);
  const given = await db.select().from(friendHelpDays).where(eq(friendHelpDays.helperId, playerId)).orderBy(friendHelpDays.day, friendHelpDays.ownerId);
  const received = await db.select().from(friendHelpDays).where(eq(friendHelpDays.ownerId, playerId)).orderBy(friendHelpDays.day, friendHelpDays.helperId);
  return {
    xp: (await storedOf(db, playerId)).xp,
    claims: claims.map((c) => ({ day: c.day, reward: c.reward, coins: c.coins, xp: c.xp })),
    helpsGiven: given.map((h) => ({ day: h.day, ownerId: h.ownerId, helps: h.helps })),
    helpsReceived: received.map((h) => ({ day: h.day, helperId: h.helperId, helps: h.helps })),
  };
}
