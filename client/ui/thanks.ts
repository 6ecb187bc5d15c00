/**
 * The thank-you card (#thanks): shown when a paid gift reaches the village,
 * naming each gift and the impact it stands for, in the current language,
 * with the payment receipt (PDF) of each order it thanks for. For a gift a
 * friend gave into my village it says who gave (when they allowed it) and
 * offers no receipt: the receipt is the payer's.
 */
import type { CatalogGift } from "../../shared/api.ts";
import type { OrderMatch } from "../../shared/matching.ts";
import { formatMoney } from "../../shared/money.ts";
import { locale, pick, t } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";

export interface ThanksLine {
  gift: CatalogGift;
  quantity: number;
}

export class ThanksCard {
  private readonly root: HTMLElement;
  private lines: ThanksLine[] = [];
  /** The paid orders the card thanks for, each with its receipt button. */
  private orderIds: string[] = [];
  private readonly downloading = new Set<string>();
  /** Set when the card is about a gift someone else gave me: their name, or null when they stayed anonymous. */
  private received: { fromName: string | null } | null = null;
  private returnFocus: HTMLElement | null = null;
  private readonly downloadReceipt: (orderId: string) => Promise<void>;
  /** Opens the share kit for what these gifts support. */
  private readonly share: ((giftIds: string[]) => void) | undefined;
  /** Sponsors' matches of the orders thanked for (matching pledges), as the server says them. */
  private readonly matches = new Map<string, OrderMatch[]>();
  private readonly matchesOf: ((orderId: string) => Promise<OrderMatch[]>) | undefined;

  constructor(
    root: HTMLElement, downloadReceipt: (orderId: string) => Promise<void>, share?: (giftIds: string[]) => void,
    matchesOf?: (orderId: string) => Promise<OrderMatch[]>,
  ) {
    this.root = root;
    this.downloadReceipt = downloadReceipt;
    this.share = share;
    this.matchesOf = matchesOf;
    root.addEventListener("click", (event) => {
      const target = event.target as HTMLElement;
      const receipt = target.closest<HTMLButtonElement>("button.receipt");
      if (receipt?.dataset.orderId) void this.receipt(receipt.dataset.orderId);
      else if (target.closest("button.thanks-share")) this.share?.(this.lines.map((l) => l.gift.id));
      else if (target === root || target.closest("button.close")) this.hide();
    });
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.hide();
    });
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  /**
   * Opens the card, or adds to it when it is already open. With `received`, the gifts were given
   * to me by someone else (a card of its own, without receipts).
   */
  show(orderId: string, lines: ThanksLine[], received: { fromName: string | null } | null = null): void {
    if (lines.length === 0) return;
    const sameKind = (this.received === null) === (received === null) && this.received?.fromName === received?.fromName;
    this.received = received;
    if (this.isOpen && sameKind) {
      this.lines = merge(this.lines, lines);
      if (!this.orderIds.includes(orderId)) this.orderIds.push(orderId);
    } else {
      this.lines = merge([], lines);
      this.orderIds = [orderId];
      this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    }
    this.render();
    if (!received) void this.loadMatches(orderId);
    this.root.hidden = false;
    this.root.classList.remove("visible");
    void this.root.offsetWidth;
    this.root.classList.add("visible");
    this.root.querySelector<HTMLButtonElement>("button.close")?.focus();
  }

  hide(): void {
    if (!this.isOpen) return;
    this.root.hidden = true;
    this.root.classList.remove("visible");
    this.returnFocus?.focus();
  }

  /** Re-renders in the current language when open. */
  render(): void {
    if (this.lines.length === 0) return;
    const card = h("div", { class: "thanks-card" }, [
      h("div", { class: "thanks-hearts", "aria-hidden": "true" }, [
        h("img", { src: spriteUrl("heart"), alt: "", width: 28, height: 28 }),
        h("img", { src: spriteUrl("sparkles"), alt: "", width: 36, height: 36 }),
        h("img", { src: spriteUrl("heart"), alt: "", width: 28, height: 28 }),
      ]),
      h("h2", { id: "thanks-title", text: this.received ? t("thanks.receivedTitle") : t("thanks.title") }),
      h("p", {
        class: "thanks-lead",
        text: !this.received ? t("thanks.lead") : this.received.fromName ? t("thanks.receivedFrom", { name: this.received.fromName }) : t("thanks.receivedAnonymous"),
      }),
      h(
        "ul",
        { class: "thanks-gifts" },
        this.lines.map(({ gift, quantity }) =>
          h("li", { "data-gift-slug": gift.slug }, [
            h("img", { src: spriteUrl(gift.sprite), alt: "", width: 48, height: 48 }),
            h("div", {}, [
              h("strong", { class: "thanks-name", text: quantity > 1 ? `${pick(gift.name)} × ${quantity}` : pick(gift.name) }),
              h("p", { class: "thanks-impact", text: pick(gift.impact) }),
              h("p", { class: "thanks-project", text: t("thanks.supports", { project: pick(gift.project.name), ngo: gift.ngo.name }) }),
            ]),
          ]),
        ),
      ),
      ...this.matchLines(),
      this.received ? null : h("div", { class: "thanks-receipts" }, this.orderIds.map((orderId, i) => this.receiptButton(orderId, i))),
      this.received || !this.share ? null : h("button", { type: "button", class: "thanks-share", id: "thanks-share", text: t("thanks.share") }),
      h("button", { type: "button", class: "close", text: t("thanks.close") }),
    ]);
    this.root.replaceChildren(card);
  }

  /** A match by a sponsor is said apart: the sponsor's gift, not the donor's (their receipt is for their own gift). */
  private async loadMatches(orderId: string): Promise<void> {
    if (!this.matchesOf || this.matches.has(orderId)) return;
    try {
      const found = await this.matchesOf(orderId);
      this.matches.set(orderId, found);
      if (found.length > 0 && this.isOpen && this.orderIds.includes(orderId)) this.render();
    } catch {
      // Only the mention is missing: the thanks stand without it.
    }
  }

  private matchLines(): HTMLElement[] {
    if (this.received) return [];
    return this.orderIds.flatMap((id) => this.matches.get(id) ?? []).map((m) =>
      h("p", { class: "thanks-matched", text: t("thanks.matched", { sponsor: m.sponsor, amount: formatMoney({ cents: m.matchedCents, currency: "EUR" }, locale()) }) }));
  }

  private receiptButton(orderId: string, index: number): HTMLButtonElement {
    const busy = this.downloading.has(orderId);
    const label = this.orderIds.length > 1 ? t("thanks.receiptN", { n: index + 1 }) : t("thanks.receipt");
    return h("button", {
      type: "button", class: "receipt", id: index === 0 ? "thanks-receipt" : undefined, "data-order-id": orderId,
      "aria-busy": busy ? "true" : undefined, disabled: busy, text: busy ? t("thanks.receiptBusy") : label,
    });
  }

  private async receipt(orderId: string): Promise<void> {
    if (this.downloading.has(orderId)) return;
    this.downloading.add(orderId);
    this.render();
    try {
      await this.downloadReceipt(orderId);
    } finally {
      this.downloading.delete(orderId);
      this.render();
      this.root.querySelector<HTMLButtonElement>(`button.receipt[data-order-id="${CSS.escape(orderId)}"]`)?.focus();
    }
  }
}

function merge(into: ThanksLine[], more: ThanksLine[]): ThanksLine[] {
  const result = into.map((l) => ({ ...l }));
  for (const line of more) {
    const same = result.find((l) => l.gift.id === line.gift.id);
    if (same) same.quantity += line.quantity;
    else result.push({ ...line });
  }
  return result;
}
