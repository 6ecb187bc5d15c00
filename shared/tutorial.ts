/**
 * The first-five-minutes tutorial, as pure rules: which step the coach shows,
 * given what the player has done (progress) and where things stand now
 * (context), and how each real game event moves the progress on. The coach
 * never advances on a "Next" click alone (only the welcome and the shop
 * steps, which have nothing to do, have one); planting, watering, harvesting
 * and visiting are heard from the room. Skipping ends it at any step.
 *
 * Order: welcome → plant → water → harvest → visit the demo neighbour → back
 * home → meet the shop → done. A crop that will not be ripe soon (a replayed
 * tutorial gets no starter crop: starter-crop.ts) does not hold the player:
 * the visit and the shop come first, and the harvest when it is ripe.
 */

export const TUTORIAL_TASKS = ["welcome", "plant", "water", "harvest", "visit", "shop"] as const;
export type TutorialTask = (typeof TUTORIAL_TASKS)[number];

/** What the coach shows: a task to do, "goHome" (the task needs my own village), or "done". */
export type TutorialStep = TutorialTask | "goHome" | "done";

export interface TutorialProgress {
  /** Tasks done, in the order they were done. */
  readonly done: readonly TutorialTask[];
  /** The crop planted during the tutorial (its item id), once planted. */
  readonly cropId: string | null;
  /** Set once the player finished or skipped it: it never shows again (unless replayed). */
  readonly ended: "finished" | "skipped" | null;
}

export interface TutorialContext {
  /** I am in someone else's village. */
  readonly away: boolean;
  /** The tutorial's crop: null when it is not (or no longer) in my village, else how long until ripe. */
  readonly cropRipeInMs: number | null;
  /** Whether there is a demo neighbour to visit (none on a server without the demo data). */
  readonly hasNeighbour: boolean;
}

export type TutorialEvent =
  | { readonly type: "begin" }
  | { readonly type: "planted"; readonly itemId: string }
  | { readonly type: "watered"; readonly itemId: string }
  | { readonly type: "harvested"; readonly itemId: string }
  | { readonly type: "visited" }
  | { readonly type: "shopMet" }
  | { readonly type: "finish" }
  | { readonly type: "skip" };

/** A crop ripe within this long is worth waiting for; a longer wait sends the player visiting first. */
export const HARVEST_WAIT_MS = 25_000;

export const NEW_TUTORIAL: TutorialProgress = { done: [], cropId: null, ended: null };

const has = (p: TutorialProgress, task: TutorialTask) => p.done.includes(task);

function withTask(p: TutorialProgress, ...tasks: TutorialTask[]): TutorialProgress {
  const added = tasks.filter((task) => !has(p, task));
  return added.length === 0 ? p : { ...p, done: [...p.done, ...added] };
}

/** The step the coach shows now. */
export function currentStep(p: TutorialProgress, ctx: TutorialContext): TutorialStep {
  if (p.ended) return "done";
  if (!has(p, "welcome")) return "welcome";
  const atHome = (task: TutorialTask): TutorialStep => (ctx.away ? "goHome" : task);
  // The crop went (harvested some other way, or gone): plant another.
  const cropGone = ctx.cropRipeInMs === null && !has(p, "harvest");
  if (!has(p, "plant") || cropGone) return atHome("plant");
  if (!has(p, "water")) return atHome("water");
  const ripeSoon = (ctx.cropRipeInMs ?? 0) <= HARVEST_WAIT_MS;
  const visitLeft = ctx.hasNeighbour && !has(p, "visit");
  if (!has(p, "harvest") && (ripeSoon || !visitLeft)) return atHome("harvest");
  if (visitLeft) return "visit";
  if (ctx.away) return "goHome";
  if (!has(p, "harvest")) return "harvest";
  if (!has(p, "shop")) return "shop";
  return "done";
}

/**
 * What an event does to the progress, given the step it happened in. Game
 * events count only for their own task (a crop planted before the welcome is
 * not the tutorial's), and only for the tutorial's crop.
 */
export function applyEvent(p: TutorialProgress, event: TutorialEvent, ctx: TutorialContext): TutorialProgress {
  if (p.ended) return p;
  if (event.type === "skip") return { ...p, ended: "skipped" };
  const step = currentStep(p, ctx);
  switch (event.type) {
    case "begin":
      return step === "welcome" ? withTask(p, "welcome") : p;
    case "planted":
      // A new crop when the first one went: the tutorial follows the new one.
      return step === "plant" ? { ...withTask(p, "plant"), cropId: event.itemId } : p;
    case "watered":
      return event.itemId === p.cropId && has(p, "plant") ? withTask(p, "water") : p;
    case "harvested":
      // Harvested before watering (a crop ripe by itself): watering is not asked for any more.
      return event.itemId === p.cropId && has(p, "plant") ? withTask(p, "water", "harvest") : p;
    case "visited":
      return has(p, "welcome") ? withTask(p, "visit") : p;
    case "shopMet":
      return step === "shop" ? withTask(p, "shop") : p;
    case "finish":
      return step === "done" ? { ...p, ended: "finished" } : p;
  }
}

/** The progress as stored (localStorage): anything unreadable starts afresh. */
export function parseProgress(raw: string | null): TutorialProgress {
  if (!raw) return NEW_TUTORIAL;
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    const done = Array.isArray(value.done)
      ? value.done.filter((t): t is TutorialTask => (TUTORIAL_TASKS as readonly unknown[]).includes(t))
      : [];
    const cropId = typeof value.cropId === "string" ? value.cropId : null;
    const ended = value.ended === "finished" || value.ended === "skipped" ? value.ended : null;
    return { done: [...new Set(done)], cropId, ended };
  } catch {
    return NEW_TUTORIAL;
  }
}

/** How many of the steps a player goes through are behind them (for "2 / 6"). */
export function stepNumber(step: TutorialStep): { index: number; total: number } {
  const order: TutorialStep[] = ["welcome", "plant", "water", "harvest", "visit", "shop"];
  const at = step === "goHome" ? order.indexOf("visit") : step === "done" ? order.length - 1 : order.indexOf(step);
  return { index: at + 1, total: order.length };
}

/** The free tiles of the vegetable patch the coach points at, best first (the plot in the village ground). */
export const PLOT_TILES: ReadonlyArray<{ x: number; y: number }> = [
  { x: 9, y: 7 }, { x: 8, y: 7 }, { x: 10, y: 7 }, { x: 8, y: 6 }, { x: 10, y: 6 }, { x: 9, y: 6 },
];

/** The first free tile of the plot, or null when the plot is full. */
export function plotTile(occupied: (x: number, y: number) => boolean): { x: number; y: number } | null {
  return PLOT_TILES.find((t) => !occupied(t.x, t.y)) ?? null;
}
