/**
 * Campaigns: the list with each one's progress, a form (FR/EN titles and
 * descriptions, goal in euros, period, the gifts it counts, emergency),
 * publishing a draft, and one campaign's page whose progress bar moves live
 * from the `campaign` room.
 */
import type { CampaignView, CreateCampaignRequest } from "../../../shared/campaigns.ts";
import type { NgoGiftView } from "../../../shared/ngo-catalog.ts";
import { errorText, locale, pick } from "../../i18n.ts";
import { ApiError } from "../../net/api.ts";
import { h } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import { CampaignFundraisers } from "../campaign-fundraisers.ts";
import { CampaignLive, type LiveProgress } from "../campaign-live.ts";
import { CampaignSharing } from "../campaign-sharing.ts";
import { MilestonesEditor } from "../milestones-editor.ts";
import { CampaignPledges } from "./campaign-pledges.ts";
import { may, type NgoContext, type Screen } from "../context.ts";
import { centsText, ConsoleForm, type FormValues, localDateTime, read } from "../form.ts";
import { ct, euros, when } from "../i18n.ts";
import { ngoRoute } from "../sections.ts";
import { button, chip, empty, heading, problem, table } from "../view.ts";

export function campaignsScreen(ctx: NgoContext): Screen {
  const root = h("section", { class: "c-screen", id: "campaigns" });
  const canWrite = may(ctx, "editor");
  let campaigns: CampaignView[] | null = null;
  let gifts: NgoGiftView[] = [];
  let failure: unknown = null;
  let form: ConsoleForm | null = null;
  let live: CampaignLive | null = null;
  let progress: LiveProgress | null = null;
  let liveState: "connecting" | "live" | "lost" = "connecting";
  /** The campaign page's referral totals and share messages (kept while the page re-renders). */
  let sharing: CampaignSharing | null = null;
  const milestones = new MilestonesEditor(ctx, canWrite, () => void load());
  let pledges: CampaignPledges | null = null;
  /** The shown campaign's player fundraisers (kept across renders: it loads once). */
  let fundraisers: CampaignFundraisers | null = null;

  async function load(): Promise<void> {
    try {
      const [c, g] = await Promise.all([consoleApi.campaigns(ctx.token, ctx.ngo.id), consoleApi.gifts(ctx.token, ctx.ngo.id)]);
      campaigns = c.campaigns;
      gifts = g.gifts;
      failure = null;
    } catch (err) {
      failure = err;
    }
    render();
    const shown = current();
    if (shown && !live) watch(shown);
  }

  function current(): CampaignView | undefined {
    return ctx.sub ? campaigns?.find((c) => c.id === ctx.sub) : undefined;
  }

  function watch(c: CampaignView): void {
    pledges = new CampaignPledges(ctx, current);
    void pledges.load();
    live = new CampaignLive();
    live.open(ctx.token, c.id, (p) => {
      progress = p;
      liveState = "live";
      pledges?.setLive(p);
      render();
    }).catch(() => {
      liveState = "lost";
      render();
    });
  }

  function openForm(c: CampaignView | null): void {
    form = new ConsoleForm({
      id: "campaign-form",
      title: c ? "campaign.editTitle" : "campaign.newTitle",
      fields: [
        [{ name: "titleFr", label: "campaign.titleFr", kind: "text", maxlength: 120 }, { name: "titleEn", label: "campaign.titleEn", kind: "text", maxlength: 120 }],
        [{ name: "descriptionFr", label: "campaign.descriptionFr", kind: "textarea", optional: true }, { name: "descriptionEn", label: "campaign.descriptionEn", kind: "textarea", optional: true }],
        [{ name: "goalCents", label: "campaign.goal", kind: "euros" }],
        [{ name: "startsAt", label: "campaign.starts", kind: "datetime" }, { name: "endsAt", label: "campaign.ends", kind: "datetime" }],
        {
          name: "giftIds", label: "campaign.gifts", kind: "checkboxes",
          choices: () => gifts.filter((g) => !g.retiredAt || c?.giftIds.includes(g.id)).map((g) => ({ value: g.id, label: `${locale() === "fr" ? g.nameFr : g.nameEn} · ${euros(g.priceCents)}` })),
        },
        ...(c?.publishedAt ? [] : [{ name: "emergency", label: "campaign.emergency" as const, kind: "checkbox" as const, hint: "campaign.emergencyHint" as const }]),
      ],
      submit: c ? "form.save" : "campaign.create",
      initial: c ? campaignValues(c) : {},
      cancel: () => {
        form = null;
        render();
      },
      async send(values) {
        const body = campaignBody(values);
        if (c) {
          if (c.publishedAt) delete (body as Partial<CreateCampaignRequest>).emergency;
          await consoleApi.patchCampaign(ctx.token, ctx.ngo.id, c.id, body);
        } else {
          await consoleApi.createCampaign(ctx.token, ctx.ngo.id, body);
        }
        ctx.toast.show(() => ct(c ? "campaign.saved" : "campaign.created"), "success");
        form = null;
        await load();
      },
    });
    render();
    form.root.querySelector<HTMLElement>("input")?.focus();
  }

  async function publish(c: CampaignView): Promise<void> {
    if (!confirm(ct(c.emergency ? "campaign.publishEmergencyConfirm" : "campaign.publishConfirm"))) return;
    try {
      await consoleApi.publishCampaign(ctx.token, ctx.ngo.id, c.id);
      ctx.toast.show(() => ct("campaign.published"), "success");
      await load();
    } catch (err) {
      ctx.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    }
  }

  function render(): void {
    const c = current();
    const parts: HTMLElement[] = [];
    if (form) {
      form.render();
      parts.push(heading("nav.campaigns"), form.root);
    } else if (c) {
      parts.push(detail(c));
    } else {
      const actions = canWrite ? [button(ct("campaign.new"), () => openForm(null), { id: "new-campaign" }, "c-primary")] : [];
      parts.push(heading("nav.campaigns", actions, ct("campaign.lead")));
      if (failure) parts.push(problem(failure));
      else if (campaigns === null) parts.push(h("p", { class: "c-loading", text: ct("app.loading") }));
      else parts.push(list(campaigns));
    }
    root.replaceChildren(...parts);
  }

  function list(items: CampaignView[]): HTMLElement {
    if (items.length === 0) return empty("campaign.none");
    return table("campaign-list", [
      { label: "campaign.title", cell: (c) => h("a", { href: ngoRoute(ctx.ngo.id, "campaigns", c.id), text: pick(c.title) }) },
      { label: "campaign.period", cell: (c) => `${when(c.startsAt)} → ${when(c.endsAt)}` },
      { label: "campaign.progress", cell: (c) => bar(c.progress.raisedCents, c.goalCents, c.progress.percent) },
      { label: "gift.state", cell: (c) => h("span", {}, [phaseChip(c), c.emergency ? chip(ct("gift.emergencyChip"), "emergency") : ""]) },
      {
        label: "table.actions",
        cell: (c) => canWrite
          ? h("span", { class: "c-row-actions" }, [
            button(ct("form.edit"), () => openForm(c), { "data-action": "edit" }),
            c.publishedAt ? null : button(ct("campaign.publish"), () => void publish(c), { "data-action": "publish" }, "c-primary"),
          ])
          : "",
      },
    ], items, (c) => ({ "data-campaign-id": c.id }));
  }

  function fundraisersOf(campaignId: string): HTMLElement {
    if (fundraisers?.campaignId !== campaignId) {
      fundraisers = new CampaignFundraisers({ token: ctx.token, ngoId: ctx.ngo.id, campaignId, canHide: canWrite, toast: ctx.toast });
    } else fundraisers.render();
    return fundraisers.root;
  }

  function detail(c: CampaignView): HTMLElement {
    // The goal is the campaign's as last loaded: the room does not hear of a draft's edits, so its goal may be stale.
    const p = progress
      ? { ...progress, goalCents: c.goalCents, percent: progress.goalCents === c.goalCents ? progress.percent : percentOf(progress.raisedCents, c.goalCents) }
      : { ...c.progress, goalCents: c.goalCents, leaderboard: [], others: { villages: 0, units: 0 }, matchedCents: c.progress.matchedCents ?? 0, pledges: [] };
    const embed = c.publishedAt ? h("a", { class: "c-secondary", href: ngoRoute(ctx.ngo.id, "embed", c.id), id: "campaign-embed", text: ct("embed.open") }) : null;
    const actions = canWrite
      ? [button(ct("form.edit"), () => openForm(c), { "data-action": "edit" }), c.publishedAt ? null : button(ct("campaign.publish"), () => void publish(c), { id: "publish", "data-action": "publish" }, "c-primary"), embed]
      : [embed];
    const liveNote = ct(`campaign.live.${liveState}`);
    return h("article", { class: "c-campaign", "data-campaign-id": c.id }, [
      h("p", { class: "c-back" }, [h("a", { href: ngoRoute(ctx.ngo.id, "campaigns"), text: `← ${ct("campaign.back")}` })]),
      heading({ text: pick(c.title) }, actions, pick(c.description) || undefined),
      h("p", { class: "c-meta" }, [phaseChip(c), c.emergency ? chip(ct("gift.emergencyChip"), "emergency") : "", ` ${when(c.startsAt, true)} → ${when(c.endsAt, true)}`]),
      h("section", { class: "c-card c-progress-card", id: "campaign-progress", "aria-live": "polite" }, [
        bar(p.raisedCents, p.goalCents, p.percent, "campaign-bar"),
        h("dl", { class: "c-figures" }, [
          figure("campaign.raised", euros(p.raisedCents, c.currency), "raised"),
          figure("campaign.goalFigure", euros(p.goalCents, c.currency), "goal"),
          figure("campaign.units", String(p.units), "units"),
          figure("campaign.donors", String(p.donors), "donors"),
        ]),
        h("p", { class: `c-live c-live-${liveState}`, id: "campaign-live", "data-state": liveState, text: liveNote }),
        c.publishedAt ? null : h("p", { class: "c-hint", text: ct("campaign.liveDraft") }),
      ]),
      milestones.show(c),
      pledges ? (pledges.render(), pledges.root) : null,
      h("section", { class: "c-card" }, [
        h("h3", { text: ct("campaign.leaderboard") }),
        p.leaderboard.length === 0 ? empty("campaign.noLeaders") : h("ol", { class: "c-leaders", id: "leaderboard" }, p.leaderboard.map((e) =>
          h("li", {}, [h("span", { text: e.name }), h("strong", { text: ct("campaign.unitsCount", { count: e.units }) })]))),
        p.others.villages > 0 ? h("p", { class: "c-hint", text: ct("campaign.others", { villages: p.others.villages, units: p.others.units }) }) : null,
        h("p", { class: "c-hint", text: ct("campaign.leaderboardPrivacy") }),
      ]),
      sharingOf(c),
      fundraisersOf(c.id),
      h("section", { class: "c-card" }, [
        h("h3", { text: ct("campaign.gifts") }),
        h("ul", { class: "c-list" }, c.giftIds.map((id) => {
          const g = gifts.find((x) => x.id === id);
          return h("li", { text: g ? `${locale() === "fr" ? g.nameFr : g.nameEn} · ${euros(g.priceCents)}` : id });
        })),
      ]),
    ]);
  }

  function sharingOf(c: CampaignView): HTMLElement {
    if (sharing?.campaignId !== c.id) sharing = new CampaignSharing(ctx, c);
    else sharing.render();
    return sharing.root;
  }

  void load();
  render();
  return {
    root, render, dispose: () => {
      live?.close();
      pledges?.dispose();
    },
  };
}

/** Whole percent of the goal, floored, as shared/campaign-progress.ts counts it. */
function percentOf(raisedCents: number, goalCents: number): number {
  return goalCents > 0 ? Math.floor((raisedCents * 100) / goalCents) : 0;
}

function figure(label: Parameters<typeof ct>[0], value: string, name: string): HTMLElement {
  return h("div", { "data-figure": name }, [h("dt", { text: ct(label) }), h("dd", { text: value })]);
}

function bar(raised: number, goal: number, percent: number, id?: string): HTMLElement {
  return h("div", { class: "c-bar-wrap" }, [
    h("div", {
      id, class: "c-bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.min(100, percent),
      "aria-valuetext": `${percent}%`, "data-raised": raised,
    }, [h("span", { class: "c-bar-fill", style: `width: ${Math.min(100, percent)}%` })]),
    h("span", { class: "c-bar-label", text: `${euros(raised)} / ${euros(goal)} · ${percent}%` }),
  ]);
}

function phaseChip(c: CampaignView): HTMLElement {
  return c.publishedAt ? chip(ct(`campaign.phase.${c.phase}`), c.phase) : chip(ct("campaign.draft"), "draft");
}

function campaignValues(c: CampaignView): FormValues {
  return {
    titleFr: c.title.fr, titleEn: c.title.en, descriptionFr: c.description.fr, descriptionEn: c.description.en,
    goalCents: centsText(c.goalCents, locale()), startsAt: localDateTime(c.startsAt), endsAt: localDateTime(c.endsAt),
    giftIds: [...c.giftIds], emergency: c.emergency,
  };
}

function campaignBody(v: FormValues): CreateCampaignRequest {
  return {
    titleFr: read.text(v.titleFr), titleEn: read.text(v.titleEn),
    descriptionFr: read.text(v.descriptionFr), descriptionEn: read.text(v.descriptionEn),
    goalCents: read.cents(v.goalCents) as number,
    startsAt: read.instant(v.startsAt) ?? "",
    endsAt: read.instant(v.endsAt) ?? "",
    giftIds: read.list(v.giftIds),
    emergency: read.bool(v.emergency),
  };
}
