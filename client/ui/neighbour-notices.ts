/**
 * The neighbours' rows of the notifications list (notifications.ts draws the
 * rest): "Bob watered your wheat (3 times)", "Capucine's village thanks you
 * for a goat" with the note and the decoration it sent, and on a gift
 * received the "Say thanks" button that opens a small form in the row: a
 * short note and/or a free decoration for the giver's village. Sent once per
 * gift (the server refuses a second); the giver's name is never asked nor
 * shown beyond what the notification already says.
 */
import type { NotificationView } from "../../shared/notifications.ts";
import { THANKS_NOTE_MAX, THANK_YOU_DECORATIONS, type ThankYouDecoration } from "../../shared/neighbours.ts";
import { DECORATIONS } from "../../shared/decorations.ts";
import { cropName } from "../game/play-text.ts";
import { errorText, locale, pick, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { neighboursApi } from "../net/neighbours-api.ts";
import { h, spriteUrl } from "./element.ts";

type CropsHelped = Extract<NotificationView, { kind: "crops_helped" }>;
type ThanksReceived = Extract<NotificationView, { kind: "thanks_received" }>;
type GiftReceived = Extract<NotificationView, { kind: "gift_received" }>;

export function cropsHelpedText(n: CropsHelped): string {
  const crops = new Intl.ListFormat(locale(), { type: "conjunction" }).format(n.payload.crops.map((c) => cropName(c).toLocaleLowerCase(locale())));
  const params = { name: n.payload.helper.name, crops, count: n.payload.count };
  return n.payload.count > 1 ? t("notifications.cropsHelpedMany", params) : t("notifications.cropsHelped", params);
}

export function thanksReceivedText(n: ThanksReceived, gifts: string): string {
  return t("notifications.thanksReceived", { village: n.payload.villageName, gifts });
}

/** What a thanks_received row shows under its text: the note, and the decoration now in my village. */
export function thanksDetails(n: ThanksReceived): HTMLElement | null {
  const { note, decoration } = n.payload;
  if (!note && !decoration) return null;
  return h("span", { class: "thanks-details" }, [
    note ? h("q", { class: "thanks-note", text: note }) : null,
    decoration ? h("span", { class: "thanks-decoration", text: t("notifications.thanksDecoration", { decoration: pick(decoration.name).toLocaleLowerCase(locale()) }) }) : null,
  ]);
}

export function neighbourArt(n: CropsHelped | ThanksReceived): HTMLElement {
  const sprite = n.kind === "crops_helped" ? "watering-can" : (n.payload.decoration?.sprite ?? "heart");
  return h("img", { src: spriteUrl(sprite), alt: "", width: 36, height: 36 });
}

export interface ThankFormDeps {
  token(): string | undefined;
  /** The thanks went (or had gone already): the row shows it. */
  thanked(orderId: string): void;
}

/** The "Say thanks" button and its form, per gift_received row; one form open at a time. */
export class ThankGiver {
  private openFor: string | null = null;
  private note = "";
  private decoration: ThankYouDecoration | null = "flower-bed";
  private sending = false;
  private problem: string | null = null;
  private readonly deps: ThankFormDeps;
  private readonly rerender: () => void;

  constructor(deps: ThankFormDeps, rerender: () => void) {
    this.deps = deps;
    this.rerender = rerender;
  }

  /** The button, or the open form, for a row. */
  part(n: GiftReceived): HTMLElement {
    if (n.payload.thanked) return h("span", { class: "thanks-sent", text: `✓ ${t("thankYou.sent")}` });
    if (this.openFor !== n.payload.orderId) {
      return h("button", { type: "button", class: "small-action notification-action", "data-thank": n.payload.orderId, text: t("thankYou.say") });
    }
    return this.form(n);
  }

  /** Handles a click inside the list; true when it was ours. */
  click(target: HTMLElement): boolean {
    const open = target.closest<HTMLButtonElement>("button[data-thank]");
    if (open) {
      this.openFor = open.dataset.thank ?? null;
      this.problem = null;
      this.rerender();
      return true;
    }
    const choice = target.closest<HTMLButtonElement>("button[data-thank-decoration]");
    if (choice) {
      const id = choice.dataset.thankDecoration;
      this.decoration = (THANK_YOU_DECORATIONS as readonly string[]).includes(id ?? "") ? (id as ThankYouDecoration) : null;
      this.rerender();
      return true;
    }
    if (target.closest("button[data-thank-cancel]")) {
      this.openFor = null;
      this.rerender();
      return true;
    }
    if (target.closest("button[data-thank-send]")) {
      void this.send();
      return true;
    }
    return false;
  }

  private form(n: GiftReceived): HTMLElement {
    const textarea = h("textarea", {
      class: "thanks-input", name: "thanks-note", rows: 2, maxlength: THANKS_NOTE_MAX, placeholder: t("thankYou.notePlaceholder"), "aria-label": t("thankYou.note"),
    }) as HTMLTextAreaElement;
    textarea.value = this.note;
    textarea.addEventListener("input", () => {
      this.note = textarea.value;
    });
    const choices = [null, ...THANK_YOU_DECORATIONS].map((id) => h("button", {
      type: "button", class: `thanks-choice${this.decoration === id ? " chosen" : ""}`, "data-thank-decoration": id ?? "none",
      "aria-pressed": String(this.decoration === id), title: id ? (locale() === "fr" ? DECORATIONS[id].nameFr : DECORATIONS[id].nameEn) : t("thankYou.none"),
    }, [id ? h("img", { src: spriteUrl(DECORATIONS[id].sprite), alt: locale() === "fr" ? DECORATIONS[id].nameFr : DECORATIONS[id].nameEn, width: 32, height: 32 }) : h("span", { text: "∅" })]));
    return h("form", { class: "thanks-form", "data-thanks-for": n.payload.orderId }, [
      h("strong", { class: "thanks-form-title", text: t("thankYou.title") }),
      n.payload.fromName ? null : h("p", { class: "thanks-anonymous", text: t("thankYou.anonymous") }),
      h("label", { class: "thanks-label", text: t("thankYou.note") }),
      textarea,
      h("span", { class: "thanks-label", text: t("thankYou.decoration") }),
      h("span", { class: "thanks-choices", role: "group", "aria-label": t("thankYou.decoration") }, choices),
      this.problem ? h("p", { class: "receipts-problem", role: "alert", text: this.problem }) : null,
      h("span", { class: "thanks-buttons" }, [
        h("button", { type: "button", class: "small-action", "data-thank-cancel": "", text: t("thankYou.cancel") }),
        h("button", {
          type: "button", class: "small-action primary", "data-thank-send": "", disabled: this.sending, "aria-busy": this.sending ? "true" : undefined,
          text: t(this.sending ? "thankYou.sending" : "thankYou.send"),
        }),
      ]),
    ]);
  }

  private async send(): Promise<void> {
    const token = this.deps.token();
    const orderId = this.openFor;
    if (!token || !orderId || this.sending) return;
    const note = this.note.trim();
    if (note === "" && !this.decoration) {
      this.problem = t("thankYou.empty");
      this.rerender();
      return;
    }
    this.sending = true;
    this.problem = null;
    this.rerender();
    try {
      await neighboursApi.thank(token, orderId, { ...(note ? { note } : {}), ...(this.decoration ? { decorationId: this.decoration } : {}) });
      this.finish(orderId);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : "internal";
      if (code === "already_thanked") this.finish(orderId);
      else this.problem = errorText(code);
    } finally {
      this.sending = false;
      this.rerender();
    }
  }

  private finish(orderId: string): void {
    this.openFor = null;
    this.note = "";
    this.deps.thanked(orderId);
  }
}
