/**
 * A campaign's player fundraisers in the console (its page): each one's
 * title, status, progress and message, the owner named only when they chose
 * so, and for editors a Hide / Show again button (an abusive fundraiser
 * disappears from the game, its page and the campaign's list, and nobody can
 * give through it; its owner is told it was hidden). Viewers read only.
 */
import type { NgoFundraiser, NgoFundraisersResponse } from "../../shared/fundraisers.ts";
import { errorText } from "../i18n.ts";
import { ApiError, request } from "../net/api.ts";
import { h } from "../ui/element.ts";
import { ct, euros } from "./i18n.ts";
import { button, chip, empty } from "./view.ts";

export interface FundraisersDeps {
  token: string;
  ngoId: string;
  campaignId: string;
  /** Editors (and admins) may hide one. */
  canHide: boolean;
  toast: { show(text: () => string, kind: "success" | "error"): void };
}

export class CampaignFundraisers {
  readonly root: HTMLElement;
  private list: NgoFundraiser[] | null = null;
  private failure: string | null = null;
  private busy = new Set<string>();

  private readonly deps: FundraisersDeps;

  constructor(deps: FundraisersDeps) {
    this.deps = deps;
    this.root = h("section", { class: "c-card c-fundraisers", id: "campaign-fundraisers" });
    void this.load();
  }

  get campaignId(): string {
    return this.deps.campaignId;
  }

  async load(): Promise<void> {
    const { token, ngoId, campaignId } = this.deps;
    try {
      const res = await request<NgoFundraisersResponse>("GET", `/api/ngos/${encodeURIComponent(ngoId)}/campaigns/${encodeURIComponent(campaignId)}/fundraisers`, { token });
      this.list = res.fundraisers;
      this.failure = null;
    } catch (err) {
      this.failure = err instanceof ApiError ? err.code : "internal";
    }
    this.render();
  }

  render(): void {
    const rows = this.list ?? [];
    const parts: Array<Node | null> = [
      h("h3", { text: ct("fundraisers.title") }),
      h("p", { class: "c-hint", text: ct("fundraisers.lead") }),
      this.failure ? h("p", { class: "c-problem", role: "alert", text: errorText(this.failure) }) : null,
      this.list === null && !this.failure ? h("p", { class: "c-loading", text: ct("app.loading") }) : null,
      this.list !== null && rows.length === 0 ? empty("fundraisers.none") : null,
      rows.length > 0 ? h("ul", { class: "c-list c-fundraiser-list" }, rows.map((f) => this.row(f))) : null,
    ];
    this.root.replaceChildren(...parts.filter((p): p is Node => p !== null));
  }

  private row(f: NgoFundraiser): HTMLElement {
    const hidden = f.status === "hidden";
    return h("li", { class: "c-fundraiser", "data-fundraiser-id": f.id, "data-status": f.status }, [
      h("p", { class: "c-fundraiser-head" }, [
        h("strong", { text: f.title }),
        chip(ct(`fundraisers.status.${f.status}`), hidden ? "emergency" : f.status === "active" ? "running" : "ended"),
        f.listed ? chip(ct("fundraisers.listed"), "draft") : null,
      ]),
      h("p", { class: "c-hint", text: `${f.ownerName ?? ct("fundraisers.anonymous")} · ${euros(f.progress.raisedCents, f.currency)} / ${euros(f.goalCents, f.currency)} · ${ct("fundraisers.donors", { count: f.progress.donors })}` }),
      f.message ? h("p", { class: "c-fundraiser-message", text: f.message }) : null,
      this.deps.canHide
        ? button(ct(hidden ? "fundraisers.show" : "fundraisers.hide"), () => void this.moderate(f, !hidden), {
          "data-action": hidden ? "show" : "hide", disabled: this.busy.has(f.id),
        }, hidden ? "c-secondary" : "c-danger")
        : null,
    ]);
  }

  private async moderate(f: NgoFundraiser, hidden: boolean): Promise<void> {
    if (hidden && !confirm(ct("fundraisers.hideConfirm", { title: f.title }))) return;
    this.busy.add(f.id);
    this.render();
    try {
      const updated = await request<NgoFundraiser>("PATCH", `/api/ngos/${encodeURIComponent(this.deps.ngoId)}/fundraisers/${encodeURIComponent(f.id)}`, {
        token: this.deps.token, body: { hidden },
      });
      this.list = (this.list ?? []).map((x) => (x.id === f.id ? updated : x));
      this.deps.toast.show(() => ct(hidden ? "fundraisers.hidden" : "fundraisers.shown"), "success");
    } catch (err) {
      this.deps.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    } finally {
      this.busy.delete(f.id);
      this.render();
    }
  }
}
