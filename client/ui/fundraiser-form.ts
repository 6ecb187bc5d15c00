/**
 * The form that starts or edits my fundraiser: the campaign (when starting:
 * the running ones), a title, a goal in euros, a message, and two choices off
 * by default (list it on the campaign, show my name). Editing also offers
 * "Close this fundraiser". The server checks everything again (shared/fundraisers.ts);
 * its field errors show under their fields.
 */
import type { PublicCampaign } from "../../shared/campaigns.ts";
import {
  FUNDRAISER_GOAL_MAX_CENTS, FUNDRAISER_GOAL_MIN_CENTS, FUNDRAISER_MESSAGE_MAX, FUNDRAISER_TITLE_MAX, type MyFundraiser,
} from "../../shared/fundraisers.ts";
import { errorText, pick, t } from "../i18n.ts";
import { h } from "./element.ts";

export interface FormState {
  editing: MyFundraiser | null;
  /** Running campaigns to choose from (null while loading). */
  campaigns: PublicCampaign[] | null;
  /** The campaign chosen beforehand (from the campaigns panel), if any. */
  campaignId: string | null;
  busy: boolean;
  problem: string | null;
  fields: Record<string, string>;
  /** What was typed, kept when the server refuses it. */
  typed?: FormValues;
}

export interface FormValues {
  campaignId: string;
  title: string;
  goalCents: number;
  message: string;
  listed: boolean;
  showName: boolean;
}

function field(id: string, label: string, control: HTMLElement, error: string | undefined, hint?: string): HTMLElement {
  if (error) {
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", `${id}-error`);
  }
  return h("div", { class: "donor-field fundraiser-field" }, [
    h("label", { for: id, text: label }),
    control,
    hint ? h("p", { class: "field-hint", text: hint }) : null,
    error ? h("p", { class: "field-error", id: `${id}-error`, text: error }) : null,
  ]);
}

export function fundraiserForm(state: FormState): HTMLElement {
  const f = state.editing;
  const v = state.typed;
  const running = (state.campaigns ?? []).filter((c) => c.phase === "running");
  const campaignChoice = f
    ? h("p", { class: "fundraiser-campaign", text: t("fundraiser.forCampaign", { campaign: pick(f.campaign.title), ngo: f.campaign.ngoName }) })
    : field("fundraiser-field-campaign", t("fundraiser.form.campaign"), h("select", { id: "fundraiser-field-campaign", name: "campaignId", required: true }, [
      ...(state.campaigns === null ? [h("option", { value: "", text: t("fundraiser.form.loading") })] : []),
      ...running.map((c) => {
        const option = h("option", { value: c.id, text: `${pick(c.title)} — ${c.ngo.name}` });
        if (c.id === (v?.campaignId || state.campaignId)) option.selected = true;
        return option;
      }),
    ]), state.fields.campaignId);
  const noCampaign = !f && state.campaigns !== null && running.length === 0;
  const listed = h("input", { type: "checkbox", id: "fundraiser-field-listed", name: "listed" });
  listed.checked = v?.listed ?? f?.listed ?? false;
  const showName = h("input", { type: "checkbox", id: "fundraiser-field-show-name", name: "showName" });
  showName.checked = v?.showName ?? f?.showName ?? false;
  const message = h("textarea", { id: "fundraiser-field-message", name: "message", rows: 4, maxlength: FUNDRAISER_MESSAGE_MAX });
  message.value = v?.message ?? f?.message ?? "";
  return h("form", { class: "receipts-part fundraiser-form donor-form", id: "fundraiser-form", novalidate: true }, [
    h("p", { class: "receipts-lead", text: t("fundraiser.form.lead") }),
    h("fieldset", { disabled: state.busy || noCampaign }, [
      campaignChoice,
      field("fundraiser-field-title", t("fundraiser.form.title"), h("input", {
        id: "fundraiser-field-title", name: "title", required: true, maxlength: FUNDRAISER_TITLE_MAX, value: v?.title ?? f?.title ?? "", autocomplete: "off",
      }), state.fields.title),
      field("fundraiser-field-goal", t("fundraiser.form.goal"), h("input", {
        id: "fundraiser-field-goal", name: "goal", type: "number", inputmode: "numeric", required: true,
        min: FUNDRAISER_GOAL_MIN_CENTS / 100, max: FUNDRAISER_GOAL_MAX_CENTS / 100, step: 1, value: v ? (Number.isFinite(v.goalCents) ? String(v.goalCents / 100) : "") : f ? String(f.goalCents / 100) : "100",
      }), state.fields.goalCents, t("fundraiser.form.goalHint")),
      field("fundraiser-field-message", t("fundraiser.form.message"), message, state.fields.message, t("fundraiser.form.messageHint")),
      h("label", { class: "recipient-name fundraiser-choice", for: "fundraiser-field-listed" }, [listed, h("span", { text: t("fundraiser.form.listed") })]),
      h("label", { class: "recipient-name fundraiser-choice", for: "fundraiser-field-show-name" }, [showName, h("span", { text: t("fundraiser.form.showName") })]),
    ]),
    noCampaign ? h("p", { class: "fundraiser-status", text: t("fundraiser.form.noCampaign") }) : null,
    state.problem ? h("p", { class: "receipts-problem", role: "alert", text: errorText(state.problem) }) : null,
    h("button", {
      type: "submit", class: "give receipts-primary", id: "fundraiser-submit", disabled: state.busy || noCampaign, "aria-busy": state.busy ? "true" : undefined,
      text: t(state.busy ? "fundraiser.form.busy" : f ? "fundraiser.form.save" : "fundraiser.form.start"),
    }),
    f && f.status !== "closed"
      ? h("button", { type: "button", class: "secondary-button fundraiser-close", id: "fundraiser-close", disabled: state.busy, text: t("fundraiser.form.close") })
      : null,
  ]);
}

/** Reads the form; the goal is typed in euros and sent in cents. */
export function formValues(form: HTMLFormElement, state: FormState): FormValues {
  const data = new FormData(form);
  const euros = Number(String(data.get("goal") ?? "").replace(",", "."));
  return {
    campaignId: state.editing?.campaign.id ?? String(data.get("campaignId") ?? ""),
    title: String(data.get("title") ?? ""),
    goalCents: Number.isFinite(euros) ? Math.round(euros * 100) : NaN,
    message: String(data.get("message") ?? ""),
    listed: data.get("listed") !== null,
    showName: data.get("showName") !== null,
  };
}
