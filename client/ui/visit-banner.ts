/**
 * The line over the village while visiting: "You are visiting <name>'s
 * village" and a Back home button. Hidden at home.
 */
import { t } from "../i18n.ts";
import { h } from "./element.ts";

export class VisitBanner {
  readonly root: HTMLElement;
  private ownerName: string | null = null;

  constructor(parent: HTMLElement, goHome: () => void) {
    this.root = h("div", { class: "visit-banner", id: "visit-banner", role: "status", hidden: true });
    this.root.addEventListener("click", (event) => {
      if ((event.target as HTMLElement).closest("button")) goHome();
    });
    parent.append(this.root);
  }

  /** The owner's name while visiting, null at home. */
  set(ownerName: string | null): void {
    this.ownerName = ownerName;
    this.render();
  }

  render(): void {
    this.root.hidden = this.ownerName === null;
    if (this.ownerName === null) return;
    const [before = "", after = ""] = t("play.visiting", { name: "\u0000" }).split("\u0000");
    this.root.replaceChildren(
      h("span", { class: "visit-text" }, [before, h("strong", { text: this.ownerName }), after]),
      h("button", { type: "button", class: "visit-home", id: "back-home", text: t("play.backHome") }),
    );
  }
}
