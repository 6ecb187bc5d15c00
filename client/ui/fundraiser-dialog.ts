/**
 * The fundraiser dialog (<dialog id="fundraiser">): a fundraiser as anyone
 * sees it, with Give buttons (opened by the village sign or a
 * `/?fundraiser=<id>` link), or the form that starts or edits my own (from the
 * account dialog). A guest who wants to start one is sent to the account
 * dialog first: fundraisers are for accounts.
 */
import type { CatalogGift } from "../../shared/api.ts";
import type { PublicCampaign } from "../../shared/campaigns.ts";
import type { MyFundraiser, PublicFundraiser } from "../../shared/fundraisers.ts";
import { errorText, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { fundraiserApi } from "../net/fundraiser-api.ts";
import type { Session } from "../net/session.ts";
import { h } from "./element.ts";
import { type FormState, formValues, fundraiserForm } from "./fundraiser-form.ts";
import { fundraiserCard } from "./fundraiser-view.ts";
import { SheetDialog } from "./sheet-dialog.ts";

export interface FundraiserDialogDeps {
  session(): Session | undefined;
  /** The gifts on sale now, by id. */
  onSale(): ReadonlyMap<string, CatalogGift>;
  /** Give this gift through this fundraiser (into the basket, which carries the fundraiser to checkout). */
  give(fundraiser: PublicFundraiser, giftId: string): void;
  /** A guest asked to start one: the account dialog explains. */
  needAccount(): void;
  /** One of mine was started, edited or closed. */
  changed(fundraiser: MyFundraiser): void;
}

type Mode =
  | { kind: "view"; id: string; fundraiser: PublicFundraiser | null; problem: string | null }
  | ({ kind: "form" } & FormState);

export class FundraiserDialog {
  private readonly sheet: SheetDialog;
  private readonly deps: FundraiserDialogDeps;
  private mode: Mode | null = null;

  constructor(dialog: HTMLDialogElement, deps: FundraiserDialogDeps) {
    this.deps = deps;
    this.sheet = new SheetDialog(dialog, "fundraiser.title", () => (this.mode = null));
    this.sheet.body.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
      if (!button) return;
      if (button.classList.contains("fundraiser-give") && this.mode?.kind === "view" && this.mode.fundraiser) {
        deps.give(this.mode.fundraiser, button.dataset.giftId ?? "");
        this.sheet.close();
      } else if (button.id === "fundraiser-close") void this.closeMine();
    });
    this.sheet.body.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit(event.target as HTMLFormElement);
    });
  }

  get isOpen(): boolean {
    return this.sheet.isOpen;
  }

  /** Shows a fundraiser by id (the sign, a link). */
  async show(id: string): Promise<void> {
    this.mode = { kind: "view", id, fundraiser: null, problem: null };
    this.sheet.setTitle("fundraiser.title");
    this.render();
    this.sheet.open();
    try {
      const fundraiser = await fundraiserApi.get(id);
      if (this.mode?.kind === "view" && this.mode.id === id) this.mode.fundraiser = fundraiser;
    } catch (err) {
      if (this.mode?.kind === "view" && this.mode.id === id) this.mode.problem = err instanceof ApiError ? (err.status === 404 ? "fundraiser_closed" : err.code) : "internal";
    }
    this.render();
  }

  /** The form that starts one (optionally for a campaign chosen beforehand), or edits one of mine. */
  async openForm(editing: MyFundraiser | null, campaignId: string | null = null): Promise<void> {
    if (!this.deps.session()?.account) {
      this.deps.needAccount();
      return;
    }
    this.mode = { kind: "form", editing, campaigns: null, campaignId, busy: false, problem: null, fields: {} };
    this.sheet.setTitle(editing ? "fundraiser.form.editTitle" : "fundraiser.form.startTitle");
    this.render();
    this.sheet.open();
    if (editing) return;
    let campaigns: PublicCampaign[] = [];
    try {
      campaigns = (await fundraiserApi.campaigns()).campaigns;
    } catch (err) {
      if (this.mode?.kind === "form") this.mode.problem = err instanceof ApiError ? err.code : "internal";
    }
    if (this.mode?.kind === "form") this.mode.campaigns = campaigns;
    this.render();
  }

  render(): void {
    this.sheet.renderHeader();
    const mode = this.mode;
    if (!mode) return;
    if (mode.kind === "view") {
      this.sheet.body.replaceChildren(
        mode.fundraiser
          ? fundraiserCard(mode.fundraiser, this.deps.onSale())
          : mode.problem
            ? h("p", { class: "receipts-problem", role: "alert", text: errorText(mode.problem) })
            : h("p", { class: "receipts-lead", role: "status", text: t("fundraiser.loading") }),
      );
      return;
    }
    this.sheet.body.replaceChildren(fundraiserForm(mode));
  }

  private async submit(form: HTMLFormElement): Promise<void> {
    const mode = this.mode;
    const token = this.deps.session()?.token;
    if (mode?.kind !== "form" || mode.busy || !token) return;
    const v = formValues(form, mode);
    mode.busy = true;
    mode.problem = null;
    mode.fields = {};
    mode.typed = v;
    this.render();
    try {
      const body = { title: v.title, goalCents: v.goalCents, message: v.message, listed: v.listed, showName: v.showName };
      const saved = mode.editing ? await fundraiserApi.update(token, mode.editing.id, body) : await fundraiserApi.start(token, { campaignId: v.campaignId, ...body });
      this.deps.changed(saved);
      this.sheet.close();
    } catch (err) {
      mode.busy = false;
      mode.fields = err instanceof ApiError ? fieldErrors(err.fields) : {};
      // A field's own message says it all; the general one is for the rest.
      mode.problem = Object.keys(mode.fields).length > 0 ? null : err instanceof ApiError ? err.code : "internal";
      this.render();
      this.sheet.dialog.querySelector<HTMLElement>("[aria-invalid='true'], .receipts-problem")?.focus?.();
    }
  }

  private async closeMine(): Promise<void> {
    const mode = this.mode;
    const token = this.deps.session()?.token;
    if (mode?.kind !== "form" || !mode.editing || mode.busy || !token) return;
    if (!confirm(t("fundraiser.form.closeConfirm"))) return;
    mode.busy = true;
    this.render();
    try {
      this.deps.changed(await fundraiserApi.update(token, mode.editing.id, { closed: true }));
      this.sheet.close();
    } catch (err) {
      mode.busy = false;
      mode.problem = err instanceof ApiError ? err.code : "internal";
      this.render();
    }
  }
}

/** The server's field messages under the form's fields, in the player's language where we have one. */
function fieldErrors(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(fields)) {
    if (name === "goalCents") out.goalCents = t("fundraiser.form.goalError");
    else if (name === "title") out.title = t("fundraiser.form.titleError");
    else if (name === "message") out.message = t("fundraiser.form.messageError");
    else if (name === "campaignId") out.campaignId = t("fundraiser.form.campaignError");
  }
  return out;
}
