/**
 * The receipts dialog (<dialog id="receipts">), opened from the header's
 * "Receipts" button: "My donations" (every order with its papers), the
 * donor's details for tax receipts and the annual tax receipts per NGO. A modal dialog: Escape, the close button or a click on
 * the backdrop closes it and the browser gives focus back to the opener.
 */
import { t } from "../i18n.ts";
import { DonorForm } from "./donor-form.ts";
import { h } from "./element.ts";
import { MyDonationsPanel } from "./my-donations.ts";
import { TaxReceiptsPanel } from "./tax-receipts.ts";
import { Toast } from "./toast.ts";

export interface ReceiptsDeps {
  token(): string | undefined;
  /** One of my monthly gifts was changed or stopped in My donations. */
  monthlyChanged?(): void;
}

export class ReceiptsDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly toast: Toast;
  private readonly donor: DonorForm;
  private readonly tax: TaxReceiptsPanel;
  private readonly donations: MyDonationsPanel;
  private readonly header: HTMLElement;
  /** A press that starts on the backdrop (not a text selection ending there). */
  private pressedBackdrop = false;

  constructor(dialog: HTMLDialogElement, deps: ReceiptsDeps) {
    this.dialog = dialog;
    const toastEl = h("div", { class: "toast dialog-toast", role: "status", "aria-live": "polite", hidden: true });
    this.toast = new Toast(toastEl);
    this.donor = new DonorForm({ token: deps.token, toast: this.toast });
    this.tax = new TaxReceiptsPanel({ token: deps.token, needDonor: () => this.donor.focusFirst() });
    this.donations = new MyDonationsPanel({ token: deps.token, monthlyChanged: () => deps.monthlyChanged?.() });
    this.header = h("header", { class: "receipts-header" });
    dialog.replaceChildren(
      h("div", { class: "receipts-sheet" }, [
        this.header,
        h("div", { class: "receipts-body" }, [this.donations.root, this.donor.root, this.tax.root]),
      ]),
      toastEl,
    );
    dialog.addEventListener("click", (event) => {
      const target = event.target as HTMLElement;
      if (target.closest("button.receipts-close") || (target === dialog && this.pressedBackdrop)) this.close();
    });
    dialog.addEventListener("pointerdown", (event) => {
      this.pressedBackdrop = event.target === dialog;
    });
    dialog.addEventListener("close", () => this.toast.hide());
    this.render();
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  open(): void {
    if (this.dialog.open) return;
    this.render();
    this.dialog.showModal();
    this.dialog.querySelector<HTMLElement>(".receipts-body")?.scrollTo({ top: 0 });
    void this.donations.load();
    void this.donor.load();
    void this.tax.load();
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  /** Opens on a monthly gift (back from its checkout): My donations, scrolled to it once it is listed. */
  async openMonthly(id: string, cancelled: boolean): Promise<void> {
    this.open();
    await this.donations.monthly.load();
    this.donations.monthly.reveal(id, cancelled);
  }

  /** Re-renders in the current language. */
  render(): void {
    this.header.replaceChildren(
      h("h2", { id: "receipts-title", text: t("receipts.title") }),
      h("button", { type: "button", class: "receipts-close", "aria-label": t("receipts.close"), text: "×" }),
    );
    this.donations.render();
    this.donor.render();
    this.tax.render();
    this.toast.retranslate();
  }
}
