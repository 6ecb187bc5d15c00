/**
 * The collections panel (opened from the daily panel): each set with its
 * pieces (found ones in colour, missing ones greyed), a progress bar, the
 * decoration it grants, and Claim once complete. What it shows comes from
 * GET /api/collections; the claim is the server's (shared/collections.ts).
 */
import { type PieceId, SETS, pieceSprite } from "../../shared/collections.ts";
import type { CollectionsView } from "../../shared/collections-api.ts";
import { DECORATIONS } from "../../shared/decorations.ts";
import { locale, t } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";
import { PlayPanel } from "./play-panel.ts";
import { fill } from "./quests-panel.ts";

export class CollectionsPanel extends PlayPanel {
  private view: CollectionsView | null = null;
  private readonly pending = new Set<string>();
  private readonly claim: (setId: string) => void;
  private readonly close: () => void;

  constructor(parent: HTMLElement, deps: { claim: (setId: string) => void; close: () => void }) {
    super(parent, { className: "collections", id: "collections", titleId: "collections-title" });
    this.claim = deps.claim;
    this.close = deps.close;
  }

  setView(view: CollectionsView): void {
    this.view = view;
    this.pending.clear();
    if (this.isOpen) this.render();
  }

  settled(setId: string): void {
    this.pending.delete(setId);
    if (this.isOpen) this.render();
  }

  render(): void {
    const header = h("header", { class: "play-panel-header" }, [
      h("h2", { id: "collections-title", text: t("collections.title") }),
      h("button", { type: "button", class: "play-panel-close", "data-close": "", "aria-label": t("progress.close"), text: "×" }),
    ]);
    const lead = h("p", { class: "play-panel-lead", text: t("collections.lead") });
    if (!this.view) return this.root.replaceChildren(header, lead);
    const list = h("ul", { class: "collection-list" }, this.view.sets.map((set) => {
      const info = SETS[set.id];
      const reward = DECORATIONS[info.reward];
      const name = locale() === "fr" ? info.nameFr : info.nameEn;
      const rewardName = locale() === "fr" ? reward.nameFr : reward.nameEn;
      const found = new Set<PieceId>(set.found);
      const action = set.claimed
        ? h("span", { class: "claimed-mark", text: `✓ ${t("collections.granted")}` })
        : h("button", {
          type: "button", class: "claim", "data-claim-set": set.id, disabled: !set.complete || this.pending.has(set.id),
          text: set.complete ? t("collections.claim") : t("collections.missing", { count: set.total - set.found.length }),
        });
      return h("li", { class: "collection", "data-set": set.id, "data-state": set.claimed ? "claimed" : set.complete ? "complete" : "open" }, [
        h("div", { class: "collection-head" }, [
          h("strong", { text: name }),
          h("small", { text: t(info.source === "help" ? "collections.fromHelp" : "collections.fromHarvest") }),
        ]),
        h("div", { class: "collection-pieces" }, info.pieces.map((p) =>
          h("img", { src: spriteUrl(pieceSprite(p)), alt: "", width: 34, height: 34, class: found.has(p) ? "piece found" : "piece", "data-piece": p, draggable: "false" }))),
        h("span", { class: "quest-bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": String(set.total), "aria-valuenow": String(set.found.length), "aria-label": name }, [
          fill(set.found.length / set.total),
        ]),
        h("div", { class: "collection-reward" }, [
          h("img", { src: spriteUrl(reward.sprite), alt: "", width: 36, height: 36, draggable: "false" }),
          h("span", { text: t("collections.reward", { name: rewardName }) }),
          h("span", { class: "quest-count", text: `${set.found.length} / ${set.total}` }),
          action,
        ]),
      ]);
    }));
    this.root.replaceChildren(header, lead, list);
  }

  protected onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    if (target.closest("[data-close]")) return this.close();
    const button = target.closest<HTMLButtonElement>("button[data-claim-set]");
    const id = button?.dataset.claimSet;
    if (!button || !id || button.disabled) return;
    this.pending.add(id);
    button.disabled = true;
    this.claim(id);
  }
}
