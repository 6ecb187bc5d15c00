/**
 * A panel over the village (the decorations shop, the barn): a dialog section
 * that opens and closes from the toolbar and renders its content when shown.
 */
import { h } from "./element.ts";

export abstract class PlayPanel {
  readonly root: HTMLElement;

  constructor(parent: HTMLElement, attrs: { className: string; id: string; titleId: string }) {
    this.root = h("section", { class: `play-panel ${attrs.className}`, id: attrs.id, role: "dialog", "aria-labelledby": attrs.titleId, hidden: true });
    this.root.addEventListener("click", (event) => this.onClick(event));
    parent.append(this.root);
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  show(open: boolean): void {
    this.root.hidden = !open;
    if (open) this.render();
  }

  abstract render(): void;
  protected abstract onClick(event: MouseEvent): void;
}
