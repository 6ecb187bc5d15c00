/**
 * Updates: news from the field for a project (FR/EN title and text, an
 * optional photo the server validates and resizes), sent to every donor to
 * that project; and each gift's fund trail (funded → sent to the field → in
 * use), which the NGO advances with a date.
 */
import type { TrailStepView } from "../../../shared/fund-trail.ts";
import type { ImpactUpdateView } from "../../../shared/impact-updates.ts";
import type { NgoGiftView, NgoProjectView } from "../../../shared/ngo-catalog.ts";
import { parisDay } from "../../../shared/paris-day.ts";
import { errorText, locale, pick } from "../../i18n.ts";
import { ApiError } from "../../net/api.ts";
import { h } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import { may, type NgoContext, type Screen } from "../context.ts";
import { ConsoleForm, read } from "../form.ts";
import { ct, when } from "../i18n.ts";
import { button, empty, heading, problem, table } from "../view.ts";

export function updatesScreen(ctx: NgoContext): Screen {
  const root = h("section", { class: "c-screen", id: "updates" });
  const canWrite = may(ctx, "editor");
  let updates: ImpactUpdateView[] | null = null;
  let projects: NgoProjectView[] = [];
  let gifts: NgoGiftView[] = [];
  let failure: unknown = null;
  let updateForm: ConsoleForm | null = null;
  let trailGift: NgoGiftView | null = null;
  let steps: TrailStepView[] | null = null;
  let stepForm: ConsoleForm | null = null;

  async function load(): Promise<void> {
    try {
      const [u, p, g] = await Promise.all([
        consoleApi.updates(ctx.token, ctx.ngo.id), consoleApi.projects(ctx.token, ctx.ngo.id), consoleApi.gifts(ctx.token, ctx.ngo.id),
      ]);
      updates = u.updates;
      projects = p.projects;
      gifts = g.gifts;
      failure = null;
    } catch (err) {
      failure = err;
    }
    render();
  }

  function openUpdateForm(): void {
    updateForm = new ConsoleForm({
      id: "update-form",
      title: "update.newTitle",
      fields: [
        { name: "projectId", label: "gift.project", kind: "select", choices: () => projects.map((p) => ({ value: p.id, label: locale() === "fr" ? p.nameFr : p.nameEn })) },
        [{ name: "titleFr", label: "update.titleFr", kind: "text", maxlength: 120 }, { name: "titleEn", label: "update.titleEn", kind: "text", maxlength: 120 }],
        [{ name: "bodyFr", label: "update.bodyFr", kind: "textarea", maxlength: 5000 }, { name: "bodyEn", label: "update.bodyEn", kind: "textarea", maxlength: 5000 }],
        { name: "photoId", label: "update.photo", kind: "file", optional: true, accept: "image/jpeg,image/png,image/webp", hint: "update.photoHint" },
      ],
      submit: "update.post",
      cancel: () => {
        updateForm = null;
        render();
      },
      async send(values) {
        let photoId: string | null = null;
        if (values.photoId instanceof File) {
          try {
            photoId = (await consoleApi.uploadPhoto(ctx.token, ctx.ngo.id, values.photoId)).photo.id;
          } catch (err) {
            // The photo's refusal belongs under the photo field.
            if (err instanceof ApiError) throw new ApiError(err.status, err.code, err.message, { photoId: errorText(err.code) });
            throw err;
          }
        }
        const answer = await consoleApi.createUpdate(ctx.token, ctx.ngo.id, {
          projectId: read.text(values.projectId), titleFr: read.text(values.titleFr), titleEn: read.text(values.titleEn),
          bodyFr: read.text(values.bodyFr), bodyEn: read.text(values.bodyEn), photoId,
        });
        ctx.toast.show(() => ct("update.posted", { count: answer.notified }), "success");
        updateForm = null;
        await load();
      },
    });
    render();
  }

  async function openTrail(gift: NgoGiftView): Promise<void> {
    trailGift = gift;
    steps = null;
    stepForm = canWrite ? newStepForm(gift) : null;
    render();
    try {
      steps = (await consoleApi.trail(ctx.token, ctx.ngo.id, gift.id)).steps;
    } catch (err) {
      ctx.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
      steps = [];
    }
    render();
  }

  function newStepForm(gift: NgoGiftView): ConsoleForm {
    return new ConsoleForm({
      id: "trail-form",
      title: "trail.newTitle",
      fields: [
        [
          { name: "stage", label: "trail.stage", kind: "select", choices: () => [{ value: "sent_to_field", label: ct("trail.sent_to_field") }, { value: "in_use", label: ct("trail.in_use") }] },
          { name: "happenedOn", label: "trail.on", kind: "date" },
        ],
        [{ name: "noteFr", label: "trail.noteFr", kind: "text", optional: true, maxlength: 500 }, { name: "noteEn", label: "trail.noteEn", kind: "text", optional: true, maxlength: 500 }],
      ],
      submit: "trail.add",
      // The trail's dates are Paris days (a gift paid at 00:30 in Paris was funded that day, even
      // if it is still the day before in UTC or in the browser's zone): today is today in Paris.
      initial: { happenedOn: parisDay(Date.now()) },
      async send(values) {
        await consoleApi.addTrailStep(ctx.token, ctx.ngo.id, gift.id, {
          stage: read.text(values.stage) as "sent_to_field" | "in_use", happenedOn: read.text(values.happenedOn),
          noteFr: read.text(values.noteFr), noteEn: read.text(values.noteEn),
        });
        ctx.toast.show(() => ct("trail.added"), "success");
        await openTrail(gift);
      },
    });
  }

  function render(): void {
    const actions = canWrite && !updateForm ? [button(ct("update.new"), openUpdateForm, { id: "new-update", disabled: projects.length === 0 }, "c-primary")] : [];
    const parts: HTMLElement[] = [heading("nav.updates", actions, ct("update.lead"))];
    if (failure) parts.push(problem(failure));
    else if (updates === null) parts.push(h("p", { class: "c-loading", text: ct("app.loading") }));
    else {
      if (updateForm) {
        updateForm.render();
        parts.push(updateForm.root);
      }
      parts.push(h("section", { class: "c-card", id: "update-list" }, [
        h("h3", { text: ct("update.list") }),
        updates.length === 0 ? empty("update.none") : h("ul", { class: "c-updates" }, updates.map((u) =>
          h("li", { class: "c-update", "data-update-id": u.id }, [
            u.photo ? h("img", { src: u.photo.url, alt: ct("update.photoAlt", { title: pick(u.title) }), width: u.photo.width, height: u.photo.height, loading: "lazy" }) : null,
            h("div", {}, [
              h("strong", { text: pick(u.title) }),
              h("p", { class: "c-meta", text: `${pick(u.project.name)} · ${when(u.createdAt, true)}` }),
              h("p", { class: "c-update-body", text: pick(u.body) }),
            ]),
          ]))),
      ]));
      parts.push(trailSection());
    }
    root.replaceChildren(...parts);
  }

  function trailSection(): HTMLElement {
    const active = gifts.filter((g) => g.unitsSold > 0 || trailGift?.id === g.id);
    return h("section", { class: "c-card", id: "trail" }, [
      h("h3", { text: ct("trail.title") }),
      h("p", { class: "c-lead", text: ct("trail.lead") }),
      active.length === 0 ? empty("trail.noGift") : h("div", { class: "c-chips-row" }, active.map((g) =>
        button(`${locale() === "fr" ? g.nameFr : g.nameEn} (${g.unitsSold})`, () => void openTrail(g), { "data-trail-gift": g.id, "aria-pressed": String(trailGift?.id === g.id) }))),
      trailGift ? trailOf(trailGift) : null,
    ]);
  }

  function trailOf(gift: NgoGiftView): HTMLElement {
    if (stepForm) stepForm.render();
    return h("div", { class: "c-trail", "data-gift-id": gift.id }, [
      steps === null ? h("p", { class: "c-loading", text: ct("app.loading") })
        : steps.length === 0 ? empty("trail.noStep")
        : table("trail-steps", [
          { label: "trail.stage", cell: (s) => ct(`trail.${s.stage}`) },
          { label: "trail.on", cell: (s) => when(s.happenedOn) },
          { label: "trail.covers", cell: (s) => when(s.coversPaidBefore, true) },
          { label: "trail.note", cell: (s) => pick(s.note) },
        ], steps),
      stepForm ? stepForm.root : null,
    ]);
  }

  void load();
  render();
  return { root, render };
}
