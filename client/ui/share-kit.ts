/**
 * The share kit (#share, a sheet dialog): a ready message in the current
 * language and one button per channel — the phone's own share sheet (Web
 * Share API) where the browser has it, Facebook, X, WhatsApp, e-mail — and
 * the link to copy, with feedback. Links and messages come from
 * shared/share.ts; a campaign's come with the NGO's own texts. Each link
 * carries my referral code and its channel, unless I turned referrals off;
 * for a campaign the kit says how many gifts my links brought, live.
 */
import type { ShareMessages, ShareSubject, ShareTarget } from "../../shared/share.ts";
import { defaultTexts, resolveTexts, shareLinks } from "../../shared/share.ts";
import type { ReferralCounts } from "../game/referral-counts.ts";
import { locale, t } from "../i18n.ts";
import { h } from "./element.ts";
import { SheetDialog } from "./sheet-dialog.ts";

export interface ShareRequest {
  target: ShareTarget;
  subject: ShareSubject;
  /** The NGO's texts for a campaign ("" keeps the default). */
  messages?: ShareMessages;
}

export interface ShareKitDeps {
  referrals: ReferralCounts;
  /** The origin links point to (location.origin). */
  origin(): string;
}

const CHANNEL_LABEL = { facebook: "Facebook", x: "X", whatsapp: "WhatsApp" } as const;

export class ShareKit {
  private readonly sheet: SheetDialog;
  private readonly deps: ShareKitDeps;
  private request: ShareRequest | null = null;
  private copied = false;
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(dialog: HTMLDialogElement, deps: ShareKitDeps) {
    this.deps = deps;
    this.sheet = new SheetDialog(dialog, "share.title", () => (this.request = null));
    dialog.classList.add("share-kit");
    this.sheet.body.addEventListener("click", (event) => {
      const target = event.target as HTMLElement;
      if (target.closest("button.share-copy")) void this.copy();
      else if (target.closest("button.share-native")) void this.native();
    });
    this.sheet.body.addEventListener("focusin", (event) => {
      const input = event.target as HTMLElement;
      if (input instanceof HTMLInputElement && input.classList.contains("share-url")) input.select();
    });
    deps.referrals.subscribe(() => this.render());
  }

  get isOpen(): boolean {
    return this.sheet.isOpen;
  }

  /** A notice shown in the kit (the page's toast sits under the modal's top layer). */
  notice(message: () => string): void {
    this.sheet.toast.show(message, "success", { ms: 7000 });
  }

  open(request: ShareRequest): void {
    this.request = request;
    this.copied = false;
    this.render();
    this.sheet.open();
    // The code may not be known yet (first share): read it, the links follow.
    void this.deps.referrals.load();
  }

  close(): void {
    this.sheet.close();
  }

  render(): void {
    this.sheet.renderHeader();
    const r = this.request;
    if (!r) return;
    const lang = locale();
    const texts = resolveTexts(r.messages?.[lang], defaultTexts(r.subject, lang));
    const code = this.deps.referrals.code;
    const links = shareLinks(this.deps.origin(), r.target, code, texts);
    const external = (channel: "facebook" | "x" | "whatsapp") =>
      h("a", {
        class: `share-channel share-${channel}`, "data-channel": channel, href: links[channel].href, target: "_blank", rel: "noopener noreferrer",
        "aria-label": t("share.on", { channel: CHANNEL_LABEL[channel] }),
      }, [h("span", { class: "share-icon", "aria-hidden": "true" }), h("span", { text: CHANNEL_LABEL[channel] })]);
    const canShare = typeof navigator.share === "function";
    const channels = h("div", { class: "share-channels", role: "group", "aria-label": t("share.channels") }, [
      canShare
        ? h("button", { type: "button", class: "share-channel share-native", "data-channel": "native" }, [
          h("span", { class: "share-icon", "aria-hidden": "true" }), h("span", { text: t("share.native") }),
        ])
        : null,
      external("whatsapp"),
      external("facebook"),
      external("x"),
      h("a", { class: "share-channel share-email", "data-channel": "email", href: links.email.href }, [
        h("span", { class: "share-icon", "aria-hidden": "true" }), h("span", { text: t("share.email") }),
      ]),
    ]);
    const linkRow = h("div", { class: "share-link" }, [
      h("label", { for: "share-url", class: "share-label", text: t("share.link") }),
      h("div", { class: "share-link-row" }, [
        h("input", { id: "share-url", class: "share-url", type: "text", readonly: true, value: links.copy.url, spellcheck: "false" }),
        h("button", {
          type: "button", class: `share-copy${this.copied ? " copied" : ""}`, "data-channel": "copy", "aria-live": "polite",
          text: this.copied ? t("share.copied") : t("share.copy"),
        }),
      ]),
    ]);
    this.sheet.body.replaceChildren(
      h("section", { class: "receipts-part share-part" }, [
        h("p", { class: "share-lead", text: t(`share.lead.${r.subject.kind}`, { title: r.subject.title }) }),
        h("figure", { class: "share-message" }, [
          h("figcaption", { class: "share-label", text: t("share.message") }),
          h("blockquote", { class: "share-text", text: texts.text }),
        ]),
        channels,
        linkRow,
        this.countLine(),
        h("p", { class: "share-privacy" }, [h("span", { class: "privacy-lock", "aria-hidden": "true" }), t(code ? "share.privacy" : "share.off")]),
      ]),
    );
  }

  /** "Your link brought N gifts to this campaign", for a campaign while referrals are on. */
  private countLine(): HTMLElement | null {
    const r = this.request;
    if (!r || r.target.kind !== "campaign" || !this.deps.referrals.code) return null;
    const n = this.deps.referrals.giftsFor(r.target.id);
    const text = n === 0 ? t("share.broughtNone") : n === 1 ? t("share.broughtOne") : t("share.brought", { n });
    return h("p", { class: "share-count", id: "share-count", "data-gifts": n, "aria-live": "polite", text });
  }

  private currentLinks() {
    const r = this.request!;
    const lang = locale();
    return shareLinks(this.deps.origin(), r.target, this.deps.referrals.code, resolveTexts(r.messages?.[lang], defaultTexts(r.subject, lang)));
  }

  private async copy(): Promise<void> {
    if (!this.request) return;
    const url = this.currentLinks().copy.url;
    let ok = false;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch {
      // No clipboard permission (or an old browser): select the link and ask the browser to copy it.
      const input = this.sheet.body.querySelector<HTMLInputElement>("#share-url");
      input?.focus();
      input?.select();
      ok = document.execCommand?.("copy") ?? false;
    }
    if (!ok) {
      this.sheet.toast.show(() => t("share.copyFailed"), "error");
      return;
    }
    this.copied = true;
    this.render();
    this.sheet.body.querySelector<HTMLButtonElement>("button.share-copy")?.focus();
    this.sheet.toast.show(() => t("share.copied"), "success");
    clearTimeout(this.copiedTimer);
    this.copiedTimer = setTimeout(() => {
      this.copied = false;
      if (this.isOpen) this.render();
    }, 2500);
  }

  private async native(): Promise<void> {
    if (!this.request) return;
    const link = this.currentLinks().native;
    try {
      await navigator.share({ title: this.request.subject.title, text: link.text, url: link.url });
    } catch {
      // Cancelled by the person, or refused by the browser: nothing to say.
    }
  }
}
