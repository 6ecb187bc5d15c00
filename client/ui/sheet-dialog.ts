/**
 * A modal sheet in a <dialog>, with the receipts dialog's look (receipts.css):
 * a title bar with a close button, a scrolling body of parts, and a toast of
 * its own (the page's toast sits under the modal's top layer). Escape, the
 * close button or a press on the backdrop closes it, and the browser gives
 * focus back to the opener.
 */
import { t, type MessageKey } from "../i18n.ts";
import { h } from "./element.ts";
import { Toast } from "./toast.ts";

export class SheetDialog {
  readonly dialog: HTMLDialogElement;
  readonly body: HTMLElement;
  readonly toast: Toast;
  private readonly header: HTMLElement;
  private titleKey: MessageKey;
  /** A press that starts on the backdrop (not a text selection ending there). */
  private pressedBackdrop = false;

  constructor(dialog: HTMLDialogElement, titleKey: MessageKey, onClose: () => void = () => {}) {
    this.dialog = dialog;
    this.titleKey = titleKey;
    const toastEl = h("div", { class: "toast dialog-toast", role: "status", "aria-live": "polite", hidden: true });
    this.toast = new Toast(toastEl);
    this.header = h("header", { class: "receipts-header" });
    this.body = h("div", { class: "receipts-body" });
    dialog.classList.add("receipts", "sheet");
    dialog.setAttribute("aria-labelledby", `${dialog.id}-title`);
    dialog.replaceChildren(h("div", { class: "receipts-sheet" }, [this.header, this.body]), toastEl);
    dialog.addEventListener("click", (event) => {
      const target = event.target as HTMLElement;
      if (target.closest("button.receipts-close") || (target === dialog && this.pressedBackdrop)) this.close();
    });
    dialog.addEventListener("pointerdown", (event) => {
      this.pressedBackdrop = event.target === dialog;
    });
    dialog.addEventListener("close", () => {
      this.toast.hide();
      onClose();
    });
    this.renderHeader();
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  open(): void {
    if (this.dialog.open) return;
    this.dialog.showModal();
    this.body.scrollTo({ top: 0 });
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  setTitle(key: MessageKey): void {
    this.titleKey = key;
    this.renderHeader();
  }

  /** The title bar in the current language (call from the owner's render). */
  renderHeader(): void {
    this.header.replaceChildren(
      h("h2", { id: `${this.dialog.id}-title`, text: t(this.titleKey) }),
      h("button", { type: "button", class: "receipts-close", "aria-label": t("receipts.close"), text: "×" }),
    );
    this.toast.retranslate();
  }
}
