/**
 * The crops and decorations spread over levels (shared/farming.ts,
 * shared/decorations.ts, shared/progression.ts): each level from 2 to 8 opens
 * something, a locked crop or decoration is refused with the level it needs,
 * and the economy holds: no shop decoration takes more than a few harvests of
 * the best crop a player has when it opens, and up to level 5 never 40 of the first crop.
 */
import { describe, expect, it } from "vitest";
import { DECORATION_IDS, DECORATIONS } from "../../shared/decorations.ts";
import { CROP_KINDS, CROPS } from "../../shared/farming.ts";
import { CROP_UNLOCKS, LEVEL_UNLOCKS, levelUpCoins, mayPlantKind, mayUseDecoration, xpToReach } from "../../shared/progression.ts";

const shop = DECORATION_IDS.filter((id) => DECORATIONS[id].source === "shop");
const bestCropAt = (level: number) => Math.max(...CROP_KINDS.filter((k) => CROPS[k].level <= level).map((k) => CROPS[k].coins));

describe("content spread over levels", () => {
  it("has at least 8 crops and 15 shop decorations, each level from 2 to 8 opening something", () => {
    expect(CROP_KINDS.length).toBeGreaterThanOrEqual(8);
    expect(shop.length).toBeGreaterThanOrEqual(15);
    for (let level = 2; level <= 8; level += 1) expect([...(CROP_UNLOCKS[level] ?? []), ...(LEVEL_UNLOCKS[level] ?? [])].length, `level ${level}`).toBeGreaterThan(0);
    expect(CROP_KINDS.filter((k) => CROPS[k].level === 1).length).toBeGreaterThanOrEqual(3);
  });

  it("refuses a crop below its level, saying which, and allows it from that level", () => {
    expect(mayPlantKind("wheat", 1)).toEqual({ ok: true });
    expect(mayPlantKind("tomato", 1)).toMatchObject({ ok: false, code: "level_too_low", message: expect.stringContaining("level 2") });
    expect(mayPlantKind("tomato", 2)).toEqual({ ok: true });
    expect(mayPlantKind("watermelon", 7)).toMatchObject({ ok: false, code: "level_too_low" });
    expect(mayPlantKind("watermelon", 8)).toEqual({ ok: true });
    expect(mayUseDecoration("castle", 9)).toMatchObject({ ok: false, code: "level_too_low" });
    expect(mayUseDecoration("castle", 10)).toEqual({ ok: true });
    // Seasonal decorations and collections' rewards wait for no level.
    expect(mayUseDecoration("snowman", 1)).toEqual({ ok: true });
  });

  it("prices a decoration at a few harvests of the best crop open at its level, and, up to the fountain's level, never 40 of wheat", () => {
    for (const id of shop) {
      const d = DECORATIONS[id];
      expect(d.coins / bestCropAt(d.level), id).toBeLessThanOrEqual(8);
      if (d.level <= 5) expect(d.coins / CROPS.wheat.coins, id).toBeLessThan(40);
    }
    // The fountain: five pumpkins at level 5, and the level bonuses on the way there pay most of it.
    expect(DECORATIONS.fountain.coins / bestCropAt(5)).toBeLessThanOrEqual(5);
    expect(levelUpCoins(2) + levelUpCoins(3) + levelUpCoins(4) + levelUpCoins(5)).toBeGreaterThan(DECORATIONS.fountain.coins * 0.9);
  });

  it("gives crops that open later more XP per harvest, and shop prices that rise with the level", () => {
    const byLevel = [...CROP_KINDS].sort((a, b) => CROPS[a].level - CROPS[b].level || CROPS[a].growMs - CROPS[b].growMs);
    for (const kind of CROP_KINDS) expect(CROPS[kind].xp).toBeGreaterThanOrEqual(4);
    expect(CROPS[byLevel.at(-1)!].xp).toBeGreaterThan(CROPS.wheat.xp * 3);
    const cheapestAt = (level: number) => Math.min(...shop.filter((id) => DECORATIONS[id].level === level).map((id) => DECORATIONS[id].coins));
    const dearestAt = (level: number) => Math.max(...shop.filter((id) => DECORATIONS[id].level === level).map((id) => DECORATIONS[id].coins));
    const levels = [...new Set(shop.map((id) => DECORATIONS[id].level))].sort((a, b) => a - b);
    for (let i = 1; i < levels.length; i += 1) expect(dearestAt(levels[i]!), `level ${levels[i]}`).toBeGreaterThan(cheapestAt(levels[i - 1]!));
    // Reaching level 10 takes real play: 2,250 XP, more than 150 watermelon harvests' worth of harvest XP alone.
    expect(xpToReach(10) / CROPS.watermelon.xp).toBeGreaterThan(100);
  });
});
