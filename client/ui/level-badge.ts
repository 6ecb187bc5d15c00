/**
 * The level badge over the village (top left): my level, an XP bar to the
 * next one, and a count of rewards waiting (finished quests, the daily
 * reward). A tap opens the daily panel. On a level up it bursts for a moment.
 */
import type { ProgressView } from "../../shared/progress-api.ts";
import { t } from "../i18n.ts";
import { h } from "./element.ts";
import { fill } from "./quests-panel.ts";

/** Rewards waiting to be claimed in a view. */
export function readyCount(view: ProgressView): number {
  return (view.daily.claimable ? 1 : 0) + view.quests.filter((q) => !q.claimed && q.progress >= q.target).length;
}

export class LevelBadge {
  readonly root: HTMLButtonElement;
  private view: ProgressView | null = null;
  private open = false;

  constructor(parent: HTMLElement, toggle: () => void) {
    this.root = h("button", { type: "button", class: "level-badge", id: "level-badge", "aria-haspopup": "dialog", "aria-controls": "quests", hidden: true });
    this.root.addEventListener("click", toggle);
    parent.append(this.root);
  }

  setView(view: ProgressView): void {
    this.view = view;
    this.render();
  }

  setOpen(open: boolean): void {
    this.open = open;
    this.render();
  }

  render(): void {
    const view = this.view;
    if (!view) return;
    this.root.hidden = false;
    this.root.setAttribute("aria-expanded", String(this.open));
    const ready = readyCount(view);
    const xpText = view.xpForLevel > 0 ? t("progress.xp", { into: view.xpIntoLevel, span: view.xpForLevel }) : t("progress.xpMax");
    // Named by the words it shows (a label of other words would not match what a voice-control user reads).
    this.root.replaceChildren(...[
      h("span", { class: "level-number", "aria-hidden": "true", text: String(view.level) }),
      h("span", { class: "level-text" }, [
        h("strong", { text: t("progress.level", { level: view.level }) }),
        h("span", { class: "xp-bar", "aria-hidden": "true" }, [fill(view.xpForLevel > 0 ? view.xpIntoLevel / view.xpForLevel : 1, "xp-fill")]),
        h("small", { class: "xp-text", text: ` ${xpText}` }),
      ]),
      h("span", { class: "visually-hidden", text: `. ${t("progress.quests")}${ready ? ` (${t("progress.ready", { count: ready })})` : ""}` }),
      ready ? h("span", { class: "level-ready", "aria-hidden": "true", text: String(ready) }) : null,
    ].filter((el) => el !== null));
  }

  /** A quest was just finished: the badge wobbles and says so to screen readers. */
  questDone(): void {
    this.root.classList.remove("quest-done");
    void this.root.offsetWidth;
    this.root.classList.add("quest-done");
    const note = h("span", { class: "progress-status", role: "status", text: t("progress.questDone") });
    this.root.after(note);
    setTimeout(() => note.remove(), 4000);
  }

  /** A short burst of stars and "Level N!" over the badge; reduced motion gets the text alone. */
  celebrate(level: number): void {
    const burst = h("span", { class: "level-up", role: "status", text: t("progress.levelUp", { level }) });
    for (let i = 0; i < 8; i += 1) {
      const star = h("span", { class: "level-star", "aria-hidden": "true", text: "★" });
      star.style.setProperty("--angle", `${i * 45}deg`);
      burst.append(star);
    }
    this.root.classList.add("levelled-up");
    this.root.after(burst);
    setTimeout(() => {
      burst.remove();
      this.root.classList.remove("levelled-up");
    }, 2200);
  }
}
