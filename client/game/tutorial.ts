/**
 * The first-five-minutes tutorial in the village: the coach (client/ui/coach.ts)
 * shows the step shared/tutorial.ts computes from what the player really did
 * (a crop planted, watered and harvested, heard from the room; a visit to the
 * demo neighbour; the gifts met), points at what to tap, and never blocks the
 * game. Skip ends it at any step.
 *
 * Where it is remembered: in this browser's localStorage, per player id
 * (hameau.tutorial.<playerId>). A guest's village lives on this device anyway;
 * an account has no per-player settings store on the server to hold it, so a
 * player who signs in on a second device sees it once more there (and may
 * skip it). Replay: the Account dialog's "Replay the tutorial".
 */
import type { TutorialNeighbourResponse } from "../../shared/api.ts";
import { msUntilRipe } from "../../shared/farming.ts";
import { mayHaveStarterCrop } from "../../shared/starter-crop.ts";
import {
  NEW_TUTORIAL, type TutorialContext, type TutorialEvent, type TutorialProgress, type TutorialStep,
  applyEvent, currentStep, parseProgress, plotTile, stepNumber,
} from "../../shared/tutorial.ts";
import { onLocaleChange, t } from "../i18n.ts";
import { send } from "../net/api.ts";
import type { OpenVillage } from "../net/village-room.ts";
import { storageGet, storageSet } from "../storage.ts";
import { Coach, type CoachCard } from "../ui/coach.ts";
import type { Tool } from "../ui/toolbar.ts";
import { duration } from "./play-text.ts";
import type { VillageModel } from "./village-model.ts";

export interface TutorialDeps {
  model: VillageModel;
  /** The tool in hand and the toolbar's element (its buttons are pointed at). */
  toolbar(): { tool: Tool; root: HTMLElement };
  stage: HTMLElement;
  /** Where the coach's card goes (beside the village, never over it). */
  panel: HTMLElement;
  /** The gifts' shop. */
  shop: HTMLElement;
  /** Page coordinates of a tile's centre (null before the scene runs). */
  pointOf(x: number, y: number): { x: number; y: number } | null;
  visit(villageId: string): void;
}

const storageKey = (playerId: string) => `hameau.tutorial.${playerId}`;
const TICK_MS = 300;

export class Tutorial {
  private readonly deps: TutorialDeps;
  private readonly coach: Coach;
  private playerId: string | null = null;
  private progress: TutorialProgress = NEW_TUTORIAL;
  /** Undefined while asked; null when the server has no demo neighbour. */
  private neighbour: TutorialNeighbourResponse | null | undefined = undefined;
  /** When the tutorial's crop ripens (model time), kept while I am away from it. */
  private ripeAt: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(deps: TutorialDeps) {
    this.deps = deps;
    this.coach = new Coach(deps.panel, deps.stage, () => this.apply({ type: "skip" }));
    deps.model.subscribe({
      add: (item, initial) => {
        if (!initial && item.kind === "crop" && this.deps.model.ownerId === this.playerId) this.apply({ type: "planted", itemId: item.id });
      },
      watered: (message) => {
        if (message.byPlayerId === this.playerId) this.apply({ type: "watered", itemId: message.itemId });
      },
      harvested: (message) => this.apply({ type: "harvested", itemId: message.itemId }),
      // Laid out as soon as the village is (before the scene says it is ready), so nothing moves under a tap.
      synced: () => this.render(),
    });
    // Meeting the gifts: a tap in the shop, or the shop scrolled into view while the coach points at it.
    deps.shop.addEventListener("pointerdown", () => this.apply({ type: "shopMet" }));
    new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && this.step() === "shop" && this.shopWasHidden) this.apply({ type: "shopMet" });
      this.shopWasHidden = !entries.some((e) => e.isIntersecting);
    }, { threshold: 0.4 }).observe(deps.shop);
    addEventListener("scroll", () => this.render(), { passive: true });
    addEventListener("resize", () => this.render());
    onLocaleChange(() => this.render(true));
  }

  private shopWasHidden = false;

  /** The session is open: my progress, and whether there is a neighbour to visit. */
  started(playerId: string): void {
    this.playerId = playerId;
    this.progress = parseProgress(storageGet(storageKey(playerId)));
    if (this.progress.ended) return;
    void this.loadNeighbour();
    this.tick();
  }

  /** A village opened (mine or another): the coach follows (a visit counts once its state is in). */
  villageOpened(_open: OpenVillage): void {
    this.render();
  }

  /** Whether a crop planted now asks for the new player's head start (the server decides, by the same rule). */
  wantsStarter(): boolean {
    const { model } = this.deps;
    const coins = model.ownerView?.coins;
    if (coins === undefined || !this.showing() || this.step() !== "plant") return false;
    return mayHaveStarterCrop({ coins, items: model.items.values() });
  }

  /** Starts it again from the welcome (the Account dialog's Replay). */
  replay(): void {
    if (!this.playerId) return;
    this.progress = NEW_TUTORIAL;
    this.save();
    if (this.neighbour === undefined || this.neighbour === null) void this.loadNeighbour();
    this.tick();
    this.render(true);
    this.coach.root.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  private async loadNeighbour(): Promise<void> {
    try {
      const res = await send("GET", "/api/tutorial/neighbour");
      this.neighbour = res.ok ? ((await res.json()) as TutorialNeighbourResponse) : null;
    } catch {
      this.neighbour = null;
    }
    this.render();
  }

  private tick(): void {
    if (this.timer === null) this.timer = setInterval(() => this.render(), TICK_MS);
  }

  private showing(): boolean {
    return this.playerId !== null && this.deps.model.isSynced && !this.progress.ended;
  }

  private context(): TutorialContext {
    const away = this.deps.model.ownerId !== this.playerId;
    const now = this.deps.model.now();
    let cropRipeInMs: number | null = null;
    const id = this.progress.cropId;
    if (id && !away) {
      const item = this.deps.model.items.get(id);
      const crop = item ? this.deps.model.cropOf(item) : null;
      cropRipeInMs = crop ? msUntilRipe(crop, now) : null;
      this.ripeAt = cropRipeInMs === null ? null : now + cropRipeInMs;
    } else if (id && this.ripeAt !== null) {
      cropRipeInMs = Math.max(0, this.ripeAt - now);
    }
    // Still asked (undefined): counted as there, so the steps do not jump when the answer comes.
    return { away, cropRipeInMs, hasNeighbour: this.neighbour !== null };
  }

  private step(): TutorialStep {
    return currentStep(this.progress, this.context());
  }

  private apply(event: TutorialEvent): void {
    if (!this.playerId || this.progress.ended) return;
    if (event.type !== "skip" && !this.showing()) return;
    const next = applyEvent(this.progress, event, this.context());
    if (next === this.progress) return;
    this.progress = next;
    this.save();
    this.render();
  }

  private save(): void {
    if (this.playerId) storageSet(storageKey(this.playerId), JSON.stringify(this.progress));
  }

  /** Shows the card and the pointer for the step now (`force`: redraw the card, e.g. in a new language). */
  render(force = false): void {
    // Between two villages (the next one's state not in yet), the card stays as it is.
    if (this.playerId !== null && !this.progress.ended && !this.deps.model.isSynced && this.coach.root.hidden === false) return;
    if (!this.showing()) {
      this.coach.show(null);
      if (this.progress.ended && this.timer !== null) (clearInterval(this.timer), (this.timer = null));
      return;
    }
    const ctx = this.context();
    // In someone else's village: that is the visit (it counts from the welcome on).
    if (ctx.away && !this.progress.done.includes("visit")) {
      const visited = applyEvent(this.progress, { type: "visited" }, ctx);
      if (visited !== this.progress) return this.apply({ type: "visited" });
    }
    const step = currentStep(this.progress, ctx);
    if (force) this.coach.show(null);
    this.coach.show(this.card(step, ctx));
    this.point(step, ctx);
  }

  private card(step: TutorialStep, ctx: TutorialContext): CoachCard {
    const { index, total } = stepNumber(step);
    const base = { step, counter: t("tutorial.counter", { n: index, total }), skippable: step !== "done" };
    const tool = this.deps.toolbar().tool;
    const name = this.neighbour?.name ?? "";
    const time = duration(Math.max(1000, ctx.cropRipeInMs ?? 0));
    switch (step) {
      case "welcome":
        return { ...base, title: t("tutorial.welcome.title"), text: t("tutorial.welcome.text"),
          action: { id: "coach-begin", label: t("tutorial.welcome.go"), run: () => this.apply({ type: "begin" }) } };
      case "plant":
        return { ...base, title: t("tutorial.plant.title"), text: t(tool === "plant" ? "tutorial.plant.tapTile" : "tutorial.plant.pickTool") };
      case "water":
        return { ...base, title: t("tutorial.water.title"), text: t(tool === "plant" ? "tutorial.water.pickTool" : "tutorial.water.tapCrop") };
      case "harvest": {
        const ripe = (ctx.cropRipeInMs ?? 0) === 0;
        const text = !ripe ? t("tutorial.harvest.wait", { time }) : t(tool === "plant" || tool === "water" ? "tutorial.harvest.pickTool" : "tutorial.harvest.tapCrop");
        return { ...base, title: t("tutorial.harvest.title"), text };
      }
      case "visit": {
        const growing = !this.progress.done.includes("harvest");
        return { ...base, title: t("tutorial.visit.title"), text: t(growing ? "tutorial.visit.whileGrowing" : "tutorial.visit.text", { name, time }),
          action: { id: "coach-visit", label: t("tutorial.visit.go", { name }), run: () => this.neighbour && this.deps.visit(this.neighbour.villageId) } };
      }
      case "goHome":
        return { ...base, title: t("tutorial.goHome.title"), text: t(this.progress.done.includes("visit") ? "tutorial.goHome.text" : "tutorial.goHome.first") };
      case "shop":
        return { ...base, title: t("tutorial.shop.title"), text: t("tutorial.shop.text"),
          action: { id: "coach-shop", label: t("tutorial.shop.show"), run: () => this.meetShop() } };
      case "done":
        return { ...base, title: t("tutorial.done.title"), text: t("tutorial.done.text"),
          action: { id: "coach-finish", label: t("tutorial.done.close"), run: () => this.apply({ type: "finish" }) } };
    }
  }

  /** "Show me the gifts": the last card goes above the shop (on a phone), and the page there. */
  private meetShop(): void {
    this.apply({ type: "shopMet" });
    this.coach.root.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  /** What the coach points at: a toolbar button, a tile, the way home, or the shop. */
  private point(step: TutorialStep, ctx: TutorialContext): void {
    const bar = this.deps.toolbar();
    const toolButton = (tool: Tool) => bar.root.querySelector<HTMLElement>(`[data-tool="${tool}"]`);
    let element: HTMLElement | null = null;
    let tile: { x: number; y: number } | null = null;
    const crop = this.progress.cropId ? this.deps.model.items.get(this.progress.cropId) : undefined;
    if (step === "plant") {
      if (bar.tool !== "plant") element = toolButton("plant");
      else tile = plotTile((x, y) => this.deps.model.itemAt(x, y) !== undefined);
    } else if (step === "water") {
      if (bar.tool === "plant") element = toolButton("water");
      else if (crop) tile = crop;
    } else if (step === "harvest") {
      const ripe = (ctx.cropRipeInMs ?? 0) === 0;
      if (ripe && (bar.tool === "plant" || bar.tool === "water")) element = toolButton("harvest");
      else if (crop) tile = crop;
    } else if (step === "visit") {
      element = this.coach.root.querySelector<HTMLElement>("#coach-visit");
    } else if (step === "goHome") {
      element = document.getElementById("back-home");
    } else if (step === "shop") {
      element = this.deps.shop;
    }
    this.coach.pointAt(element);
    this.coach.pointAtSpot(tile ? this.spotOf(tile) : null);
  }

  private spotOf(tile: { x: number; y: number }): { x: number; y: number; size: number } | null {
    const centre = this.deps.pointOf(tile.x, tile.y);
    const next = this.deps.pointOf(tile.x + 1, tile.y);
    if (!centre || !next) return null;
    return { ...centre, size: Math.max(24, Math.abs(next.x - centre.x) * 1.05) };
  }
}
