import { describe, expect, it } from "vitest";
import { CROP_KINDS, harvestCrop, isCrop, msUntilRipe, waterCrop } from "../../shared/farming.ts";
import { STARTER_RIPE_MS, mayHaveStarterCrop, oneWateringRipens, starterCrop } from "../../shared/starter-crop.ts";
import {
  HARVEST_WAIT_MS, NEW_TUTORIAL, type TutorialContext, type TutorialEvent, type TutorialProgress,
  applyEvent, currentStep, parseProgress, plotTile, stepNumber,
} from "../../shared/tutorial.ts";

const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
const HOME: TutorialContext = { away: false, cropRipeInMs: null, hasNeighbour: true };

/** Plays events in order, each with its own context, and returns the progress and the step after each. */
function play(steps: Array<[TutorialEvent, TutorialContext]>, from: TutorialProgress = NEW_TUTORIAL) {
  let p = from;
  const seen: string[] = [];
  for (const [event, ctx] of steps) {
    p = applyEvent(p, event, ctx);
    seen.push(currentStep(p, ctx));
  }
  return { p, seen };
}

describe("the starter crop", () => {
  it("is ripe STARTER_RIPE_MS after planting, and one watering ripens it, whatever the seed", () => {
    for (const kind of CROP_KINDS) {
      const crop = starterCrop(kind, T0);
      expect(isCrop(crop)).toBe(true);
      expect(msUntilRipe(crop, T0)).toBe(STARTER_RIPE_MS);
      expect(harvestCrop(crop, T0 + STARTER_RIPE_MS - 1000).ok).toBe(false);
      expect(harvestCrop(crop, T0 + STARTER_RIPE_MS).ok).toBe(true);
      const watered = waterCrop(crop, "me", T0 + 2000);
      if (!watered.ok) throw new Error(watered.code);
      expect(msUntilRipe(watered.crop, T0 + 2000)).toBe(0);
      expect(oneWateringRipens(kind)).toBe(true);
    }
  });

  it("goes only to a player with no coins and nothing growing", () => {
    expect(mayHaveStarterCrop({ coins: 0, items: [{ kind: "decor" }, { kind: "gift" }] })).toBe(true);
    expect(mayHaveStarterCrop({ coins: 5, items: [] })).toBe(false);
    expect(mayHaveStarterCrop({ coins: 0, items: [{ kind: "crop" }] })).toBe(false);
  });
});

describe("the tutorial's steps", () => {
  it("goes welcome → plant → water → harvest → visit → home → shop → done with a starter crop", () => {
    const growing: TutorialContext = { ...HOME, cropRipeInMs: STARTER_RIPE_MS };
    const ripe: TutorialContext = { ...HOME, cropRipeInMs: 0 };
    expect(currentStep(NEW_TUTORIAL, HOME)).toBe("welcome");
    const { p, seen } = play([
      [{ type: "begin" }, HOME],
      [{ type: "planted", itemId: "c1" }, growing],
      [{ type: "watered", itemId: "c1" }, ripe],
      [{ type: "harvested", itemId: "c1" }, HOME],
      [{ type: "visited" }, { ...HOME, away: true }],
      [{ type: "shopMet" }, HOME],
      [{ type: "finish" }, HOME],
    ]);
    // Back home (no event: the room says which village is open) the shop step shows; met, the last card; finished, it ends.
    expect(seen).toEqual(["plant", "water", "harvest", "visit", "goHome", "done", "done"]);
    const beforeShop = play([
      [{ type: "begin" }, HOME], [{ type: "planted", itemId: "c1" }, growing], [{ type: "watered", itemId: "c1" }, ripe],
      [{ type: "harvested", itemId: "c1" }, HOME], [{ type: "visited" }, { ...HOME, away: true }],
    ]).p;
    expect(currentStep(beforeShop, HOME)).toBe("shop");
    expect(currentStep(applyEvent(beforeShop, { type: "shopMet" }, HOME), HOME)).toBe("done");
    expect(p.ended).toBe("finished");
    expect(p.done).toEqual(["welcome", "plant", "water", "harvest", "visit", "shop"]);
  });

  it("sends the player visiting while a slow crop grows, then back home to harvest it", () => {
    const slow: TutorialContext = { ...HOME, cropRipeInMs: 90_000 };
    const { p, seen } = play([
      [{ type: "begin" }, HOME],
      [{ type: "planted", itemId: "c1" }, { ...HOME, cropRipeInMs: 120_000 }],
      [{ type: "watered", itemId: "c1" }, slow],
      [{ type: "visited" }, { ...slow, away: true }],
    ]);
    expect(seen).toEqual(["plant", "water", "visit", "goHome"]);
    // Home, still growing: the harvest step waits (the coach counts down); ripe, it is harvested.
    expect(currentStep(p, { ...slow, cropRipeInMs: 40_000 })).toBe("harvest");
    const harvested = applyEvent(p, { type: "harvested", itemId: "c1" }, { ...HOME, cropRipeInMs: 0 });
    expect(currentStep(harvested, HOME)).toBe("shop");
  });

  it("waits for a crop ripe within HARVEST_WAIT_MS rather than leaving", () => {
    const p = play([
      [{ type: "begin" }, HOME],
      [{ type: "planted", itemId: "c1" }, HOME],
      [{ type: "watered", itemId: "c1" }, HOME],
    ]).p;
    expect(currentStep(p, { ...HOME, cropRipeInMs: HARVEST_WAIT_MS })).toBe("harvest");
    expect(currentStep(p, { ...HOME, cropRipeInMs: HARVEST_WAIT_MS + 1 })).toBe("visit");
  });

  it("asks to go home for the farm steps when I am in someone else's village", () => {
    const p = applyEvent(NEW_TUTORIAL, { type: "begin" }, HOME);
    expect(currentStep(p, { ...HOME, away: true })).toBe("goHome");
    // A planting heard while the coach says "go home" is not the tutorial's.
    expect(applyEvent(p, { type: "planted", itemId: "x" }, { ...HOME, away: true }).cropId).toBeNull();
  });

  it("counts game events only for their own step and for the tutorial's crop", () => {
    // Before the welcome: nothing counts.
    expect(applyEvent(NEW_TUTORIAL, { type: "planted", itemId: "c1" }, HOME)).toBe(NEW_TUTORIAL);
    expect(applyEvent(NEW_TUTORIAL, { type: "visited" }, HOME)).toBe(NEW_TUTORIAL);
    const planted = play([
      [{ type: "begin" }, HOME],
      [{ type: "planted", itemId: "c1" }, { ...HOME, cropRipeInMs: 20_000 }],
    ]).p;
    // Another crop watered, or a second planting, changes nothing.
    expect(applyEvent(planted, { type: "watered", itemId: "other" }, HOME)).toBe(planted);
    expect(applyEvent(planted, { type: "planted", itemId: "c2" }, { ...HOME, cropRipeInMs: 20_000 })).toBe(planted);
    // The shop and finish are not taken early.
    expect(applyEvent(planted, { type: "shopMet" }, HOME)).toBe(planted);
    expect(applyEvent(planted, { type: "finish" }, HOME)).toBe(planted);
  });

  it("harvesting a crop ripe by itself also counts as watered", () => {
    const p = play([
      [{ type: "begin" }, HOME],
      [{ type: "planted", itemId: "c1" }, { ...HOME, cropRipeInMs: 0 }],
      [{ type: "harvested", itemId: "c1" }, HOME],
    ]).p;
    expect(p.done).toEqual(["welcome", "plant", "water", "harvest"]);
    expect(currentStep(p, HOME)).toBe("visit");
  });

  it("asks to plant again when the tutorial's crop is gone before the harvest", () => {
    const p = play([
      [{ type: "begin" }, HOME],
      [{ type: "planted", itemId: "c1" }, { ...HOME, cropRipeInMs: 20_000 }],
    ]).p;
    expect(currentStep(p, HOME)).toBe("plant");
    const again = applyEvent(p, { type: "planted", itemId: "c2" }, HOME);
    expect(again.cropId).toBe("c2");
    expect(currentStep(again, { ...HOME, cropRipeInMs: 20_000 })).toBe("water");
  });

  it("skips the visit when there is no demo neighbour", () => {
    const noNeighbour: TutorialContext = { ...HOME, hasNeighbour: false, cropRipeInMs: 90_000 };
    const p = play([
      [{ type: "begin" }, noNeighbour],
      [{ type: "planted", itemId: "c1" }, noNeighbour],
      [{ type: "watered", itemId: "c1" }, noNeighbour],
    ]).p;
    expect(currentStep(p, noNeighbour)).toBe("harvest");
    const harvested = applyEvent(p, { type: "harvested", itemId: "c1" }, { ...noNeighbour, cropRipeInMs: 0 });
    expect(currentStep(harvested, { ...noNeighbour, cropRipeInMs: null })).toBe("shop");
  });

  it("Skip ends it at any step, for good", () => {
    for (const from of [NEW_TUTORIAL, applyEvent(NEW_TUTORIAL, { type: "begin" }, HOME)]) {
      const skipped = applyEvent(from, { type: "skip" }, HOME);
      expect(skipped.ended).toBe("skipped");
      expect(currentStep(skipped, HOME)).toBe("done");
      expect(applyEvent(skipped, { type: "begin" }, HOME)).toBe(skipped);
    }
  });

  it("reads stored progress, and starts afresh from anything unreadable", () => {
    const p: TutorialProgress = { done: ["welcome", "plant"], cropId: "c1", ended: null };
    expect(parseProgress(JSON.stringify(p))).toEqual(p);
    expect(parseProgress(null)).toEqual(NEW_TUTORIAL);
    expect(parseProgress("{not json")).toEqual(NEW_TUTORIAL);
    expect(parseProgress(JSON.stringify({ done: ["welcome", "fly", "welcome"], ended: "maybe" }))).toEqual({ done: ["welcome"], cropId: null, ended: null });
  });

  it("numbers the steps and points at a free tile of the plot", () => {
    expect(stepNumber("welcome")).toEqual({ index: 1, total: 6 });
    expect(stepNumber("goHome")).toEqual({ index: 5, total: 6 });
    expect(stepNumber("shop")).toEqual({ index: 6, total: 6 });
    expect(plotTile(() => false)).toEqual({ x: 9, y: 7 });
    expect(plotTile((x, y) => x === 9 && y === 7)).toEqual({ x: 8, y: 7 });
    expect(plotTile(() => true)).toBeNull();
  });
});
