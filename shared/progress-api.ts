/**
 * What the player sees of their progression (level, XP, today's quests, the
 * daily reward), shared by the HTTP routes (/api/progress…), the village
 * room's "progress" message and the client. `progressViewOf` builds it from
 * what the server stores, for an instant `now`.
 */
import { type QuestId, type QuestProgress, QUESTS, questsFor } from "./daily-quests.ts";
import { type LastDailyReward, dailyRewardFor, nextStreak } from "./daily-reward.ts";
import { HELP_CAP_PER_FRIEND_PER_DAY } from "./friend-help.ts";
import { nextParisMidnight, parisDay } from "./paris-day.ts";
import { type Activity, type LevelProgress, levelProgress } from "./progression.ts";

export interface QuestView {
  id: QuestId;
  activity: Activity;
  target: number;
  /** Never past target. */
  progress: number;
  coins: number;
  xp: number;
  claimed: boolean;
}

export interface ProgressView extends LevelProgress {
  /** Today, in Paris: "YYYY-MM-DD". */
  day: string;
  /** ISO 8601: when today's quests and the daily reward start again (midnight in Paris). */
  resetsAt: string;
  quests: QuestView[];
  daily: { claimable: boolean; streak: number; coins: number; xp: number };
  /** Rewarded helps per friend per day. */
  helpCap: number;
}

/** What the server keeps per player. */
export interface StoredProgress {
  xp: number;
  quests: QuestProgress | null;
  lastReward: LastDailyReward | null;
}

export function progressViewOf(stored: StoredProgress, playerId: string, now: number): ProgressView {
  const day = parisDay(now);
  const today = stored.quests && stored.quests.day === day ? stored.quests : null;
  const claimedToday = stored.lastReward !== null && stored.lastReward.day >= day;
  const streak = nextStreak(stored.lastReward, now);
  return {
    ...levelProgress(stored.xp),
    day,
    resetsAt: new Date(nextParisMidnight(now)).toISOString(),
    quests: questsFor(playerId, day).map((id) => {
      const q = QUESTS[id];
      return {
        id, activity: q.activity, target: q.target, coins: q.coins, xp: q.xp,
        progress: Math.min(q.target, today?.progress[id] ?? 0), claimed: today?.claimed.includes(id) ?? false,
      };
    }),
    daily: { claimable: !claimedToday, streak, ...dailyRewardFor(streak) },
    helpCap: HELP_CAP_PER_FRIEND_PER_DAY,
  };
}

/** What an action or a claim changed, with the player's view after it. */
export interface ProgressGain {
  /** XP and coins this gain added (coins: level bonuses and rewards, not a harvest's own coins). */
  xp: number;
  coins: number;
  /** Levels reached, lowest first (the client celebrates the last one). */
  levelsReached: number[];
  /** Quests this action finished (ready to claim). */
  completed: QuestId[];
}

/** server → one player's clients in the room: their progression changed (a "progress" message). */
export interface ProgressMessage {
  view: ProgressView;
  gain: ProgressGain;
  /** What caused it: a farming action, or a help reward received from a friend. */
  reason: Activity | "helped";
  /** The player's coin balance after it. */
  balance: number;
}

/** POST /api/progress/daily-reward and POST /api/progress/quests/:questId/claim answer this. */
export interface ClaimResponse {
  view: ProgressView;
  gain: ProgressGain;
  balance: number;
}
