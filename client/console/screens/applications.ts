/**
 * Applications (platform administrators only): NGOs waiting for review, with
 * their identity and their tax-receipt eligibility with its evidence; approve (optionally with the tax-receipt number prefix) or
 * reject with a note the NGO reads.
 */
import type { NgoApplicationView } from "../../../shared/ngo-accounts.ts";
import { NGO_STATUSES, type NgoStatus } from "../../../shared/ngo-roles.ts";
import { h } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import type { ConsoleContext, Screen } from "../context.ts";
import { ConsoleForm, read } from "../form.ts";
import { ct, when } from "../i18n.ts";
import { button, chip, empty, heading, problem } from "../view.ts";
import { eligibilityText } from "./tax-receipts-form.ts";

export function applicationsScreen(ctx: ConsoleContext): Screen {
  const root = h("section", { class: "c-screen", id: "applications" });
  let status: NgoStatus = "pending";
  let list: NgoApplicationView[] | null = null;
  let failure: unknown = null;
  const forms = new Map<string, ConsoleForm>();

  async function load(): Promise<void> {
    list = null;
    render();
    try {
      list = (await consoleApi.applications(ctx.token, status)).ngos;
      failure = null;
    } catch (err) {
      failure = err;
    }
    forms.clear();
    render();
  }

  function reviewForm(ngo: NgoApplicationView): ConsoleForm {
    let form = forms.get(ngo.id);
    if (form) return form;
    form = new ConsoleForm({
      id: `review-${ngo.id}`,
      fields: [[
        { name: "receiptPrefix", label: "review.prefix", kind: "text", optional: true, maxlength: 12, hint: "review.prefixHint" },
        { name: "note", label: "review.note", kind: "text", optional: true, maxlength: 1000, hint: "review.noteHint" },
      ]],
      submit: "review.approve",
      alternatives: ngo.status === "pending" ? [{ action: "reject", label: "review.reject", danger: true }] : [],
      async send(values, action) {
        if (action === "reject") await consoleApi.reject(ctx.token, ngo.id, { note: read.text(values.note) });
        else await consoleApi.approve(ctx.token, ngo.id, { note: read.optionalText(values.note), ...(read.optionalText(values.receiptPrefix) ? { receiptPrefix: read.text(values.receiptPrefix) } : {}) });
        ctx.toast.show(() => ct(action === "reject" ? "review.rejected" : "review.approved"), "success");
        await load();
        await ctx.reload();
      },
    });
    forms.set(ngo.id, form);
    return form;
  }

  function render(): void {
    const tabs = h("div", { class: "c-chips-row", role: "group", "aria-label": ct("review.status") }, NGO_STATUSES.map((s) =>
      button(ct(`status.${s}`), () => {
        status = s;
        void load();
      }, { "aria-pressed": String(s === status), "data-status": s })));
    const parts: HTMLElement[] = [heading("nav.applications", [], ct("review.lead")), tabs];
    if (failure) parts.push(problem(failure));
    else if (list === null) parts.push(h("p", { class: "c-loading", text: ct("app.loading") }));
    else if (list.length === 0) parts.push(empty("review.none"));
    else for (const ngo of list) parts.push(card(ngo));
    root.replaceChildren(...parts);
  }

  function card(ngo: NgoApplicationView): HTMLElement {
    const rows: Array<[Parameters<typeof ct>[0], string]> = [
      ["ngo.legalName", ngo.legalName], ["ngo.legalStatus", ngo.legalStatus], ["ngo.registration", ngo.registrationNumber ?? "—"],
      ["ngo.purpose", ngo.purpose], ["ngo.contactName", `${ngo.contactName} <${ngo.contactEmail}>`], ["ngo.website", ngo.website ?? "—"],
      ["ngo.address1", ngo.address ? [...ngo.address.addressLines, `${ngo.address.postalCode} ${ngo.address.city}`, ngo.address.country].join(", ") : "—"],
      ["ngo.signatoryName", [ngo.signatoryName, ngo.signatoryTitle].filter(Boolean).join(", ") || "—"],
      ["ngo.taxEligibility", eligibilityText(ngo.taxEligibility)],
      ["review.appliedBy", `${ngo.appliedBy?.name ?? "—"} · ${when(ngo.createdAt, true)}`],
    ];
    const form = ngo.status === "approved" ? null : reviewForm(ngo);
    form?.render();
    return h("article", { class: "c-card c-application", "data-ngo-id": ngo.id }, [
      h("h3", {}, [ngo.name, " ", chip(ct(`status.${ngo.status}`), ngo.status)]),
      h("dl", { class: "c-defs" }, rows.flatMap(([k, v]) => [h("dt", { text: ct(k) }), h("dd", { text: v })])),
      ngo.reviewNote ? h("p", { class: "c-hint", text: ct("settings.reviewNote", { note: ngo.reviewNote }) }) : null,
      form ? form.root : null,
    ]);
  }

  void load();
  return { root, render };
}
