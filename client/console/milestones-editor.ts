/**
 * A campaign's milestones in the console (the campaign's page): the list with
 * each one's state, and for editors a form — percent of the goal, titles FR/EN
 * and the decoration every giver's village gets when a payment reaches it
 * (shared/milestones.ts). Saved whole with PUT …/milestones; an empty list
 * goes back to the defaults (25/50/100 %). Reached milestones are shown but
 * cannot be edited (their decoration went out with that title).
 */
import type { CampaignView } from "../../shared/campaigns.ts";
import { MILESTONES_MAX, MILESTONE_SPRITES, type MilestoneInput, type MilestoneSprite, type MilestoneView } from "../../shared/milestones.ts";
import { errorText, pick } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { h, spriteUrl } from "../ui/element.ts";
import { consoleApi } from "./api.ts";
import type { NgoContext } from "./context.ts";
import { ct, when } from "./i18n.ts";
import { button, chip } from "./view.ts";
import "../styles/console-milestones.css";

interface Row {
  percent: string;
  titleFr: string;
  titleEn: string;
  sprite: MilestoneSprite;
  reached: boolean;
}

export class MilestonesEditor {
  readonly root: HTMLElement;
  private readonly ctx: NgoContext;
  private readonly canWrite: boolean;
  private campaignId = "";
  private milestones: MilestoneView[] = [];
  private rows: Row[] | null = null;
  private fields: Record<string, string> = {};
  private failure = "";
  private saving = false;
  private readonly onSaved: () => void;

  constructor(ctx: NgoContext, canWrite: boolean, onSaved: () => void) {
    this.ctx = ctx;
    this.canWrite = canWrite;
    this.onSaved = onSaved;
    this.root = h("section", { class: "c-card c-milestones", id: "campaign-milestones" });
    this.root.addEventListener("input", (event) => this.onInput(event));
  }

  /** The campaign shown (its milestones as last loaded); an open form stays open. */
  show(c: CampaignView): HTMLElement {
    if (c.id !== this.campaignId) this.rows = null;
    this.campaignId = c.id;
    this.milestones = c.progress.milestones ?? [];
    this.render();
    return this.root;
  }

  private render(): void {
    const head = h("div", { class: "c-milestones-head" }, [
      h("h3", { text: ct("milestones.title") }),
      this.canWrite && !this.rows ? button(ct("form.edit"), () => this.edit(), { id: "edit-milestones" }) : null,
    ]);
    const parts: Array<HTMLElement | null> = [head, h("p", { class: "c-hint", text: ct("milestones.lead") })];
    if (this.rows) parts.push(this.form(this.rows));
    else {
      parts.push(h("ol", { class: "c-milestone-list", id: "milestone-list" }, this.milestones.map((m) => h("li", { "data-percent": m.percent }, [
        h("img", { src: spriteUrl(m.sprite), alt: "", width: 28, height: 28 }),
        h("strong", { text: `${m.percent} %` }),
        h("span", { text: pick(m.title) }),
        m.reachedAt ? chip(ct("milestones.reachedOn", { date: when(m.reachedAt) }), "running") : chip(ct("milestones.notReached"), "draft"),
      ]))));
      if (this.milestones.every((m) => m.id === null)) parts.push(h("p", { class: "c-hint", text: ct("milestones.defaults") }));
    }
    this.root.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
  }

  private edit(): void {
    this.rows = this.milestones.map((m) => ({ percent: String(m.percent), titleFr: m.title.fr, titleEn: m.title.en, sprite: m.sprite, reached: m.reachedAt !== null }));
    this.fields = {};
    this.failure = "";
    this.render();
    this.root.querySelector<HTMLInputElement>("input:not([disabled])")?.focus();
  }

  private form(rows: Row[]): HTMLElement {
    const field = (i: number, name: keyof MilestoneInput) => this.fields[`milestones.${i}.${name}`] ?? (name === "percent" ? this.fields[`milestones.${i}`] : undefined);
    const input = (i: number, name: "percent" | "titleFr" | "titleEn", r: Row) => {
      const id = `milestone-${i}-${name}`;
      const error = field(i, name);
      return h("label", { class: "c-field", for: id }, [
        h("span", { text: ct(`milestones.${name}`) }),
        h("input", {
          id, "data-row": i, "data-name": name, value: r[name], disabled: r.reached || this.saving, "aria-invalid": error ? "true" : undefined,
          ...(name === "percent" ? { type: "number", min: 1, max: 1000, step: 1, inputmode: "numeric" } : { type: "text", maxlength: 80 }),
        }),
        error ? h("small", { class: "c-field-error", text: error }) : null,
      ]);
    };
    const list = h("ol", { class: "c-milestone-rows" }, rows.map((r, i) => h("li", { class: r.reached ? "c-milestone-row reached" : "c-milestone-row", "data-row": i }, [
      input(i, "percent", r), input(i, "titleFr", r), input(i, "titleEn", r),
      h("label", { class: "c-field", for: `milestone-${i}-sprite` }, [
        h("span", { text: ct("milestones.sprite") }),
        h("select", { id: `milestone-${i}-sprite`, "data-row": i, "data-name": "sprite", disabled: r.reached || this.saving },
          MILESTONE_SPRITES.map((s) => h("option", { value: s, selected: s === r.sprite, text: s }))),
      ]),
      h("img", { src: spriteUrl(r.sprite), alt: "", width: 36, height: 36, class: "c-milestone-art" }),
      r.reached ? chip(ct("milestones.locked"), "running") : button(ct("milestones.remove"), () => this.remove(i), { "data-action": "remove-milestone" }),
    ])));
    const general = this.fields.milestones ?? this.failure;
    return h("div", { class: "c-milestone-form", id: "milestones-form" }, [
      list,
      general ? h("p", { class: "c-problem", role: "alert", text: general }) : null,
      h("p", { class: "c-row-actions" }, [
        rows.length < MILESTONES_MAX ? button(ct("milestones.add"), () => this.add(), { id: "add-milestone" }) : null,
        button(ct("milestones.useDefaults"), () => void this.save([]), { id: "milestones-defaults" }),
        button(ct("form.cancel"), () => { this.rows = null; this.render(); }),
        button(ct("form.save"), () => void this.save(rows), { id: "save-milestones" }, "c-primary"),
      ]),
    ]);
  }

  private onInput(event: Event): void {
    const el = event.target as HTMLInputElement | HTMLSelectElement;
    const i = Number(el.dataset.row);
    const name = el.dataset.name as keyof Row | undefined;
    const row = this.rows?.[i];
    if (!row || !name || row.reached) return;
    if (name === "sprite") {
      row.sprite = el.value as MilestoneSprite;
      this.root.querySelector<HTMLImageElement>(`li[data-row="${i}"] .c-milestone-art`)?.setAttribute("src", spriteUrl(row.sprite));
    } else if (name === "percent" || name === "titleFr" || name === "titleEn") row[name] = el.value;
  }

  private add(): void {
    if (!this.rows) return;
    const last = Math.max(0, ...this.rows.map((r) => Number(r.percent) || 0));
    this.rows.push({ percent: String(Math.min(1000, last + 25)), titleFr: "", titleEn: "", sprite: "flower-bed", reached: false });
    this.render();
    this.root.querySelector<HTMLInputElement>(`#milestone-${this.rows.length - 1}-titleFr`)?.focus();
  }

  private remove(i: number): void {
    this.rows?.splice(i, 1);
    this.fields = {};
    this.render();
  }

  private async save(rows: Row[]): Promise<void> {
    this.saving = true;
    this.render();
    try {
      const milestones = rows.map((r) => ({ percent: Number(r.percent), titleFr: r.titleFr, titleEn: r.titleEn, sprite: r.sprite }));
      const saved = await consoleApi.setMilestones(this.ctx.token, this.ctx.ngo.id, this.campaignId, { milestones });
      this.milestones = saved.milestones;
      this.rows = null;
      this.fields = {};
      this.failure = "";
      this.ctx.toast.show(() => ct("milestones.saved"), "success");
      this.onSaved();
    } catch (err) {
      this.fields = err instanceof ApiError ? err.fields : {};
      this.failure = errorText(err instanceof ApiError ? err.code : "internal");
    }
    this.saving = false;
    this.render();
  }
}
