/**
 * The decorations shop (owner only): the seasonal decorations in season now
 * first, each with a countdown until it leaves (shared/seasons.ts, by the
 * room's clock), then every shop decoration of shared/decorations.ts with its
 * coin price; Buy is disabled while the balance is short, and a decoration
 * waiting for a level says which. A collection's reward is never sold, so it
 * is not listed. Coins are not money, and the panel says so.
 */
import { DECORATION_IDS, DECORATIONS, type DecorationId } from "../../shared/decorations.ts";
import { decorationLevel } from "../../shared/progression.ts";
import { inSeason, seasonOf } from "../../shared/seasons.ts";
import { myLevel, onMyLevel } from "../game/my-level.ts";
import { countdown, decorationName } from "../game/play-text.ts";
import { t } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";
import { PlayPanel } from "./play-panel.ts";

export class DecorationShop extends PlayPanel {
  private coins = 0;
  private readonly buy: (id: DecorationId) => void;
  private readonly close: () => void;
  private readonly now: () => number;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(parent: HTMLElement, buy: (id: DecorationId) => void, close: () => void, now: () => number = Date.now) {
    super(parent, { className: "decorations", id: "decorations", titleId: "decorations-title" });
    this.buy = buy;
    this.close = close;
    this.now = now;
    onMyLevel(() => this.isOpen && this.render());
  }

  setCoins(coins: number): void {
    this.coins = coins;
    if (this.isOpen) this.render();
  }

  override show(open: boolean): void {
    super.show(open);
    // The countdowns move while the shop is open (and a seasonal item leaves the list when its time is up).
    clearInterval(this.ticker);
    if (open) this.ticker = setInterval(() => this.isOpen && this.renderCountdowns(), 30_000);
  }

  render(): void {
    const now = this.now();
    const list = h("ul", { class: "decoration-list" });
    for (const id of inSeason(now)) list.append(this.row(id, now));
    for (const id of DECORATION_IDS) if (DECORATIONS[id].source === "shop") list.append(this.row(id, now));
    this.root.replaceChildren(
      h("header", { class: "play-panel-header" }, [
        h("h2", { id: "decorations-title", text: t("decorations.title") }),
        h("button", { type: "button", class: "play-panel-close", "data-close": "", "aria-label": t("decorations.close"), text: "×" }),
      ]),
      h("p", { class: "play-panel-lead", text: t("decorations.lead") }),
      list,
    );
  }

  private row(id: DecorationId, now: number): HTMLElement {
    const info = DECORATIONS[id];
    const name = decorationName(id);
    const short = info.coins - this.coins;
    const level = decorationLevel(id);
    const locked = level > myLevel();
    const season = seasonOf(id, now);
    const left = season?.available ? season.endsAt - now : null;
    return h("li", { class: left === null ? "decoration" : "decoration seasonal", "data-decoration": id }, [
      h("img", { src: spriteUrl(info.sprite), alt: "", width: 40, height: 40, draggable: "false" }),
      h("span", { class: "decoration-name" }, [
        name,
        left === null ? null : h("span", { class: "decoration-limited", "data-ends-at": String(now + left) }, [
          h("span", { class: "limited-badge", text: t("decorations.limited") }),
          h("span", { class: "countdown", "aria-label": t("decorations.seasonLabel", { name, time: countdown(left) }), text: t("decorations.leavesIn", { time: countdown(left) }) }),
        ]),
      ]),
      h("span", { class: "decoration-price" }, [h("img", { src: spriteUrl("coin"), alt: "", width: 16, height: 16 }), String(info.coins)]),
      h("button", {
        type: "button", class: locked ? "buy locked" : "buy", "data-buy": id, disabled: locked || short > 0,
        // Each label holds the words the button shows (voice control says what it reads).
        "aria-label": locked ? t("decorations.levelLabel", { name, level })
          : short > 0 ? t("decorations.shortLabel", { name, missing: short }) : t("decorations.buyLabel", { name, coins: info.coins }),
        text: locked ? t("decorations.level", { level }) : short > 0 ? t("decorations.short", { missing: short }) : t("decorations.buy"),
      }),
    ]);
  }

  /** Moves the countdowns on; a seasonal decoration whose time is up leaves (the whole list is drawn again). */
  private renderCountdowns(): void {
    const now = this.now();
    for (const limited of this.root.querySelectorAll<HTMLElement>("[data-ends-at]")) {
      const left = Number(limited.dataset.endsAt) - now;
      if (left <= 0) return this.render();
      const name = decorationName(limited.closest<HTMLElement>("[data-decoration]")?.dataset.decoration ?? "");
      const label = limited.querySelector<HTMLElement>(".countdown");
      if (!label) continue;
      label.textContent = t("decorations.leavesIn", { time: countdown(left) });
      label.setAttribute("aria-label", t("decorations.seasonLabel", { name, time: countdown(left) }));
    }
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
