/**
 * The village toolbar, over the bottom of the village. For the owner:
 * Arrange (drag things), Plant (with a seed picker: grow time and coins),
 * Water, Harvest, the decorations Shop, the Barn, and the coin balance. For
 * a visitor: Walk and Water. The tool chosen decides what a tap does
 * (client/game/play.ts).
 */
import { CROP_KINDS, CROPS, type CropKind } from "../../shared/farming.ts";
import { myLevel, onMyLevel } from "../game/my-level.ts";
import { cropName, duration } from "../game/play-text.ts";
import { t, type MessageKey } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";

export type Tool = "arrange" | "walk" | "plant" | "water" | "harvest";

const OWNER_TOOLS: Tool[] = ["arrange", "plant", "water", "harvest"];
const VISITOR_TOOLS: Tool[] = ["walk", "water"];
const TOOL_ICONS: Record<Tool, string> = {
  arrange: "flower", walk: "avatar-person", plant: "crop-sprout", water: "droplets", harvest: "wheat",
};

export interface ToolbarEvents {
  /** The tool changed (also when the seed changed). */
  changed(tool: Tool): void;
  /** The Shop or Barn button: open or close that panel. */
  toggle(panel: "shop" | "barn"): void;
}

export class Toolbar {
  readonly root: HTMLElement;
  private readonly events: ToolbarEvents;
  private owner = false;
  private current: Tool = "walk";
  private seedKind: CropKind = "wheat";
  private coinCount: number | null = null;
  private barnCount = 0;
  private open: "shop" | "barn" | null = null;

  constructor(parent: HTMLElement, events: ToolbarEvents) {
    this.events = events;
    this.root = h("div", { class: "play-bar", id: "play-bar" });
    this.root.addEventListener("click", (event) => this.onClick(event));
    parent.append(this.root);
    this.render();
    // A level reached opens seeds: the picker shows them at once.
    onMyLevel(() => {
      if (!CROPS[this.seedKind] || CROPS[this.seedKind].level > myLevel()) this.seedKind = "wheat";
      this.render();
    });
  }

  get tool(): Tool {
    return this.current;
  }

  get seed(): CropKind {
    return this.seedKind;
  }

  /** Owner tools in my village, visitor tools elsewhere. */
  setOwner(owner: boolean): void {
    this.owner = owner;
    this.current = owner ? "arrange" : "walk";
    this.open = null;
    if (!owner) this.coinCount = null;
    this.render();
    this.events.changed(this.current);
  }

  select(tool: Tool): void {
    if (!(this.owner ? OWNER_TOOLS : VISITOR_TOOLS).includes(tool)) return;
    this.current = tool;
    this.render();
    this.events.changed(tool);
  }

  setCoins(coins: number | null): void {
    this.coinCount = coins;
    this.render();
  }

  setBarn(count: number): void {
    this.barnCount = count;
    this.render();
  }

  /** Which panel shows as open (pressed). */
  setOpen(panel: "shop" | "barn" | null): void {
    this.open = panel;
    this.render();
  }

  render(): void {
    const tools = this.owner ? OWNER_TOOLS : VISITOR_TOOLS;
    const bar = h("div", { class: "tools", role: "toolbar", "aria-label": t("tools.label") }, tools.map((tool) => this.toolButton(tool)));
    if (this.owner) {
      bar.append(h("span", { class: "tools-sep", "aria-hidden": "true" }));
      bar.append(this.panelButton("shop", "tool.shop", "lantern"));
      bar.append(this.panelButton("barn", "tool.barn", "house", this.barnCount));
    }
    if (this.owner && this.coinCount !== null) {
      bar.append(
        h("p", { class: "coins", id: "coins", "aria-label": `${t("coins.label")}: ${this.coinCount}`, title: t("coins.label") }, [
          h("img", { src: spriteUrl("coin"), alt: "", width: 22, height: 22 }),
          h("strong", { text: String(this.coinCount) }),
        ]),
      );
    }
    const rows: HTMLElement[] = [];
    if (this.owner && this.current === "plant" && this.open === null) rows.push(this.seedPicker());
    rows.push(bar);
    this.root.replaceChildren(...rows);
  }

  private toolButton(tool: Tool): HTMLElement {
    return h("button", { type: "button", class: "tool", "data-tool": tool, "aria-pressed": String(tool === this.current) }, [
      h("img", { src: spriteUrl(TOOL_ICONS[tool]), alt: "", width: 26, height: 26, draggable: "false" }),
      h("span", { text: t(`tool.${tool}` as MessageKey) }),
    ]);
  }

  private panelButton(panel: "shop" | "barn", label: MessageKey, icon: string, count?: number): HTMLElement {
    return h("button", { type: "button", class: "tool", "data-panel": panel, "aria-pressed": String(this.open === panel), "aria-haspopup": "dialog" }, [
      h("img", { src: spriteUrl(icon), alt: "", width: 26, height: 26, draggable: "false" }),
      h("span", { text: t(label) }),
      count ? h("span", { class: "tool-count", text: String(count) }) : null,
    ]);
  }

  private seedPicker(): HTMLElement {
    return h("div", { class: "seeds", role: "radiogroup", "aria-label": t("seeds.title") }, [
      h("span", { class: "seeds-title", text: t("seeds.title") }),
      ...CROP_KINDS.map((kind) => {
        const info = CROPS[kind];
        const time = duration(info.growMs);
        // A crop waiting for a level shows which (the server refuses it below: level_too_low).
        if (info.level > myLevel()) {
          return h("button", {
            type: "button", class: "seed locked", role: "radio", "data-seed": kind, "aria-checked": "false", "aria-disabled": "true",
            "aria-label": t("seeds.lockedLabel", { name: cropName(kind), level: info.level }),
          }, [
            h("img", { src: spriteUrl(info.sprites.ripe), alt: "", width: 30, height: 30, draggable: "false" }),
            h("span", { class: "seed-name", text: cropName(kind) }),
            h("span", { class: "seed-info seed-level", "aria-hidden": "true", text: t("seeds.level", { level: info.level }) }),
          ]);
        }
        return h("button", {
          type: "button", class: "seed", role: "radio", "data-seed": kind, "aria-checked": String(kind === this.seedKind),
          "aria-label": `${cropName(kind)} — ${t("seeds.info", { time, coins: info.coins })}`,
        }, [
          h("img", { src: spriteUrl(info.sprites.ripe), alt: "", width: 30, height: 30, draggable: "false" }),
          h("span", { class: "seed-name", text: cropName(kind) }),
          h("span", { class: "seed-info", "aria-hidden": "true" }, [
            `${time} · `, h("img", { src: spriteUrl("coin"), alt: "", width: 12, height: 12 }), String(info.coins),
          ]),
        ]);
      }),
    ]);
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const tool = target.closest<HTMLElement>("[data-tool]")?.dataset.tool as Tool | undefined;
    if (tool) return this.select(tool);
    const seedButton = target.closest<HTMLElement>("[data-seed]");
    const seed = seedButton?.dataset.seed as CropKind | undefined;
    if (seedButton?.getAttribute("aria-disabled") === "true") return;
    if (seed) {
      this.seedKind = seed;
      this.render();
      this.events.changed(this.current);
      return;
    }
    const panel = target.closest<HTMLElement>("[data-panel]")?.dataset.panel;
    if (panel === "shop" || panel === "barn") this.events.toggle(panel);
  }
}
