/**
 * One form builder for every console form: labelled fields (text, FR/EN
 * pairs, euros, dates, selects, checkboxes, a file, or a custom control like
 * the sprite picker), a submit button that shows it is busy, and the API's
 * field-level errors under each field (others over the button).
 */
import { parseAmountToCents } from "../../shared/money.ts";
import { errorText } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { h } from "../ui/element.ts";
import { ct, type ConsoleKey } from "./i18n.ts";
import { fieldMessage } from "./field-messages.ts";

export type FieldValue = string | boolean | string[] | File | null;
export type FormValues = Record<string, FieldValue>;

export type FieldKind =
  | "text" | "textarea" | "email" | "url" | "euros" | "integer" | "date" | "datetime"
  | "select" | "checkbox" | "checkboxes" | "file" | "custom";

export interface Choice {
  value: string;
  label: string;
}

export interface FieldSpec {
  /** The API's field name: the first segment of the error paths it answers. */
  name: string;
  label: ConsoleKey;
  kind: FieldKind;
  hint?: ConsoleKey;
  optional?: boolean;
  maxlength?: number;
  /** Choices of a select or a group of checkboxes. */
  choices?: () => Choice[];
  /** A file input's accepted types. */
  accept?: string;
  /** A custom control: gets the current value and a setter. */
  control?: (value: FieldValue, set: (value: FieldValue) => void, id: string) => HTMLElement;
}

export interface FormSpec {
  id: string;
  title?: ConsoleKey;
  /** Fields; an inner array puts fields side by side (FR | EN) on wide screens. */
  fields: Array<FieldSpec | FieldSpec[]>;
  submit: ConsoleKey;
  initial?: FormValues;
  /** Error paths that do not start with a field's name (e.g. "title.fr" → "titleFr"). */
  fieldOf?: (path: string) => string | undefined;
  /** Other ways to send the same form (e.g. Reject next to Approve): `send` gets their action. */
  alternatives?: Array<{ action: string; label: ConsoleKey; danger?: boolean }>;
  send(values: FormValues, action: string): Promise<void>;
  cancel?: () => void;
}

export class ConsoleForm {
  readonly root: HTMLElement;
  private readonly spec: FormSpec;
  private readonly flat: FieldSpec[];
  private values: FormValues;
  private errors = new Map<string, string>();
  private problem: string | null = null;
  private busy = false;

  constructor(spec: FormSpec) {
    this.spec = spec;
    this.flat = spec.fields.flat();
    this.values = { ...defaults(this.flat), ...spec.initial };
    this.root = h("section", { class: "c-form-wrap", id: `${spec.id}-wrap` });
    this.render();
  }

  render(): void {
    const form = h("form", { id: this.spec.id, class: "c-form", novalidate: true, "aria-busy": this.busy ? "true" : undefined }, [
      h("fieldset", { disabled: this.busy }, this.spec.fields.map((f) =>
        Array.isArray(f) ? h("div", { class: "c-row" }, f.map((g) => this.field(g))) : this.field(f))),
      this.problem ? h("p", { class: "c-problem", role: "alert", text: this.problem }) : null,
      h("div", { class: "c-actions" }, [
        h("button", { type: "submit", class: "c-primary", id: `${this.spec.id}-submit`, disabled: this.busy, text: ct(this.busy ? "form.saving" : this.spec.submit) }),
        ...(this.spec.alternatives ?? []).map((a) =>
          h("button", { type: "submit", class: a.danger ? "c-danger" : "c-secondary", value: a.action, "data-action": a.action, disabled: this.busy, text: ct(a.label) })),
        this.spec.cancel ? h("button", { type: "button", class: "c-secondary", "data-action": "cancel", text: ct("form.cancel") }) : null,
      ]),
    ]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const submitter = (event as SubmitEvent).submitter;
      void this.submit(submitter instanceof HTMLButtonElement && submitter.value ? submitter.value : "submit");
    });
    form.querySelector('[data-action="cancel"]')?.addEventListener("click", () => this.spec.cancel?.());
    this.root.replaceChildren(this.spec.title ? h("h3", { text: ct(this.spec.title) }) : "", form);
  }

  private field(spec: FieldSpec): HTMLElement {
    const id = `${this.spec.id}-${spec.name}`;
    const error = this.errors.get(spec.name);
    const described = [spec.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
    const control = this.control(spec, id, error !== undefined, described);
    const label = spec.kind === "checkbox" ? null : h("label", { for: id, text: ct(spec.label) + (spec.optional ? ` ${ct("form.optional")}` : "") });
    return h("div", { class: `c-field c-${spec.kind}`, "data-field": spec.name }, [
      label,
      control,
      spec.hint ? h("p", { id: `${id}-hint`, class: "c-hint", text: ct(spec.hint) }) : null,
      error ? h("p", { id: `${id}-error`, class: "c-field-error", text: error }) : null,
    ]);
  }

  private control(spec: FieldSpec, id: string, invalid: boolean, described: string | undefined): HTMLElement {
    const value = this.values[spec.name] ?? null;
    const common = { id, name: spec.name, "aria-invalid": invalid ? "true" : undefined, "aria-describedby": described };
    const set = (next: FieldValue) => {
      this.values[spec.name] = next;
    };
    switch (spec.kind) {
      case "custom":
        return spec.control!(value, set, id);
      case "textarea": {
        const el = h("textarea", { ...common, rows: 3, maxlength: spec.maxlength });
        el.value = typeof value === "string" ? value : "";
        el.addEventListener("input", () => set(el.value));
        return el;
      }
      case "select": {
        const el = h("select", common, (spec.choices?.() ?? []).map((c) => h("option", { value: c.value, text: c.label })));
        el.value = typeof value === "string" ? value : "";
        // No value yet (or one no longer among the choices): the browser shows the first choice, so that is the value.
        if (el.selectedIndex === -1 && el.options.length > 0) el.selectedIndex = 0;
        if (typeof value !== "string" || el.value !== value) set(el.value);
        el.addEventListener("change", () => set(el.value));
        return el;
      }
      case "checkbox": {
        const box = h("input", { ...common, type: "checkbox" });
        box.checked = value === true;
        box.addEventListener("change", () => set(box.checked));
        return h("label", { class: "c-check", for: id }, [box, ct(spec.label)]);
      }
      case "checkboxes": {
        const chosen = new Set(Array.isArray(value) ? value : []);
        return h("div", { ...common, role: "group", class: "c-checks" }, (spec.choices?.() ?? []).map((c) => {
          const box = h("input", { type: "checkbox", value: c.value, name: `${spec.name}[]` });
          box.checked = chosen.has(c.value);
          box.addEventListener("change", () => {
            if (box.checked) chosen.add(c.value);
            else chosen.delete(c.value);
            set([...chosen]);
          });
          return h("label", { class: "c-check" }, [box, c.label]);
        }));
      }
      case "file": {
        const el = h("input", { ...common, type: "file", accept: spec.accept });
        el.addEventListener("change", () => set(el.files?.[0] ?? null));
        return el;
      }
      default: {
        const type = { text: "text", email: "email", url: "url", euros: "text", integer: "number", date: "date", datetime: "datetime-local" }[spec.kind];
        const el = h("input", {
          ...common, type, maxlength: spec.maxlength,
          inputmode: spec.kind === "euros" ? "decimal" : spec.kind === "integer" ? "numeric" : undefined,
          min: spec.kind === "integer" ? 0 : undefined,
        });
        el.value = typeof value === "string" ? value : "";
        el.addEventListener("input", () => set(el.value));
        return el;
      }
    }
  }

  /** Shows a refusal: field errors under their fields, anything else over the button. */
  showError(err: unknown): void {
    this.errors.clear();
    this.problem = null;
    if (err instanceof ApiError && Object.keys(err.fields).length > 0) {
      const kinds = new Map(this.flat.map((f) => [f.name, f.kind]));
      const names = new Set(kinds.keys());
      const loose: string[] = [];
      for (const [path, message] of Object.entries(err.fields)) {
        const name = this.spec.fieldOf?.(path) ?? path.split(".")[0] ?? path;
        if (names.has(name) && !this.errors.has(name)) this.errors.set(name, fieldMessage(message, kinds.get(name)));
        else if (!names.has(name)) loose.push(fieldMessage(message));
      }
      if (loose.length > 0 || this.errors.size === 0) this.problem = [errorText(err.code), ...loose].join(" ");
    } else {
      this.problem = errorText(err instanceof ApiError ? err.code : "internal");
    }
    this.render();
    this.root.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private async submit(action: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.errors.clear();
    this.problem = null;
    this.render();
    try {
      await this.spec.send({ ...this.values }, action);
      this.busy = false;
      this.render();
    } catch (err) {
      this.busy = false;
      this.showError(err);
    }
  }
}

function defaults(fields: FieldSpec[]): FormValues {
  const values: FormValues = {};
  for (const f of fields) values[f.name] = f.kind === "checkbox" ? false : f.kind === "checkboxes" ? [] : f.kind === "file" ? null : "";
  return values;
}

/** Reading form values into a request body. */
export const read = {
  text: (v: FieldValue | undefined): string => (typeof v === "string" ? v.trim() : ""),
  /** Optional text: null when empty. */
  optionalText: (v: FieldValue | undefined): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null),
  /** Euros typed as "12,50" → 1250 cents; text that is no amount goes as it is, for the server to refuse. */
  cents: (v: FieldValue | undefined): number | string => {
    const text = typeof v === "string" ? v : "";
    return parseAmountToCents(text) ?? text;
  },
  optionalInteger: (v: FieldValue | undefined): number | string | null => {
    if (typeof v !== "string" || v.trim() === "") return null;
    return /^\d+$/.test(v.trim()) ? Number(v.trim()) : v;
  },
  /** A datetime-local value (local time) as an ISO instant; null when empty. */
  instant: (v: FieldValue | undefined): string | null => {
    if (typeof v !== "string" || v === "") return null;
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? v : d.toISOString();
  },
  bool: (v: FieldValue | undefined): boolean => v === true,
  list: (v: FieldValue | undefined): string[] => (Array.isArray(v) ? v : []),
};

/** An ISO instant as a datetime-local value (local time), for editing. */
export function localDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Cents as the euros a person types ("12,50" in French). */
export function centsText(cents: number, lang: "fr" | "en"): string {
  const text = cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
  return lang === "fr" ? text.replace(".", ",") : text;
}
