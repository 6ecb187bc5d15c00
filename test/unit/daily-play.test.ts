/** Daily quests, the daily reward and the friend-help reward (shared/daily-quests.ts, daily-reward.ts, friend-help.ts, progress-api.ts). */
import { describe, expect, it } from "vitest";
import { QUESTS, QUESTS_PER_DAY, advanceQuests, emptyProgress, mayClaimQuest, questsFor, type QuestProgress } from "../../shared/daily-quests.ts";
import { dailyRewardFor, mayClaimDailyReward, nextStreak } from "../../shared/daily-reward.ts";
import { HELP_CAP_PER_FRIEND_PER_DAY, HELP_REWARD, helpReward } from "../../shared/friend-help.ts";
import { progressViewOf } from "../../shared/progress-api.ts";

const ME = "6f1d3c1e-0000-4000-8000-000000000001";
const DAY = "2026-12-05";
/** Noon in Paris on 5 December 2026, and the last and first instants around its midnight. */
const NOON = Date.parse("2026-12-05T11:00:00Z");
const LAST_MS = Date.parse("2026-12-05T22:59:59.999Z");
const NEXT_DAY = Date.parse("2026-12-05T23:00:00Z");

describe("the day's quests", () => {
  it("are three different quests, for three different actions, one of them planting", () => {
    for (let i = 0; i < 200; i += 1) {
      const ids = questsFor(`player-${i}`, DAY);
      expect(ids).toHaveLength(QUESTS_PER_DAY);
      expect(new Set(ids.map((id) => QUESTS[id].activity)).size).toBe(QUESTS_PER_DAY);
      expect(ids.some((id) => QUESTS[id].activity === "plant")).toBe(true);
    }
  });

  it("are the same for the same player and day, and change with the day and the player", () => {
    expect(questsFor(ME, DAY)).toEqual(questsFor(ME, DAY));
    const days = Array.from({ length: 20 }, (_, i) => questsFor(ME, `2026-12-${String(i + 1).padStart(2, "0")}`).join());
    expect(new Set(days).size).toBeGreaterThan(1);
    const players = Array.from({ length: 20 }, (_, i) => questsFor(`p${i}`, DAY).join());
    expect(new Set(players).size).toBeGreaterThan(1);
  });

  it("advance with their action, stop at the target, and report the action that finished them", () => {
    const plantQuest = questsFor(ME, DAY).find((id) => QUESTS[id].activity === "plant")!;
    let quests: QuestProgress | null = null;
    const finished: string[] = [];
    for (let i = 0; i < QUESTS[plantQuest].target + 2; i += 1) {
      const step = advanceQuests(quests, ME, DAY, "plant");
      quests = step.quests;
      finished.push(...step.completed);
    }
    expect(quests!.progress[plantQuest]).toBe(QUESTS[plantQuest].target);
    expect(finished).toEqual([plantQuest]);
    // Another action leaves the planting quest where it was.
    expect(advanceQuests(quests, ME, DAY, "water").quests.progress[plantQuest]).toBe(QUESTS[plantQuest].target);
  });

  it("start again on the next Paris day", () => {
    const plantQuest = questsFor(ME, DAY).find((id) => QUESTS[id].activity === "plant")!;
    const yesterday: QuestProgress = { day: DAY, progress: { [plantQuest]: 2 }, claimed: [plantQuest] };
    const { quests } = advanceQuests(yesterday, ME, "2026-12-06", "water");
    expect(quests.day).toBe("2026-12-06");
    expect(quests.claimed).toEqual([]);
    expect(Object.keys(quests.progress).every((id) => questsFor(ME, "2026-12-06").includes(id as never))).toBe(true);
  });

  it("pay once, only finished, only today's", () => {
    const plantQuest = questsFor(ME, DAY).find((id) => QUESTS[id].activity === "plant")!;
    const notToday = Object.keys(QUESTS).find((id) => !questsFor(ME, DAY).includes(id as never))!;
    expect(mayClaimQuest(null, ME, DAY, notToday)).toMatchObject({ ok: false, code: "quest_unknown" });
    expect(mayClaimQuest(null, ME, DAY, "gold")).toMatchObject({ ok: false, code: "quest_unknown" });
    expect(mayClaimQuest(null, ME, DAY, plantQuest)).toMatchObject({ ok: false, code: "quest_not_done" });
    const done: QuestProgress = { day: DAY, progress: { [plantQuest]: QUESTS[plantQuest].target }, claimed: [] };
    const claim = mayClaimQuest(done, ME, DAY, plantQuest);
    expect(claim).toMatchObject({ ok: true, quest: QUESTS[plantQuest] });
    if (!claim.ok) return;
    expect(mayClaimQuest(claim.quests, ME, DAY, plantQuest)).toMatchObject({ ok: false, code: "already_claimed" });
    // Yesterday's finished quest is not claimable today.
    expect(mayClaimQuest(done, ME, "2026-12-06", plantQuest)).toMatchObject({ ok: false });
  });
});

describe("the daily reward", () => {
  it("is claimable once per Paris day, again from the first millisecond of the next", () => {
    const first = mayClaimDailyReward(null, NOON);
    expect(first).toEqual({ ok: true, day: DAY, streak: 1, coins: 10, xp: 10 });
    expect(mayClaimDailyReward({ day: DAY, streak: 1 }, LAST_MS)).toMatchObject({ ok: false, code: "already_claimed" });
    expect(mayClaimDailyReward({ day: DAY, streak: 1 }, NEXT_DAY)).toEqual({ ok: true, day: "2026-12-06", streak: 2, coins: 15, xp: 10 });
  });

  it("builds a streak on consecutive days, starts again after a missed day, stops growing at day 7", () => {
    expect(nextStreak({ day: "2026-12-04", streak: 4 }, NOON)).toBe(5);
    expect(nextStreak({ day: "2026-12-03", streak: 4 }, NOON)).toBe(1);
    expect(dailyRewardFor(7)).toEqual({ coins: 40, xp: 10 });
    expect(dailyRewardFor(30)).toEqual(dailyRewardFor(7));
  });

  it("turns with Paris midnight, not UTC midnight", () => {
    // 23:30 UTC on the 5th is already the 6th in Paris: yesterday's claim (the 5th) makes a streak.
    expect(mayClaimDailyReward({ day: DAY, streak: 1 }, Date.parse("2026-12-05T23:30:00Z"))).toMatchObject({ ok: true, day: "2026-12-06", streak: 2 });
  });
});

describe("helping a friend", () => {
  const base = { friends: true, helperId: "a", ownerId: "b" };

  it("rewards both players until the cap per friend per day", () => {
    for (let n = 0; n < HELP_CAP_PER_FRIEND_PER_DAY; n += 1) expect(helpReward({ ...base, helpsToday: n })).toEqual(HELP_REWARD);
    expect(helpReward({ ...base, helpsToday: HELP_CAP_PER_FRIEND_PER_DAY })).toBeNull();
    expect(HELP_REWARD.helper.coins).toBeGreaterThan(0);
    expect(HELP_REWARD.owner.coins).toBeGreaterThan(0);
  });

  it("pays nothing to a stranger in a public village, nor to the owner for their own crops", () => {
    expect(helpReward({ ...base, friends: false, helpsToday: 0 })).toBeNull();
    expect(helpReward({ ...base, ownerId: "a", helpsToday: 0 })).toBeNull();
  });
});

describe("the progress view", () => {
  it("shows today's quests, the daily reward and the level bar", () => {
    const view = progressViewOf({ xp: 60, quests: null, lastReward: null }, ME, NOON);
    expect(view).toMatchObject({ level: 2, xpIntoLevel: 10, xpForLevel: 100, day: DAY, resetsAt: "2026-12-05T23:00:00.000Z", helpCap: HELP_CAP_PER_FRIEND_PER_DAY });
    expect(view.quests.map((q) => q.id)).toEqual(questsFor(ME, DAY));
    expect(view.quests.every((q) => q.progress === 0 && !q.claimed)).toBe(true);
    expect(view.daily).toEqual({ claimable: true, streak: 1, coins: 10, xp: 10 });
  });

  it("drops yesterday's progress and offers the reward again after midnight", () => {
    const plantQuest = questsFor(ME, DAY).find((id) => QUESTS[id].activity === "plant")!;
    const stored = { xp: 0, quests: { ...emptyProgress(DAY), progress: { [plantQuest]: 1 } }, lastReward: { day: DAY, streak: 3 } };
    expect(progressViewOf(stored, ME, LAST_MS).quests.find((q) => q.id === plantQuest)!.progress).toBe(1);
    expect(progressViewOf(stored, ME, LAST_MS).daily).toMatchObject({ claimable: false, streak: 3 });
    const tomorrow = progressViewOf(stored, ME, NEXT_DAY);
    expect(tomorrow.quests.every((q) => q.progress === 0)).toBe(true);
    expect(tomorrow.daily).toEqual({ claimable: true, streak: 4, coins: 25, xp: 10 });
  });
});
