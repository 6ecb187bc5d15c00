/**
 * Referrals and the NGO's share messages: request schemas (zod) and the
 * response shapes both sides compile against. The rules of links and
 * messages are in share.ts; attribution is done by the database at
 * fulfilment (migration 0017, see docs/accounts-and-social.md).
 */
import { z } from "zod";
import type { Translated } from "./api.ts";
import type { Currency } from "./money.ts";
import {
  isReferralCode, isShareChannel, type Referral, SHARE_TEXT_FIELDS, SHARE_TEXT_MAX, type ShareChannel, type ShareMessages, type ShareTexts, X_TEXT_MAX, xWeight,
} from "./share.ts";
import { checkText } from "./text.ts";

/**
 * CheckoutRequest.referral: what the browser kept from a shared link. Never a reason to refuse a
 * checkout: anything malformed (a code that is not 4–16 letters or digits, not an object) is
 * ignored (null); an unknown channel counts as "copy".
 */
export const ReferralInput = z
  .object({ code: z.string().max(64), channel: z.string().max(32).optional() })
  .optional()
  .catch(undefined)
  .transform((r): Referral | null => (r && isReferralCode(r.code) ? { code: r.code, channel: isShareChannel(r.channel) ? r.channel : "copy" } : null));

/** An unknown field is named; any other problem of the object gets its message. */
const objectError = (message: string) => (issue: { code?: string; keys?: string[] }) =>
  issue.code === "unrecognized_keys" ? `unknown field${issue.keys && issue.keys.length > 1 ? "s" : ""}: ${(issue.keys ?? []).join(", ")}` : message;

const LANG_LABEL = { fr: "French", en: "English" } as const;
const FIELD_LABEL: Record<keyof ShareTexts, string> = {
  text: "message", x: "X message", whatsapp: "WhatsApp message", emailSubject: "e-mail subject", emailBody: "e-mail text",
};

const textField = (lang: "fr" | "en", field: keyof ShareTexts) => {
  const label = `the ${LANG_LABEL[lang]} ${FIELD_LABEL[field]}`;
  const max = SHARE_TEXT_MAX[field];
  let s = z.string({ error: `${label} must be text` }).trim();
  if (field !== "x") s = s.max(max, { error: `${label} has at most ${max} characters` });
  return s
    .superRefine(checkText(label, field === "emailSubject" ? "line" : "paragraph"))
    .superRefine((v, ctx) => {
      if (field === "x" && xWeight(v) > X_TEXT_MAX) {
        ctx.addIssue({ code: "custom", message: `${label} is too long for X: ${xWeight(v)} of ${X_TEXT_MAX} characters (the link takes the rest of 280)` });
      }
    })
    .default("");
};
const langTexts = (lang: "fr" | "en") =>
  z.object(Object.fromEntries(SHARE_TEXT_FIELDS.map((f) => [f, textField(lang, f)])) as Record<keyof ShareTexts, ReturnType<typeof textField>>, {
    error: objectError(`${lang} must be an object of texts (${SHARE_TEXT_FIELDS.join(", ")})`),
  }).strict().default({ text: "", x: "", whatsapp: "", emailSubject: "", emailBody: "" });

/**
 * PUT /api/ngos/:ngoId/campaigns/:campaignId/share-messages: the whole set (an empty text takes
 * the default). Texts are paragraphs (line breaks allowed) but the e-mail subject is one line.
 */
export const ShareMessagesRequest = z.object({ fr: langTexts("fr"), en: langTexts("en") }, { error: objectError("the body must be { fr, en }") }).strict();
export type ShareMessagesRequest = z.input<typeof ShareMessagesRequest>;

export interface ShareMessagesResponse {
  campaignId: string;
  /** As the NGO wrote them ("" where it kept the default). */
  messages: ShareMessages;
}

/** GET /api/me/referrals: what my links brought, per campaign (counts only, never who gave). */
export interface MyReferralsResponse {
  /** My code, or null while I turned referrals off (my links then carry none). */
  code: string | null;
  enabled: boolean;
  campaigns: Array<{ campaignId: string; title: Translated; gifts: number; donations: number }>;
  totalGifts: number;
}

export interface ReferralTotals {
  /** Paid orders attributed (net of those fully refunded or lost in a dispute). */
  donations: number;
  /** Gift units of the campaign in them. */
  gifts: number;
  /** What those gifts of the campaign raised. */
  raisedCents: number;
}

/** GET /api/ngos/:ngoId/referrals: per campaign and channel, totals only. */
export interface NgoReferralsResponse {
  campaigns: Array<ReferralTotals & {
    campaignId: string;
    title: Translated;
    currency: Currency;
    channels: Array<ReferralTotals & { channel: ShareChannel }>;
  }>;
}
