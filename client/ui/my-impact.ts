/**
 * "Your impact" (<dialog id="impact">, opened by #open-impact in the header):
 * what the player's gifts became, from GET /api/me/impact. The totals, each
 * project helped with its gifts' walk along the fund trail (funded → sent to
 * the field → in use) as a progress bar, the NGOs' newest photos of those
 * projects (each with its title as alt text), and whether the monthly e-mail
 * digest is on. With no gift yet, a calm word and the way back to the
 * village: it never pushes a donation.
 */
import { IMPACT_STAGES, type ImpactProject, type ImpactStage, type MyImpactResponse } from "../../shared/my-impact.ts";
import { errorText, locale, pick, t, type MessageKey } from "../i18n.ts";
import { ApiError, request } from "../net/api.ts";
import type { Session } from "../net/session.ts";
import { byId, h, spriteUrl } from "./element.ts";

export interface MyImpactDeps {
  session(): Session | undefined;
  /** Opens the account's privacy settings, where the monthly digest is turned on or off. */
  openPrivacy(): void;
}

const STAGE_TEXT: Record<ImpactStage, MessageKey> = { funded: "impact.stage.funded", sent_to_field: "impact.stage.sent", in_use: "impact.stage.inUse" };

export class MyImpactDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly opener: HTMLButtonElement;
  private readonly deps: MyImpactDeps;
  private data: MyImpactResponse | null = null;
  private loadError: string | null = null;
  private stale = true;
  private pressedBackdrop = false;

  constructor(dialog: HTMLDialogElement, deps: MyImpactDeps) {
    this.dialog = dialog;
    this.deps = deps;
    this.opener = byId<HTMLButtonElement>("open-impact");
    this.opener.addEventListener("click", () => (this.dialog.open ? this.close() : this.open()));
    dialog.setAttribute("aria-labelledby", "impact-title");
    dialog.addEventListener("pointerdown", (event) => {
      this.pressedBackdrop = event.target === dialog;
    });
    dialog.addEventListener("click", (event) => {
      const target = event.target as HTMLElement;
      if (target.closest("button.receipts-close, button[data-impact-back]") || (target === dialog && this.pressedBackdrop)) this.close();
      else if (target.closest("button[data-impact-privacy]")) {
        this.close();
        this.deps.openPrivacy();
      }
    });
    dialog.addEventListener("close", () => this.render());
    this.render();
  }

  /** The session is open: show the button. */
  start(): void {
    this.render();
  }

  /** Something changed (news posted, a gift paid, a setting): read again on the next opening, or now if open. */
  changed(): void {
    this.stale = true;
    if (this.dialog.open) void this.load();
  }

  open(): void {
    if (this.dialog.open) return;
    this.render();
    this.dialog.showModal();
    this.dialog.querySelector<HTMLElement>(".receipts-body")?.scrollTo({ top: 0 });
    // Always read again: a gift may have been paid or a step recorded since.
    void this.load();
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  async load(): Promise<void> {
    const token = this.deps.session()?.token;
    if (!token) return;
    if (this.stale) this.data = null;
    this.loadError = null;
    this.render();
    try {
      this.data = await request<MyImpactResponse>("GET", "/api/me/impact", { token });
      this.stale = false;
    } catch (err) {
      this.loadError = err instanceof ApiError ? err.code : "internal";
    }
    this.render();
  }

  render(): void {
    this.opener.hidden = !this.deps.session();
    this.opener.setAttribute("aria-expanded", String(this.dialog.open));
    this.opener.setAttribute("aria-label", t("impact.title"));
    let body: Array<Node | null>;
    if (this.loadError) body = [h("p", { class: "receipts-problem", role: "alert", text: errorText(this.loadError) })];
    else if (!this.data) body = [h("p", { class: "tax-loading", text: t("impact.loading") })];
    else if (this.data.counters.gifts === 0) body = [this.empty()];
    else body = [this.totals(this.data), this.projects(this.data.projects), this.photos(this.data), this.digest(this.data)];
    this.dialog.replaceChildren(h("div", { class: "receipts-sheet" }, [
      h("header", { class: "receipts-header" }, [
        h("h2", { id: "impact-title", text: t("impact.title") }),
        h("button", { type: "button", class: "receipts-close", "aria-label": t("impact.close"), text: "×" }),
      ]),
      h("div", { class: "receipts-body impact-body", "aria-live": "polite", "aria-busy": this.data || this.loadError ? undefined : "true" }, body),
    ]));
  }

  private empty(): HTMLElement {
    return h("div", { class: "impact-empty" }, [
      h("img", { src: spriteUrl("seed-bag"), alt: "", width: 72, height: 72, draggable: "false" }),
      h("p", { class: "impact-empty-title", text: t("impact.empty.title") }),
      h("p", { text: t("impact.empty.text") }),
      h("button", { type: "button", class: "impact-back", "data-impact-back": "", text: t("impact.empty.back") }),
    ]);
  }

  private totals(d: MyImpactResponse): HTMLElement {
    const tile = (key: string, value: number, label: MessageKey, sprite: string) =>
      h("li", { class: "impact-total", "data-total": key }, [
        h("img", { src: spriteUrl(sprite), alt: "", width: 36, height: 36, draggable: "false" }),
        h("strong", { text: new Intl.NumberFormat(locale()).format(value) }),
        h("span", { text: t(label) }),
      ]);
    const plural = (value: number, one: MessageKey, other: MessageKey) => (value === 1 ? one : other);
    return h("section", { class: "receipts-part impact-part", "aria-labelledby": "impact-totals-title" }, [
      h("h3", { id: "impact-totals-title", class: "visually-hidden", text: t("impact.totals") }),
      h("p", { class: "receipts-lead", text: t("impact.lead") }),
      h("ul", { class: "impact-totals" }, [
        tile("gifts", d.counters.gifts, plural(d.counters.gifts, "impact.count.gifts.one", "impact.count.gifts.other"), "heart"),
        tile("projects", d.counters.projects, plural(d.counters.projects, "impact.count.projects.one", "impact.count.projects.other"), "sunflower"),
        tile("ngos", d.counters.ngos, plural(d.counters.ngos, "impact.count.ngos.one", "impact.count.ngos.other"), "house"),
        tile("inUse", d.counters.inUse, "impact.count.inUse", "sparkles"),
      ]),
    ]);
  }

  private projects(list: ImpactProject[]): HTMLElement {
    return h("section", { class: "receipts-part impact-part", "aria-labelledby": "impact-projects-title" }, [
      h("h3", { id: "impact-projects-title", text: t("impact.projects") }),
      h("ul", { class: "impact-projects", id: "impact-projects" }, list.map((p) => {
        const reached = IMPACT_STAGES.indexOf(p.stage);
        const name = pick(p.name);
        return h("li", { class: "impact-project", "data-project": p.projectId, "data-stage": p.stage }, [
          h("img", { class: "impact-sprite", src: spriteUrl(p.sprite), alt: "", width: 48, height: 48, draggable: "false" }),
          h("div", { class: "impact-project-main" }, [
            h("strong", { class: "impact-project-name", text: name }),
            h("span", { class: "impact-project-ngo", text: t(p.units === 1 ? "impact.byNgo.one" : "impact.byNgo.other", { ngo: p.ngo.name, count: p.units }) }),
            h("span", {
              class: "impact-bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(p.progress),
              "aria-valuetext": t(STAGE_TEXT[p.stage]), "aria-label": t("impact.barLabel", { project: name }),
            }, [h("span", { class: "impact-bar-fill", style: `width: ${Math.max(4, p.progress)}%` })]),
            h("ol", { class: "impact-steps" }, IMPACT_STAGES.map((stage, i) =>
              h("li", { class: i <= reached ? "reached" : "", "aria-current": i === reached ? "step" : undefined, text: t(STAGE_TEXT[stage]) }))),
          ]),
        ]);
      })),
    ]);
  }

  private photos(d: MyImpactResponse): HTMLElement | null {
    if (d.photos.length === 0) return null;
    const day = (iso: string) => new Intl.DateTimeFormat(locale(), { day: "numeric", month: "long" }).format(new Date(iso));
    return h("section", { class: "receipts-part impact-part", "aria-labelledby": "impact-photos-title" }, [
      h("h3", { id: "impact-photos-title", text: t("impact.photos") }),
      h("ul", { class: "impact-photos", id: "impact-photos" }, d.photos.map((p) => h("li", { "data-update": p.updateId }, [
        h("figure", {}, [
          h("img", {
            src: p.url, alt: t("impact.photoAlt", { title: pick(p.alt), project: pick(p.project) }), width: p.width, height: p.height,
            loading: "lazy", decoding: "async",
          }),
          h("figcaption", {}, [
            h("strong", { text: pick(p.alt) }),
            h("span", { text: `${p.ngoName} · ` }),
            h("time", { datetime: p.createdAt, text: day(p.createdAt) }),
          ]),
        ]),
      ]))),
    ]);
  }

  private digest(d: MyImpactResponse): HTMLElement {
    const account = Boolean(this.deps.session()?.account);
    return h("p", { class: "impact-digest", "data-digest": d.digest ? "on" : "off" }, [
      h("span", { text: t(d.digest ? "impact.digest.on" : account ? "impact.digest.off" : "impact.digest.guest") }),
      account ? h("button", { type: "button", class: "impact-digest-link", "data-impact-privacy": "", text: t("impact.digest.change") }) : null,
    ]);
  }
}
