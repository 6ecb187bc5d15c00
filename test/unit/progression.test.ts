/** Levels and XP (shared/progression.ts), the Paris day (shared/paris-day.ts). */
import { describe, expect, it } from "vitest";
import { addDays, nextParisMidnight, parisDay } from "../../shared/paris-day.ts";
import {
  MAX_LEVEL, MAX_XP, XP_FOR, decorationLevel, gainXp, levelOf, levelProgress, levelUpCoins, mayUseDecoration, xpToReach,
} from "../../shared/progression.ts";

describe("the level curve", () => {
  it("needs 0, 50, 150, 300, 500 XP for levels 1 to 5, each level longer than the last", () => {
    expect([1, 2, 3, 4, 5].map(xpToReach)).toEqual([0, 50, 150, 300, 500]);
    for (let l = 2; l < MAX_LEVEL; l += 1) expect(xpToReach(l + 1) - xpToReach(l)).toBeGreaterThan(xpToReach(l) - xpToReach(l - 1));
  });

  it("gives the level of an XP total at the edges", () => {
    expect(levelOf(0)).toBe(1);
    expect(levelOf(49)).toBe(1);
    expect(levelOf(50)).toBe(2);
    expect(levelOf(149)).toBe(2);
    expect(levelOf(150)).toBe(3);
    expect(levelOf(MAX_XP)).toBe(MAX_LEVEL);
    expect(() => levelOf(-1)).toThrow(RangeError);
    expect(() => levelOf(1.5)).toThrow(RangeError);
  });

  it("says how far into the level the bar is, full and still at the top level", () => {
    expect(levelProgress(60)).toEqual({ level: 2, xp: 60, xpIntoLevel: 10, xpForLevel: 100 });
    expect(levelProgress(MAX_XP)).toEqual({ level: MAX_LEVEL, xp: MAX_XP, xpIntoLevel: 0, xpForLevel: 0 });
  });

  it("earns XP per action, helping a friend the most", () => {
    expect(XP_FOR).toEqual({ plant: 2, water: 1, harvest: 4, help: 5 });
  });
});

describe("gaining XP", () => {
  it("reports no level reached below the next level", () => {
    expect(gainXp(40, 9)).toEqual({ xp: 49, gained: 9, level: 1, levelsReached: [], bonusCoins: 0, unlocked: [], crops: [] });
  });

  it("reaches a level exactly at its threshold, paying its bonus and unlocking its decorations", () => {
    expect(gainXp(45, 5)).toEqual({ xp: 50, gained: 5, level: 2, levelsReached: [2], bonusCoins: levelUpCoins(2), unlocked: ["rose", "bench"], crops: ["tomato"] });
  });

  it("may reach several levels at once, paying each", () => {
    const gain = gainXp(0, 300);
    expect(gain.levelsReached).toEqual([2, 3, 4]);
    expect(gain.bonusCoins).toBe(20 + 30 + 40);
    expect(gain.unlocked).toEqual(["rose", "bench", "cactus", "scarecrow", "wind-chime", "tent"]);
    expect(gain.crops).toEqual(["tomato", "strawberry", "corn"]);
  });

  it("never passes MAX_XP and refuses a bad amount", () => {
    expect(gainXp(MAX_XP - 1, 10)).toMatchObject({ xp: MAX_XP, gained: 1, levelsReached: [] });
    expect(() => gainXp(0, -1)).toThrow(RangeError);
  });
});

describe("what levels unlock", () => {
  it("opens the bench at 2, the scarecrow at 3, the fountain at 5 and the rest at 1", () => {
    expect(decorationLevel("fence")).toBe(1);
    expect(decorationLevel("bench")).toBe(2);
    expect(decorationLevel("fountain")).toBe(5);
    expect(mayUseDecoration("fountain", 4)).toMatchObject({ ok: false, code: "level_too_low" });
    expect(mayUseDecoration("fountain", 5)).toEqual({ ok: true });
    expect(mayUseDecoration("fence", 1)).toEqual({ ok: true });
  });
});

describe("the Paris day", () => {
  it("turns at midnight in Paris, not in UTC (winter: UTC+1)", () => {
    expect(parisDay(Date.parse("2026-01-14T22:59:59.999Z"))).toBe("2026-01-14");
    expect(parisDay(Date.parse("2026-01-14T23:00:00Z"))).toBe("2026-01-15");
  });

  it("turns an hour earlier in UTC in summer (UTC+2)", () => {
    expect(parisDay(Date.parse("2026-07-14T21:59:59.999Z"))).toBe("2026-07-14");
    expect(parisDay(Date.parse("2026-07-14T22:00:00Z"))).toBe("2026-07-15");
  });

  it("knows the next midnight, also across the clock changes", () => {
    expect(new Date(nextParisMidnight(Date.parse("2026-01-14T12:00:00Z"))).toISOString()).toBe("2026-01-14T23:00:00.000Z");
    expect(new Date(nextParisMidnight(Date.parse("2026-07-14T12:00:00Z"))).toISOString()).toBe("2026-07-14T22:00:00.000Z");
    // 29 March 2026: clocks go forward at 02:00; that day's midnight is still UTC+1, the next one UTC+2.
    expect(new Date(nextParisMidnight(Date.parse("2026-03-28T12:00:00Z"))).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(new Date(nextParisMidnight(Date.parse("2026-03-29T12:00:00Z"))).toISOString()).toBe("2026-03-29T22:00:00.000Z");
    // 25 October 2026: clocks go back; the next midnight is UTC+1 again.
    expect(new Date(nextParisMidnight(Date.parse("2026-10-25T12:00:00Z"))).toISOString()).toBe("2026-10-25T23:00:00.000Z");
    const now = Date.parse("2026-12-31T23:30:00Z");
    expect(parisDay(now)).toBe("2027-01-01");
    expect(parisDay(nextParisMidnight(now))).toBe("2027-01-02");
    expect(parisDay(nextParisMidnight(now) - 1)).toBe("2027-01-01");
  });

  it("counts calendar days across months and years", () => {
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(() => addDays("yesterday", 1)).toThrow(RangeError);
  });
});
