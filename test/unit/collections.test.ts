/**
 * Collections (shared/collections.ts): a seeded drop (same inputs, same
 * answer; about the stated chance over many harvests; longer crops better
 * odds; help pieces only from helping), each set's progress, and a claim
 * allowed once, only for a complete set.
 */
import { describe, expect, it } from "vitest";
import { DECORATIONS } from "../../shared/decorations.ts";
import { PIECE_IDS, SETS, SET_IDS, collectionProgress, dropChance, mayClaimSet, rollPiece } from "../../shared/collections.ts";
import { ART_SPRITES } from "../../shared/sprites.ts";

const NOW = Date.parse("2026-12-05T12:00:00Z");

describe("collection sets", () => {
  it("uses every piece once, has a sprite for each, and rewards a decoration that is never sold", () => {
    const pieces = SET_IDS.flatMap((id) => SETS[id].pieces);
    expect([...pieces].sort()).toEqual([...PIECE_IDS].sort());
    for (const p of PIECE_IDS) expect(ART_SPRITES as readonly string[]).toContain(`piece-${p}`);
    for (const id of SET_IDS) expect(DECORATIONS[SETS[id].reward].source).toBe("collection");
  });
});

describe("the seeded drop", () => {
  it("answers the same for the same player, item and instant", () => {
    const input = { playerId: "p1", itemId: "i1", now: NOW, source: "harvest" as const, crop: "wheat" as const };
    expect(rollPiece(input)).toBe(rollPiece({ ...input }));
    expect(() => rollPiece({ ...input, now: -1 })).toThrow(RangeError);
  });

  it("drops about as often as its chance says, harvest pieces from harvests and friendship pieces from helping", () => {
    const harvestPool = new Set(SET_IDS.filter((id) => SETS[id].source === "harvest").flatMap((id) => SETS[id].pieces));
    let drops = 0;
    const seen = new Set<string>();
    for (let i = 0; i < 4000; i += 1) {
      const piece = rollPiece({ playerId: "p1", itemId: `crop-${i}`, now: NOW + i, source: "harvest", crop: "wheat" });
      if (!piece) continue;
      drops += 1;
      seen.add(piece);
      expect(harvestPool.has(piece)).toBe(true);
    }
    expect(drops / 4000).toBeGreaterThan(dropChance({ source: "harvest", crop: "wheat" }) - 0.03);
    expect(drops / 4000).toBeLessThan(dropChance({ source: "harvest", crop: "wheat" }) + 0.03);
    expect(seen.size).toBe(harvestPool.size);
    for (let i = 0; i < 200; i += 1) {
      const piece = rollPiece({ playerId: "p2", itemId: `crop-${i}`, now: NOW, source: "help" });
      if (piece) expect(SETS.friendship.pieces).toContain(piece);
    }
    expect(dropChance({ source: "harvest", crop: "watermelon" })).toBeGreaterThan(dropChance({ source: "harvest", crop: "wheat" }));
    expect(dropChance({ source: "harvest", crop: "watermelon" })).toBeLessThanOrEqual(0.6);
  });
});

describe("progress and the claim", () => {
  it("counts each piece once and says which sets are complete", () => {
    const progress = collectionProgress(["ladybug", "ladybug", "snail", "butterfly", "clover", "pear"], []);
    expect(progress.find((p) => p.id === "meadow")).toEqual({ id: "meadow", found: ["ladybug", "butterfly", "snail", "clover"], total: 4, complete: true, claimed: false });
    expect(progress.find((p) => p.id === "orchard")).toMatchObject({ found: ["pear"], complete: false });
  });

  it("grants a complete set once, refuses an incomplete or unknown one", () => {
    const found = ["ladybug", "butterfly", "snail", "clover"] as const;
    expect(mayClaimSet("meadow", found, [])).toMatchObject({ ok: true, set: { reward: "ferris-wheel" } });
    expect(mayClaimSet("meadow", found, ["meadow"])).toMatchObject({ ok: false, code: "already_claimed" });
    expect(mayClaimSet("orchard", found, [])).toMatchObject({ ok: false, code: "set_incomplete" });
    expect(mayClaimSet("toString", found, [])).toMatchObject({ ok: false, code: "set_unknown" });
  });
});
