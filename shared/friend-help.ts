/**
 * Helping a friend, as a pure rule: watering a friend's crop rewards both the
 * helper and the friend, a few times per friend per Paris day. Past the cap
 * the watering still helps the crop; it just pays nothing more.
 */
import { XP_FOR } from "./progression.ts";

/** Rewarded helps per helper, per friend, per Paris day. */
export const HELP_CAP_PER_FRIEND_PER_DAY = 3;

export interface HelpReward {
  helper: { coins: number; xp: number };
  owner: { coins: number; xp: number };
}

export const HELP_REWARD: HelpReward = { helper: { coins: 3, xp: XP_FOR.help }, owner: { coins: 2, xp: 3 } };

/**
 * The reward for one more help, given how many rewarded helps this helper
 * already gave this friend today; null at the cap, or when they are not
 * friends (a stranger watering in a public village, or the owner themself).
 */
export function helpReward(input: { helpsToday: number; friends: boolean; helperId: string; ownerId: string }): HelpReward | null {
  if (!input.friends || input.helperId === input.ownerId) return null;
  if (!Number.isSafeInteger(input.helpsToday) || input.helpsToday < 0) throw new RangeError(`helpsToday must be a count, got ${input.helpsToday}`);
  if (input.helpsToday >= HELP_CAP_PER_FRIEND_PER_DAY) return null;
  return HELP_REWARD;
}
