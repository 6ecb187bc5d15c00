/**
 * The decorations shop (owner only): every decoration of shared/decorations.ts
 * with its coin price; Buy is disabled while the balance is short. Coins are
 * not money, and the panel says so: nothing here touches a donation.
 */
import { DECORATION_IDS, DECORATIONS, type DecorationId } from "../../shared/decorations.ts";
import { decorationLevel } from "../../shared/progression.ts";
import { myLevel, onMyLevel } from "../game/my-level.ts";
import { decorationName } from "../game/play-text.ts";
import { t } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";
import { PlayPanel } from "./play-panel.ts";

export class DecorationShop extends PlayPanel {
  private coins = 0;
  private readonly buy: (id: DecorationId) => void;
  private readonly close: () => void;

  constructor(parent: HTMLElement, buy: (id: DecorationId) => void, close: () => void) {
    super(parent, { className: "decorations", id: "decorations", titleId: "decorations-title" });
    this.buy = buy;
    this.close = close;
    onMyLevel(() => this.isOpen && this.render());
  }

  setCoins(coins: number): void {
    this.coins = coins;
    if (this.isOpen) this.render();
  }

  render(): void {
    const list = h("ul", { class: "decoration-list" });
    for (const id of DECORATION_IDS) {
      const info = DECORATIONS[id];
      const name = decorationName(id);
      const short = info.coins - this.coins;
      // A decoration waiting for a level says which (shared/progression.ts LEVEL_UNLOCKS).
      const level = decorationLevel(id);
      const locked = level > myLevel();
      list.append(
        h("li", { class: "decoration", "data-decoration": id }, [
          h("img", { src: spriteUrl(info.sprite), alt: "", width: 40, height: 40, draggable: "false" }),
          h("span", { class: "decoration-name", text: name }),
          h("span", { class: "decoration-price" }, [h("img", { src: spriteUrl("coin"), alt: "", width: 16, height: 16 }), String(info.coins)]),
          h("button", {
            type: "button", class: locked ? "buy locked" : "buy", "data-buy": id, disabled: locked || short > 0,
            "aria-label": locked ? t("decorations.levelLabel", { name, level }) : t("decorations.buyLabel", { name, coins: info.coins }),
            text: locked ? t("decorations.level", { level }) : short > 0 ? t("decorations.short", { missing: short }) : t("decorations.buy"),
          }),
        ]),
      );
    }
    this.root.replaceChildren(
      h("header", { class: "play-panel-header" }, [
        h("h2", { id: "decorations-title", text: t("decorations.title") }),
        h("button", { type: "button", class: "play-panel-close", "data-close": "", "aria-label": t("decorations.close"), text: "×" }),
      ]),
      h("p", { class: "play-panel-lead", text: t("decorations.lead") }),
      list,
    );
  }

  protected onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    if (target.closest("[data-close]")) return this.close();
    const button = target.closest<HTMLButtonElement>("button[data-buy]");
    const id = button?.dataset.buy as DecorationId | undefined;
    if (!button || !id || button.disabled) return;
    // Held until the server answers (the item arrives, or a refusal comes back).
    button.disabled = true;
    setTimeout(() => this.isOpen && this.render(), 1500);
    this.buy(id);
  }
}
