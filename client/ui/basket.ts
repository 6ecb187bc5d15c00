/**
 * The basket: lines with +/- quantities, the total priced with the same rule
 * the server uses (display only: the server prices the order itself) and the
 * "Give" button. Kept in localStorage so a cancelled payment keeps it
 * (ui/basket-storage.ts), with the checkouts it started: the gifts of an order
 * that was paid leave it, wherever it was paid (shared/basket-checkouts.ts).
 *
 * Until the catalog is known the saved lines cannot be priced, and until the
 * checkouts it waits on are checked they may be paid already: meanwhile it
 * shows no error and its Give button stays off.
 */
import type { CatalogGift, OrderView } from "../../shared/api.ts";
import { rememberCheckout, settleCheckout, type BasketCheckout, type SettleOutcome } from "../../shared/basket-checkouts.ts";
import {
  MAX_QUANTITY_PER_LINE, SMALL_BASKET_CENTS, SUPPORT_CHOICES_CENTS, priceBasket, type BasketLineInput, type PricedGift,
} from "../../shared/basket.ts";
import { formatMoney, type Money } from "../../shared/money.ts";
import { errorText, locale, pick, t } from "../i18n.ts";
import {
  type GivingThrough, loadCheckouts, loadLines, loadThrough, onBasketChangedElsewhere, saveCheckouts, saveLines, saveThrough,
} from "./basket-storage.ts";
import type { DedicationInput } from "../../shared/dedications.ts";
import type { DedicationPart } from "./dedication-part.ts";
import { h, spriteUrl } from "./element.ts";

export type { GivingThrough } from "./basket-storage.ts";

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
  /** The checkouts this basket started and has not heard the end of. */
  private checkouts: BasketCheckout[] = loadCheckouts();
  private gifts = new Map<string, CatalogGift>();
  /** The catalog arrived: the lines can be named and priced. */
  private catalogKnown = false;
  /** Checkouts it started are being asked about (they may be paid): no Give, no dropping lines yet. */
  private checking = this.checkouts.length > 0;
  private busy = false;
  /** The optional extra support on top of the gifts, in cents. */
  private supportCents = 0;
  /** Someone else's village open on screen: the gifts go there. */
  private target: GiftTarget | null = null;
  /** Show my name with a gift to someone else (off unless ticked, for each village). */
  private showGiverName = false;
  /** Given through a fundraiser (kept with the basket, so a cancelled payment keeps it too). */
  private through: GivingThrough | null = loadThrough();
  private readonly onGive: (lines: BasketLineInput[], supportCents: number, to: GiftDestination | null, dedication: DedicationInput | null) => Promise<void>;
  /** "Dedicate this gift" (ui/dedication-part.ts), shown once the basket holds gifts. */
  private readonly dedication: DedicationPart | null;
  /** Lines whose gift is no longer offered were taken out (one message for them all). */
  private readonly giftsGone: (count: number) => void;

  constructor(
    root: HTMLElement,
    onGive: (lines: BasketLineInput[], supportCents: number, to: GiftDestination | null, dedication: DedicationInput | null) => Promise<void>,
    giftsGone: (count: number) => void,
    dedication: DedicationPart | null = null,
  ) {
    this.root = root;
    this.dedication = dedication;
    this.onGive = onGive;
    this.giftsGone = giftsGone;
    // Another tab changed the basket (a gift added, its checkout paid there): show what it holds now.
    onBasketChangedElsewhere(() => {
      this.lines = loadLines();
      this.checkouts = loadCheckouts();
      this.through = loadThrough();
      this.render();
    });
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

  /** The gifts on sale now; lines of gifts no longer offered leave the basket (once its checkouts are checked). */
  setGifts(gifts: CatalogGift[]): void {
    this.gifts = new Map(gifts.map((g) => [g.id, g]));
    this.catalogKnown = true;
    this.dropVanished();
    this.render();
  }

  /** The orders of the checkouts this basket started and has not heard the end of. */
  openCheckouts(): string[] {
    return this.checkouts.map((c) => c.orderId);
  }

  /** A checkout was opened for this basket: remember its order until it is paid or expired. */
  startedCheckout(orderId: string): void {
    this.checkouts = rememberCheckout(this.checkouts, orderId, Date.now());
    saveCheckouts(this.checkouts);
  }

  /**
   * What the server says about an order. Paid: the gifts it paid leave the basket. Expired: the
   * basket stays as it was. `started`: this browser came back from that checkout (the return page).
   */
  settle(order: Pick<OrderView, "id" | "status" | "lines">, started = false): SettleOutcome {
    const { state, outcome } = settleCheckout({ lines: this.lines, checkouts: this.checkouts }, order, started);
    if (outcome === "pending" || outcome === "not_ours") return outcome;
    this.checkouts = state.checkouts;
    saveCheckouts(this.checkouts);
    if (outcome === "paid") {
      this.lines = state.lines;
      if (this.lines.length === 0) {
        this.supportCents = 0;
        this.setFundraiser(null);
        this.dedication?.reset();
      }
    }
    this.save();
    return outcome;
  }

  /** The checkouts it waited on are checked (or could not be): the basket is the player's again. */
  checked(): void {
    if (!this.checking) return;
    this.checking = false;
    this.dropVanished();
    this.render();
  }

  /** Takes out the lines of gifts no longer on sale, with one message; not before the catalog and the checkouts are known. */
  private dropVanished(): void {
    if (!this.catalogKnown || this.checking) return;
    const before = this.lines.length;
    this.lines = this.lines.filter((l) => this.gifts.has(l.giftId));
    if (this.lines.length === before) return;
    this.save();
    this.giftsGone(before - this.lines.length);
  }

  /** The village open on screen when it is someone else's (null: my own). */
  setTarget(target: GiftTarget | null): void {
    if (target?.villageId !== this.target?.villageId) this.showGiverName = false;
    this.target = target;
    this.dedication?.suggest(target?.villageId ?? null);
    this.render();
  }

  /** Give through this fundraiser (null: not through any). */
  setFundraiser(through: GivingThrough | null): void {
    this.through = through;
    saveThrough(through);
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

  count(): number {
    return this.lines.reduce((n, l) => n + l.quantity, 0);
  }

  render(): void {
    const priced = priceBasket(this.lines, this.pricedGifts(), this.supportCents);
    const currency = priced.ok ? priced.basket.currency : "EUR";
    const total: Money = { cents: priced.ok ? priced.basket.totalCents : 0, currency };
    const money = (cents: number) => formatMoney({ cents, currency }, locale());
    // Saved lines are not priced before the catalog came, nor while their checkout may be paid already.
    const ready = this.catalogKnown && !this.checking;
    const problem = ready && !priced.ok && priced.code !== "basket_empty" ? errorText(priced.code) : "";

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
    const count = ready ? this.count() : 0;
    const waiting = this.lines.length > 0 && !ready;
    const give = h("button", {
      type: "button", id: "give", class: "give",
      disabled: this.busy || !ready || !priced.ok,
      "aria-busy": this.busy || waiting ? "true" : undefined,
      text: this.busy ? t("basket.opening")
        : waiting && this.checking ? t("basket.checking")
        : ready && priced.ok ? t("basket.give", { amount: money(total.cents) }) : t("basket.giveEmpty"),
    });
    const body = this.lines.length === 0 ? h("p", { class: "basket-empty", text: t("basket.empty") })
      : !this.catalogKnown ? h("p", { class: "basket-loading", text: t("basket.loading") })
      : list;
    const children: Array<Node | null> = [
      h("h2", { id: "basket-title" }, [t("basket.title"), count > 0 ? h("span", { class: "badge", text: count }) : null]),
      this.target ? this.recipient(this.target) : null,
      this.through ? this.throughLine(this.through) : null,
      body,
      this.lines.length > 0 && this.catalogKnown ? support : null,
      this.lines.length > 0 && this.catalogKnown ? this.dedication?.root ?? null : null,
      small ? h("p", { id: "basket-hint", class: "basket-hint", text: t("basket.smallHint") }) : null,
      problem ? h("p", { class: "basket-problem", role: "alert", text: problem }) : null,
      h("div", { class: "basket-total-row" }, [
        h("span", { text: t("basket.total") }),
        h("strong", { id: "basket-total", text: formatMoney(total, locale()) }),
      ]),
      give,
      h("p", { class: "basket-note", text: t("basket.note") }),
    ];
    // The dedication's inputs are kept across renders: so is the keyboard focus in them.
    const focused = this.dedication?.root.contains(document.activeElement) ? document.activeElement as HTMLElement : null;
    this.root.replaceChildren(...children.filter((c): c is Node => c !== null));
    if (focused && document.activeElement !== focused) focused.focus();
    this.root.classList.toggle("empty", this.lines.length === 0);
    this.root.dataset.state = ready ? "ready" : this.catalogKnown ? "checking" : "loading";
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
    // A dedication with a wrong field stops here, the field shown and focused.
    const dedication = this.dedication ? this.dedication.value() : null;
    if (dedication === false) return;
    this.busy = true;
    this.render();
    try {
      // Dedicated to a friend's village, the gifts go there on its date, not into the village open on screen.
      const to = this.target && dedication?.to.kind !== "village" ? { villageId: this.target.villageId, showGiverName: this.showGiverName } : null;
      await this.onGive(this.lines.map((l) => ({ ...l })), this.supportCents, to, dedication);
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
    saveLines(this.lines);
    this.render();
  }
}
