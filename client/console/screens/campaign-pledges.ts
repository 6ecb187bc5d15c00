/**
 * A campaign's matching pledges in the console (shared/matching.ts): each
 * sponsor with its ratio, cap, what it matched and the "match left", a
 * countdown to its end (or start), ending one early, and a form to record a
 * new one (editors). What is matched moves live from the campaign room; the
 * countdown ticks every second without re-rendering the form.
 */
import type { CampaignView } from "../../../shared/campaigns.ts";
import { type PledgeView, ratioLabel } from "../../../shared/matching.ts";
import { errorText } from "../../i18n.ts";
import { ApiError } from "../../net/api.ts";
import { h } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import type { LiveProgress } from "../campaign-live.ts";
import { may, type NgoContext } from "../context.ts";
import { ConsoleForm, type FormValues, read } from "../form.ts";
import { ct, euros, when } from "../i18n.ts";
import { button, chip, empty, problem } from "../view.ts";

const RATIOS = [25, 50, 100, 150, 200, 300, 400, 500];

export class CampaignPledges {
  readonly root = h("section", { class: "c-card c-pledges", id: "campaign-pledges" });
  private readonly ctx: NgoContext;
  private readonly campaign: () => CampaignView | undefined;
  private pledges: PledgeView[] | null = null;
  private failure: unknown = null;
  private form: ConsoleForm | null = null;
  private live: Pick<LiveProgress, "matchedCents" | "pledges" | "raisedCents"> | null = null;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(ctx: NgoContext, campaign: () => CampaignView | undefined) {
    this.ctx = ctx;
    this.campaign = campaign;
    this.timer = setInterval(() => this.tick(), 1000);
  }

  async load(): Promise<void> {
    const c = this.campaign();
    if (!c) return;
    try {
      this.pledges = (await consoleApi.pledges(this.ctx.token, this.ctx.ngo.id, c.id)).pledges;
      this.failure = null;
    } catch (err) {
      this.failure = err;
    }
    this.render();
  }

  /** The room's numbers (matched, left) are the freshest; the list says the rest. */
  setLive(p: LiveProgress): void {
    const known = new Set((this.pledges ?? []).map((x) => x.id));
    this.live = { matchedCents: p.matchedCents, pledges: p.pledges, raisedCents: p.raisedCents };
    if (p.pledges.some((x) => !known.has(x.id))) void this.load();
    else this.render();
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  render(): void {
    const c = this.campaign();
    if (!c) return;
    const canWrite = may(this.ctx, "editor") && c.phase !== "ended";
    const actions = canWrite && !this.form ? button(ct("pledge.new"), () => this.openForm(c), { id: "new-pledge" }, "c-primary") : null;
    const raised = this.live?.raisedCents ?? c.progress.raisedCents;
    const matched = this.live?.matchedCents ?? c.progress.matchedCents ?? 0;
    const parts: Array<HTMLElement | null> = [
      h("div", { class: "c-card-head" }, [h("h3", { text: ct("pledge.title") }), actions]),
      h("p", { class: "c-hint", text: ct("pledge.lead") }),
    ];
    if (this.form) {
      this.form.render();
      parts.push(this.form.root);
    }
    if (this.failure) parts.push(problem(this.failure));
    else if (this.pledges === null) parts.push(h("p", { class: "c-loading", text: ct("app.loading") }));
    else if (this.pledges.length === 0) parts.push(empty("pledge.none"));
    else {
      parts.push(h("p", { class: "c-pledge-total", id: "pledge-total", "data-matched": matched, text: ct("pledge.total", { matched: euros(matched, c.currency), raised: euros(raised, c.currency) }) }));
      parts.push(h("ul", { class: "c-pledge-list", id: "pledge-list" }, this.pledges.map((p) => this.item(p, c, canWrite))));
    }
    this.root.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
  }

  private item(p: PledgeView, c: CampaignView, canWrite: boolean): HTMLElement {
    const fresh = this.live?.pledges.find((x) => x.id === p.id);
    const matched = fresh?.matchedCents ?? p.matchedCents;
    const left = fresh?.leftCents ?? p.leftCents;
    const share = p.capCents > 0 ? Math.min(100, Math.floor((matched * 100) / p.capCents)) : 0;
    const open = p.status === "active" && Date.parse(p.endsAt) > Date.now();
    return h("li", { class: "c-pledge", "data-pledge-id": p.id, "data-status": p.status }, [
      h("div", { class: "c-pledge-head" }, [
        h("strong", { class: "c-pledge-sponsor", text: p.sponsor }),
        chip(ct("pledge.ratioLabel", { ratio: ratioLabel(p.ratioPercent) }), "ratio"),
        p.status === "active" ? null : chip(ct(p.status === "ended" ? "pledge.ended" : "pledge.cancelled"), p.status),
      ]),
      h("div", { class: "c-bar-wrap" }, [
        h("div", {
          class: "c-bar c-pledge-bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": share,
          "aria-label": ct("pledge.matchedOfCap", { matched: euros(matched, c.currency), cap: euros(p.capCents, c.currency) }),
        }, [h("span", { class: "c-bar-fill", style: `width: ${share}%` })]),
      ]),
      h("dl", { class: "c-figures c-pledge-figures" }, [
        h("div", { "data-figure": "matched" }, [h("dt", { text: ct("pledge.matched") }), h("dd", { text: euros(matched, c.currency) })]),
        h("div", { "data-figure": "left" }, [h("dt", { text: ct("pledge.left") }), h("dd", { text: euros(left, c.currency) })]),
        h("div", { "data-figure": "cap" }, [h("dt", { text: ct("pledge.cap") }), h("dd", { text: euros(p.capCents, c.currency) })]),
      ]),
      h("p", { class: "c-pledge-when" }, [
        h("span", { class: "c-countdown", "data-countdown": open ? p.endsAt : "", "data-starts": p.startsAt, text: this.countdown(p) }),
        h("span", { class: "c-hint", text: ` · ${when(p.startsAt, true)} → ${when(p.endsAt, true)}` }),
      ]),
      canWrite && open ? h("div", { class: "c-row-actions" }, [button(ct("pledge.end"), () => void this.end(p), { "data-action": "end-pledge" }, "c-danger")]) : null,
    ]);
  }

  private countdown(p: PledgeView): string {
    if (p.status === "cancelled") return ct("pledge.cancelled");
    const now = Date.now();
    const start = Date.parse(p.startsAt);
    const end = Date.parse(p.endsAt);
    if (p.status !== "active" || end <= now) return ct("pledge.endedOn", { date: when(p.endsAt, true) });
    if (start > now) return ct("pledge.startsIn", { time: duration(start - now) });
    return ct("pledge.endsIn", { time: duration(end - now) });
  }

  /** Every second: only the countdowns' text; a pledge that just ended re-renders (its "match left" is gone). */
  private tick(): void {
    if (!this.root.isConnected || !this.pledges) return;
    let ended = false;
    for (const el of this.root.querySelectorAll<HTMLElement>(".c-countdown")) {
      const p = this.pledges.find((x) => x.id === el.closest<HTMLElement>("[data-pledge-id]")?.dataset.pledgeId);
      if (!p) continue;
      if (el.dataset.countdown && Date.parse(el.dataset.countdown) <= Date.now()) ended = true;
      el.textContent = this.countdown(p);
    }
    if (ended) void this.load();
  }

  private openForm(c: CampaignView): void {
    this.form = new ConsoleForm({
      id: "pledge-form",
      title: "pledge.newTitle",
      fields: [
        [{ name: "sponsorName", label: "pledge.sponsor", kind: "text", maxlength: 80 }, {
          name: "ratioPercent", label: "pledge.ratio", kind: "select", hint: "pledge.ratioHint",
          choices: () => RATIOS.map((r) => ({ value: String(r), label: `${ratioLabel(r)} (${r} %)` })),
        }],
        [{ name: "capCents", label: "pledge.capField", kind: "euros" }],
        [{ name: "startsAt", label: "pledge.starts", kind: "datetime", optional: true, hint: "pledge.windowHint" }, { name: "endsAt", label: "pledge.ends", kind: "datetime", optional: true }],
      ],
      submit: "pledge.create",
      initial: { ratioPercent: "100" },
      cancel: () => {
        this.form = null;
        this.render();
      },
      send: async (values) => {
        await consoleApi.createPledge(this.ctx.token, this.ctx.ngo.id, c.id, pledgeBody(values));
        this.ctx.toast.show(() => ct("pledge.created"), "success");
        this.form = null;
        await this.load();
      },
    });
    this.render();
    this.form.root.querySelector<HTMLElement>("input")?.focus();
  }

  private async end(p: PledgeView): Promise<void> {
    const c = this.campaign();
    if (!c || !confirm(ct("pledge.endConfirm", { sponsor: p.sponsor }))) return;
    try {
      await consoleApi.endPledge(this.ctx.token, this.ctx.ngo.id, c.id, p.id);
      this.ctx.toast.show(() => ct("pledge.endedToast"), "success");
      await this.load();
    } catch (err) {
      this.ctx.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    }
  }
}

function pledgeBody(v: FormValues): Record<string, unknown> {
  const startsAt = read.instant(v.startsAt);
  const endsAt = read.instant(v.endsAt);
  return {
    sponsorName: read.text(v.sponsorName),
    ratioPercent: Number(read.text(v.ratioPercent)),
    capCents: read.cents(v.capCents),
    ...(startsAt ? { startsAt } : {}),
    ...(endsAt ? { endsAt } : {}),
  };
}

/** "2 d 4 h", "3 h 05 min", "4 min 10 s": the two largest units left. */
function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [d, hr, min, sec] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60];
  const unit = (key: "time.d" | "time.h" | "time.min" | "time.s", n: number, pad = false) => ct(key, { n: pad ? String(n).padStart(2, "0") : n });
  if (d > 0) return `${unit("time.d", d)} ${unit("time.h", hr)}`;
  if (hr > 0) return `${unit("time.h", hr)} ${unit("time.min", min, true)}`;
  return `${unit("time.min", min)} ${unit("time.s", sec, true)}`;
}
