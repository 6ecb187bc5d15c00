/**
 * The basket: lines with +/- quantities, the total priced with the same rule
 * the server uses (display only: the server prices the order itself) and the
 * "Give" button. Kept in localStorage so a cancelled payment keeps it.
 */
import type { CatalogGift } from "../../shared/api.ts";
import {
  MAX_QUANTITY_PER_LINE, SMALL_BASKET_CENTS, SUPPORT_CHOICES_CENTS, priceBasket, type BasketLineInput, type PricedGift,
} from "../../shared/basket.ts";
import { formatMoney, type Money } from "../../shared/money.ts";
import { errorText, locale, pick, t } from "../i18n.ts";
import { storageGet, storageSet } from "../storage.ts";
import { h, spriteUrl } from "./element.ts";

const STORAGE_KEY = "hameau.basket";
const THROUGH_KEY = "hameau.basket.fundraiser";

/** A player's fundraiser the basket is given through (its id goes to checkout). */
export interface GivingThrough {
  id: string;
  title: string;
}

/** Someone else's village the basket's gifts would go to (the one open on screen). */
export interface GiftTarget {
  villageId: string;
  ownerName: string;
}

/** Where a basket goes: omitted for my own village (see CheckoutRequest). */
export interface GiftDestination {
  villageId: string;
  showGiverName: boolean;
}

export class BasketPanel {
  private readonly root: HTMLElement;
  private lines: BasketLineInput[] = loadLines();
  private gifts = new Map<string, CatalogGift>();
  private busy = false;
  /** The optional extra support on top of the gifts, in cents. */
  private supportCents = 0;
  /** Someone else's village open on screen: the gifts go there. */
  private target: GiftTarget | null = null;
  /** Show my name with a gift to someone else (off unless ticked, for each village). */
  private showGiverName = false;
  /** Given through a fundraiser (kept with the basket, so a cancelled payment keeps it too). */
  private through: GivingThrough | null = loadThrough();
  private readonly onGive: (lines: BasketLineInput[], supportCents: number, to: GiftDestination | null) => Promise<void>;

  constructor(root: HTMLElement, onGive: (lines: BasketLineInput[], supportCents: number, to: GiftDestination | null) => Promise<void>) {
    this.root = root;
    this.onGive = onGive;
    this.root.addEventListener("click", (event) => this.handleClick(event));
    this.root.addEventListener("change", (event) => {
      const input = event.target as HTMLInputElement;
      if (input.id !== "show-giver-name") return;
      this.showGiverName = input.checked;
      this.render();
      this.root.querySelector<HTMLInputElement>("#show-giver-name")?.focus();
    });
    this.render();
  }

  /** The gifts on sale now; lines of gifts no longer offered leave the basket. Returns how many left. */
  setGifts(gifts: CatalogGift[]): number {
    this.gifts = new Map(gifts.map((g) => [g.id, g]));
    const before = this.lines.length;
    this.lines = this.lines.filter((l) => this.gifts.has(l.giftId));
    this.save();
    return before - this.lines.length;
  }

  /** The village open on screen when it is someone else's (null: my own). */
  setTarget(target: GiftTarget | null): void {
    if (target?.villageId !== this.target?.villageId) this.showGiverName = false;
    this.target = target;
    this.render();
  }

  /** Give through this fundraiser (null: not through any). */
  setFundraiser(through: GivingThrough | null): void {
    this.through = through;
    storageSet(THROUGH_KEY, through ? JSON.stringify(through) : null);
    this.render();
  }

  /** The fundraiser the basket is given through, for CheckoutRequest.fundraiserId. */
  get fundraiserId(): string | undefined {
    return this.through?.id;
  }

  add(giftId: string): void {
    const line = this.lines.find((l) => l.giftId === giftId);
    if (line) line.quantity = Math.min(MAX_QUANTITY_PER_LINE, line.quantity + 1);
    else this.lines.push({ giftId, quantity: 1 });
    this.save();
    this.root.classList.remove("bump");
    void this.root.offsetWidth;
    this.root.classList.add("bump");
  }

  change(giftId: string, delta: number): void {
    const line = this.lines.find((l) => l.giftId === giftId);
    if (!line) return;
    line.quantity = Math.min(MAX_QUANTITY_PER_LINE, line.quantity + delta);
    if (line.quantity <= 0) this.lines = this.lines.filter((l) => l !== line);
    this.save();
  }

  clear(): void {
    this.lines = [];
    this.supportCents = 0;
    this.through = null;
    storageSet(THROUGH_KEY, null);
    this.save();
  }

  count(): number {
    return this.lines.reduce((n, l) => n + l.quantity, 0);
  }

  render(): void {
    const priced = priceBasket(this.lines, this.pricedGifts(), this.supportCents);
    const currency = priced.ok ? priced.basket.currency : "EUR";
    const total: Money = { cents: priced.ok ? priced.basket.totalCents : 0, currency };
    const money = (cents: number) => formatMoney({ cents, currency }, locale());
    const problem = !priced.ok && priced.code !== "basket_empty" ? errorText(priced.code) : "";

    const list = h("ul", { class: "basket-lines" });
    for (const line of this.lines) {
      const gift = this.gifts.get(line.giftId);
      if (!gift) continue;
      const name = pick(gift.name);
      list.append(
        h("li", { class: "basket-line", "data-gift-slug": gift.slug, "data-gift-id": gift.id }, [
          h("img", { src: spriteUrl(gift.sprite), alt: "", width: 32, height: 32 }),
          h("span", { class: "basket-name", text: name }),
          h("span", { class: "stepper", role: "group", "aria-label": t("basket.quantity") }, [
            h("button", { type: "button", class: "less", "aria-label": t("basket.less", { name }), text: "−" }),
            h("output", { class: "quantity", text: line.quantity }),
            h("button", {
              type: "button", class: "more", "aria-label": t("basket.more", { name }), text: "+",
              disabled: line.quantity >= MAX_QUANTITY_PER_LINE,
            }),
          ]),
          h("span", { class: "line-total", text: money(gift.priceCents * line.quantity) }),
        ]),
      );
    }
    const support = h("div", { class: "basket-support", role: "group", "aria-label": t("basket.support") }, [
      h("span", { class: "support-label", text: t("basket.support") }),
      ...SUPPORT_CHOICES_CENTS.map((cents) =>
        h("button", {
          type: "button", class: "support-choice", "data-support": cents, "aria-pressed": this.supportCents === cents ? "true" : "false",
          text: cents === 0 ? t("basket.supportNone") : `+${money(cents)}`,
        }),
      ),
    ]);
    const small = priced.ok && priced.basket.totalCents < SMALL_BASKET_CENTS;
    const count = this.count();
    const give = h("button", {
      type: "button", id: "give", class: "give",
      disabled: this.busy || !priced.ok,
      "aria-busy": this.busy ? "true" : undefined,
      text: this.busy ? t("basket.opening") : priced.ok ? t("basket.give", { amount: money(total.cents) }) : t("basket.giveEmpty"),
    });
    const children: Array<Node | null> = [
      h("h2", { id: "basket-title" }, [t("basket.title"), count > 0 ? h("span", { class: "badge", text: count }) : null]),
      this.target ? this.recipient(this.target) : null,
      this.through ? this.throughLine(this.through) : null,
      this.lines.length === 0 ? h("p", { class: "basket-empty", text: t("basket.empty") }) : list,
      this.lines.length > 0 ? support : null,
      small ? h("p", { id: "basket-hint", class: "basket-hint", text: t("basket.smallHint") }) : null,
      problem ? h("p", { class: "basket-problem", role: "alert", text: problem }) : null,
      h("div", { class: "basket-total-row" }, [
        h("span", { text: t("basket.total") }),
        h("strong", { id: "basket-total", text: formatMoney(total, locale()) }),
      ]),
      give,
      h("p", { class: "basket-note", text: t("basket.note") }),
    ];
    this.root.replaceChildren(...children.filter((c): c is Node => c !== null));
    this.root.classList.toggle("empty", this.lines.length === 0);
  }

  /** "This gift goes to <name>'s village", and whether to show my name with it. */
  private recipient(target: GiftTarget): HTMLElement {
    const checkbox = h("input", { type: "checkbox", id: "show-giver-name", checked: this.showGiverName, disabled: this.busy });
    checkbox.checked = this.showGiverName;
    return h("div", { class: "basket-recipient", id: "basket-recipient", "data-village-id": target.villageId }, [
      h("p", { class: "recipient-line" }, [h("span", { class: "recipient-gift", "aria-hidden": "true" }), t("basket.recipient", { name: target.ownerName })]),
      h("label", { class: "recipient-name", for: "show-giver-name" }, [checkbox, h("span", { text: t("basket.showGiverName") })]),
      h("p", { class: "recipient-hint", text: t(this.showGiverName ? "basket.showGiverNameOn" : "basket.showGiverNameOff", { name: target.ownerName }) }),
    ]);
  }

  /** "Given through <title>'s fundraiser", with a button to give without it. */
  private throughLine(through: GivingThrough): HTMLElement {
    return h("div", { class: "basket-through", id: "basket-through", "data-fundraiser-id": through.id }, [
      h("p", { class: "recipient-line", text: t("basket.through", { title: through.title }) }),
      h("button", { type: "button", class: "link-button", id: "basket-through-drop", text: t("basket.throughDrop") }),
    ]);
  }

  private pricedGifts(): Map<string, PricedGift> {
    const map = new Map<string, PricedGift>();
    for (const g of this.gifts.values()) {
      map.set(g.id, { id: g.id, ngoId: g.ngo.id, projectId: g.project.id, priceCents: g.priceCents, currency: g.currency, active: true, stockLeft: g.stockLeft });
    }
    return map;
  }

  private async give(): Promise<void> {
    if (this.busy || this.lines.length === 0) return;
    this.busy = true;
    this.render();
    try {
      const to = this.target ? { villageId: this.target.villageId, showGiverName: this.showGiverName } : null;
      await this.onGive(this.lines.map((l) => ({ ...l })), this.supportCents, to);
    } finally {
      this.busy = false;
      this.render();
    }
  }

  private handleClick(event: MouseEvent): void {
    const button = (event.target as HTMLElement).closest("button");
    if (!button) return;
    if (button.id === "give") {
      void this.give();
      return;
    }
    if (button.id === "basket-through-drop") {
      this.setFundraiser(null);
      return;
    }
    if (button.dataset.support !== undefined) {
      this.supportCents = Number(button.dataset.support);
      this.render();
      return;
    }
    const giftId = button.closest<HTMLElement>("[data-gift-id]")?.dataset.giftId;
    if (!giftId) return;
    if (button.classList.contains("more")) this.change(giftId, +1);
    else if (button.classList.contains("less")) this.change(giftId, -1);
    // Keep keyboard focus on the same stepper button after the re-render.
    const selector = `[data-gift-id="${CSS.escape(giftId)}"] button.${button.classList.contains("more") ? "more" : "less"}`;
    (this.root.querySelector<HTMLButtonElement>(selector) ?? this.root.querySelector<HTMLButtonElement>("#give"))?.focus();
  }

  private save(): void {
    storageSet(STORAGE_KEY, this.lines.length ? JSON.stringify(this.lines) : null);
    this.render();
  }
}

function loadThrough(): GivingThrough | null {
  try {
    const parsed = JSON.parse(storageGet(THROUGH_KEY) ?? "null") as Partial<GivingThrough> | null;
    return typeof parsed?.id === "string" && typeof parsed.title === "string" ? { id: parsed.id, title: parsed.title } : null;
  } catch {
    return null;
  }
}

function loadLines(): BasketLineInput[] {
  try {
    const parsed: unknown = JSON.parse(storageGet(STORAGE_KEY) ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((l: { giftId?: unknown; quantity?: unknown }) =>
      typeof l?.giftId === "string" && Number.isSafeInteger(l.quantity) && Number(l.quantity) > 0
        ? [{ giftId: l.giftId, quantity: Math.min(MAX_QUANTITY_PER_LINE, Number(l.quantity)) }]
        : [],
    );
  } catch {
    return [];
  }
}
