/**
 * "Monthly gifts" in My donations: each of my monthly gifts with its status
 * (active, payment failed, waiting for my confirmation with the link to
 * settle it, being set up, stopped), amount, next date and months given;
 * change the amount, stop it (asked once more), and "Manage payment method"
 * (Stripe's Customer Portal, offered with real Stripe keys).
 */
import { MONTHLY_MAX_CENTS, isOpenMonthly, type MonthlyGiftView, type MonthlyGiftsResponse } from "../../shared/monthly-gifts.ts";
import { formatMoney, parseAmountToCents, type Currency } from "../../shared/money.ts";
import { inSentence } from "../game/monthly-growth.ts";
import { errorText, locale, pick, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { monthlyApi } from "../net/monthly-api.ts";
import { h, spriteUrl } from "./element.ts";

export interface MonthlyGiftsDeps {
  token(): string | undefined;
  /** A monthly gift was changed or stopped here (the village's labels read again). */
  changed?(): void;
  /** Leaves for Stripe's Customer Portal. */
  go?(url: string): void;
}

type Editing = { id: string; kind: "amount"; text: string; problem: string | null } | { id: string; kind: "cancel" };

const day = (iso: string) => new Intl.DateTimeFormat(locale() === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium" }).format(new Date(iso));

export class MonthlyGiftsPart {
  readonly root: HTMLElement;
  private readonly deps: MonthlyGiftsDeps;
  private data: MonthlyGiftsResponse | null = null;
  private loadError: string | null = null;
  private editing: Editing | null = null;
  private busy: string | null = null;
  private readonly errors = new Map<string, string>();
  /** Back from a checkout: which gift, and whether it was set up or left. */
  private back: { id: string; cancelled: boolean } | null = null;

  constructor(deps: MonthlyGiftsDeps) {
    this.deps = deps;
    this.root = h("div", { class: "monthly-gifts", id: "monthly-gifts" });
    this.root.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-action]");
      if (button) void this.act(button.dataset.action!, button.dataset.id ?? "");
    });
    this.root.addEventListener("submit", (event) => {
      event.preventDefault();
      const id = (event.target as HTMLElement).closest<HTMLElement>("[data-monthly-id]")?.dataset.monthlyId;
      if (id) void this.act("save", id);
    });
    this.root.addEventListener("input", (event) => {
      const input = event.target as HTMLInputElement;
      if (input.name === "monthly-amount" && this.editing?.kind === "amount") this.editing.text = input.value;
    });
  }

  async load(): Promise<void> {
    const token = this.deps.token();
    if (!token) return;
    this.loadError = null;
    this.back = null;
    try {
      this.data = await monthlyApi.mine(token);
    } catch (err) {
      this.loadError = err instanceof ApiError ? err.code : "internal";
    }
    this.render();
  }

  /** Back from a monthly gift's checkout: says what happened over its row and brings it into view. */
  reveal(id: string, cancelled: boolean): void {
    this.back = { id, cancelled };
    this.render();
    this.root.querySelector<HTMLElement>(`[data-monthly-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: "center" });
  }

  render(): void {
    // A checkout left without setting anything up is not a monthly gift (unless just back from it).
    const gifts = (this.data?.monthlyGifts ?? []).filter((g) => g.status !== "cancelled" || g.monthsGiven > 0 || g.id === this.back?.id);
    if (!this.loadError && gifts.length === 0) {
      // Nothing to say until there is one (the shop offers them).
      this.root.replaceChildren();
      this.root.hidden = true;
      return;
    }
    this.root.hidden = false;
    const portal = this.data?.portal && gifts.some((g) => !g.testMode && isOpenMonthly(g.status))
      ? h("button", { type: "button", class: "monthly-portal donation-paper", "data-action": "portal", disabled: this.busy === "portal", text: t("monthly.portal") })
      : null;
    const parts: Array<HTMLElement | null> = [
      h("h4", { id: "monthly-gifts-title", class: "monthly-gifts-title", text: t("monthly.mine.title") }),
      this.loadError
        ? h("p", { class: "receipts-problem", role: "alert", text: errorText(this.loadError) })
        : h("ul", { class: "monthly-list", "aria-labelledby": "monthly-gifts-title" }, gifts.map((g) => this.item(g))),
      portal,
      this.errors.has("portal") ? h("p", { class: "tax-error", role: "alert", text: errorText(this.errors.get("portal")!) }) : null,
    ];
    this.root.replaceChildren(...parts.filter((n): n is HTMLElement => n !== null));
  }

  private money(cents: number, currency: string): string {
    return formatMoney({ cents, currency: currency as Currency }, locale());
  }

  private item(g: MonthlyGiftView): HTMLElement {
    const open = isOpenMonthly(g.status);
    const busy = this.busy === g.id;
    const facts = [
      h("span", { class: "monthly-amount", text: t("monthly.perMonth", { amount: this.money(g.amountCents, g.currency) }) }),
      h("span", { class: "monthly-months", text: t(g.monthsGiven === 1 ? "monthly.monthsOne" : "monthly.months", { n: g.monthsGiven }) }),
      g.nextInvoiceAt && open ? h("span", { class: "monthly-next", text: t("monthly.next", { date: day(g.nextInvoiceAt) }) }) : null,
    ];
    const settle = g.actionUrl && (g.status === "past_due" || g.status === "action_required")
      ? h("a", { class: "monthly-settle", href: g.actionUrl, text: t(g.status === "past_due" ? "monthly.settle.pay" : "monthly.settle.confirm") })
      : null;
    return h("li", { class: `monthly-gift-row status-${g.status}`, "data-monthly-id": g.id }, [
      h("div", { class: "monthly-row-head" }, [
        h("img", { src: spriteUrl(g.sprite), alt: "", width: 36, height: 36, draggable: "false" }),
        h("div", { class: "monthly-row-name" }, [
          h("strong", { text: pick(g.giftName) }),
          h("span", { class: "donation-ngo", text: `${pick(g.projectName)} — ${g.ngoName}` }),
        ]),
        h("span", { class: `monthly-status status-${g.status}`, text: t(`monthly.status.${g.status}`) }),
      ]),
      h("p", { class: "monthly-facts" }, facts),
      g.testMode ? h("p", { class: "monthly-test", text: t("monthly.testMode") }) : null,
      this.back?.id === g.id ? h("p", { class: `monthly-back${this.back.cancelled ? "" : " ok"}`, role: "status", text: this.backText(g) }) : null,
      settle ? h("p", { class: "monthly-problem" }, [t(g.status === "past_due" ? "monthly.problem.failed" : "monthly.problem.confirm"), " ", settle]) : null,
      open ? this.actions(g, busy) : null,
      this.errors.has(g.id) ? h("p", { class: "tax-error", role: "alert", text: errorText(this.errors.get(g.id)!) }) : null,
    ]);
  }

  private backText(g: MonthlyGiftView): string {
    if (this.back?.cancelled) return t("monthly.back.cancelled");
    return t(g.status === "incomplete" ? "monthly.back.waiting" : "monthly.back.started", { name: inSentence(pick(g.giftName)) });
  }

  private actions(g: MonthlyGiftView, busy: boolean): HTMLElement {
    const editing = this.editing?.id === g.id ? this.editing : null;
    const name = inSentence(pick(g.giftName));
    if (editing?.kind === "cancel") {
      return h("div", { class: "monthly-confirm", role: "group", "aria-label": t("monthly.cancel.label", { name }) }, [
        h("p", { text: t("monthly.cancel.ask", { name }) }),
        h("button", { type: "button", class: "danger-button", "data-action": "confirm-cancel", "data-id": g.id, disabled: busy, text: t("monthly.cancel.yes") }),
        h("button", { type: "button", class: "monthly-secondary", "data-action": "close", "data-id": g.id, text: t("monthly.cancel.no") }),
      ]);
    }
    if (editing?.kind === "amount") {
      const id = `monthly-amount-${g.id}`;
      const input = h("input", {
        id, name: "monthly-amount", type: "text", inputmode: "decimal", autocomplete: "off", value: editing.text,
        "aria-invalid": editing.problem ? "true" : undefined, "aria-describedby": editing.problem ? `${id}-error` : `${id}-hint`,
      });
      input.value = editing.text;
      return h("form", { class: "monthly-edit", novalidate: true }, [
        h("div", { class: "donor-field" }, [
          h("label", { for: id, text: t("monthly.newAmount") }),
          input,
          h("p", { id: `${id}-hint`, class: "monthly-hint", text: t("monthly.newAmountHint", { price: this.money(g.minimumCents, g.currency) }) }),
          editing.problem ? h("p", { id: `${id}-error`, class: "field-error", role: "alert", text: editing.problem }) : null,
        ]),
        h("div", { class: "monthly-buttons" }, [
          h("button", { type: "submit", class: "monthly-save", disabled: busy, text: t("monthly.save") }),
          h("button", { type: "button", class: "monthly-secondary", "data-action": "close", "data-id": g.id, text: t("monthly.cancel.no") }),
        ]),
      ]);
    }
    return h("div", { class: "monthly-buttons" }, [
      h("button", { type: "button", class: "monthly-secondary", "data-action": "amount", "data-id": g.id, "aria-label": t("monthly.changeLabel", { name }), text: t("monthly.change") }),
      h("button", { type: "button", class: "monthly-secondary monthly-stop", "data-action": "cancel", "data-id": g.id, "aria-label": t("monthly.stopLabel", { name }), text: t("monthly.stop") }),
    ]);
  }

  private async act(action: string, id: string): Promise<void> {
    const token = this.deps.token();
    const gift = this.data?.monthlyGifts.find((g) => g.id === id);
    if (!token) return;
    this.errors.delete(id || "portal");
    if (action === "portal") return this.portal(token);
    if (!gift) return;
    if (action === "amount") this.editing = { id, kind: "amount", text: (gift.amountCents / 100).toFixed(gift.amountCents % 100 ? 2 : 0), problem: null };
    else if (action === "cancel") this.editing = { id, kind: "cancel" };
    else if (action === "close") this.editing = null;
    else if (action === "save" && this.editing?.kind === "amount") {
      const cents = parseAmountToCents(this.editing.text.trim());
      if (cents === null || cents < gift.minimumCents || cents > MONTHLY_MAX_CENTS) {
        this.editing.problem = t("monthly.amountInvalid", { price: this.money(gift.minimumCents, gift.currency), max: this.money(MONTHLY_MAX_CENTS, gift.currency) });
        this.render();
        this.root.querySelector<HTMLInputElement>(`#monthly-amount-${CSS.escape(id)}`)?.focus();
        return;
      }
      await this.call(id, () => monthlyApi.amount(token, id, cents));
      return;
    } else if (action === "confirm-cancel") {
      await this.call(id, () => monthlyApi.cancel(token, id));
      return;
    }
    this.render();
    if (action === "amount") this.root.querySelector<HTMLInputElement>(`#monthly-amount-${CSS.escape(id)}`)?.focus();
    if (action === "cancel") this.root.querySelector<HTMLButtonElement>(`[data-monthly-id="${CSS.escape(id)}"] .monthly-confirm .monthly-secondary`)?.focus();
  }

  private async call(id: string, change: () => Promise<unknown>): Promise<void> {
    this.busy = id;
    this.render();
    try {
      await change();
      this.editing = null;
      this.deps.changed?.();
    } catch (err) {
      this.errors.set(id, err instanceof ApiError ? err.code : "internal");
    } finally {
      this.busy = null;
    }
    await this.load();
  }

  private async portal(token: string): Promise<void> {
    this.busy = "portal";
    this.render();
    try {
      const { url } = await monthlyApi.portal(token);
      (this.deps.go ?? ((u: string) => location.assign(u)))(url);
    } catch (err) {
      this.errors.set("portal", err instanceof ApiError ? err.code : "internal");
    } finally {
      this.busy = null;
      this.render();
    }
  }
}
