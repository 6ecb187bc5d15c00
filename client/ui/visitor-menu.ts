/**
 * The owner's menu for a visitor, opened by tapping their avatar: the
 * visitor's name and picture, "Show out" and "Show out and block" (which
 * asks once more, saying what a block does). It floats over the village
 * above the avatar and follows it as it walks; Escape, the close button or
 * a tap elsewhere closes it.
 */
import { t } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";

/** Where the avatar shows on the page now (CSS px): its middle, the top of its head, its feet and its sides; null once it is gone. */
export type AvatarAnchor = () => { x: number; head: number; feet: number; left: number; right: number } | null;

export interface VisitorTarget {
  playerId: string;
  name: string;
  /** The avatar's picture (a sprite name). */
  sprite: string;
  locate: AvatarAnchor;
}

type Side = "above" | "below" | "right" | "left";

/** How much two spans [a0, a1] and [b0, b1] overlap. */
function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** Room kept between the menu and the avatar, and the stage's edges. */
const GAP = 10;
const MARGIN = 8;

export class VisitorMenu {
  readonly root: HTMLElement;
  private readonly parent: HTMLElement;
  private readonly showOut: (playerId: string, name: string, block: boolean) => void;
  private target: VisitorTarget | null = null;
  private confirming = false;
  private frame = 0;
  private returnFocus: HTMLElement | null = null;

  constructor(parent: HTMLElement, showOut: (playerId: string, name: string, block: boolean) => void) {
    this.parent = parent;
    this.showOut = showOut;
    this.root = h("div", { class: "visitor-menu", id: "visitor-menu", role: "dialog", "aria-labelledby": "visitor-menu-name", hidden: true });
    this.root.addEventListener("click", (event) => this.onClick(event));
    this.root.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      event.stopPropagation();
      this.close();
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.target) this.close();
    });
    // A tap anywhere else closes it (a tap on another visitor then opens theirs).
    document.addEventListener("pointerdown", (event) => {
      if (this.target && !this.root.contains(event.target as Node)) this.close(false);
    }, true);
    parent.append(this.root);
  }

  /** The visitor whose menu is open, or null. */
  get openFor(): string | null {
    return this.target?.playerId ?? null;
  }

  open(target: VisitorTarget): void {
    if (!this.target) this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.target = target;
    this.confirming = false;
    this.root.hidden = false;
    this.render();
    this.follow();
    this.root.querySelector<HTMLButtonElement>("[data-show-out]")?.focus({ preventScroll: true });
  }

  /** Closes the menu; `restoreFocus` gives the focus back to where it was before it opened. */
  close(restoreFocus = true): void {
    if (!this.target) return;
    this.target = null;
    this.confirming = false;
    cancelAnimationFrame(this.frame);
    this.root.hidden = true;
    this.root.replaceChildren();
    if (restoreFocus && this.returnFocus?.isConnected) this.returnFocus.focus({ preventScroll: true });
    this.returnFocus = null;
  }

  render(): void {
    const target = this.target;
    if (!target) return;
    this.root.setAttribute("aria-label", t("visitor.menu", { name: target.name }));
    const head = h("div", { class: "visitor-menu-head" }, [
      h("img", { class: "visitor-menu-avatar", src: spriteUrl(target.sprite), alt: "", width: 40, height: 40, draggable: "false" }),
      h("div", { class: "visitor-menu-who" }, [
        h("strong", { id: "visitor-menu-name", text: target.name }),
        h("span", { text: t("visitor.visiting") }),
      ]),
      h("button", { type: "button", class: "visitor-menu-close", "data-close": true, "aria-label": t("visitor.close"), title: t("visitor.close"), text: "×" }),
    ]);
    const body = this.confirming
      ? [
        h("p", { class: "visitor-menu-warning", id: "visitor-menu-warning", role: "alert", text: t("visitor.confirmBlock", { name: target.name }) }),
        h("div", { class: "visitor-menu-actions" }, [
          h("button", { type: "button", class: "visitor-action danger", "data-show-out": "block-confirmed", "aria-describedby": "visitor-menu-warning", text: t("visitor.showOutBlock") }),
          h("button", { type: "button", class: "visitor-action", "data-show-out": "back", text: t("visitor.cancel") }),
        ]),
      ]
      : [
        h("div", { class: "visitor-menu-actions" }, [
          h("button", { type: "button", class: "visitor-action", "data-show-out": "out", "aria-describedby": "visitor-menu-note", text: t("visitor.showOut") }),
          h("button", { type: "button", class: "visitor-action danger-soft", "data-show-out": "block", text: t("visitor.showOutBlock") }),
        ]),
        h("p", { class: "visitor-menu-note", id: "visitor-menu-note", text: t("visitor.showOutNote") }),
      ];
    this.root.classList.toggle("confirming", this.confirming);
    this.root.replaceChildren(head, ...body);
    this.place();
  }

  private onClick(event: MouseEvent): void {
    const target = this.target;
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
    if (!target || !button) return;
    if (button.dataset.close !== undefined) return this.close();
    const action = button.dataset.showOut;
    if (action === "block" || action === "back") {
      this.confirming = action === "block";
      this.render();
      this.root.querySelector<HTMLButtonElement>("[data-show-out]")?.focus({ preventScroll: true });
      return;
    }
    if (action !== "out" && action !== "block-confirmed") return;
    this.close();
    this.showOut(target.playerId, target.name, action === "block-confirmed");
  }

  /** Keeps the menu over the avatar while it is open (visitors walk). */
  private follow(): void {
    cancelAnimationFrame(this.frame);
    const step = () => {
      if (!this.target) return;
      if (!this.place()) return this.close(false);
      this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  /**
   * Puts the menu above the avatar's head, else under its feet, else to its
   * right or left: the first of these that fits in the stage, or, when none
   * does, the one that hides the least of the avatar. False once it is gone.
   */
  private place(): boolean {
    const at = this.target?.locate();
    if (!at) return false;
    const stage = this.parent.getBoundingClientRect();
    const width = this.root.offsetWidth;
    const height = this.root.offsetHeight;
    const clamp = (v: number, size: number, room: number) => Math.max(MARGIN, Math.min(v, room - size - MARGIN));
    const avatar = { left: at.left - stage.left, right: at.right - stage.left, top: at.head - stage.top, bottom: at.feet - stage.top };
    const x = at.x - stage.left;
    const middle = (avatar.top + avatar.bottom) / 2;
    const wanted: Array<{ side: Side; left: number; top: number }> = [
      { side: "above", left: x - width / 2, top: avatar.top - GAP - height },
      { side: "below", left: x - width / 2, top: avatar.bottom + GAP },
      { side: "right", left: avatar.right + GAP, top: middle - height / 2 },
      { side: "left", left: avatar.left - GAP - width, top: middle - height / 2 },
    ];
    const candidates = wanted.map((c) => {
      const left = clamp(c.left, width, stage.width);
      const top = clamp(c.top, height, stage.height);
      const hidden = overlap(left, left + width, avatar.left, avatar.right) * overlap(top, top + height, avatar.top, avatar.bottom);
      // Sliding along the side it is on is fine (the arrow follows); pushed off that side is not.
      const fits = c.side === "above" || c.side === "below" ? top === c.top : left === c.left;
      return { ...c, left, top, fits, hidden };
    });
    const best = candidates.find((c) => c.fits) ?? candidates.reduce((a, b) => (b.hidden < a.hidden ? b : a));
    this.root.style.left = `${Math.round(best.left)}px`;
    this.root.style.top = `${Math.round(best.top)}px`;
    this.root.style.setProperty("--arrow-x", `${Math.round(Math.max(18, Math.min(width - 18, x - best.left)))}px`);
    this.root.style.setProperty("--arrow-y", `${Math.round(Math.max(18, Math.min(height - 18, middle - best.top)))}px`);
    this.root.dataset.side = best.side;
    return true;
  }
}
