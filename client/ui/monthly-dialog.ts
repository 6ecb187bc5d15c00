/**
 * "Give every month" (<dialog id="monthly">), opened from a gift's "Monthly"
 * button in the shop: the gift, its project and NGO, a monthly amount (at
 * least its price; anything above supports the same project), then the
 * checkout (Stripe's, or the TEST MODE page) through POST
 * /api/me/monthly-gifts. A guest is told why an account is needed (a mail
 * if a month fails, change or stop it any time) and sent to the account
 * dialog: monthly gifts are for accounts.
 */
import type { CatalogGift } from "../../shared/api.ts";
import { MONTHLY_MAX_CENTS, offersMonthly } from "../../shared/monthly-gifts.ts";
import { formatMoney, parseAmountToCents } from "../../shared/money.ts";
import { inSentence } from "../game/monthly-growth.ts";
import { errorText, locale, pick, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { monthlyApi } from "../net/monthly-api.ts";
import type { Session } from "../net/session.ts";
import { h, spriteUrl } from "./element.ts";
import { SheetDialog } from "./sheet-dialog.ts";

export interface MonthlyDialogDeps {
  session(): Session | undefined;
  /** A guest wants to give monthly: the account dialog explains and signs them up. */
  needAccount(): void;
  /** Leaves for the checkout (location.assign in the game). */
  go(url: string): void;
}

export class MonthlyDialog {
  private readonly sheet: SheetDialog;
  private readonly deps: MonthlyDialogDeps;
  private gift: CatalogGift | null = null;
  private amountText = "";
  private problem: string | null = null;
  private busy = false;

  constructor(dialog: HTMLDialogElement, deps: MonthlyDialogDeps) {
    this.deps = deps;
    this.sheet = new SheetDialog(dialog, "monthly.title", () => {
      this.busy = false;
      this.problem = null;
    });
    this.sheet.body.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
      if (button?.id === "monthly-need-account") {
        this.sheet.close();
        deps.needAccount();
      }
    });
    this.sheet.body.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.start();
    });
    this.sheet.body.addEventListener("input", (event) => {
      const input = event.target as HTMLInputElement;
      if (input.id !== "monthly-amount") return;
      this.amountText = input.value;
      this.problem = null;
      // Only the button's words follow the amount: the field keeps the caret.
      const submit = this.sheet.body.querySelector<HTMLButtonElement>("#monthly-start");
      const cents = this.cents();
      if (submit && cents !== null) submit.textContent = t("monthly.start", { amount: this.money(cents) });
      this.sheet.body.querySelector(".field-error")?.remove();
      input.removeAttribute("aria-invalid");
    });
  }

  get isOpen(): boolean {
    return this.sheet.isOpen;
  }

  open(gift: CatalogGift): void {
    if (!offersMonthly(gift)) return;
    this.gift = gift;
    this.amountText = (gift.priceCents / 100).toFixed(gift.priceCents % 100 === 0 ? 0 : 2);
    this.problem = null;
    this.busy = false;
    this.render();
    this.sheet.open();
    const first = this.sheet.body.querySelector<HTMLElement>(this.deps.session()?.account ? "#monthly-amount" : "#monthly-need-account");
    first?.focus();
  }

  render(): void {
    this.sheet.renderHeader();
    const gift = this.gift;
    if (!gift) return this.sheet.body.replaceChildren();
    const price = this.money(gift.priceCents);
    const summary = h("section", { class: "receipts-part monthly-gift" }, [
      h("div", { class: "monthly-gift-head" }, [
        h("img", { src: spriteUrl(gift.sprite), alt: "", width: 48, height: 48, draggable: "false" }),
        h("div", {}, [
          h("h3", { id: "monthly-gift-name", text: pick(gift.name) }),
          h("p", { class: "monthly-gift-project", text: `${pick(gift.project.name)} · ${gift.ngo.name}` }),
        ]),
      ]),
      h("p", { class: "receipts-lead", text: t("monthly.lead", { name: inSentence(pick(gift.name)), price }) }),
      h("p", { class: "monthly-grows", text: t("monthly.grows") }),
    ]);
    if (!this.deps.session()?.account) {
      this.sheet.body.replaceChildren(summary, h("section", { class: "receipts-part monthly-guest" }, [
        h("h3", { text: t("monthly.guest.title") }),
        h("p", { class: "receipts-lead", text: t("monthly.guest.why") }),
        h("button", { type: "button", id: "monthly-need-account", class: "receipts-primary", text: t("monthly.guest.action") }),
      ]));
      return;
    }
    const cents = this.cents();
    const invalid = this.problem !== null;
    const input = h("input", {
      id: "monthly-amount", name: "amount", type: "text", inputmode: "decimal", autocomplete: "off", value: this.amountText,
      "aria-describedby": invalid ? "monthly-amount-hint monthly-amount-error" : "monthly-amount-hint", "aria-invalid": invalid ? "true" : undefined,
    });
    input.value = this.amountText;
    const form = h("form", { class: "receipts-part monthly-form", novalidate: true }, [
      h("div", { class: "donor-field monthly-field" }, [
        h("label", { for: "monthly-amount", text: t("monthly.amount", { currency: gift.currency === "EUR" ? "€" : gift.currency }) }),
        input,
        h("p", { id: "monthly-amount-hint", class: "monthly-hint", text: t("monthly.amountHint", { price, project: pick(gift.project.name) }) }),
        invalid ? h("p", { id: "monthly-amount-error", class: "field-error", role: "alert", text: this.problem! }) : null,
      ]),
      h("p", { class: "monthly-methods", text: t("monthly.methods") }),
      h("button", {
        type: "submit", id: "monthly-start", class: "receipts-primary", disabled: this.busy, "aria-busy": this.busy ? "true" : undefined,
        text: this.busy ? t("monthly.starting") : t("monthly.start", { amount: this.money(cents ?? gift.priceCents) }),
      }),
    ]);
    this.sheet.body.replaceChildren(summary, form);
  }

  private money(cents: number): string {
    return formatMoney({ cents, currency: this.gift?.currency ?? "EUR" }, locale());
  }

  private cents(): number | null {
    return parseAmountToCents(this.amountText.trim());
  }

  private async start(): Promise<void> {
    const gift = this.gift;
    const token = this.deps.session()?.token;
    if (!gift || !token || this.busy) return;
    const cents = this.cents();
    if (cents === null || cents < gift.priceCents || cents > MONTHLY_MAX_CENTS) {
      this.problem = t("monthly.amountInvalid", { price: this.money(gift.priceCents), max: this.money(MONTHLY_MAX_CENTS) });
      this.render();
      this.sheet.body.querySelector<HTMLInputElement>("#monthly-amount")?.focus();
      return;
    }
    this.busy = true;
    this.render();
    try {
      const started = await monthlyApi.start(token, { giftId: gift.id, amountCents: cents, locale: locale() });
      this.deps.go(started.checkoutUrl);
    } catch (err) {
      this.busy = false;
      this.render();
      this.sheet.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    }
  }
}
