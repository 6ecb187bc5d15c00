/**
 * One campaign's card in the campaigns panel: title and NGO, deadline
 * countdown, the goal bar (live from the campaign room), milestones (reached,
 * next), its gifts with "Add to basket", the opt-in leaderboard, and a row of
 * actions other modules add.
 *
 * Extension point: `campaignCardActions.register({ id, label, run, visible? })`
 * adds a button to every card (e.g. "Share", "Start my fundraiser"); the
 * panel re-renders open cards when one is registered. Buttons carry
 * `data-card-action="<id>"` and sit in `.campaign-actions`.
 */
import type { CatalogGift } from "../../shared/api.ts";
import type { GiverLeaderboard, LeaderboardOrder } from "../../shared/campaign-leaderboard.ts";
import type { PublicCampaign } from "../../shared/campaigns.ts";
import { ratioLabel } from "../../shared/matching.ts";
import { formatMoney, type Currency } from "../../shared/money.ts";
import { nextMilestone, type MilestoneView } from "../../shared/milestones.ts";
import { locale, pick, t } from "../i18n.ts";
import type { LiveCampaign } from "../net/campaign-room.ts";
import type { Session } from "../net/session.ts";
import { h, spriteUrl } from "./element.ts";
import type { Toast } from "./toast.ts";

/** What a card action is given when pressed or asked whether it shows. */
export interface CampaignCardContext {
  campaign: PublicCampaign;
  session: Session | undefined;
  /** The panel's own toast (the page's sits under the modal). */
  toast: Toast;
}

export interface CampaignCardAction {
  /** Stable id, also the button's data-card-action ("share", "fundraiser"…). */
  id: string;
  /** The button's text, in the current language. */
  label(campaign: PublicCampaign): string;
  /** Whether the button shows on this card (default: always). */
  visible?(ctx: CampaignCardContext): boolean;
  run(ctx: CampaignCardContext, button: HTMLButtonElement): void | Promise<void>;
}

const actions: CampaignCardAction[] = [];
const actionListeners = new Set<() => void>();

/** The extension point of the campaign cards. */
export const campaignCardActions = {
  /** Adds a button to every campaign card (replacing one with the same id); returns a function that removes it. */
  register(action: CampaignCardAction): () => void {
    const at = actions.findIndex((a) => a.id === action.id);
    if (at >= 0) actions.splice(at, 1, action);
    else actions.push(action);
    for (const l of actionListeners) l();
    return () => {
      const i = actions.indexOf(action);
      if (i >= 0) actions.splice(i, 1);
      for (const l of actionListeners) l();
    };
  },
  list(): readonly CampaignCardAction[] {
    return actions;
  },
  /** The panel listens, to re-render its cards. */
  onChange(listener: () => void): () => void {
    actionListeners.add(listener);
    return () => actionListeners.delete(listener);
  },
};

/** "2 d 4 h", "3 h 05 min", "4 min 09 s", or null once over. */
export function countdownText(endsAt: string, now: number): string | null {
  const left = Date.parse(endsAt) - now;
  if (!(left > 0)) return null;
  const s = Math.floor(left / 1000);
  const d = Math.floor(s / 86_400);
  const hh = Math.floor((s % 86_400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  if (d > 0) return t("campaigns.leftDays", { d, h: hh });
  if (hh > 0) return t("campaigns.leftHours", { h: hh, m: two(mm) });
  return t("campaigns.leftMinutes", { m: mm, s: two(ss) });
}

export interface CardState {
  campaign: PublicCampaign;
  live: LiveCampaign | null;
  board: GiverLeaderboard | null;
  boardBy: LeaderboardOrder;
}

export interface CardDeps {
  gifts: ReadonlyMap<string, CatalogGift>;
  context(campaign: PublicCampaign): CampaignCardContext;
}

const money = (cents: number, currency: string) => formatMoney({ cents, currency: currency as Currency }, locale());

/** The figures the card shows: the room's when it has spoken, else the list's. */
function figures(s: CardState) {
  const p = s.campaign.progress;
  return s.live
    ? { raised: s.live.raisedCents, goal: s.live.goalCents || s.campaign.goalCents, percent: s.live.percent, donors: s.live.donors, units: s.live.units }
    : { raised: p.raisedCents, goal: s.campaign.goalCents, percent: p.percent, donors: p.donors, units: p.units };
}

export function campaignCard(s: CardState, deps: CardDeps): HTMLElement {
  const c = s.campaign;
  const card = h("li", { class: c.emergency ? "campaign-card emergency" : "campaign-card", id: `campaign-${c.id}`, "data-campaign-id": c.id }, [
    h("header", { class: "campaign-head" }, [
      h("h3", { class: "campaign-title", id: `campaign-${c.id}-title`, text: pick(c.title) }, c.emergency ? [h("span", { class: "campaign-badge", text: t("campaigns.emergency") })] : []),
      h("p", { class: "campaign-ngo", text: c.ngo.name }),
      h("p", { class: "campaign-countdown", "data-ends-at": c.endsAt, text: countdown(c) }),
    ]),
    pick(c.description) ? h("p", { class: "campaign-description", text: pick(c.description) }) : null,
    progressBlock(s),
    milestonesBlock(s),
    giftsBlock(c, deps.gifts),
    leaderboardBlock(s),
    actionsBlock(deps.context(c)),
  ]);
  card.setAttribute("aria-labelledby", `campaign-${c.id}-title`);
  return card;
}

function countdown(c: Pick<PublicCampaign, "endsAt">): string {
  const left = countdownText(c.endsAt, Date.now());
  return left ? t("campaigns.endsIn", { time: left }) : t("campaigns.ended");
}

/** Refreshes every countdown under `root` (once a second while the panel is open). */
export function tickCountdowns(root: HTMLElement): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-ends-at]")) {
    const left = countdownText(el.dataset.endsAt!, Date.now());
    el.textContent = left ? t("campaigns.endsIn", { time: left }) : t("campaigns.ended");
  }
}

export function progressBlock(s: CardState): HTMLElement {
  const f = figures(s);
  const width = Math.min(100, f.percent);
  return h("div", { class: "campaign-progress", "data-block": "progress", "data-campaign-live": s.campaign.id }, [
    h("div", {
      class: "campaign-bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.min(100, f.percent),
      "aria-label": t("campaigns.barLabel", { percent: f.percent }),
    }, [h("span", { class: "campaign-bar-fill", "data-live": "bar", style: `width: ${width}%` })]),
    h("p", { class: "campaign-figures" }, [
      h("strong", { "data-live": "raised", text: money(f.raised, s.campaign.currency) }),
      ` ${t("campaigns.of")} `,
      h("span", { "data-live": "goal", text: money(f.goal, s.campaign.currency) }),
      " · ",
      h("span", { "data-live": "percent", text: `${f.percent} %` }),
      " · ",
      h("span", { "data-live": "donors", text: t("campaigns.donors", { count: f.donors }) }),
    ]),
    matchingBlock(s),
  ]);
}

/** Sponsors' matching pledges, apart from the donors' own gifts: what they matched, what is left, until when. */
function matchingBlock(s: CardState): HTMLElement | null {
  const fromList = s.campaign.progress.pledges ?? [];
  const pledges = s.live && s.live.pledges.length > 0 ? s.live.pledges : fromList;
  if (pledges.length === 0) return null;
  const matched = s.live && s.live.pledges.length > 0 ? s.live.matchedCents : (s.campaign.progress.matchedCents ?? 0);
  const currency = s.campaign.currency;
  return h("div", { class: "campaign-matching", "data-block": "matching" }, [
    h("p", { class: "campaign-matched", text: t("campaigns.matched", { amount: money(matched, currency) }) }, []),
    h("ul", { class: "campaign-pledges" }, pledges.map((p) => {
      const open = p.leftCents > 0 && Date.parse(p.endsAt) > Date.now();
      return h("li", { class: "campaign-pledge", "data-pledge-id": p.id }, [
        h("strong", { text: t("campaigns.pledge", { sponsor: p.sponsor, ratio: ratioLabel(p.ratioPercent) }) }),
        h("span", { class: "campaign-pledge-left", text: open ? t("campaigns.matchLeft", { amount: money(p.leftCents, currency) }) : t("campaigns.matchOver") }),
        open ? h("span", { class: "campaign-pledge-ends", "data-ends-at": p.endsAt, text: countdown({ endsAt: p.endsAt }) }) : null,
      ]);
    })),
  ]);
}

/** Reached: stored, or the live percent has got there (the server marks it within the payment's handling). */
export function milestonesBlock(s: CardState): HTMLElement {
  const list = s.campaign.progress.milestones ?? [];
  const percent = figures(s).percent;
  const marked = list.map((m) => ({ ...m, reachedAt: m.reachedAt ?? (percent >= m.percent ? "now" : null) }));
  const next = nextMilestone(marked);
  return h("div", { class: "campaign-milestones", "data-block": "milestones" }, [
    h("h4", { text: t("campaigns.milestones") }),
    h("ol", { class: "milestone-list" }, marked.map((m) => milestoneItem(m, m === next))),
  ]);
}

function milestoneItem(m: MilestoneView, next: boolean): HTMLElement {
  const state = m.reachedAt ? "reached" : next ? "next" : "later";
  return h("li", { class: `milestone ${state}`, "data-percent": m.percent, "data-state": state }, [
    h("img", { src: spriteUrl(m.sprite), alt: "", width: 28, height: 28 }),
    h("span", { class: "milestone-text" }, [
      h("strong", { text: `${m.percent} %` }),
      h("span", { text: pick(m.title) }),
    ]),
    h("small", { class: "milestone-state", text: t(state === "reached" ? "campaigns.reached" : state === "next" ? "campaigns.next" : "campaigns.later") }),
  ]);
}

function giftsBlock(c: PublicCampaign, catalog: ReadonlyMap<string, CatalogGift>): HTMLElement {
  return h("div", { class: "campaign-gifts" }, [
    h("h4", { text: t("campaigns.gifts") }),
    h("ul", { class: "campaign-gift-list" }, c.gifts.map((g) => {
      const name = pick(g.name);
      const onSale = catalog.has(g.id) && c.phase === "running";
      return h("li", { class: "campaign-gift", "data-gift-id": g.id }, [
        h("img", { src: spriteUrl(g.sprite), alt: "", width: 36, height: 36 }),
        h("span", { class: "campaign-gift-name", text: name }),
        h("span", { class: "campaign-gift-price", text: money(g.priceCents, c.currency) }),
        h("button", {
          type: "button", class: "campaign-add", "data-add-gift": g.id, disabled: !onSale,
          "aria-label": t("campaigns.addLabel", { name }), text: onSale ? t("campaigns.add") : t("campaigns.unavailable"),
        }),
      ]);
    })),
  ]);
}

export function leaderboardBlock(s: CardState): HTMLElement {
  const tab = (by: LeaderboardOrder) => h("button", {
    type: "button", class: "board-tab", "data-board": by, "aria-pressed": String(s.boardBy === by), text: t(by === "gifts" ? "campaigns.byGifts" : "campaigns.byVillages"),
  });
  const b = s.board;
  let body: HTMLElement;
  if (!b) body = h("p", { class: "board-empty", text: t("campaigns.boardLoading") });
  else if (b.entries.length === 0) body = h("p", { class: "board-empty", text: b.others.givers > 0 ? t("campaigns.boardNobodyNamed", { count: b.others.givers }) : t("campaigns.boardEmpty") });
  else {
    body = h("ol", { class: "board-list" }, b.entries.map((e) => h("li", { class: "board-entry", "data-rank": e.rank }, [
      h("span", { class: "board-rank", text: String(e.rank) }),
      h("span", { class: "board-name", text: e.name }),
      h("span", { class: "board-figures", text: [
        t("campaigns.giftsCount", { count: e.gifts }),
        t("campaigns.villagesCount", { count: e.villages }),
        ...(e.amountCents !== undefined ? [money(e.amountCents, s.campaign.currency)] : []),
      ].join(" · ") }),
    ])));
    if (b.others.givers > 0) body.append(h("li", { class: "board-others", text: t("campaigns.boardOthers", { count: b.others.givers }) }));
  }
  return h("div", { class: "campaign-board", "data-block": "board" }, [
    h("div", { class: "board-head" }, [h("h4", { text: t("campaigns.leaderboard") }), h("div", { class: "board-tabs", role: "group", "aria-label": t("campaigns.rankBy") }, [tab("gifts"), tab("villages")])]),
    body,
    h("p", { class: "board-privacy", text: t("campaigns.boardPrivacy") }),
  ]);
}

function actionsBlock(ctx: CampaignCardContext): HTMLElement | null {
  const shown = campaignCardActions.list().filter((a) => a.visible?.(ctx) ?? true);
  if (shown.length === 0) return null;
  return h("div", { class: "campaign-actions" }, shown.map((a) => h("button", { type: "button", class: "campaign-action", "data-card-action": a.id, text: a.label(ctx.campaign) })));
}
