/**
 * A fundraiser as anyone sees it in the game (the dialog opened by the
 * village sign or a `/?fundraiser=<id>` link): its title, who started it (only
 * when they chose to show their name), the campaign, the message, the bar
 * (amounts for the fundraiser as a whole, donors as a count, never who), and
 * the campaign's gifts on sale, each with a Give button.
 */
import type { CatalogGift } from "../../shared/api.ts";
import { barFill, fundraiserPage, type PublicFundraiser } from "../../shared/fundraisers.ts";
import { formatMoney } from "../../shared/money.ts";
import { locale, pick, t } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";

/** The bar, the amounts and the donor count: shared by the card and the account's list. */
export function progressBlock(f: Pick<PublicFundraiser, "progress" | "goalCents" | "currency">): HTMLElement {
  const money = (cents: number) => formatMoney({ cents, currency: f.currency }, locale());
  const percent = Math.floor(barFill(f.progress, f.goalCents) * 100);
  const fill = h("span", { class: "fundraiser-bar-fill" });
  fill.style.width = `${percent}%`;
  return h("div", { class: "fundraiser-progress" }, [
    h("div", {
      class: "fundraiser-bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": percent,
      "aria-label": t("fundraiser.progressLabel"),
    }, [fill]),
    h("p", { class: "fundraiser-figures" }, [
      h("strong", { class: "fundraiser-raised", text: t("fundraiser.raised", { raised: money(f.progress.raisedCents), goal: money(f.goalCents) }) }),
      h("span", { class: "fundraiser-percent", text: t("fundraiser.percent", { percent: f.progress.percent }) }),
      h("span", { class: "fundraiser-donors", text: t(f.progress.donors === 1 ? "fundraiser.donorsOne" : "fundraiser.donors", { count: f.progress.donors }) }),
    ]),
  ]);
}

export function fundraiserCard(f: PublicFundraiser, onSale: ReadonlyMap<string, CatalogGift>): HTMLElement {
  const gifts = f.campaign.giftIds.flatMap((id) => (onSale.has(id) ? [onSale.get(id)!] : [])).sort((a, b) => a.priceCents - b.priceCents);
  const open = f.status === "active";
  const money = (cents: number) => formatMoney({ cents, currency: f.currency }, locale());
  return h("section", { class: "receipts-part fundraiser-card", "data-fundraiser-id": f.id, "aria-labelledby": "fundraiser-card-title" }, [
    h("h3", { id: "fundraiser-card-title", class: "fundraiser-title", text: f.title }),
    h("p", { class: "fundraiser-by", text: f.ownerName ? t("fundraiser.by", { name: f.ownerName }) : t("fundraiser.byPlayer") }),
    h("p", { class: "fundraiser-campaign", text: t("fundraiser.forCampaign", { campaign: pick(f.campaign.title), ngo: f.campaign.ngoName }) }),
    f.message ? h("p", { class: "fundraiser-message", text: f.message }) : null,
    progressBlock(f),
    open ? null : h("p", { class: "fundraiser-status", role: "status", text: t(f.status === "closed" ? "fundraiser.closedNote" : "fundraiser.endedNote") }),
    open && gifts.length > 0
      ? h("div", { class: "fundraiser-gifts" }, [
        h("p", { class: "receipts-lead", text: t("fundraiser.giveLead") }),
        h("ul", { class: "fundraiser-gift-list" }, gifts.map((g) =>
          h("li", { class: "fundraiser-gift" }, [
            h("img", { src: spriteUrl(g.sprite), alt: "", width: 36, height: 36 }),
            h("span", { class: "fundraiser-gift-name", text: pick(g.name) }),
            h("button", {
              type: "button", class: "give fundraiser-give", "data-gift-id": g.id,
              "aria-label": t("fundraiser.giveGiftLabel", { name: pick(g.name), price: money(g.priceCents) }),
              text: t("fundraiser.give", { price: money(g.priceCents) }),
            }),
          ]))),
      ])
      : null,
    open && gifts.length === 0 ? h("p", { class: "fundraiser-status", text: t("fundraiser.noGifts") }) : null,
    h("p", { class: "fundraiser-page-link" }, [h("a", { href: fundraiserPage(f.id), target: "_blank", rel: "noopener", text: t("fundraiser.publicPage") })]),
    h("p", { class: "basket-note", text: t("fundraiser.privacyNote") }),
  ]);
}
