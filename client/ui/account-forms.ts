/**
 * The forms of the account dialog: sign up (name and email), sign in, forgot
 * password (email), and the password chosen from a mailed link (confirm a
 * sign-up, reset). The server validates
 * (shared/social.ts); its field errors show under each field and its error
 * codes as a translated message over the button.
 */
import { NAME_MAX, NAME_MIN } from "../../shared/names.ts";
import { PASSWORD_MAX, PASSWORD_MIN } from "../../shared/social.ts";
import { errorText, t, type MessageKey } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { h } from "./element.ts";

type Field = "name" | "email" | "password";

interface FieldSpec {
  label: MessageKey;
  hint?: MessageKey;
  type: "text" | "email" | "password";
  maxlength: number;
}

const FIELDS: Record<Field, FieldSpec> = {
  name: { label: "account.field.name", hint: "account.field.nameHint", type: "text", maxlength: 60 },
  email: { label: "account.field.email", type: "email", maxlength: 254 },
  password: { label: "account.field.password", type: "password", maxlength: PASSWORD_MAX },
};

/** Error codes that belong to one field rather than the whole form. */
const FIELD_OF_CODE: Partial<Record<string, Field>> = { name_invalid: "name", name_taken: "name" };

export type FormKind = "signup" | "signin" | "forgot" | "confirm" | "reset";

export interface CredentialsFormSpec {
  /** Used for ids and autocomplete. */
  kind: FormKind;
  title: MessageKey;
  lead: MessageKey;
  /** A notice under the lead (e.g. what signing in does to a guest village). */
  notice?: MessageKey;
  fields: Field[];
  submit: MessageKey;
  busy: MessageKey;
  /**
   * Sends the form. "restarting" when the page reloads as someone else (restartAs): the form
   * stays busy until then. Otherwise the form is usable again as soon as the answer came.
   */
  send(values: Record<Field, string>): Promise<"restarting" | void>;
  /** Shown under the form, inside its section (e.g. "Forgot password?"). */
  after?(): Array<Node | null>;
}

export class CredentialsForm {
  readonly root: HTMLElement;
  private readonly spec: CredentialsFormSpec;
  private values: Record<Field, string> = { name: "", email: "", password: "" };
  /** The server's message per field, kept as sent and translated when shown. */
  private errors = new Map<Field, string>();
  private problem: string | null = null;
  private busy = false;

  constructor(spec: CredentialsFormSpec) {
    this.spec = spec;
    this.root = h("section", { class: `receipts-part account-part ${spec.kind}`, "aria-labelledby": `${spec.kind}-title` });
    // Only this form's own events: another form may sit inside the section (see `after`).
    const mine = (event: Event) => (event.target as HTMLElement).closest("form")?.id === `${spec.kind}-form`;
    this.root.addEventListener("input", (event) => {
      const input = event.target as HTMLInputElement;
      if (mine(event) && input.name in this.values) this.values[input.name as Field] = input.value;
    });
    this.root.addEventListener("submit", (event) => {
      if (!mine(event)) return;
      event.preventDefault();
      void this.submit();
    });
    this.render();
  }

  /** Fills fields in (e.g. the name a confirmation link was made with). */
  prefill(values: Partial<Record<Field, string>>): void {
    this.values = { ...this.values, ...values };
    this.render();
  }

  /** Shows a problem over the button (an error code), as a refused submit would. */
  showProblem(code: string): void {
    this.problem = code;
    this.render();
  }

  /** Forgets what was typed (the dialog closed or the session changed). */
  reset(): void {
    this.values = { name: "", email: "", password: "" };
    this.errors.clear();
    this.problem = null;
    this.render();
  }

  render(): void {
    const { kind } = this.spec;
    const form = h("form", { id: `${kind}-form`, class: "account-form", novalidate: true, "aria-busy": this.busy ? "true" : undefined }, [
      h("fieldset", { disabled: this.busy }, this.spec.fields.map((f) => this.field(f))),
      this.problem ? h("p", { class: "receipts-problem", role: "alert", text: errorText(this.problem) }) : null,
      h("button", {
        type: "submit", id: `${kind}-submit`, class: "receipts-primary", disabled: this.busy,
        "aria-busy": this.busy ? "true" : undefined, text: t(this.busy ? this.spec.busy : this.spec.submit),
      }),
    ]);
    this.root.replaceChildren(
      h("h3", { id: `${kind}-title`, text: t(this.spec.title) }),
      h("p", { class: "receipts-lead", text: t(this.spec.lead) }),
      this.spec.notice ? h("p", { class: "account-notice", text: t(this.spec.notice) }) : "",
      form,
      ...(this.spec.after?.() ?? []).filter((n): n is Node => n !== null),
    );
  }

  private field(name: Field): HTMLElement {
    const spec = FIELDS[name];
    const id = `${this.spec.kind}-${name}`;
    const error = this.errors.get(name);
    const hint = name === "password" && this.spec.kind !== "signin" ? t("account.field.passwordHint", { min: PASSWORD_MIN }) : spec.hint ? t(spec.hint, { min: NAME_MIN, max: NAME_MAX }) : null;
    const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
    const input = h("input", {
      id, name, type: spec.type, maxlength: spec.maxlength, "aria-required": "true",
      autocomplete: autocomplete(name, this.spec.kind), spellcheck: name === "name" ? undefined : "false",
      autocapitalize: name === "name" ? undefined : "off",
      "aria-invalid": error ? "true" : undefined, "aria-describedby": described || undefined,
    });
    input.value = this.values[name];
    return h("div", { class: `donor-field field-${name}` }, [
      h("label", { for: id, text: t(spec.label) }),
      input,
      hint ? h("p", { id: `${id}-hint`, class: "field-hint", text: hint }) : null,
      error ? h("p", { id: `${id}-error`, class: "field-error", text: fieldMessage(name, error) }) : null,
    ]);
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.errors.clear();
    this.problem = null;
    this.render();
    try {
      const outcome = await this.spec.send({ ...this.values });
      // A reload is on its way (restartAs): keep the form busy until then.
      if (outcome === "restarting") return;
      this.busy = false;
      this.render();
    } catch (err) {
      this.busy = false;
      this.showError(err);
    }
  }

  private showError(err: unknown): void {
    const code = err instanceof ApiError ? err.code : "internal";
    const onField = FIELD_OF_CODE[code];
    if (err instanceof ApiError && code === "bad_request" && Object.keys(err.fields).length > 0) {
      for (const [path, message] of Object.entries(err.fields)) {
        const field = path.split(".")[0] as Field;
        if (this.spec.fields.includes(field)) this.errors.set(field, message);
      }
      if (this.errors.size === 0) this.problem = code;
    } else if (onField && this.spec.fields.includes(onField)) {
      this.errors.set(onField, `code:${code}`);
    } else {
      this.problem = code;
    }
    // A wrong password is typed again from scratch.
    if (code === "invalid_credentials") this.values.password = "";
    this.render();
    const focus = this.root.querySelector<HTMLInputElement>('[aria-invalid="true"]') ??
      (code === "invalid_credentials" ? this.root.querySelector<HTMLInputElement>('input[name="password"]') : null);
    focus?.focus();
  }
}

function autocomplete(field: Field, kind: FormKind): string {
  if (field === "password") return kind === "signin" ? "current-password" : "new-password";
  return field === "email" ? "email" : "nickname";
}

/** The server's zod messages (shared/social.ts) or an error code, in the player's language. */
function fieldMessage(field: Field, message: string): string {
  if (message.startsWith("code:")) return errorText(message.slice(5));
  if (field === "email") return t("account.error.email");
  if (field === "name") return t("error.name_invalid");
  if (/at most/.test(message)) return t("account.error.passwordLong", { max: PASSWORD_MAX });
  return t("account.error.passwordShort", { min: PASSWORD_MIN });
}
