/**
 * "Your details for tax receipts" (#donor-form): the donor's name and postal
 * address, loaded from GET /api/me/donor and saved with PUT. The server
 * validates; its field errors show next to each field.
 */
import type { DonorProfile } from "../../shared/api.ts";
import { errorText, t, type MessageKey } from "../i18n.ts";
import { ApiError, api } from "../net/api.ts";
import { h } from "./element.ts";
import type { Toast } from "./toast.ts";

const FIELDS = ["firstName", "lastName", "address1", "address2", "postalCode", "city", "country"] as const;
type Field = (typeof FIELDS)[number];

const INPUTS: Record<Field, { label: MessageKey; autocomplete: string; maxlength: number; optional?: boolean }> = {
  firstName: { label: "donor.firstName", autocomplete: "given-name", maxlength: 80 },
  lastName: { label: "donor.lastName", autocomplete: "family-name", maxlength: 80 },
  address1: { label: "donor.address1", autocomplete: "address-line1", maxlength: 120 },
  address2: { label: "donor.address2", autocomplete: "address-line2", maxlength: 120, optional: true },
  postalCode: { label: "donor.postalCode", autocomplete: "postal-code", maxlength: 10 },
  city: { label: "donor.city", autocomplete: "address-level2", maxlength: 80 },
  country: { label: "donor.country", autocomplete: "country-name", maxlength: 60 },
};

const EMPTY: Record<Field, string> = { firstName: "", lastName: "", address1: "", address2: "", postalCode: "", city: "", country: "France" };

export interface DonorFormDeps {
  token(): string | undefined;
  toast: Toast;
}

export class DonorForm {
  readonly root: HTMLElement;
  private readonly deps: DonorFormDeps;
  private values: Record<Field, string> = { ...EMPTY };
  /** The server's message per field, as sent (translated when shown). */
  private errors = new Map<Field, string>();
  private state: "loading" | "ready" | "saving" = "loading";
  private loadError: string | null = null;

  constructor(deps: DonorFormDeps) {
    this.deps = deps;
    this.root = h("section", { class: "receipts-part donor", "aria-labelledby": "donor-title" });
    this.root.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.save();
    });
    this.root.addEventListener("input", (event) => {
      const input = event.target as HTMLInputElement;
      if (input.name in EMPTY) this.values[input.name as Field] = input.value;
    });
  }

  /** Loads the saved details (each time the dialog opens). */
  async load(): Promise<void> {
    const token = this.deps.token();
    if (!token) return;
    this.state = "loading";
    this.loadError = null;
    this.errors.clear();
    this.render();
    try {
      const { donor } = await api.donor(token);
      this.values = donor ? fromProfile(donor) : { ...EMPTY };
    } catch (err) {
      this.loadError = err instanceof ApiError ? err.code : "internal";
    }
    this.state = "ready";
    this.render();
  }

  /** Puts the keyboard in the first field (when a tax receipt needs the details). */
  focusFirst(): void {
    const input = this.root.querySelector<HTMLInputElement>('[aria-invalid="true"], input[name="firstName"]');
    input?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    input?.focus();
  }

  render(): void {
    const busy = this.state !== "ready";
    const form = h("form", { id: "donor-form", class: "donor-form", novalidate: true, "aria-labelledby": "donor-title", "aria-busy": busy ? "true" : undefined }, [
      h("fieldset", { disabled: busy }, [
        h("div", { class: "donor-row two" }, [this.field("firstName"), this.field("lastName")]),
        this.field("address1"),
        this.field("address2"),
        h("div", { class: "donor-row postal" }, [this.field("postalCode"), this.field("city")]),
        this.field("country"),
      ]),
      this.loadError ? h("p", { class: "receipts-problem", role: "alert", text: errorText(this.loadError) }) : null,
      h("button", {
        type: "submit", id: "donor-save", class: "receipts-primary", disabled: busy,
        "aria-busy": this.state === "saving" ? "true" : undefined,
        text: this.state === "saving" ? t("donor.saving") : this.state === "loading" ? t("donor.loading") : t("donor.save"),
      }),
    ]);
    this.root.replaceChildren(
      h("h3", { id: "donor-title", text: t("donor.title") }),
      h("p", { class: "receipts-lead", text: t("donor.why") }),
      h("p", { class: "receipts-privacy" }, [h("span", { class: "privacy-lock", "aria-hidden": "true" }), t("donor.privacy")]),
      form,
    );
  }

  private field(name: Field): HTMLElement {
    const spec = INPUTS[name];
    const id = `donor-${name}`;
    const error = this.errors.get(name);
    const input = h("input", {
      id, name, type: "text", value: this.values[name], autocomplete: spec.autocomplete, maxlength: spec.maxlength,
      "aria-required": spec.optional ? undefined : "true",
      "aria-invalid": error ? "true" : undefined,
      "aria-describedby": error ? `${id}-error` : undefined,
    });
    input.value = this.values[name];
    return h("div", { class: `donor-field field-${name}` }, [
      h("label", { for: id, text: t(spec.label) }),
      input,
      error ? h("p", { id: `${id}-error`, class: "field-error", text: fieldMessage(error) }) : null,
    ]);
  }

  private async save(): Promise<void> {
    const token = this.deps.token();
    if (!token || this.state !== "ready") return;
    const { profile, lineFields } = toProfile(this.values);
    this.state = "saving";
    this.render();
    try {
      const { donor } = await api.saveDonor(token, profile);
      this.values = fromProfile(donor);
      this.errors.clear();
      this.state = "ready";
      this.render();
      this.deps.toast.show(() => t("donor.saved"), "success");
      this.root.querySelector<HTMLButtonElement>("#donor-save")?.focus();
    } catch (err) {
      this.state = "ready";
      this.errors = err instanceof ApiError && err.code === "bad_request" ? fieldErrors(err.fields, lineFields) : new Map();
      this.render();
      if (this.errors.size > 0) {
        this.deps.toast.show(() => t("donor.invalid"), "error");
        this.focusFirst();
      } else {
        this.deps.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
      }
    }
  }
}

function fromProfile(profile: DonorProfile): Record<Field, string> {
  return {
    firstName: profile.firstName,
    lastName: profile.lastName,
    address1: profile.addressLines[0] ?? "",
    address2: profile.addressLines.slice(1).join(", "),
    postalCode: profile.postalCode,
    city: profile.city,
    country: profile.country,
  };
}

/** The request body, and which input each sent address line came from. */
function toProfile(values: Record<Field, string>): { profile: DonorProfile; lineFields: Field[] } {
  const lineFields = (["address1", "address2"] as const).filter((f) => values[f].trim() !== "");
  return {
    profile: {
      firstName: values.firstName,
      lastName: values.lastName,
      addressLines: lineFields.map((f) => values[f]),
      postalCode: values.postalCode,
      city: values.city,
      country: values.country,
    },
    lineFields,
  };
}

/** Maps the server's field paths ("firstName", "addressLines", "addressLines.1") to the inputs. */
function fieldErrors(fields: Record<string, string>, lineFields: Field[]): Map<Field, string> {
  const errors = new Map<Field, string>();
  for (const [path, message] of Object.entries(fields)) {
    const [head, index] = path.split(".");
    let field: Field | undefined;
    if (head === "addressLines") field = index === undefined ? "address1" : lineFields[Number(index)] ?? "address1";
    else if (head && head in EMPTY && head !== "address1" && head !== "address2") field = head as Field;
    if (field && !errors.has(field)) errors.set(field, message);
  }
  if (errors.size === 0 && Object.keys(fields).length > 0) errors.set("firstName", Object.values(fields)[0] ?? "");
  return errors;
}

/** The server's zod messages (shared/api.ts), in the player's language. */
function fieldMessage(message: string): string {
  if (message === "required" || message === "at least one address line") return t("donor.error.required");
  if (message === "not a postal code") return t("donor.error.postalCode");
  if (message === "no control characters") return t("donor.error.control");
  const tooLong = /^at most (\d+) characters$/.exec(message);
  if (tooLong) return t("donor.error.tooLong", { max: tooLong[1] ?? "" });
  return message;
}
