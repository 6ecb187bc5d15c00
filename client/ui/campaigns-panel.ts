/**
 * The campaigns panel (<dialog id="campaigns">, opened by #open-campaigns or
 * the deep link /?campaign=<id>): every live campaign (GET /api/campaigns) as
 * a card (client/ui/campaign-card.ts). While it is open, each card watches its
 * campaign room, so the bar moves as gifts are paid, anywhere; the
 * leaderboard is read again after a change. Closing it leaves the rooms.
 */
import type { CatalogGift } from "../../shared/api.ts";
import type { LeaderboardOrder } from "../../shared/campaign-leaderboard.ts";
import type { PublicCampaign } from "../../shared/campaigns.ts";
import { rememberMilestones } from "../game/milestone-titles.ts";
import { errorText, pick, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { CampaignWatch, type LiveCampaign } from "../net/campaign-room.ts";
import { campaignsApi } from "../net/campaigns-api.ts";
import type { Session } from "../net/session.ts";
import {
  type CampaignCardContext, type CardState, campaignCard, campaignCardActions, leaderboardBlock, milestonesBlock, progressBlock, tickCountdowns,
} from "./campaign-card.ts";
import { byId, h } from "./element.ts";
import { SheetDialog } from "./sheet-dialog.ts";
import "../styles/campaigns.css";

export interface CampaignsDeps {
  session(): Session | undefined;
  /** The gifts on sale now (the shop's catalog). */
  gifts(): ReadonlyMap<string, CatalogGift>;
  /** Puts one of this gift in the basket (the shop's "Add"). */
  addToBasket(gift: CatalogGift): void;
}

export class CampaignsPanel {
  private readonly sheet: SheetDialog;
  private readonly opener: HTMLButtonElement;
  private readonly deps: CampaignsDeps;
  private readonly cards = new Map<string, CardState>();
  private readonly watches = new Map<string, CampaignWatch>();
  private readonly boardTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private order: string[] = [];
  private loaded = false;
  private loadError: string | null = null;
  private focusId: string | null = null;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(dialog: HTMLDialogElement, deps: CampaignsDeps) {
    this.deps = deps;
    this.sheet = new SheetDialog(dialog, "campaigns.title", () => this.closed());
    this.opener = byId<HTMLButtonElement>("open-campaigns");
    this.opener.addEventListener("click", () => (this.sheet.isOpen ? this.sheet.close() : this.open()));
    this.sheet.body.addEventListener("click", (event) => this.onClick(event));
    campaignCardActions.onChange(() => this.sheet.isOpen && this.renderCards());
    this.render();
  }

  get isOpen(): boolean {
    return this.sheet.isOpen;
  }

  /** Opens the panel; with an id, on that campaign's card. */
  open(campaignId?: string): void {
    this.focusId = campaignId ?? null;
    this.sheet.open();
    this.opener.setAttribute("aria-expanded", "true");
    this.ticker = setInterval(() => tickCountdowns(this.sheet.body), 1000);
    void this.load();
  }

  close(): void {
    this.sheet.close();
  }

  render(): void {
    this.sheet.renderHeader();
    this.opener.setAttribute("aria-label", t("campaigns.title"));
    this.opener.title = t("campaigns.title");
    this.renderCards();
  }

  private async load(): Promise<void> {
    try {
      const { campaigns } = await campaignsApi.list();
      const list = [...campaigns];
      // A deep link to a campaign not listed (not started yet, or ended a while ago) still opens it.
      if (this.focusId && !list.some((c) => c.id === this.focusId)) {
        const one = await campaignsApi.one(this.focusId).catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 404) this.sheet.toast.show(() => t("campaigns.notFound"), "error");
          return null;
        });
        if (one) list.unshift(one);
      }
      for (const c of list) {
        rememberMilestones(c.progress.milestones ?? []);
        const known = this.cards.get(c.id);
        this.cards.set(c.id, { campaign: c, live: known?.live ?? null, board: known?.board ?? null, boardBy: known?.boardBy ?? "gifts" });
      }
      this.order = list.map((c) => c.id);
      this.loadError = null;
    } catch (err) {
      this.loadError = err instanceof ApiError ? err.code : "internal";
    }
    this.loaded = true;
    if (!this.sheet.isOpen) return;
    this.renderCards();
    for (const id of this.order) {
      if (!this.watches.has(id)) this.watches.set(id, new CampaignWatch(id, (p) => this.onLive(p)));
      void this.loadBoard(id);
    }
    if (this.focusId) {
      const card = this.sheet.body.querySelector<HTMLElement>(`[data-campaign-id="${CSS.escape(this.focusId)}"]`);
      card?.classList.add("focused");
      card?.scrollIntoView({ block: "start" });
      this.focusId = null;
    }
  }

  private renderCards(): void {
    let body: Node;
    if (this.loadError) body = h("p", { class: "receipts-problem", role: "alert", text: errorText(this.loadError) });
    else if (!this.loaded) body = h("p", { class: "campaigns-empty", text: t("campaigns.loading") });
    else if (this.order.length === 0) body = h("p", { class: "campaigns-empty", text: t("campaigns.none") });
    else {
      const deps = { gifts: this.deps.gifts(), context: (c: PublicCampaign) => this.context(c) };
      body = h("ul", { class: "campaign-list", id: "campaign-list" }, this.order.map((id) => campaignCard(this.cards.get(id)!, deps)));
    }
    this.sheet.body.replaceChildren(h("p", { class: "campaigns-lead", text: t("campaigns.lead") }), body);
  }

  private context(campaign: PublicCampaign): CampaignCardContext {
    return { campaign, session: this.deps.session(), toast: this.sheet.toast };
  }

  /** A room reported: the bar and milestones move in place; the leaderboard is read again shortly. */
  private onLive(p: LiveCampaign): void {
    const s = this.cards.get(p.campaignId);
    if (!s) return;
    const changed = !s.live || s.live.units !== p.units || s.live.raisedCents !== p.raisedCents;
    s.live = p;
    this.replaceBlock(s, "progress", progressBlock(s));
    this.replaceBlock(s, "milestones", milestonesBlock(s));
    if (changed) {
      clearTimeout(this.boardTimers.get(p.campaignId));
      this.boardTimers.set(p.campaignId, setTimeout(() => void this.loadBoard(p.campaignId), 400));
    }
  }

  private async loadBoard(campaignId: string): Promise<void> {
    const s = this.cards.get(campaignId);
    if (!s || !this.sheet.isOpen) return;
    const by = s.boardBy;
    try {
      const board = await campaignsApi.leaderboard(campaignId, by);
      if (s.boardBy !== by) return;
      s.board = board;
    } catch {
      s.board = { by, entries: [], others: { givers: 0, gifts: 0 } };
    }
    this.replaceBlock(s, "board", leaderboardBlock(s));
  }

  private replaceBlock(s: CardState, block: string, next: HTMLElement): void {
    const card = this.sheet.body.querySelector<HTMLElement>(`[data-campaign-id="${CSS.escape(s.campaign.id)}"]`);
    const old = card?.querySelector(`[data-block="${block}"]`);
    if (!old) return;
    // Keep keyboard focus on the same leaderboard tab across the re-render.
    const focused = old.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.board : undefined;
    old.replaceWith(next);
    if (focused) next.querySelector<HTMLElement>(`[data-board="${focused}"]`)?.focus();
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const id = target.closest<HTMLElement>("[data-campaign-id]")?.dataset.campaignId;
    const s = id ? this.cards.get(id) : undefined;
    if (!s) return;
    const add = target.closest<HTMLButtonElement>("button[data-add-gift]");
    if (add) return this.add(add.dataset.addGift!, add);
    const tab = target.closest<HTMLButtonElement>("button[data-board]");
    if (tab) {
      s.boardBy = tab.dataset.board === "villages" ? "villages" : "gifts";
      s.board = null;
      this.replaceBlock(s, "board", leaderboardBlock(s));
      this.sheet.body.querySelector<HTMLElement>(`[data-campaign-id="${CSS.escape(s.campaign.id)}"] [data-board="${s.boardBy}"]`)?.focus();
      void this.loadBoard(s.campaign.id);
      return;
    }
    const actionButton = target.closest<HTMLButtonElement>("button[data-card-action]");
    const action = campaignCardActions.list().find((a) => a.id === actionButton?.dataset.cardAction);
    if (action && actionButton) void action.run(this.context(s.campaign), actionButton);
  }

  private add(giftId: string, button: HTMLButtonElement): void {
    const gift = this.deps.gifts().get(giftId);
    if (!gift) return this.sheet.toast.show(() => t("campaigns.unavailable"), "error");
    this.deps.addToBasket(gift);
    button.classList.remove("added");
    void button.offsetWidth;
    button.classList.add("added");
    this.sheet.toast.show(() => t("campaigns.added", { name: pick(gift.name) }), "success");
  }

  private closed(): void {
    clearInterval(this.ticker);
    this.opener.setAttribute("aria-expanded", "false");
    for (const w of this.watches.values()) w.close();
    this.watches.clear();
    for (const timer of this.boardTimers.values()) clearTimeout(timer);
    this.boardTimers.clear();
    for (const s of this.cards.values()) s.live = null;
  }
}
