/**
 * "Your data" in the account dialog: download everything Hameau holds about
 * me (GET /api/me/export, a JSON file), and delete my account (DELETE /api/me
 * with the typed word and, for an account, the password). What deletion
 * keeps is said plainly before: donations stay in the NGO's accounts,
 * anonymously, and tax receipts already issued are kept as the law requires.
 */
import { DELETE_CONFIRMATION, exportFileName } from "../../shared/privacy.ts";
import { restartAs } from "../game/restart.ts";
import { errorText, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { downloadFile } from "../net/download.ts";
import type { Session } from "../net/session.ts";
import { privacyApi } from "../net/social-api.ts";
import type { AccountSection } from "./account.ts";
import { h } from "./element.ts";
import type { Toast } from "./toast.ts";

export interface AccountDataDeps {
  session(): Session | undefined;
  toast: Toast;
}

type Field = "confirm" | "password";

export class AccountDataPart implements AccountSection {
  readonly root: HTMLElement;
  private readonly deps: AccountDataDeps;
  private exporting = false;
  private deleting: "closed" | "open" | "busy" = "closed";
  private values: Record<Field, string> = { confirm: "", password: "" };
  private errors = new Map<Field, string>();
  private problem: string | null = null;

  constructor(deps: AccountDataDeps) {
    this.deps = deps;
    this.root = h("section", { class: "receipts-part account-part data", "aria-labelledby": "data-title" });
    this.root.addEventListener("input", (event) => {
      const input = event.target as HTMLInputElement;
      if (input.name === "confirm" || input.name === "password") this.values[input.name] = input.value;
    });
    this.root.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
      if (button?.id === "export-data") void this.download();
      else if (button?.id === "delete-open") this.toggle(true);
      else if (button?.id === "delete-cancel") this.toggle(false);
    });
    this.root.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.delete();
    });
    this.render();
  }

  render(): void {
    const guest = !this.deps.session()?.account;
    this.root.replaceChildren(
      h("h3", { id: "data-title", text: t("data.title") }),
      h("p", { class: "receipts-lead", text: t("data.exportLead") }),
      h("button", {
        type: "button", id: "export-data", class: "secondary-button", disabled: this.exporting,
        "aria-busy": this.exporting ? "true" : undefined, text: t(this.exporting ? "data.exporting" : "data.export"),
      }),
      h("h4", { class: "friends-subtitle danger-title", text: t(guest ? "data.delete.titleGuest" : "data.delete.title") }),
      this.deleting === "closed"
        ? h("button", { type: "button", id: "delete-open", class: "danger-button", "aria-expanded": "false", text: t(guest ? "data.delete.openGuest" : "data.delete.open") })
        : this.form(guest),
    );
  }

  private form(guest: boolean): HTMLElement {
    const busy = this.deleting === "busy";
    return h("form", { id: "delete-form", class: "delete-form", novalidate: true }, [
      h("ul", { class: "delete-facts" }, [
        h("li", { text: t(guest ? "data.delete.goneGuest" : "data.delete.gone") }),
        h("li", { text: t("data.delete.donations") }),
        h("li", { text: t("data.delete.receipts") }),
        h("li", { text: t("data.delete.final") }),
      ]),
      h("fieldset", { disabled: busy }, [
        this.field("confirm", t("data.delete.confirmLabel", { word: DELETE_CONFIRMATION }), "text", "off"),
        guest ? null : this.field("password", t("account.field.password"), "password", "current-password"),
      ]),
      this.problem ? h("p", { class: "receipts-problem", role: "alert", text: errorText(this.problem) }) : null,
      h("div", { class: "delete-actions" }, [
        h("button", { type: "button", id: "delete-cancel", class: "secondary-button", disabled: busy, text: t("data.delete.cancel") }),
        h("button", {
          type: "submit", id: "delete-submit", class: "danger-button", disabled: busy, "aria-busy": busy ? "true" : undefined,
          text: t(busy ? "data.delete.busy" : "data.delete.submit"),
        }),
      ]),
    ]);
  }

  private field(name: Field, label: string, type: string, autocomplete: string): HTMLElement {
    const id = `delete-${name}`;
    const error = this.errors.get(name);
    const input = h("input", {
      id, name, type, autocomplete, maxlength: 200, spellcheck: "false", autocapitalize: name === "confirm" ? "characters" : "off",
      "aria-required": "true", "aria-invalid": error ? "true" : undefined, "aria-describedby": error ? `${id}-error` : undefined,
    });
    input.value = this.values[name];
    return h("div", { class: "donor-field" }, [
      h("label", { for: id, text: label }),
      input,
      error ? h("p", { id: `${id}-error`, class: "field-error", text: error === "invalid_credentials" ? t("data.delete.wrongPassword") : errorText(error) }) : null,
    ]);
  }

  private toggle(open: boolean): void {
    this.deleting = open ? "open" : "closed";
    this.values = { confirm: "", password: "" };
    this.errors.clear();
    this.problem = null;
    this.render();
    this.root.querySelector<HTMLElement>(open ? "#delete-confirm" : "#delete-open")?.focus();
  }

  private async download(): Promise<void> {
    const token = this.deps.session()?.token;
    if (!token || this.exporting) return;
    this.exporting = true;
    this.render();
    try {
      await downloadFile(token, privacyApi.exportPath, exportFileName(new Date()), "application/json");
      this.deps.toast.show(() => t("data.exported"), "success");
    } catch (err) {
      this.deps.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    } finally {
      this.exporting = false;
      this.render();
      this.root.querySelector<HTMLButtonElement>("#export-data")?.focus();
    }
  }

  private async delete(): Promise<void> {
    const session = this.deps.session();
    if (!session || this.deleting !== "open") return;
    this.errors.clear();
    this.problem = null;
    // The server checks too; this only saves a round trip for a mistyped word.
    if (this.values.confirm.trim() !== DELETE_CONFIRMATION) {
      this.errors.set("confirm", "confirmation_required");
      this.render();
      this.root.querySelector<HTMLInputElement>("#delete-confirm")?.focus();
      return;
    }
    this.deleting = "busy";
    this.render();
    try {
      await privacyApi.deleteAccount(session.token, {
        confirm: DELETE_CONFIRMATION, ...(session.account ? { password: this.values.password } : {}),
      });
      restartAs(null, "deleted");
    } catch (err) {
      const code = err instanceof ApiError ? err.code : "internal";
      this.deleting = "open";
      if (code === "invalid_credentials" && session.account) this.errors.set("password", code);
      else if (code === "confirmation_required") this.errors.set("confirm", code);
      else this.problem = code;
      this.values.password = "";
      this.render();
      this.root.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
    }
  }
}
