/**
 * Levels and experience (XP), as pure rules. Every farming action earns a
 * little XP; helping a friend earns more (friend-help.ts). The level is never
 * stored: it follows from the XP with `levelOf`. Reaching a level pays a coin
 * bonus and may unlock crops and decorations (each says its level in
 * farming.ts / decorations.ts; LEVEL_UNLOCKS and CROP_UNLOCKS list them by level).
 */
import { DECORATION_IDS, DECORATIONS, type DecorationId } from "./decorations.ts";
import { CROP_KINDS, CROPS, type CropKind } from "./farming.ts";
import { type RuleResult, refuse } from "./errors.ts";

/** What earns XP. "help" is watering a friend's crop, within the daily cap per friend. */
export const ACTIVITIES = ["plant", "water", "harvest", "help"] as const;
export type Activity = (typeof ACTIVITIES)[number];

/** XP per action. */
export const XP_FOR: Readonly<Record<Activity, number>> = { plant: 2, water: 1, harvest: 4, help: 5 };

export const MAX_LEVEL = 50;
/** No XP total grows past this (well beyond MAX_LEVEL). */
export const MAX_XP = 10_000_000;

/** Total XP needed to reach `level`: 0 for level 1, then 50, 150, 300, 500… (25·n·(n−1)). */
export function xpToReach(level: number): number {
  if (!Number.isSafeInteger(level) || level < 1 || level > MAX_LEVEL) throw new RangeError(`level must be 1 to ${MAX_LEVEL}, got ${level}`);
  return 25 * level * (level - 1);
}

export function isXp(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= MAX_XP;
}

/** The level an XP total stands for. */
export function levelOf(xp: number): number {
  if (!isXp(xp)) throw new RangeError(`XP must be a whole number from 0 to ${MAX_XP}, got ${String(xp)}`);
  let level = 1;
  while (level < MAX_LEVEL && xp >= xpToReach(level + 1)) level += 1;
  return level;
}

export interface LevelProgress {
  level: number;
  xp: number;
  /** XP earned since the current level began. */
  xpIntoLevel: number;
  /** XP the current level spans (0 at MAX_LEVEL: the bar stays full). */
  xpForLevel: number;
}

/** What the XP bar shows. */
export function levelProgress(xp: number): LevelProgress {
  const level = levelOf(xp);
  if (level === MAX_LEVEL) return { level, xp, xpIntoLevel: 0, xpForLevel: 0 };
  const start = xpToReach(level);
  return { level, xp, xpIntoLevel: xp - start, xpForLevel: xpToReach(level + 1) - start };
}

/** Coins paid on reaching a level. */
export function levelUpCoins(level: number): number {
  return 10 * level;
}

/** Shop decorations that wait for a level, by level (seasonal ones and collections' rewards are open from level 1). */
export const LEVEL_UNLOCKS: Readonly<Record<number, readonly DecorationId[]>> = byLevel(DECORATION_IDS.filter((id) => DECORATIONS[id].source === "shop"), (id) => DECORATIONS[id].level);

/** Crops that wait for a level, by level. */
export const CROP_UNLOCKS: Readonly<Record<number, readonly CropKind[]>> = byLevel(CROP_KINDS, (kind) => CROPS[kind].level);

function byLevel<T>(ids: readonly T[], levelOfId: (id: T) => number): Record<number, T[]> {
  const out: Record<number, T[]> = {};
  for (const id of ids) {
    const level = levelOfId(id);
    if (level > 1) (out[level] ??= []).push(id);
  }
  return out;
}

/** The level a decoration needs (1: open from the start). */
export function decorationLevel(id: DecorationId): number {
  return DECORATIONS[id].level;
}

/** A player of this level may buy this decoration, or is told which level it needs. */
export function mayUseDecoration(id: DecorationId, level: number): RuleResult<object> {
  const needed = decorationLevel(id);
  if (level < needed) return refuse("level_too_low", `This decoration opens at level ${needed}`);
  return { ok: true };
}

/** A player of this level may plant this crop, or is told which level it needs. */
export function mayPlantKind(kind: CropKind, level: number): RuleResult<object> {
  const needed = CROPS[kind].level;
  if (level < needed) return refuse("level_too_low", `${CROPS[kind].nameEn} opens at level ${needed}`);
  return { ok: true };
}

export interface XpGain {
  /** The new XP total (never past MAX_XP). */
  xp: number;
  /** XP really added. */
  gained: number;
  level: number;
  /** Levels reached by this gain, lowest first (empty when none). */
  levelsReached: number[];
  /** Coins the levels reached pay, together. */
  bonusCoins: number;
  /** Decorations the levels reached unlock. */
  unlocked: DecorationId[];
  /** Crops the levels reached unlock. */
  crops: CropKind[];
}

/** Adds XP and says which levels it reached and what they pay and unlock. */
export function gainXp(xp: number, amount: number): XpGain {
  if (!isXp(amount)) throw new RangeError(`XP gained must be a whole number from 0 to ${MAX_XP}, got ${String(amount)}`);
  const before = levelOf(xp);
  const next = Math.min(MAX_XP, xp + amount);
  const level = levelOf(next);
  const levelsReached: number[] = [];
  for (let l = before + 1; l <= level; l += 1) levelsReached.push(l);
  return {
    xp: next, gained: next - xp, level, levelsReached,
    bonusCoins: levelsReached.reduce((sum, l) => sum + levelUpCoins(l), 0),
    unlocked: levelsReached.flatMap((l) => [...(LEVEL_UNLOCKS[l] ?? [])]),
    crops: levelsReached.flatMap((l) => [...(CROP_UNLOCKS[l] ?? [])]),
  };
}
