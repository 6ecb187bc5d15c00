/**
 * Daily quests, as pure rules. Each Paris day (paris-day.ts) a player gets
 * QUESTS_PER_DAY quests, picked from QUESTS deterministically from their id
 * and the day: every device and every server process agree without storing
 * the pick, and the next day brings a new set. Farming advances them
 * (`advanceQuests`); a finished quest's reward is claimed once (`mayClaimQuest`).
 */
import { type RuleResult, refuse } from "./errors.ts";
import type { Activity } from "./progression.ts";

export const QUEST_IDS = ["plant-3", "plant-6", "water-4", "harvest-2", "harvest-4", "help-1", "help-3"] as const;
export type QuestId = (typeof QUEST_IDS)[number];

export interface QuestInfo {
  readonly id: QuestId;
  /** The action that advances it, by one each time. */
  readonly activity: Activity;
  readonly target: number;
  readonly coins: number;
  readonly xp: number;
}

export const QUESTS: Readonly<Record<QuestId, QuestInfo>> = {
  "plant-3": { id: "plant-3", activity: "plant", target: 3, coins: 10, xp: 10 },
  "plant-6": { id: "plant-6", activity: "plant", target: 6, coins: 20, xp: 20 },
  "water-4": { id: "water-4", activity: "water", target: 4, coins: 10, xp: 10 },
  "harvest-2": { id: "harvest-2", activity: "harvest", target: 2, coins: 15, xp: 15 },
  "harvest-4": { id: "harvest-4", activity: "harvest", target: 4, coins: 25, xp: 25 },
  "help-1": { id: "help-1", activity: "help", target: 1, coins: 15, xp: 15 },
  "help-3": { id: "help-3", activity: "help", target: 3, coins: 30, xp: 30 },
};

export const QUESTS_PER_DAY = 3;

export function isQuestId(value: unknown): value is QuestId {
  return typeof value === "string" && (QUEST_IDS as readonly string[]).includes(value);
}

/** FNV-1a, 32 bits: a stable hash of a string, the same in every runtime. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The day's quests for a player: QUESTS_PER_DAY different quests, never two
 * for the same action, always including one planting quest so that a player
 * alone (no friend to help) can finish at least one.
 */
export function questsFor(playerId: string, day: string): QuestId[] {
  let seed = hash(`${playerId}|${day}`);
  const next = () => {
    seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) >>> 0;
    seed = (seed ^ (seed >>> 12)) >>> 0;
    return seed;
  };
  const planting = QUEST_IDS.filter((id) => QUESTS[id].activity === "plant");
  const picked: QuestId[] = [planting[next() % planting.length]!];
  const others = QUEST_IDS.filter((id) => QUESTS[id].activity !== "plant");
  while (picked.length < QUESTS_PER_DAY) {
    const candidate = others[next() % others.length]!;
    if (!picked.some((id) => QUESTS[id].activity === QUESTS[candidate].activity)) picked.push(candidate);
  }
  return picked;
}

/** How far a player is with each of the day's quests, and which they claimed. */
export interface QuestProgress {
  readonly day: string;
  readonly progress: Readonly<Partial<Record<QuestId, number>>>;
  readonly claimed: readonly QuestId[];
}

export function emptyProgress(day: string): QuestProgress {
  return { day, progress: {}, claimed: [] };
}

/**
 * An action advances the day's quests for it by one (never past their
 * target). Progress from another day is dropped first: quests reset at
 * midnight in Paris. `completed` lists the quests this action finished.
 */
export function advanceQuests(
  stored: QuestProgress | null, playerId: string, day: string, activity: Activity,
): { quests: QuestProgress; completed: QuestId[] } {
  const current = stored && stored.day === day ? stored : emptyProgress(day);
  const progress = { ...current.progress };
  const completed: QuestId[] = [];
  for (const id of questsFor(playerId, day)) {
    const quest = QUESTS[id];
    if (quest.activity !== activity) continue;
    const before = progress[id] ?? 0;
    if (before >= quest.target) continue;
    progress[id] = before + 1;
    if (before + 1 === quest.target) completed.push(id);
  }
  return { quests: { ...current, progress }, completed };
}

/** A quest of today, finished and not yet claimed, pays its reward. */
export function mayClaimQuest(
  stored: QuestProgress | null, playerId: string, day: string, questId: string,
): RuleResult<{ quests: QuestProgress; quest: QuestInfo }> {
  if (!isQuestId(questId) || !questsFor(playerId, day).includes(questId)) return refuse("quest_unknown", "That is not one of today's quests");
  const current = stored && stored.day === day ? stored : emptyProgress(day);
  const quest = QUESTS[questId];
  if (current.claimed.includes(questId)) return refuse("already_claimed", "This quest's reward was already claimed");
  if ((current.progress[questId] ?? 0) < quest.target) return refuse("quest_not_done", "Finish the quest first");
  return { ok: true, quest, quests: { ...current, claimed: [...current.claimed, questId] } };
}
