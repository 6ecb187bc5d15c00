/**
 * The daily reward, as a pure rule: once per Paris day (paris-day.ts), a
 * player may claim some coins and XP. Claiming on consecutive days builds a
 * streak that makes it grow, up to day 7; missing a day starts again at 1.
 */
import { type RuleResult, refuse } from "./errors.ts";
import { addDays, parisDay } from "./paris-day.ts";

/** The last daily reward a player claimed. */
export interface LastDailyReward {
  day: string;
  streak: number;
}

export const MAX_STREAK_BONUS_DAYS = 7;

/** What the reward on a given streak day pays: 10 coins + 5 per streak day after the first (up to day 7), and 10 XP. */
export function dailyRewardFor(streak: number): { coins: number; xp: number } {
  const days = Math.min(Math.max(1, Math.trunc(streak)), MAX_STREAK_BONUS_DAYS);
  return { coins: 10 + 5 * (days - 1), xp: 10 };
}

/** The streak a claim at `now` would have: yesterday's plus one, or 1. */
export function nextStreak(last: LastDailyReward | null, now: number): number {
  const today = parisDay(now);
  if (last && last.day === addDays(today, -1)) return last.streak + 1;
  if (last && last.day === today) return last.streak;
  return 1;
}

/** Today's reward, unless it was claimed already today (Paris time). */
export function mayClaimDailyReward(
  last: LastDailyReward | null, now: number,
): RuleResult<{ day: string; streak: number; coins: number; xp: number }> {
  const day = parisDay(now);
  if (last && last.day >= day) return refuse("already_claimed", "Today's reward was already claimed; come back tomorrow");
  const streak = nextStreak(last, now);
  return { ok: true, day, streak, ...dailyRewardFor(streak) };
}
