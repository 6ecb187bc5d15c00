/**
 * "My donations", first in the receipts dialog: every order of the player,
 * newest first — date, status (paid, refunded in part or in full, disputed…),
 * what was given to which NGO, what came back, the payment receipt (PDF) and
 * the tax receipts the order is on (in force, cancelled, replaced); my
 * monthly gifts first, when I have some (monthly-gifts-part.ts).
 */
import type { TaxReceiptListItem } from "../../shared/api.ts";
import { formatMoney, type Currency } from "../../shared/money.ts";
import type { DedicationView } from "../../shared/dedications.ts";
import type { MyDonation, MyDonationsResponse } from "../../shared/my-donations.ts";
import { errorText, locale, pick, t } from "../i18n.ts";
import { ApiError, api, orderReceiptPath, taxReceiptPath } from "../net/api.ts";
import { downloadPdf } from "../net/download.ts";
import { calendarDay } from "./dedication-part.ts";
import { h, spriteUrl } from "./element.ts";
import { MonthlyGiftsPart } from "./monthly-gifts-part.ts";

export interface MyDonationsDeps {
  token(): string | undefined;
  /** One of my monthly gifts was changed or stopped here. */
  monthlyChanged?(): void;
}

const money = (cents: number, currency = "EUR") => formatMoney({ cents, currency: currency as Currency }, locale());
const day = (iso: string) => new Intl.DateTimeFormat(locale() === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium" }).format(new Date(iso));

export class MyDonationsPanel {
  readonly root: HTMLElement;
  private readonly deps: MyDonationsDeps;
  private data: MyDonationsResponse | null = null;
  private loadError: string | null = null;
  private readonly busy = new Set<string>();
  private readonly errors = new Map<string, string>();
  readonly monthly: MonthlyGiftsPart;

  constructor(deps: MyDonationsDeps) {
    this.deps = deps;
    this.monthly = new MonthlyGiftsPart({ token: deps.token, changed: () => deps.monthlyChanged?.() });
    this.root = h("section", { class: "receipts-part donations", id: "my-donations", "aria-labelledby": "donations-title" });
    this.root.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-download]");
      if (button) void this.download(button.dataset.download!, button.dataset.path!, button.dataset.name!);
    });
  }

  async load(): Promise<void> {
    const token = this.deps.token();
    if (!token) return;
    this.data = null;
    this.loadError = null;
    this.render();
    void this.monthly.load();
    try {
      this.data = await api.myDonations(token);
    } catch (err) {
      this.loadError = err instanceof ApiError ? err.code : "internal";
    }
    this.render();
  }

  render(): void {
    this.monthly.render();
    let body: Node;
    if (this.loadError) body = h("p", { class: "receipts-problem", role: "alert", text: errorText(this.loadError) });
    else if (!this.data) body = h("p", { class: "tax-loading", text: t("donations.loading") });
    else if (this.data.donations.length === 0) body = h("p", { class: "tax-empty", text: t("donations.empty") });
    else body = h("ul", { class: "donation-list" }, this.data.donations.map((d) => this.item(d)));
    this.root.replaceChildren(
      h("h3", { id: "donations-title", text: t("donations.title") }),
      h("p", { class: "receipts-lead", text: t("donations.lead") }),
      this.monthly.root,
      h("div", { "aria-live": "polite", "aria-busy": this.data || this.loadError ? undefined : "true" }, [body]),
    );
  }

  private item(d: MyDonation): HTMLElement {
    const key = `order:${d.orderId}`;
    const lang = locale();
    const receipt = d.receiptPath
      ? this.downloadButton(key, orderReceiptPath(d.orderId, lang), `hameau-${lang === "fr" ? "recu" : "receipt"}-${d.orderId.slice(0, 8)}.pdf`, t("donations.receipt"), "receipt")
      : null;
    return h("li", { class: `donation status-${d.status}`, "data-order-id": d.orderId }, [
      h("div", { class: "donation-head" }, [
        h("span", { class: "donation-date", text: day(d.paidAt ?? d.createdAt) }),
        h("span", { class: `donation-status status-${d.status}`, text: t(`donations.status.${d.status}`) }),
        h("strong", { class: "donation-total", text: money(d.totalCents, d.currency) }),
      ]),
      h("ul", { class: "donation-lines" }, d.lines.map((l) => h("li", {}, [
        h("span", { class: "donation-gift", text: l.support ? pick(l.giftName) : `${pick(l.giftName)} × ${l.quantity}` }),
        h("span", { class: "donation-ngo", text: `${pick(l.projectName)} — ${l.ngoName}` }),
        h("span", { class: "donation-amount", text: money(l.amountCents, d.currency) }),
        l.refundedCents > 0 ? h("span", { class: "donation-refund", text: t("donations.lineRefunded", { amount: money(l.refundedCents, d.currency) }) }) : null,
      ]))),
      d.ngos.length > 1
        ? h("p", { class: "donation-ngos", text: t("donations.ngos", { list: d.ngos.map((n) => `${n.name} (${money(n.paidCents - n.refundedCents, d.currency)})`).join(", ") }) })
        : null,
      d.refundedCents > 0 ? h("p", { class: "donation-refunded", text: t("donations.refunded", { amount: money(d.refundedCents, d.currency), kept: money(d.totalCents - d.refundedCents, d.currency) }) }) : null,
      d.giftedTo ? h("p", { class: "donation-gifted", text: t("donations.giftedTo", { village: d.giftedTo }) }) : null,
      d.dedication ? dedicationLine(d.dedication) : null,
      ...(d.matches ?? []).map((m) => h("p", { class: "donation-matched", text: t("donations.matchedBy", { sponsor: m.sponsor, amount: money(m.matchedCents, d.currency) }) })),
      h("div", { class: "donation-papers" }, [receipt, ...d.taxReceipts.map((r) => this.taxReceipt(r))]),
      this.errors.has(key) ? h("p", { class: "tax-error", role: "alert", text: errorText(this.errors.get(key)!) }) : null,
    ]);
  }

  private taxReceipt(r: TaxReceiptListItem): HTMLElement {
    const label = r.status === "cancelled"
      ? t(r.replacedBy ? "donations.taxCancelledReplaced" : "donations.taxCancelled", { number: r.number, replacement: r.replacedBy ?? "" })
      : t(r.replaces ? "donations.taxReplaces" : "donations.taxIssued", { number: r.number, replaced: r.replaces ?? "", amount: money(r.totalCents) });
    return this.downloadButton(`tax:${r.id}`, taxReceiptPath(r.id), `recu-fiscal-${r.number}.pdf`, label, r.status === "cancelled" ? "tax cancelled" : "tax");
  }

  private downloadButton(key: string, path: string, name: string, label: string, kind: string): HTMLElement {
    const busy = this.busy.has(key);
    return h("button", {
      type: "button", class: `donation-paper ${kind}`, "data-download": key, "data-path": path, "data-name": name,
      disabled: busy, "aria-busy": busy ? "true" : undefined, text: busy ? t("taxReceipts.downloading") : label,
    });
  }

  private async download(key: string, path: string, name: string): Promise<void> {
    const token = this.deps.token();
    if (!token || this.busy.has(key)) return;
    this.busy.add(key);
    this.errors.delete(key);
    this.render();
    try {
      await downloadPdf(token, path, name);
    } catch (err) {
      this.errors.set(key, err instanceof ApiError ? err.code : "internal");
    } finally {
      this.busy.delete(key);
    }
    this.render();
  }
}

/** "In honour of Rose: into Alice's village on 14 February 2027 · delivered", its message, and whether my name goes with it. */
function dedicationLine(d: DedicationView): HTMLElement {
  const date = calendarDay(d.deliverOn);
  const where = d.to.kind === "village"
    ? t("donations.dedicatedVillage", { honoree: d.honoreeName, village: d.to.villageName, date })
    : t("donations.dedicatedEmail", { honoree: d.honoreeName, email: d.to.email, date });
  return h("div", { class: `donation-dedication dedication-${d.status}` }, [
    h("p", {}, [
      h("img", { class: "dedication-mark", src: spriteUrl("heart"), alt: "", width: 14, height: 14 }), where, " · ",
      h("strong", { class: "dedication-status", text: t(`donations.dedicationStatus.${d.status}`) }),
      d.showGiverName ? ` · ${t("donations.dedicationNamed")}` : "",
    ]),
    d.message ? h("p", { class: "dedication-message", text: d.message }) : null,
  ]);
}
