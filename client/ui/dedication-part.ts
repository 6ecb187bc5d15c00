/**
 * "Dedicate this gift" in the basket (closed unless opened): the honoree's
 * name, a message, the delivery date (today by default, up to a year ahead)
 * and where it lands — a friend's village (picked among friends) or an e-card
 * by e-mail — and whether to show my name. Checked here with the very rule
 * the server uses (shared/dedications.ts); the server's refusals are shown
 * next to their field. Only the honoree ever sees it (and the giver, under My
 * donations); never an amount.
 */
import {
  DEDICATION_MESSAGE_MAX, DedicationInput, HONOREE_NAME_MAX, checkDeliveryDate, latestDeliveryDate, type DedicationInput as DedicationBody,
} from "../../shared/dedications.ts";
import { parisDate } from "../../shared/fund-trail.ts";
import type { OrderView } from "../../shared/api.ts";
import { errorText, locale, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import type { Session } from "../net/session.ts";
import { friendsApi } from "../net/social-api.ts";
import { h, spriteUrl } from "./element.ts";

export type DedicationField = "name" | "message" | "date" | "friend" | "email";

const KEPT_KEY = "hameau.dedication";
interface Kept {
  open: boolean; name: string; message: string; date: string; to: "village" | "email"; villageId: string; email: string; showName: boolean;
}

/** A friend whose village a dedication may go to. */
export interface DedicationFriend {
  name: string;
  villageId: string;
}

export interface DedicationDeps {
  /** My friends (loaded when the part opens); empty for a guest. */
  friends(): Promise<DedicationFriend[]>;
}

/** Codes of the server that are about one field of the dedication. */
const FIELD_OF_CODE: Record<string, DedicationField> = {
  dedication_date_invalid: "date",
  dedication_own_village: "friend",
  dedication_two_villages: "friend",
  village_private: "friend",
  village_unknown: "friend",
};

export class DedicationPart {
  readonly root: HTMLElement;
  private readonly deps: DedicationDeps;
  private open = false;
  private name = "";
  private message = "";
  private date = parisDate(Date.now());
  private to: "village" | "email" = "village";
  private villageId = "";
  private email = "";
  private showName = false;
  private friends: DedicationFriend[] | null = null;
  private friendsError = false;
  private readonly errors = new Map<DedicationField, string>();

  constructor(deps: DedicationDeps) {
    this.deps = deps;
    this.root = h("section", { class: "dedication", id: "dedication", "aria-labelledby": "dedicate-toggle" });
    this.root.addEventListener("click", (event) => {
      if ((event.target as HTMLElement).closest("#dedicate-toggle")) this.toggle();
    });
    this.root.addEventListener("input", (event) => this.edited(event.target as HTMLInputElement));
    this.root.addEventListener("change", (event) => this.edited(event.target as HTMLInputElement));
    this.restore();
    this.render();
  }

  /** Whether a dedication goes with the next checkout. */
  get active(): boolean {
    return this.open;
  }

  /** Where the next checkout's dedication lands: a village (the gifts go there, not into the open one), an e-mail, or none. */
  get kind(): "village" | "email" | null {
    return this.open ? this.to : null;
  }

  /** The session is open: a dedication kept from before the checkout gets its friends list. */
  started(): void {
    if (this.open && this.friends === null) void this.loadFriends();
  }

  /** A friend's village on screen: picked by default, when the player has not picked one. */
  suggest(villageId: string | null): void {
    if (villageId && !this.villageId) this.villageId = villageId;
    this.render();
  }

  /** The dedication to send (null: none), or false when a field is wrong (shown, and focused). */
  value(): DedicationBody | null | false {
    if (!this.open) return null;
    const body: DedicationBody = {
      honoreeName: this.name, message: this.message, deliverOn: this.date, showGiverName: this.showName,
      to: this.to === "village" ? { kind: "village", villageId: this.villageId } : { kind: "email", email: this.email },
    };
    this.errors.clear();
    const parsed = DedicationInput.safeParse(body);
    if (!parsed.success) for (const issue of parsed.error.issues) this.setError(fieldOf(issue.path.map(String), this.to), issue.message);
    else {
      const late = checkDeliveryDate(parsed.data.deliverOn, Date.now());
      if (late) this.setError("date", late.message);
    }
    this.render();
    if (this.errors.size === 0) return body;
    this.focusFirstError();
    return false;
  }

  /** The server refused the checkout: shows it next to its field; false when it is not about the dedication. */
  refused(err: unknown): boolean {
    if (!this.open || !(err instanceof ApiError)) return false;
    this.errors.clear();
    const field = FIELD_OF_CODE[err.code];
    if (field) this.errors.set(field, errorText(err.code));
    for (const [path, message] of Object.entries(err.fields)) {
      const [head, ...rest] = path.split(".");
      if (head === "dedication") this.setError(fieldOf(rest, this.to), message);
    }
    this.render();
    if (this.errors.size === 0) return false;
    this.focusFirstError();
    return true;
  }

  /** The checkout was paid: the next gift starts undedicated. */
  reset(): void {
    Object.assign(this, { open: false, name: "", message: "", date: parisDate(Date.now()), email: "", showName: false, villageId: "" });
    this.errors.clear();
    this.save();
    this.render();
  }

  render(): void {
    const toggle = h("button", {
      type: "button", id: "dedicate-toggle", class: "dedicate-toggle", "aria-expanded": String(this.open), "aria-controls": "dedication-fields",
    }, [h("img", { class: "dedicate-icon", src: spriteUrl("heart"), alt: "", width: 22, height: 22 }), t(this.open ? "dedication.remove" : "dedication.open")]);
    this.root.dataset.open = String(this.open);
    if (!this.open) {
      this.root.replaceChildren(toggle);
      return;
    }
    const now = Date.now();
    const friends = (this.friends ?? []);
    const noFriends = this.friends !== null && friends.length === 0;
    const fields = h("div", { class: "dedication-fields", id: "dedication-fields" }, [
      this.field("name", t("dedication.name"), h("input", { type: "text", maxlength: HONOREE_NAME_MAX, autocomplete: "off", value: this.name })),
      this.field("message", t("dedication.message"), h("textarea", { rows: 3, maxlength: DEDICATION_MESSAGE_MAX }), [
        h("span", { class: "dedication-count", "aria-hidden": "true", text: `${this.message.length}/${DEDICATION_MESSAGE_MAX}` }),
      ]),
      this.field("date", t("dedication.date"), h("input", { type: "date", min: parisDate(now), max: latestDeliveryDate(now), value: this.date, required: true })),
      h("fieldset", { class: "dedication-where" }, [
        h("legend", { text: t("dedication.where") }),
        h("label", { class: "dedication-choice" }, [
          h("input", { type: "radio", name: "dedication-to", id: "dedication-to-village", value: "village", checked: this.to === "village" }),
          h("span", { text: t("dedication.toVillage") }),
        ]),
        this.to === "village" || noFriends ? this.friendPicker(friends, noFriends) : null,
        h("label", { class: "dedication-choice" }, [
          h("input", { type: "radio", name: "dedication-to", id: "dedication-to-email", value: "email", checked: this.to === "email" }),
          h("span", { text: t("dedication.toEmail") }),
        ]),
        this.to === "email"
          ? this.field("email", t("dedication.email"), h("input", { type: "email", autocomplete: "email", inputmode: "email", maxlength: 254, value: this.email }))
          : null,
      ]),
      h("label", { class: "dedication-show-name", for: "dedication-show-name" }, [
        h("input", { type: "checkbox", id: "dedication-show-name", checked: this.showName }),
        h("span", { text: t("dedication.showName") }),
      ]),
      h("p", { class: "dedication-privacy" }, [h("span", { class: "privacy-lock", "aria-hidden": "true" }),
        t(this.showName ? "dedication.privacyNamed" : "dedication.privacyAnonymous", { honoree: this.name.trim() || t("dedication.theHonoree") })]),
    ]);
    this.root.replaceChildren(toggle, fields);
    const message = this.root.querySelector<HTMLTextAreaElement>("#dedication-message");
    if (message) message.value = this.message;
  }

  private friendPicker(friends: DedicationFriend[], noFriends: boolean): HTMLElement {
    if (noFriends || this.friendsError) {
      return h("p", { class: "dedication-hint", id: "dedication-friend-none", text: t(this.friendsError ? "dedication.friendsFailed" : "dedication.noFriends") });
    }
    const select = h("select", { autocomplete: "off" }, [
      h("option", { value: "", text: this.friends === null ? t("dedication.friendsLoading") : t("dedication.pickFriend") }),
      ...friends.map((f) => h("option", { value: f.villageId, text: f.name, selected: f.villageId === this.villageId })),
    ]);
    select.value = this.villageId;
    return this.field("friend", t("dedication.friend"), select);
  }

  /** A labelled input with its error (from the rule or the server) under it. */
  private field(name: DedicationField, label: string, input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, extra: Node[] = []): HTMLElement {
    const id = `dedication-${name}`;
    const error = this.errors.get(name);
    input.id = id;
    input.name = id;
    if (error) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", `${id}-error`);
    }
    return h("div", { class: `dedication-field field-${name}` }, [
      h("label", { for: id, text: label }),
      input,
      ...extra,
      error ? h("p", { id: `${id}-error`, class: "field-error", text: error }) : null,
    ]);
  }

  private toggle(): void {
    this.open = !this.open;
    this.save();
    this.errors.clear();
    this.render();
    if (this.open) {
      this.root.querySelector<HTMLInputElement>("#dedication-name")?.focus();
      void this.loadFriends();
    } else this.root.querySelector<HTMLButtonElement>("#dedicate-toggle")?.focus();
  }

  private async loadFriends(): Promise<void> {
    try {
      this.friends = await this.deps.friends();
      this.friendsError = false;
      // No friend to give to: the e-card is the way.
      if (this.friends.length === 0 && !this.email && !this.villageId) this.to = "email";
    } catch {
      this.friends = [];
      this.friendsError = true;
    }
    const focused = document.activeElement?.id;
    this.render();
    if (focused) document.getElementById(focused)?.focus();
  }

  private edited(input: HTMLInputElement): void {
    const was = this.errors.size;
    if (input.id === "dedication-name") (this.name = input.value, this.errors.delete("name"));
    else if (input.id === "dedication-message") {
      this.message = input.value;
      this.errors.delete("message");
      const count = this.root.querySelector(".dedication-count");
      if (count) count.textContent = `${this.message.length}/${DEDICATION_MESSAGE_MAX}`;
    } else if (input.id === "dedication-date") (this.date = input.value, this.errors.delete("date"));
    else if (input.id === "dedication-friend") (this.villageId = input.value, this.errors.delete("friend"));
    else if (input.id === "dedication-email") (this.email = input.value, this.errors.delete("email"));
    else if (input.id === "dedication-show-name") this.rerender(input, () => (this.showName = input.checked));
    else if (input.name === "dedication-to" && input.checked) this.rerender(input, () => (this.to = input.value === "email" ? "email" : "village"));
    this.save();
    // An error goes as soon as its field is edited (the others stay).
    if (this.errors.size !== was) {
      this.root.querySelector(`#${input.id}-error`)?.remove();
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }

  /** Applies a change that alters the form (which fields show, the privacy line), keeping the focus. */
  private rerender(input: HTMLInputElement, change: () => void): void {
    change();
    const id = input.id;
    this.render();
    document.getElementById(id)?.focus();
  }

  /**
   * Kept for this tab only (sessionStorage), so a checkout left and cancelled comes back with it:
   * the dedication is the player's own, on their device, and goes when the gift is paid.
   */
  private save(): void {
    const kept: Kept = { open: this.open, name: this.name, message: this.message, date: this.date, to: this.to, villageId: this.villageId, email: this.email, showName: this.showName };
    try {
      if (this.open) sessionStorage.setItem(KEPT_KEY, JSON.stringify(kept));
      else sessionStorage.removeItem(KEPT_KEY);
    } catch {
      // No storage: it lasts for this page.
    }
  }

  private restore(): void {
    let kept: Partial<Kept> = {};
    try {
      kept = JSON.parse(sessionStorage.getItem(KEPT_KEY) ?? "{}") as Partial<Kept>;
    } catch {
      return;
    }
    const text = (v: unknown) => (typeof v === "string" ? v : "");
    if (kept.open !== true) return;
    const today = parisDate(Date.now());
    Object.assign(this, {
      open: true, name: text(kept.name), message: text(kept.message), villageId: text(kept.villageId), email: text(kept.email),
      date: text(kept.date) >= today ? text(kept.date) : today, to: kept.to === "email" ? "email" : "village", showName: kept.showName === true,
    });
  }

  private setError(field: DedicationField, message: string): void {
    if (!this.errors.has(field)) this.errors.set(field, messageOf(field, message));
  }

  private focusFirstError(): void {
    const order: DedicationField[] = ["name", "message", "date", "friend", "email"];
    const first = order.find((f) => this.errors.has(f));
    const input = first ? this.root.querySelector<HTMLElement>(`#dedication-${first}`) : null;
    input?.scrollIntoView({ block: "nearest" });
    input?.focus();
  }
}

/** The player's friends a dedication may go to (a guest has none: the list is for accounts, the e-card is theirs). */
export function friendsOf(session: () => Session | undefined): () => Promise<DedicationFriend[]> {
  return async () => {
    const open = session();
    if (!open?.account) return [];
    const { friends } = await friendsApi.list(open.token);
    return friends.filter((f) => f.status === "friend").map((f) => ({ name: f.player.name, villageId: f.villageId }));
  };
}

/** After paying: "Your gift is on its way to Mina" (due today) or "… will reach Mina on 14 February 2027". */
export function dedicationNews(d: NonNullable<OrderView["dedication"]>): string {
  if (d.deliverOn <= parisDate(Date.now())) return t("dedication.onItsWay", { honoree: d.honoreeName });
  return t("dedication.scheduled", { honoree: d.honoreeName, date: calendarDay(d.deliverOn) });
}

/** A "YYYY-MM-DD" calendar date in the player's language ("14 February 2027", "14 février 2027"). */
export function calendarDay(date: string): string {
  return new Intl.DateTimeFormat(locale() === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

/** Which input an issue of the rule is about ("honoreeName", "to.email", …). */
function fieldOf(path: string[], to: "village" | "email"): DedicationField {
  const [head] = path;
  if (head === "honoreeName") return "name";
  if (head === "message") return "message";
  if (head === "deliverOn") return "date";
  return to === "email" ? "email" : "friend";
}

/** The rule's message (English, from shared/dedications.ts) as the player reads it. */
function messageOf(field: DedicationField, message: string): string {
  if (field === "name") {
    if (/missing|must be text/.test(message)) return t("dedication.error.nameMissing");
    if (/control/.test(message)) return t("dedication.error.control");
    return t("dedication.error.tooLong", { max: HONOREE_NAME_MAX });
  }
  if (field === "message") return /control/.test(message) ? t("dedication.error.control") : t("dedication.error.tooLong", { max: DEDICATION_MESSAGE_MAX });
  if (field === "date") return errorText("dedication_date_invalid");
  if (field === "email") return t("dedication.error.email");
  return t("dedication.error.friend");
}
