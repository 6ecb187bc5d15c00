/** The Account dialog's part that starts the tutorial again (guests and accounts alike). */
import { t } from "../i18n.ts";
import type { AccountSection } from "./account.ts";
import { h } from "./element.ts";

export class TutorialReplayPart implements AccountSection {
  readonly root: HTMLElement;

  constructor(replay: () => void) {
    this.root = h("section", { class: "receipts-part account-part tutorial-replay", "aria-labelledby": "tutorial-replay-title" });
    this.root.addEventListener("click", (event) => {
      if ((event.target as HTMLElement).closest("#tutorial-replay")) replay();
    });
    this.render();
  }

  render(): void {
    this.root.replaceChildren(
      h("h3", { id: "tutorial-replay-title", text: t("tutorial.replay.title") }),
      h("p", { class: "receipts-lead", text: t("tutorial.replay.lead") }),
      h("button", { type: "button", id: "tutorial-replay", class: "secondary-button", text: t("tutorial.replay.button") }),
    );
  }
}
