/**
 * The campaign screen's sharing part: what players' share links brought to
 * this campaign (totals per channel, never who shared or gave; GET
 * /api/ngos/:ngoId/referrals) and the suggested share messages the NGO
 * edits (FR/EN, a general text and per-channel texts; empty keeps the
 * default shown as a placeholder; PUT …/campaigns/:id/share-messages).
 */
import type { CampaignView } from "../../shared/campaigns.ts";
import type { NgoReferralsResponse, ShareMessagesRequest, ShareMessagesResponse } from "../../shared/referrals.ts";
import { SHARE_TEXT_FIELDS, type ShareLang, type ShareMessages, type ShareTexts } from "../../shared/share.ts";
import { request } from "../net/api.ts";
import { h } from "../ui/element.ts";
import { may, type NgoContext } from "./context.ts";
import { ConsoleForm, type FieldSpec, type FormValues, read } from "./form.ts";
import { ct, type ConsoleKey, euros } from "./i18n.ts";
import { button, empty, problem, table } from "./view.ts";

const ngoPath = (ngoId: string, rest: string) => `/api/ngos/${encodeURIComponent(ngoId)}${rest}`;
export const sharingApi = {
  referrals: (token: string, ngoId: string) => request<NgoReferralsResponse>("GET", ngoPath(ngoId, "/referrals"), { token }),
  messages: (token: string, ngoId: string, campaignId: string) =>
    request<ShareMessagesResponse>("GET", ngoPath(ngoId, `/campaigns/${encodeURIComponent(campaignId)}/share-messages`), { token }),
  saveMessages: (token: string, ngoId: string, campaignId: string, body: ShareMessagesRequest) =>
    request<ShareMessagesResponse>("PUT", ngoPath(ngoId, `/campaigns/${encodeURIComponent(campaignId)}/share-messages`), { token, body }),
};

const LANGS: ShareLang[] = ["fr", "en"];
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const fieldName = (lang: ShareLang, field: keyof ShareTexts) => `${lang}${cap(field)}`;

/** One per campaign screen: its root stays in place while the screen re-renders around it. */
export class CampaignSharing {
  readonly root: HTMLElement;
  private readonly ctx: NgoContext;
  private campaign: CampaignView;
  private totals: NgoReferralsResponse["campaigns"][number] | null = null;
  private messages: ShareMessages | null = null;
  private failure: unknown = null;
  private form: ConsoleForm | null = null;

  constructor(ctx: NgoContext, campaign: CampaignView) {
    this.ctx = ctx;
    this.campaign = campaign;
    this.root = h("div", { class: "c-sharing", id: "campaign-sharing" });
    void this.load();
  }

  get campaignId(): string {
    return this.campaign.id;
  }

  async load(): Promise<void> {
    try {
      const [referrals, messages] = await Promise.all([
        sharingApi.referrals(this.ctx.token, this.ctx.ngo.id),
        sharingApi.messages(this.ctx.token, this.ctx.ngo.id, this.campaign.id),
      ]);
      this.totals = referrals.campaigns.find((c) => c.campaignId === this.campaign.id) ?? null;
      this.messages = messages.messages;
      this.failure = null;
    } catch (err) {
      this.failure = err;
    }
    this.render();
  }

  render(): void {
    if (this.failure) {
      this.root.replaceChildren(h("section", { class: "c-card" }, [problem(this.failure)]));
      return;
    }
    this.root.replaceChildren(this.referralsCard(), this.messagesCard());
  }

  private referralsCard(): HTMLElement {
    const t = this.totals;
    const body = !this.campaign.publishedAt
      ? empty("sharing.referralsDraft")
      : !t || t.donations === 0
        ? empty("sharing.referralsNone")
        : h("div", {}, [
          h("p", { class: "c-sharing-total", id: "referral-total", text: ct("sharing.referralsTotal", { gifts: t.gifts, donations: t.donations, amount: euros(t.raisedCents, t.currency) }) }),
          table("referral-channels", [
            { label: "sharing.channel", cell: (r) => ct(`sharing.channel.${r.channel}` as ConsoleKey) },
            { label: "sharing.donations", cell: (r) => String(r.donations), numeric: true },
            { label: "sharing.gifts", cell: (r) => String(r.gifts), numeric: true },
            { label: "sharing.raised", cell: (r) => euros(r.raisedCents, t.currency), numeric: true },
          ], t.channels, (r) => ({ "data-channel": r.channel })),
        ]);
    return h("section", { class: "c-card", id: "campaign-referrals" }, [
      h("h3", { text: ct("sharing.referrals") }),
      body,
      h("p", { class: "c-hint", text: ct("sharing.referralsPrivacy") }),
    ]);
  }

  private messagesCard(): HTMLElement {
    const canWrite = may(this.ctx, "editor");
    const m = this.messages;
    const parts: Array<HTMLElement | null> = [h("h3", { text: ct("sharing.messages") }), h("p", { class: "c-hint", text: ct("sharing.messagesLead") })];
    if (this.form) parts.push(this.form.root);
    else if (m) {
      parts.push(h("dl", { class: "c-share-messages", id: "share-messages" }, LANGS.flatMap((lang) => [
        h("dt", { text: ct(`sharing.lang.${lang}` as ConsoleKey) }),
        h("dd", { "data-lang": lang, text: m[lang].text || ct("sharing.defaultUsed") }),
      ])));
      if (canWrite) parts.push(button(ct("sharing.edit"), () => this.openForm(), { id: "edit-share-messages" }));
    }
    return h("section", { class: "c-card", id: "campaign-share-messages" }, parts);
  }

  private openForm(): void {
    const m = this.messages;
    if (!m) return;
    const initial: FormValues = {};
    for (const lang of LANGS) for (const f of SHARE_TEXT_FIELDS) initial[fieldName(lang, f)] = m[lang][f];
    const spec = (lang: ShareLang, f: keyof ShareTexts): FieldSpec => ({
      name: fieldName(lang, f), label: `sharing.field.${f}.${lang}` as ConsoleKey, kind: f === "emailSubject" ? "text" : "textarea", optional: true,
      ...(f === "text" ? { hint: "sharing.textHint" as const } : f === "x" ? { hint: "sharing.xHint" as const } : {}),
    });
    this.form = new ConsoleForm({
      id: "share-messages-form",
      fields: SHARE_TEXT_FIELDS.map((f) => LANGS.map((lang) => spec(lang, f))),
      submit: "form.save",
      initial,
      // The API answers "fr.x"; the field is "frX".
      fieldOf: (path) => {
        const [lang, f] = path.split(".");
        return lang && f ? `${lang}${cap(f)}` : undefined;
      },
      cancel: () => {
        this.form = null;
        this.render();
      },
      send: async (values) => {
        const body = Object.fromEntries(LANGS.map((lang) => [lang, Object.fromEntries(SHARE_TEXT_FIELDS.map((f) => [f, read.text(values[fieldName(lang, f)])]))]));
        const saved = await sharingApi.saveMessages(this.ctx.token, this.ctx.ngo.id, this.campaign.id, body as ShareMessagesRequest);
        this.messages = saved.messages;
        this.form = null;
        this.ctx.toast.show(() => ct("sharing.saved"), "success");
        this.render();
      },
    });
    this.render();
    this.form.root.querySelector<HTMLElement>("textarea, input")?.focus();
  }
}
