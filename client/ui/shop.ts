/**
 * The shop: every catalog gift with its picture, translated name and impact,
 * the project and NGO it funds, its price and an "Add" button; and, for a
 * gift that can be given monthly, "Monthly" with its monthly price.
 */
import type { CatalogGift } from "../../shared/api.ts";
import { formatMoney } from "../../shared/money.ts";
import { offersMonthly } from "../../shared/monthly-gifts.ts";
import { locale, pick, t } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";

export class ShopPanel {
  private readonly root: HTMLElement;
  private gifts: CatalogGift[] = [];
  private readonly onAdd: (gift: CatalogGift) => void;
  private readonly onMonthly: ((gift: CatalogGift) => void) | undefined;

  constructor(root: HTMLElement, onAdd: (gift: CatalogGift) => void, onMonthly?: (gift: CatalogGift) => void) {
    this.root = root;
    this.onAdd = onAdd;
    this.onMonthly = onMonthly;
    this.root.addEventListener("click", (event) => this.handleClick(event));
    this.render();
  }

  setGifts(gifts: CatalogGift[]): void {
    this.gifts = gifts;
    this.render();
  }

  render(): void {
    const header = h("header", { class: "panel-header" }, [
      h("h2", { id: "shop-title", text: t("shop.title") }),
      h("p", { class: "panel-subtitle", text: t("shop.subtitle") }),
    ]);
    const list = h("ul", { class: "gift-list", "aria-labelledby": "shop-title" });
    if (this.gifts.length === 0) list.append(h("li", { class: "gift-loading", text: t("shop.loading") }));
    for (const gift of this.gifts) list.append(this.card(gift));
    this.root.replaceChildren(header, list);
    this.root.setAttribute("aria-busy", String(this.gifts.length === 0));
  }

  /** A short "added" flourish on the gift's card. */
  flash(giftId: string): void {
    const card = this.root.querySelector<HTMLElement>(`[data-gift-id="${CSS.escape(giftId)}"]`);
    if (!card) return;
    card.classList.remove("added");
    void card.offsetWidth;
    card.classList.add("added");
  }

  private card(gift: CatalogGift): HTMLElement {
    const name = pick(gift.name);
    const description = pick(gift.description);
    const price = formatMoney({ cents: gift.priceCents, currency: gift.currency }, locale());
    return h("li", { class: gift.emergency ? "gift-card emergency" : "gift-card", "data-gift-slug": gift.slug, "data-gift-id": gift.id }, [
      h("div", { class: "gift-art" }, [h("img", { src: spriteUrl(gift.sprite), alt: "", width: 56, height: 56, draggable: "false" })]),
      h("div", { class: "gift-body" }, [
        h("h3", { class: "gift-name", text: name }, gift.emergency ? [h("span", { class: "gift-badge", text: t("shop.emergency") })] : []),
        h("p", { class: "gift-impact", text: pick(gift.impact) }),
        ...(description ? [h("p", { class: "gift-description", text: description })] : []),
        h("p", { class: "gift-project", text: `${pick(gift.project.name)} · ${gift.ngo.name}` }),
      ]),
      h("div", { class: "gift-buy" }, [
        h("span", { class: "gift-price", text: price }),
        ...(gift.stockLeft !== null ? [h("span", { class: "gift-left", text: t("shop.left", { count: gift.stockLeft }) })] : []),
        h("button", { type: "button", class: "add", "aria-label": t("shop.addLabel", { name }), text: t("shop.add") }),
        this.onMonthly && offersMonthly(gift)
          ? h("button", { type: "button", class: "monthly", "aria-label": t("monthly.shopLabel", { name, price }), text: t("monthly.shopButton", { price }) })
          : null,
      ]),
    ]);
  }

  private handleClick(event: MouseEvent): void {
    const button = (event.target as HTMLElement).closest("button.add, button.monthly");
    const id = button?.closest<HTMLElement>("[data-gift-id]")?.dataset.giftId;
    const gift = this.gifts.find((g) => g.id === id);
    if (!gift) return;
    if (button?.classList.contains("monthly")) this.onMonthly?.(gift);
    else this.onAdd(gift);
  }
}
