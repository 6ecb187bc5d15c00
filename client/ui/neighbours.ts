/**
 * The neighbours dialog (<dialog id="neighbours">), opened from the header:
 * suggested villages (the demo neighbour for a newcomer, friends of friends,
 * active villages) and the public villages, searchable and paged, each as a
 * card with its owner's avatar, level badge and a Visit button. Only
 * villages whose owners made them public are ever listed (the server sees to
 * it); a guest may browse too.
 */
import type { NeighbourCard, PublicVillagesResponse } from "../../shared/neighbours.ts";
import { NEIGHBOUR_SEARCH_MAX } from "../../shared/neighbours.ts";
import { errorText, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { neighboursApi } from "../net/neighbours-api.ts";
import type { Session } from "../net/session.ts";
import { byId, h, spriteUrl } from "./element.ts";
import { SheetDialog } from "./sheet-dialog.ts";

export interface NeighboursDeps {
  session(): Session | undefined;
  /** Go to a village. */
  onVisit(villageId: string): void;
}

const AVATARS = ["avatar-person", "avatar-woman", "avatar-man", "farmer"];

/** The same avatar for a village every time (a look, not an identity). */
function avatarOf(villageId: string): string {
  let sum = 0;
  for (const c of villageId) sum = (sum * 31 + c.charCodeAt(0)) >>> 0;
  return AVATARS[sum % AVATARS.length]!;
}

export class NeighboursDialog {
  private readonly sheet: SheetDialog;
  private readonly deps: NeighboursDeps;
  private readonly opener: HTMLButtonElement;
  private suggested: NeighbourCard[] | null = null;
  private list: PublicVillagesResponse | null = null;
  private query = "";
  private page = 1;
  private problem: string | null = null;
  private loading = false;

  constructor(dialog: HTMLDialogElement, deps: NeighboursDeps) {
    this.deps = deps;
    this.sheet = new SheetDialog(dialog, "neighbours.title");
    dialog.classList.add("neighbours");
    this.opener = byId<HTMLButtonElement>("open-neighbours");
    this.opener.addEventListener("click", () => this.open());
    this.sheet.body.addEventListener("click", (event) => this.onClick(event));
    this.sheet.body.addEventListener("submit", (event) => {
      event.preventDefault();
      const input = this.sheet.body.querySelector<HTMLInputElement>("#neighbour-search");
      this.query = (input?.value ?? "").trim();
      this.page = 1;
      void this.loadPage();
    });
    this.render();
  }

  /** The session is open: show the header button. */
  start(): void {
    this.render();
  }

  open(): void {
    this.sheet.open();
    this.render();
    void this.loadAll();
  }

  private token(): string | undefined {
    return this.deps.session()?.token;
  }

  private async loadAll(): Promise<void> {
    const token = this.token();
    if (!token) return;
    try {
      this.suggested = (await neighboursApi.suggested(token)).neighbours;
    } catch (err) {
      this.problem = errorText(err instanceof ApiError ? err.code : "internal");
    }
    await this.loadPage();
  }

  private async loadPage(): Promise<void> {
    const token = this.token();
    if (!token) return;
    this.loading = true;
    this.render();
    try {
      this.list = await neighboursApi.villages(token, this.query, this.page);
      this.problem = null;
    } catch (err) {
      this.problem = errorText(err instanceof ApiError ? err.code : "internal");
    }
    this.loading = false;
    this.render();
  }

  private onClick(event: Event): void {
    const target = event.target as HTMLElement;
    const visit = target.closest<HTMLButtonElement>("button[data-visit]");
    if (visit?.dataset.visit) {
      this.sheet.close();
      this.deps.onVisit(visit.dataset.visit);
      return;
    }
    const pager = target.closest<HTMLButtonElement>("button[data-page]");
    if (pager && !pager.disabled) {
      this.page = Math.max(1, Number(pager.dataset.page) || 1);
      void this.loadPage();
    }
  }

  render(): void {
    this.opener.hidden = !this.deps.session();
    this.opener.setAttribute("aria-expanded", String(this.sheet.isOpen));
    this.sheet.renderHeader();
    if (!this.sheet.isOpen) return;
    const focused = document.activeElement?.id === "neighbour-search";
    const suggested = this.suggested;
    const list = this.list;
    this.sheet.body.replaceChildren(
      this.problem ? h("p", { class: "receipts-problem", role: "alert", text: this.problem }) : "",
      h("section", { class: "receipts-part neighbours-part", "aria-labelledby": "neighbours-suggested-title" }, [
        h("h3", { class: "friends-subtitle", id: "neighbours-suggested-title", text: t("neighbours.suggested") }),
        suggested === null
          ? h("p", { class: "neighbours-note", text: t("neighbours.loading") })
          : suggested.length === 0
            ? h("p", { class: "neighbours-note", text: t("neighbours.suggestedEmpty") })
            : h("ul", { class: "neighbour-cards suggested", id: "neighbours-suggested" }, suggested.map((c) => this.card(c))),
      ]),
      h("section", { class: "receipts-part neighbours-part", "aria-labelledby": "neighbours-public-title" }, [
        h("h3", { class: "friends-subtitle", id: "neighbours-public-title", text: t("neighbours.public") }),
        this.searchForm(),
        list === null
          ? h("p", { class: "neighbours-note", text: t("neighbours.loading") })
          : list.villages.length === 0
            ? h("p", { class: "neighbours-note", text: t("neighbours.empty") })
            : h("ul", { class: "neighbour-cards", id: "neighbours-public", "aria-busy": this.loading ? "true" : undefined }, list.villages.map((c) => this.card(c))),
        list && (list.page > 1 || list.hasMore) ? this.pager(list) : null,
        h("p", { class: "neighbours-privacy", text: t("neighbours.privacy") }),
      ]),
    );
    if (focused) this.sheet.body.querySelector<HTMLInputElement>("#neighbour-search")?.focus();
  }

  private searchForm(): HTMLElement {
    const input = h("input", {
      id: "neighbour-search", type: "search", name: "q", maxlength: NEIGHBOUR_SEARCH_MAX, placeholder: t("neighbours.search"), "aria-label": t("neighbours.search"),
      autocomplete: "off",
    }) as HTMLInputElement;
    input.value = this.query;
    return h("form", { class: "neighbour-search", role: "search" }, [
      input,
      h("button", { type: "submit", class: "small-action", text: t("neighbours.searchButton") }),
    ]);
  }

  private pager(list: PublicVillagesResponse): HTMLElement {
    return h("nav", { class: "neighbour-pager", "aria-label": t("neighbours.public") }, [
      h("button", { type: "button", class: "small-action", "data-page": list.page - 1, disabled: list.page <= 1 || this.loading, text: `‹ ${t("neighbours.prev")}` }),
      h("span", { class: "neighbour-page", text: t("neighbours.page", { page: list.page }) }),
      h("button", { type: "button", class: "small-action", "data-page": list.page + 1, disabled: !list.hasMore || this.loading, text: `${t("neighbours.next")} ›` }),
    ]);
  }

  private card(c: NeighbourCard): HTMLElement {
    const chip = c.reason ? t(`neighbours.reason.${c.reason}`) : c.friend ? t("neighbours.friend") : null;
    return h("li", { class: `neighbour-card${c.reason === "demo" ? " demo" : ""}`, "data-village": c.villageId }, [
      h("span", { class: "neighbour-scene", "aria-hidden": "true" }, [
        h("img", { class: "neighbour-house", src: spriteUrl("house"), alt: "", width: 44, height: 44 }),
        h("img", { class: "neighbour-avatar", src: spriteUrl(avatarOf(c.villageId)), alt: "", width: 40, height: 40 }),
        h("span", { class: "neighbour-level", title: t("neighbours.levelLabel", { level: c.level }), text: t("neighbours.level", { level: c.level }) }),
      ]),
      h("span", { class: "neighbour-who" }, [
        h("strong", { class: "neighbour-name", text: c.villageName }),
        c.villageName === c.ownerName ? null : h("span", { class: "neighbour-owner", text: c.ownerName }),
        chip ? h("span", { class: `neighbour-chip ${c.reason ?? "friend"}`, text: chip }) : null,
      ]),
      h("button", { type: "button", class: "small-action primary neighbour-visit", "data-visit": c.villageId, text: t("neighbours.visit"), "aria-label": `${t("neighbours.visit")} — ${c.villageName}` }),
    ]);
  }
}
