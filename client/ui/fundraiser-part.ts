/**
 * "My fundraisers" in the account dialog: each of mine with its status and
 * bar, Open and Edit, and "Start my fundraiser". A guest is told that
 * fundraisers need an account. The campaigns panel's cards offer "Start my
 * fundraiser" through the same dialog once that panel exists.
 */
import type { MyFundraiser } from "../../shared/fundraisers.ts";
import { errorText, pick, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { fundraiserApi } from "../net/fundraiser-api.ts";
import type { Session } from "../net/session.ts";
import type { AccountSection } from "./account.ts";
import { h } from "./element.ts";
import { progressBlock } from "./fundraiser-view.ts";

export interface FundraiserPartDeps {
  session(): Session | undefined;
  show(id: string): void;
  edit(fundraiser: MyFundraiser | null): void;
}

export class FundraiserPart implements AccountSection {
  readonly root: HTMLElement;
  private readonly deps: FundraiserPartDeps;
  private list: MyFundraiser[] | null = null;
  private problem: string | null = null;

  constructor(deps: FundraiserPartDeps) {
    this.deps = deps;
    this.root = h("section", { class: "receipts-part account-part fundraisers-part", "aria-labelledby": "fundraisers-title" });
    this.root.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
      if (!button) return;
      const id = button.closest<HTMLElement>("[data-fundraiser-id]")?.dataset.fundraiserId;
      if (button.id === "fundraiser-start") deps.edit(null);
      else if (id && button.classList.contains("fundraiser-open")) deps.show(id);
      else if (id && button.classList.contains("fundraiser-edit")) deps.edit(this.list?.find((f) => f.id === id) ?? null);
    });
    this.render();
  }

  /** My open fundraiser for this campaign (active or hidden), as last loaded. */
  openFor(campaignId: string): MyFundraiser | undefined {
    return this.list?.find((f) => f.campaign.id === campaignId && (f.status === "active" || f.status === "hidden"));
  }

  load(): void {
    void this.reload();
  }

  async reload(): Promise<void> {
    const token = this.deps.session()?.token;
    if (!token || !this.deps.session()?.account) return;
    try {
      this.list = (await fundraiserApi.mine(token)).fundraisers;
      this.problem = null;
    } catch (err) {
      this.problem = err instanceof ApiError ? err.code : "internal";
    }
    this.render();
  }

  render(): void {
    const account = Boolean(this.deps.session()?.account);
    const hasOpen = (this.list ?? []).some((f) => f.status === "active" || f.status === "hidden");
    const parts: Array<Node | null> = [
      h("h3", { id: "fundraisers-title", text: t("fundraiser.mine.title") }),
      h("p", { class: "receipts-lead", text: t(account ? "fundraiser.mine.lead" : "fundraiser.mine.guest") }),
      this.problem ? h("p", { class: "receipts-problem", role: "alert", text: errorText(this.problem) }) : null,
      account && this.list && this.list.length > 0
        ? h("ul", { class: "fundraiser-mine" }, this.list.map((f) =>
          h("li", { class: "fundraiser-mine-item", "data-fundraiser-id": f.id, "data-status": f.status }, [
            h("p", { class: "fundraiser-mine-head" }, [
              h("strong", { text: f.title }),
              h("span", { class: `fundraiser-badge ${f.status}`, text: t(`fundraiser.status.${f.status}`) }),
            ]),
            h("p", { class: "fundraiser-campaign", text: pick(f.campaign.title) }),
            progressBlock(f),
            h("p", { class: "fundraiser-actions" }, [
              f.status !== "hidden" ? h("button", { type: "button", class: "small-action fundraiser-open", text: t("fundraiser.mine.open") }) : null,
              f.status !== "closed" ? h("button", { type: "button", class: "small-action fundraiser-edit", text: t("fundraiser.mine.edit") }) : null,
            ]),
            f.status === "hidden" ? h("p", { class: "field-hint", text: t("fundraiser.mine.hiddenNote") }) : null,
          ]),
        ))
        : null,
      account
        ? h("button", { type: "button", class: "secondary-button", id: "fundraiser-start", text: t(hasOpen ? "fundraiser.mine.startAnother" : "fundraiser.mine.start") })
        : null,
    ];
    this.root.replaceChildren(...parts.filter((p): p is Node => p !== null));
  }
}
