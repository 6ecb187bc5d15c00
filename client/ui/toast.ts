/**
 * The toast: one short message at a time over the village (errors, notices,
 * "confirming your donation…"). Lives in #toast, announced politely.
 */
export type ToastKind = "info" | "error" | "success" | "progress";

export class Toast {
  private readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private message: () => string = () => "";
  private readonly watchers = new Set<(kind: ToastKind) => void>();

  constructor(el: HTMLElement) {
    this.el = el;
    this.text = document.createElement("span");
    this.text.className = "toast-text";
    el.replaceChildren(this.text);
  }

  /**
   * Shows `message`; `sticky` keeps it until the next show() or hide(). Pass
   * a function to have the text follow a language switch (see retranslate).
   */
  show(message: string | (() => string), kind: ToastKind = "info", opts: { sticky?: boolean; ms?: number } = {}): void {
    clearTimeout(this.timer);
    this.message = typeof message === "string" ? () => message : message;
    this.text.textContent = this.message();
    this.el.dataset.kind = kind;
    this.el.hidden = false;
    // Restart the entrance animation even when a toast is already visible.
    this.el.classList.remove("visible");
    void this.el.offsetWidth;
    this.el.classList.add("visible");
    for (const watcher of this.watchers) watcher(kind);
    if (!opts.sticky) this.timer = setTimeout(() => this.hide(), opts.ms ?? (kind === "error" ? 5000 : 3500));
  }

  /** Calls `watcher` with the kind of every message shown (the sound of an error). */
  watch(watcher: (kind: ToastKind) => void): void {
    this.watchers.add(watcher);
  }

  /** Re-reads the message after a language switch. */
  retranslate(): void {
    if (!this.el.hidden) this.text.textContent = this.message();
  }

  hide(): void {
    clearTimeout(this.timer);
    this.el.classList.remove("visible");
    this.timer = setTimeout(() => {
      this.el.hidden = true;
    }, 250);
  }
}
