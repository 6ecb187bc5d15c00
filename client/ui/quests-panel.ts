/**
 * The daily panel (opened from the level badge): the daily reward with its
 * streak, today's three quests with their progress and a Claim button once
 * done, when they start again, and how helping a friend pays. It shows a
 * ProgressView (shared/progress-api.ts); claims go out through `claim`.
 */
import type { ProgressView, QuestView } from "../../shared/progress-api.ts";
import { t, type MessageKey } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";
import { PlayPanel } from "./play-panel.ts";

export type ClaimTarget = { kind: "daily" } | { kind: "quest"; questId: string };

/** A quest's line, in the player's language. */
export function questText(quest: Pick<QuestView, "activity" | "target">): string {
  if (quest.activity === "help" && quest.target === 1) return t("quest.help1");
  return t(`quest.${quest.activity}` as MessageKey, { n: quest.target });
}

/** A bar's filled part (set through the CSSOM: no inline style attribute). */
export function fill(share: number, className = "quest-fill"): HTMLElement {
  const el = h("span", { class: className });
  el.style.width = `${Math.round(100 * Math.min(1, Math.max(0, share)))}%`;
  return el;
}

function until(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return t("progress.hoursMinutes", { h: Math.floor(minutes / 60), m: minutes % 60 });
}

export class QuestsPanel extends PlayPanel {
  private view: ProgressView | null = null;
  /** Claims sent and not answered yet: their button stays disabled. */
  private readonly pending = new Set<string>();
  private readonly claim: (target: ClaimTarget) => void;
  private readonly close: () => void;
  private readonly now: () => number;

  private readonly openCollections: () => void;

  constructor(parent: HTMLElement, deps: { claim: (target: ClaimTarget) => void; close: () => void; collections?: () => void; now?: () => number }) {
    super(parent, { className: "quests", id: "quests", titleId: "quests-title" });
    this.claim = deps.claim;
    this.openCollections = deps.collections ?? (() => {});
    this.close = deps.close;
    this.now = deps.now ?? Date.now;
  }

  setView(view: ProgressView): void {
    this.view = view;
    if (this.isOpen) this.render();
  }

  /** A claim was answered (paid or refused): its button comes back as the view says. */
  settled(key: string): void {
    this.pending.delete(key);
    if (this.isOpen) this.render();
  }

  render(): void {
    const view = this.view;
    const header = h("header", { class: "play-panel-header" }, [
      h("h2", { id: "quests-title", text: t("progress.title") }),
      h("button", { type: "button", class: "play-panel-close", "data-close": "", "aria-label": t("progress.close"), text: "×" }),
    ]);
    if (!view) return this.root.replaceChildren(header);
    const daily = view.daily;
    const dailyCard = h("div", { class: "daily-reward", "data-daily": daily.claimable ? "claimable" : "claimed" }, [
      h("img", { src: spriteUrl("coin"), alt: "", width: 32, height: 32 }),
      h("div", { class: "daily-text" }, [
        h("strong", { text: t("progress.daily") }),
        h("span", { text: daily.claimable ? `${t("progress.dailyStreak", { streak: daily.streak })} · ${t("progress.reward", { coins: daily.coins, xp: daily.xp })}` : t("progress.dailyDone") }),
      ]),
      daily.claimable
        ? h("button", { type: "button", class: "claim", "data-claim": "daily", disabled: this.pending.has("daily"), text: t("progress.claim") })
        : h("span", { class: "claimed-mark", "aria-hidden": "true", text: "✓" }),
    ]);
    const quests = h("ul", { class: "quest-list" }, view.quests.map((q) => this.questRow(q)));
    this.root.replaceChildren(
      header,
      dailyCard,
      h("h3", { class: "quests-heading" }, [
        h("span", { text: t("progress.quests") }),
        h("small", { text: t("progress.resetsIn", { time: until(Date.parse(view.resetsAt) - this.now()) }) }),
      ]),
      quests,
      h("p", { class: "play-panel-lead quests-help", text: t("progress.help", { cap: view.helpCap }) }),
      h("button", { type: "button", class: "open-collections", "data-collections": "", text: t("collections.open") }),
    );
  }

  private questRow(q: QuestView): HTMLElement {
    const done = q.progress >= q.target;
    const name = questText(q);
    const action = q.claimed
      ? h("span", { class: "claimed-mark", text: `✓ ${t("progress.claimed")}` })
      : h("button", {
        type: "button", class: "claim", "data-claim": q.id, disabled: !done || this.pending.has(q.id),
        "aria-label": `${t("progress.claim")}: ${name}`, text: t("progress.claim"),
      });
    return h("li", { class: "quest", "data-quest": q.id, "data-state": q.claimed ? "claimed" : done ? "done" : "open" }, [
      h("div", { class: "quest-text" }, [
        h("strong", { text: name }),
        h("span", { class: "quest-reward", text: t("progress.reward", { coins: q.coins, xp: q.xp }) }),
        h("span", { class: "quest-bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": String(q.target), "aria-valuenow": String(q.progress), "aria-label": name }, [
          fill(q.progress / q.target),
        ]),
        h("span", { class: "quest-count", text: `${q.progress} / ${q.target}` }),
      ]),
      action,
    ]);
  }

  protected onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    if (target.closest("[data-close]")) return this.close();
    if (target.closest("[data-collections]")) return this.openCollections();
    const button = target.closest<HTMLButtonElement>("button[data-claim]");
    const key = button?.dataset.claim;
    if (!button || !key || button.disabled) return;
    this.pending.add(key);
    button.disabled = true;
    this.claim(key === "daily" ? { kind: "daily" } : { kind: "quest", questId: key });
  }
}
