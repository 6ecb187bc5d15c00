/**
 * The tutorial's coach: a small card beside the village (never a modal, never
 * over a tile), saying what to do now, with Skip at every step; and the
 * pointers at what to tap: a pulsing glow on a button or panel, or a ring
 * over a tile of the village (which lets every tap through to the canvas).
 */
import { t } from "../i18n.ts";
import { h } from "./element.ts";

export interface CoachCard {
  /** Which step, for tests and styles (data-step). */
  step: string;
  title: string;
  text: string;
  /** "Step 2 of 6". */
  counter: string;
  /** The card's own button, if the step has one (Let's go, Visit…, Close). */
  action?: { id: string; label: string; run(): void };
  /** False on the last card (nothing left to skip). */
  skippable: boolean;
}

const TARGET_CLASS = "coach-target";

export class Coach {
  readonly root: HTMLElement;
  private readonly ring: HTMLElement;
  private readonly stage: HTMLElement;
  private card: CoachCard | null = null;
  private target: HTMLElement | null = null;
  private onSkip: () => void;

  /**
   * `panel`: where the card goes, at its top: beside the village on a wide screen, under the village's
   * toolbar and emotes on a narrow one (where nothing above the toolbar moves, and an empty basket stops
   * sticking to the bottom of the screen while the coach shows: tutorial.css).
   */
  constructor(panel: HTMLElement, stage: HTMLElement, onSkip: () => void) {
    this.stage = stage;
    this.onSkip = onSkip;
    this.root = h("section", { class: "coach", id: "coach", role: "region", "aria-labelledby": "coach-title", hidden: true });
    this.root.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
      if (!button) return;
      if (button.id === "coach-skip") this.onSkip();
      else if (button.id === this.card?.action?.id) this.card.action.run();
    });
    panel.prepend(this.root);
    this.ring = h("div", { class: "coach-ring", "aria-hidden": "true", hidden: true });
    stage.append(this.ring);
  }

  /** Shows a card (null hides the coach and every pointer). Re-rendered only when it changed. */
  show(card: CoachCard | null): void {
    const same = card && this.card && JSON.stringify({ ...card, action: card.action?.label }) === JSON.stringify({ ...this.card, action: this.card.action?.label });
    this.card = card;
    document.body.classList.toggle("coached", card !== null);
    if (!card) {
      this.root.hidden = true;
      this.root.replaceChildren();
      this.pointAt(null);
      this.pointAtSpot(null);
      return;
    }
    if (same) return;
    this.root.hidden = false;
    this.root.dataset.step = card.step;
    this.root.replaceChildren(
      h("p", { class: "coach-counter", text: card.counter }),
      h("h2", { class: "coach-title", id: "coach-title", "aria-live": "polite", text: card.title }),
      h("p", { class: "coach-text", text: card.text }),
      h("div", { class: "coach-actions" }, [
        card.action ? h("button", { type: "button", class: "coach-action", id: card.action.id, text: card.action.label }) : null,
        card.skippable ? h("button", { type: "button", class: "coach-skip link-button", id: "coach-skip", text: t("tutorial.skip") }) : null,
      ]),
    );
  }

  /** Makes an element glow (null: none). Safe to call on every tick: elements re-rendered get it back. */
  pointAt(element: HTMLElement | null): void {
    if (this.target && this.target !== element) this.target.classList.remove(TARGET_CLASS);
    this.target = element;
    element?.classList.add(TARGET_CLASS);
  }

  /** A ring over a spot of the page (CSS px, a tile's centre) of `size` px; null hides it. */
  pointAtSpot(spot: { x: number; y: number; size: number } | null): void {
    if (!spot) {
      this.ring.hidden = true;
      return;
    }
    const stage = this.stage.getBoundingClientRect();
    this.ring.hidden = false;
    this.ring.style.left = `${spot.x - stage.left - spot.size / 2}px`;
    this.ring.style.top = `${spot.y - stage.top - spot.size / 2}px`;
    this.ring.style.width = `${spot.size}px`;
    this.ring.style.height = `${spot.size}px`;
  }
}
