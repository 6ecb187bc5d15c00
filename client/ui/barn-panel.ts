/**
 * The barn (owner only): things stored out of the village. Picking one lets
 * the next tap on a free tile put it back there (client/game/play.ts).
 */
import type { ItemView } from "../game/village-model.ts";
import { t } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";
import { PlayPanel } from "./play-panel.ts";

export class BarnPanel extends PlayPanel {
  private items: Array<{ item: ItemView; name: string }> = [];
  private readonly pick: (item: ItemView) => void;
  private readonly close: () => void;

  constructor(parent: HTMLElement, pick: (item: ItemView) => void, close: () => void) {
    super(parent, { className: "barn-panel", id: "barn-panel", titleId: "barn-title" });
    this.pick = pick;
    this.close = close;
  }

  setItems(items: Array<{ item: ItemView; name: string }>): void {
    this.items = items;
    if (this.isOpen) this.render();
  }

  render(): void {
    const list = h("ul", { class: "barn-list" });
    for (const { item, name } of this.items) {
      list.append(
        h("li", {}, [
          h("button", { type: "button", class: "barn-item", "data-item": item.id, "aria-label": t("barn.pick", { name }), title: name }, [
            h("img", { src: spriteUrl(item.sprite), alt: "", width: 40, height: 40, draggable: "false" }),
            item.donated ? h("img", { class: "barn-heart", src: spriteUrl("heart"), alt: "", width: 14, height: 14 }) : null,
            h("span", { text: name }),
          ]),
        ]),
      );
    }
    this.root.replaceChildren(
      h("header", { class: "play-panel-header" }, [
        h("h2", { id: "barn-title", text: t("barn.title") }),
        h("button", { type: "button", class: "play-panel-close", "data-close": "", "aria-label": t("decorations.close"), text: "×" }),
      ]),
      this.items.length === 0 ? h("p", { class: "play-panel-lead", text: t("barn.empty") }) : list,
    );
  }

  protected onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    if (target.closest("[data-close]")) return this.close();
    const id = target.closest<HTMLElement>("[data-item]")?.dataset.item;
    const entry = this.items.find((e) => e.item.id === id);
    if (entry) this.pick(entry.item);
  }
}
