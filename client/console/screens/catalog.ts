/**
 * Catalog: the NGO's gifts (retired ones too) and projects. Editors create
 * and edit gifts (FR/EN texts, price in euros sent as cents, project, sprite,
 * stock, window, emergency) and retire them; the server's field errors show
 * under each field.
 */
import type { GiftCreateRequest, NgoGiftView, NgoProjectView } from "../../../shared/ngo-catalog.ts";
import { errorText, locale } from "../../i18n.ts";
import { ApiError } from "../../net/api.ts";
import { h, spriteUrl } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import { may, type NgoContext, type Screen } from "../context.ts";
import { centsText, ConsoleForm, type FieldSpec, type FormValues, localDateTime, read } from "../form.ts";
import { ct, euros, isConsoleKey } from "../i18n.ts";
import { ngoRoute } from "../sections.ts";
import { spritePicker } from "../sprite-picker.ts";
import { button, chip, empty, heading, problem, table } from "../view.ts";

type Mode = { kind: "list" } | { kind: "gift"; gift: NgoGiftView | null } | { kind: "project" };

export function catalogScreen(ctx: NgoContext): Screen {
  const root = h("section", { class: "c-screen", id: "catalog" });
  let gifts: NgoGiftView[] | null = null;
  let projects: NgoProjectView[] = [];
  let failure: unknown = null;
  let mode: Mode = { kind: "list" };
  let form: ConsoleForm | null = null;
  const canWrite = may(ctx, "editor");

  async function load(): Promise<void> {
    try {
      const [g, p] = await Promise.all([consoleApi.gifts(ctx.token, ctx.ngo.id), consoleApi.projects(ctx.token, ctx.ngo.id)]);
      gifts = g.gifts;
      projects = p.projects;
      failure = null;
    } catch (err) {
      failure = err;
    }
    render();
  }

  function open(next: Mode): void {
    mode = next;
    form = next.kind === "gift" ? giftForm(next.gift) : next.kind === "project" ? projectForm() : null;
    render();
    form?.root.querySelector<HTMLElement>("input, textarea, select")?.focus();
  }

  function giftForm(gift: NgoGiftView | null): ConsoleForm {
    const fields: Array<FieldSpec | FieldSpec[]> = [
      [{ name: "nameFr", label: "gift.nameFr", kind: "text", maxlength: 80 }, { name: "nameEn", label: "gift.nameEn", kind: "text", maxlength: 80 }],
      [{ name: "impactFr", label: "gift.impactFr", kind: "text", maxlength: 300, hint: "gift.impactHint" }, { name: "impactEn", label: "gift.impactEn", kind: "text", maxlength: 300 }],
      [{ name: "descriptionFr", label: "gift.descriptionFr", kind: "textarea", optional: true, maxlength: 1000 }, { name: "descriptionEn", label: "gift.descriptionEn", kind: "textarea", optional: true, maxlength: 1000 }],
      [
        { name: "priceCents", label: "gift.price", kind: "euros", hint: "gift.priceHint" },
        { name: "projectId", label: "gift.project", kind: "select", choices: () => projects.map((p) => ({ value: p.id, label: locale() === "fr" ? p.nameFr : p.nameEn })) },
      ],
      { name: "sprite", label: "gift.sprite", kind: "custom", control: spritePicker },
      [{ name: "stockLimit", label: "gift.stock", kind: "integer", optional: true, hint: "gift.stockHint" }],
      [{ name: "availableFrom", label: "gift.from", kind: "datetime", optional: true }, { name: "availableUntil", label: "gift.until", kind: "datetime", optional: true }],
      { name: "emergency", label: "gift.emergency", kind: "checkbox", hint: "gift.emergencyHint" },
    ];
    return new ConsoleForm({
      id: "gift-form",
      title: gift ? "gift.editTitle" : "gift.newTitle",
      fields,
      submit: gift ? "form.save" : "gift.create",
      initial: gift ? giftValues(gift) : { sprite: "seed-bag", projectId: projects[0]?.id ?? "" },
      cancel: () => open({ kind: "list" }),
      async send(values) {
        const body = giftBody(values);
        if (gift) await consoleApi.patchGift(ctx.token, ctx.ngo.id, gift.id, body);
        else await consoleApi.createGift(ctx.token, ctx.ngo.id, body);
        ctx.toast.show(() => ct(gift ? "gift.saved" : "gift.created"), "success");
        mode = { kind: "list" };
        form = null;
        await load();
      },
    });
  }

  function projectForm(): ConsoleForm {
    return new ConsoleForm({
      id: "project-form",
      title: "project.newTitle",
      fields: [
        [{ name: "nameFr", label: "project.nameFr", kind: "text", maxlength: 120 }, { name: "nameEn", label: "project.nameEn", kind: "text", maxlength: 120 }],
        { name: "country", label: "project.country", kind: "text", maxlength: 2, hint: "project.countryHint" },
      ],
      submit: "project.create",
      cancel: () => open({ kind: "list" }),
      async send(values) {
        await consoleApi.createProject(ctx.token, ctx.ngo.id, { nameFr: read.text(values.nameFr), nameEn: read.text(values.nameEn), country: read.text(values.country) });
        ctx.toast.show(() => ct("project.created"), "success");
        mode = { kind: "list" };
        form = null;
        await load();
      },
    });
  }

  async function retire(gift: NgoGiftView, retired: boolean): Promise<void> {
    if (retired && !confirm(ct("gift.retireConfirm", { name: giftName(gift) }))) return;
    try {
      if (retired) await consoleApi.retireGift(ctx.token, ctx.ngo.id, gift.id);
      else await consoleApi.restoreGift(ctx.token, ctx.ngo.id, gift.id);
      ctx.toast.show(() => ct(retired ? "gift.retired" : "gift.restored"), "success");
      await load();
    } catch (err) {
      ctx.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    }
  }

  function render(): void {
    const actions = canWrite && mode.kind === "list"
      ? [button(ct("gift.new"), () => open({ kind: "gift", gift: null }), { id: "new-gift", disabled: projects.length === 0 }, "c-primary"),
        button(ct("project.new"), () => open({ kind: "project" }), { id: "new-project" })]
      : [];
    const parts: Array<HTMLElement | null> = [heading("nav.catalog", actions, ct("catalog.lead"))];
    if (failure) parts.push(problem(failure));
    else if (gifts === null) parts.push(h("p", { class: "c-loading", text: ct("app.loading") }));
    else if (form) {
      form.render();
      parts.push(form.root);
    } else {
      if (gifts.some((g) => g.state === "ngo_payments_off")) parts.push(paymentsBanner());
      if (projects.length === 0) parts.push(empty(canWrite ? "catalog.noProjectWrite" : "catalog.noProject"));
      parts.push(giftsTable(gifts), projectsList());
    }
    root.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
  }

  function giftsTable(list: NgoGiftView[]): HTMLElement {
    if (list.length === 0) return empty("catalog.noGift");
    const projectName = (id: string) => {
      const p = projects.find((x) => x.id === id);
      return p ? (locale() === "fr" ? p.nameFr : p.nameEn) : "—";
    };
    return table("gifts", [
      { label: "gift.sprite", cell: (g) => h("img", { src: spriteUrl(g.sprite), alt: "", width: 36, height: 36, class: "c-gift-sprite" }) },
      { label: "gift.name", cell: (g) => h("span", {}, [h("strong", { text: giftName(g) }), g.emergency ? chip(ct("gift.emergencyChip"), "emergency") : ""]) },
      { label: "gift.price", cell: (g) => euros(g.priceCents, g.currency), numeric: true },
      { label: "gift.project", cell: (g) => projectName(g.projectId) },
      { label: "gift.sold", cell: (g) => (g.stockLimit === null ? String(g.unitsSold) : `${g.unitsSold} / ${g.stockLimit}`), numeric: true },
      { label: "gift.state", cell: (g) => chip(stateText(g.state), g.state) },
      {
        label: "table.actions",
        cell: (g) => !canWrite ? ""
          : g.retiredAt ? button(ct("gift.restore"), () => void retire(g, false), { "data-action": "restore" })
          : h("span", { class: "c-row-actions" }, [
            button(ct("form.edit"), () => open({ kind: "gift", gift: g }), { "data-action": "edit" }),
            button(ct("gift.retire"), () => void retire(g, true), { "data-action": "retire" }, "c-danger"),
          ]),
      },
    ], list, (g) => ({ "data-gift-slug": g.slug, "data-gift-id": g.id }));
  }

  function projectsList(): HTMLElement {
    return h("section", { class: "c-card", id: "projects" }, [
      h("h3", { text: ct("project.title") }),
      projects.length === 0 ? empty("catalog.noProject") : h("ul", { class: "c-list" }, projects.map((p) =>
        h("li", { "data-project-id": p.id }, [h("strong", { text: locale() === "fr" ? p.nameFr : p.nameEn }), ` · ${p.country}`]))),
    ]);
  }


  /** The NGO's account cannot take payments: its gifts are hidden from the shop until it can. */
  function paymentsBanner(): HTMLElement {
    return h("div", { class: "c-banner", id: "catalog-payments-hidden", role: "status" }, [
      h("span", { text: `${ct("payments.hidden")} ` }),
      h("a", { class: "c-link-button", href: ngoRoute(ctx.ngo.id, "payments"), id: "catalog-to-payments", text: ct(may(ctx, "admin") ? "payments.connect" : "nav.payments") }),
    ]);
  }
  void load();
  render();
  return { root, render };
}

function giftName(g: NgoGiftView): string {
  return locale() === "fr" ? g.nameFr : g.nameEn;
}

function stateText(state: NgoGiftView["state"]): string {
  const key = `gift.state.${state}`;
  return isConsoleKey(key) ? ct(key) : state;
}

function giftValues(g: NgoGiftView): FormValues {
  return {
    nameFr: g.nameFr, nameEn: g.nameEn, impactFr: g.impactFr, impactEn: g.impactEn,
    descriptionFr: g.descriptionFr, descriptionEn: g.descriptionEn,
    priceCents: centsText(g.priceCents, locale()), projectId: g.projectId, sprite: g.sprite,
    stockLimit: g.stockLimit === null ? "" : String(g.stockLimit),
    availableFrom: localDateTime(g.availableFrom), availableUntil: localDateTime(g.availableUntil), emergency: g.emergency,
  };
}

/** The form as a request body; what is not an amount or a number goes as typed, for the server to name. */
function giftBody(v: FormValues): GiftCreateRequest {
  return {
    nameFr: read.text(v.nameFr), nameEn: read.text(v.nameEn),
    impactFr: read.text(v.impactFr), impactEn: read.text(v.impactEn),
    descriptionFr: read.text(v.descriptionFr), descriptionEn: read.text(v.descriptionEn),
    priceCents: read.cents(v.priceCents) as number,
    projectId: read.text(v.projectId),
    sprite: read.text(v.sprite) as GiftCreateRequest["sprite"],
    stockLimit: read.optionalInteger(v.stockLimit) as number | null,
    availableFrom: read.instant(v.availableFrom),
    availableUntil: read.instant(v.availableUntil),
    emergency: read.bool(v.emergency),
  };
}
