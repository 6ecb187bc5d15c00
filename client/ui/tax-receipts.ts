/**
 * "Annual tax receipts": a year selector and, per NGO the player gave to that
 * year, the total (net of refunds), the number of payments and the receipt:
 * "Get my tax receipt" (issued by the server, then downloaded) or its number
 * and a "Download" button once issued; why there is none (the NGO is not
 * eligible, or the refund window is not over: from when); and the receipts
 * cancelled by a refund, marked so, with the one that replaced them.
 */
import type { TaxReceiptSummary } from "../../shared/api.ts";
import { formatMoney } from "../../shared/money.ts";
import { errorText, locale, t } from "../i18n.ts";
import { ApiError, api, taxReceiptPath } from "../net/api.ts";
import { downloadPdf } from "../net/download.ts";
import { h } from "./element.ts";

/** How many years the selector offers, this one included. */
const YEARS_SHOWN = 5;

type Row = TaxReceiptSummary["ngos"][number];

export interface TaxReceiptsDeps {
  token(): string | undefined;
  /** A receipt needs the donor's details first: bring the player to the form. */
  needDonor(): void;
}

/** The current year in Paris, where the receipts' calendar runs. */
export function parisYear(now = new Date()): number {
  return Number(new Intl.DateTimeFormat("en", { timeZone: "Europe/Paris", year: "numeric" }).format(now));
}

export class TaxReceiptsPanel {
  readonly root: HTMLElement;
  private readonly deps: TaxReceiptsDeps;
  private year = parisYear() - 1;
  private summary: TaxReceiptSummary | null = null;
  private loadError: string | null = null;
  private readonly busy = new Map<string, "issue" | "download">();
  private readonly rowErrors = new Map<string, string>();
  /** Ignores answers to an older load after the year changed. */
  private loadSeq = 0;

  constructor(deps: TaxReceiptsDeps) {
    this.deps = deps;
    this.root = h("section", { class: "receipts-part tax", "aria-labelledby": "tax-title" });
    this.root.addEventListener("change", (event) => {
      const select = event.target as HTMLSelectElement;
      if (select.id !== "receipt-year") return;
      this.year = Number(select.value);
      void this.load();
    });
    this.root.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
      const ngoId = button?.closest<HTMLElement>("[data-ngo-id]")?.dataset.ngoId;
      if (!button || !ngoId) return;
      if (button.classList.contains("cancelled-receipt")) void this.downloadCancelled(button.dataset.receiptId!, button.dataset.number!);
      else if (button.classList.contains("issue")) void this.act(ngoId, "issue");
      else if (button.classList.contains("download")) void this.act(ngoId, "download");
    });
  }

  async load(): Promise<void> {
    const token = this.deps.token();
    if (!token) return;
    const seq = ++this.loadSeq;
    this.summary = null;
    this.loadError = null;
    this.rowErrors.clear();
    this.render();
    try {
      const summary = await api.taxReceipts(token, this.year);
      if (seq === this.loadSeq) this.summary = summary;
    } catch (err) {
      if (seq === this.loadSeq) this.loadError = err instanceof ApiError ? err.code : "internal";
    }
    if (seq === this.loadSeq) this.render();
  }

  render(): void {
    const current = parisYear();
    const years = Array.from({ length: YEARS_SHOWN }, (_, i) => current - i);
    if (!years.includes(this.year)) years.push(this.year);
    const select = h(
      "select",
      { id: "receipt-year", name: "year" },
      years.map((y) => h("option", { value: y, selected: y === this.year, text: y })),
    );
    let body: Node;
    if (this.loadError) body = h("p", { class: "receipts-problem", role: "alert", text: errorText(this.loadError) });
    else if (!this.summary) body = h("p", { class: "tax-loading", text: t("taxReceipts.loading") });
    else if (this.summary.ngos.length === 0) body = h("p", { class: "tax-empty", text: t("taxReceipts.empty") });
    else body = h("ul", { class: "tax-rows" }, this.summary.ngos.map((row) => this.row(row)));
    this.root.replaceChildren(
      h("h3", { id: "tax-title", text: t("taxReceipts.title") }),
      h("p", { class: "receipts-lead", text: t("taxReceipts.lead") }),
      h("div", { class: "tax-year" }, [h("label", { for: "receipt-year", text: t("taxReceipts.year") }), select]),
      h("div", { class: "tax-body", "aria-live": "polite", "aria-busy": this.summary || this.loadError ? undefined : "true" }, [body]),
    );
  }

  private row(row: Row): HTMLElement {
    const busy = this.busy.get(row.ngoId);
    const error = this.rowErrors.get(row.ngoId);
    let action: HTMLElement | null;
    if (row.receipt) {
      const current = row.history.find((r) => r.id === row.receipt?.id);
      action = h("div", { class: "tax-action" }, [
        h("span", { class: "tax-number", text: t("taxReceipts.number", { number: row.receipt.number }) + (current?.replaces ? ` · ${t("taxReceipts.replaces", { replaced: current.replaces })}` : "") }),
        h("button", {
          type: "button", class: "download", disabled: busy !== undefined, "aria-busy": busy ? "true" : undefined,
          "aria-label": busy ? undefined : t("taxReceipts.downloadLabel", { number: row.receipt.number, ngo: row.ngoName }),
          text: busy ? t("taxReceipts.downloading") : t("taxReceipts.download"),
        }),
      ]);
    } else if (!row.eligible) {
      action = h("p", { class: "tax-note not-eligible", text: t("taxReceipts.notEligible") });
    } else if (row.availableFrom) {
      const date = new Intl.DateTimeFormat(locale() === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long" }).format(new Date(row.availableFrom));
      action = h("p", { class: "tax-note window", text: t("taxReceipts.availableFrom", { date }) });
    } else if (row.totalCents > 0) {
      action = h("div", { class: "tax-action" }, [
        h("button", {
          type: "button", class: "issue", disabled: busy !== undefined, "aria-busy": busy ? "true" : undefined,
          "aria-label": busy ? undefined : t("taxReceipts.issueLabel", { ngo: row.ngoName }),
          text: busy ? t("taxReceipts.issuing") : t("taxReceipts.issue"),
        }),
      ]);
    } else action = null;
    const cancelled = row.history.filter((r) => r.status === "cancelled");
    return h("li", { class: "tax-row", "data-ngo-id": row.ngoId }, [
      h("div", { class: "tax-ngo" }, [
        h("strong", { class: "tax-name", text: row.ngoName }),
        h("span", { class: "tax-payments", text: row.payments === 1 ? t("taxReceipts.payments.one") : t("taxReceipts.payments.other", { count: row.payments }) }),
      ]),
      h("strong", { class: "tax-total", text: formatMoney({ cents: row.totalCents, currency: "EUR" }, locale()) }),
      action,
      cancelled.length > 0
        ? h("ul", { class: "tax-cancelled" }, cancelled.map((r) => h("li", {}, [
          h("button", {
            type: "button", class: "cancelled-receipt", "data-receipt-id": r.id, "data-number": r.number,
            text: r.replacedBy ? t("taxReceipts.cancelledReplaced", { number: r.number, replacement: r.replacedBy }) : t("taxReceipts.cancelled", { number: r.number }),
          }),
        ])))
        : null,
      error ? h("p", { class: "tax-error", role: "alert", text: errorText(error) }) : null,
    ]);
  }

  /** A cancelled receipt, re-printed stamped cancelled. */
  private async downloadCancelled(receiptId: string, number: string): Promise<void> {
    const token = this.deps.token();
    if (!token) return;
    try {
      await downloadPdf(token, taxReceiptPath(receiptId), `recu-fiscal-${number}-annule.pdf`);
    } catch {
      // The row's own error line is for issuing; a failed re-download can simply be tried again.
    }
  }

  /** Issues (when needed) then downloads the receipt of one NGO. */
  private async act(ngoId: string, kind: "issue" | "download"): Promise<void> {
    const token = this.deps.token();
    const row = this.summary?.ngos.find((r) => r.ngoId === ngoId);
    if (!token || !row || this.busy.has(ngoId)) return;
    const year = this.year;
    this.busy.set(ngoId, kind);
    this.rowErrors.delete(ngoId);
    this.render();
    let failed: string | null = null;
    try {
      if (!row.receipt) {
        const issued = await api.issueTaxReceipt(token, ngoId, year);
        row.receipt = { id: issued.id, number: issued.number };
      }
      await downloadPdf(token, taxReceiptPath(row.receipt.id), `recu-fiscal-${row.receipt.number}.pdf`);
    } catch (err) {
      failed = err instanceof ApiError ? err.code : "internal";
      this.rowErrors.set(ngoId, failed);
    } finally {
      this.busy.delete(ngoId);
    }
    if (year !== this.year) return;
    this.render();
    const focus = this.root.querySelector<HTMLButtonElement>(`[data-ngo-id="${CSS.escape(ngoId)}"] button`);
    if (failed === "donor_profile_missing") this.deps.needDonor();
    else focus?.focus();
  }
}
