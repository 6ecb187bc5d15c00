/**
 * Sharing: the public link of what is shared (campaign, village, gift, NGO,
 * fundraiser) with the sharer's referral code and the channel, and the ready
 * message of each channel (Facebook, X, WhatsApp, e-mail, copy, the Web Share
 * API). Pure functions: the share kit (client/ui/share-kit.ts) and the tests
 * use them; the NGO's own texts (share-messages.ts) replace the defaults here.
 *
 * Links: `<base>/c/<id>?r=<code>&ch=<channel>` (see docs/accounts-and-social.md).
 * A code is 4–16 letters or digits; a player who turned referrals off shares
 * links without one.
 */

export const SHARE_CHANNELS = ["facebook", "x", "whatsapp", "email", "copy", "native", "widget", "page"] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];

/** A referral code: 4 to 16 ASCII letters or digits. */
export const REFERRAL_CODE = /^[A-Za-z0-9]{4,16}$/;

export function isReferralCode(v: unknown): v is string {
  return typeof v === "string" && REFERRAL_CODE.test(v);
}

export function isShareChannel(v: unknown): v is ShareChannel {
  return typeof v === "string" && (SHARE_CHANNELS as readonly string[]).includes(v);
}

/** What a link came with: the sharer's code and where it was shared. */
export interface Referral {
  code: string;
  channel: ShareChannel;
}

/**
 * The referral in a query string (`r`, `ch`), or null when there is no valid code. A missing or
 * unknown channel counts as "copy" (a link pasted by hand).
 */
export function referralFromQuery(search: string | URLSearchParams): Referral | null {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const code = params.get("r");
  if (!isReferralCode(code)) return null;
  const ch = params.get("ch");
  return { code, channel: isShareChannel(ch) ? ch : "copy" };
}

export type ShareKind = "campaign" | "village" | "gift" | "ngo" | "fundraiser";

export interface ShareTarget {
  kind: ShareKind;
  /** The id (or slug, for an NGO or a village) in the public URL. */
  id: string;
}

const PATH_PREFIX: Record<ShareKind, string> = { campaign: "c", village: "v", gift: "g", ngo: "n", fundraiser: "f" };

/** The public page of what is shared: /c/<id>, /v/<id>, /g/<id>, /n/<id>, /f/<id>. */
export function publicPath(target: ShareTarget): string {
  return `/${PATH_PREFIX[target.kind]}/${encodeURIComponent(target.id)}`;
}

/**
 * The link to share: the public page on `base` (an origin such as https://hameau.example), with the
 * code and the channel when there is a code (none: a player who turned referrals off).
 */
export function shareUrl(base: string, target: ShareTarget, code: string | null, channel: ShareChannel): string {
  const url = `${base.replace(/\/+$/, "")}${publicPath(target)}`;
  if (!code || !isReferralCode(code)) return url;
  return `${url}?r=${code}&ch=${channel}`;
}

export type ShareLang = "fr" | "en";

/** The texts of one language. An empty field takes the default (or, for a channel, the general text). */
export interface ShareTexts {
  /** The general message: the Web Share API, copy, and each channel that has none of its own. */
  text: string;
  x: string;
  whatsapp: string;
  emailSubject: string;
  emailBody: string;
}

export type ShareMessages = Record<ShareLang, ShareTexts>;

export const SHARE_TEXT_FIELDS = ["text", "x", "whatsapp", "emailSubject", "emailBody"] as const satisfies ReadonlyArray<keyof ShareTexts>;

export const EMPTY_SHARE_TEXTS: ShareTexts = { text: "", x: "", whatsapp: "", emailSubject: "", emailBody: "" };

/** X counts at most 280, any link as 23 (t.co), plus the space before it: 256 for the text. */
export const X_LIMIT = 280;
export const X_LINK_WEIGHT = 23;
export const X_TEXT_MAX = X_LIMIT - X_LINK_WEIGHT - 1;

/** Longest texts an NGO may write (characters; X by its own weighted count). */
export const SHARE_TEXT_MAX: Record<keyof ShareTexts, number> = { text: 500, x: X_TEXT_MAX, whatsapp: 1000, emailSubject: 150, emailBody: 1500 };

/**
 * The length of a text as X counts it: 1 for Latin, Greek, Cyrillic and common punctuation,
 * 2 for other characters (CJK, emoji…), per code point (twitter-text's weighting, simplified).
 */
export function xWeight(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const light = cp <= 0x10ff || (cp >= 0x2000 && cp <= 0x200d) || (cp >= 0x2010 && cp <= 0x201f) || (cp >= 0x2032 && cp <= 0x2037);
    n += light ? 1 : 2;
  }
  return n;
}

const ELLIPSIS_WEIGHT = 2;

/** Cuts a text to at most `max` by X's weighting, ending with "…" when it was cut. */
export function fitForX(text: string, max = X_TEXT_MAX): string {
  if (xWeight(text) <= max) return text;
  let out = "";
  let weight = 0;
  for (const ch of text) {
    const w = xWeight(ch);
    if (weight + w > max - ELLIPSIS_WEIGHT) break;
    out += ch;
    weight += w;
  }
  return `${out.trimEnd()}…`;
}

/** What the default messages talk about. */
export interface ShareSubject {
  kind: ShareKind;
  /** The campaign's or gift's title, the village's or NGO's name. */
  title: string;
  /** The NGO behind it ("" when none, e.g. a village). */
  ngoName: string;
}

/** The default texts of a language, for what is shared. */
export function defaultTexts(subject: ShareSubject, lang: ShareLang): ShareTexts {
  const { title, ngoName } = subject;
  const by = ngoName ? (lang === "fr" ? ` avec ${ngoName}` : ` with ${ngoName}`) : "";
  const text = lang === "fr"
    ? {
      campaign: `Je soutiens « ${title} »${by} sur Hameau. Chaque cadeau est un vrai don : rejoins-moi !`,
      village: `Viens voir mon village « ${title} » sur Hameau : on y fait pousser des dons bien réels.`,
      gift: `« ${title} »${by} : un vrai don qui devient un cadeau dans ton village Hameau.`,
      ngo: `Découvre ${title} sur Hameau et offre un cadeau qui compte vraiment.`,
      fundraiser: `Je collecte pour « ${title} »${by} sur Hameau. Un petit cadeau fait une grande différence !`,
    }[subject.kind]
    : {
      campaign: `I'm supporting "${title}"${by} on Hameau. Every gift is a real donation: join me!`,
      village: `Come and see my village "${title}" on Hameau, where real donations grow.`,
      gift: `"${title}"${by}: a real donation that becomes a gift in your Hameau village.`,
      ngo: `Discover ${title} on Hameau and give a gift that truly counts.`,
      fundraiser: `I'm raising money for "${title}"${by} on Hameau. A small gift makes a big difference!`,
    }[subject.kind];
  const emailSubject = lang === "fr" ? `Un cadeau pour « ${title} » ?` : `A gift for "${title}"?`;
  const emailBody = lang === "fr"
    ? `Bonjour,\n\n${text}\n\nÇa se passe ici :`
    : `Hello,\n\n${text}\n\nIt's here:`;
  return { text, x: text, whatsapp: text, emailSubject, emailBody };
}

/**
 * The texts to use: the NGO's (or anyone's) own where written, else the general text for a
 * channel, else the defaults.
 */
export function resolveTexts(own: Partial<ShareTexts> | undefined, defaults: ShareTexts): ShareTexts {
  const pick = (k: keyof ShareTexts) => (own?.[k] ?? "").trim();
  const text = pick("text") || defaults.text;
  const general = pick("text");
  return {
    text,
    x: pick("x") || general || defaults.x,
    whatsapp: pick("whatsapp") || general || defaults.whatsapp,
    emailSubject: pick("emailSubject") || defaults.emailSubject,
    emailBody: pick("emailBody") || (general ? `${general}` : defaults.emailBody),
  };
}

/** A mailto body stays well under the ~2,000 characters mail programs and browsers accept in a link. */
export const EMAIL_BODY_MAX = 1500;

/** RFC 6068: percent-encoded UTF-8, line breaks as CRLF, spaces as %20 (never "+"). */
function mailtoPart(s: string): string {
  return encodeURIComponent(s.replace(/\r?\n/g, "\r\n"));
}

export interface ShareLink {
  channel: ShareChannel;
  /** Where the button goes (or, for copy and native, the link itself). */
  href: string;
  /** The message that goes with the link. */
  text: string;
  /** The link shared on that channel (with its code and channel). */
  url: string;
}

/**
 * The ready link of each channel for what is shared: every URL carries the code with its own
 * channel, so the sharer's and the NGO's totals say which channel brought a gift.
 */
export function shareLinks(base: string, target: ShareTarget, code: string | null, texts: ShareTexts): Record<"facebook" | "x" | "whatsapp" | "email" | "copy" | "native", ShareLink> {
  const url = (channel: ShareChannel) => shareUrl(base, target, code, channel);
  const fb = url("facebook");
  const x = url("x");
  const xText = fitForX(texts.x);
  const wa = url("whatsapp");
  const mail = url("email");
  const body = `${texts.emailBody.slice(0, EMAIL_BODY_MAX)}\n${mail}`;
  const copy = url("copy");
  const native = url("native");
  return {
    facebook: { channel: "facebook", href: `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(fb)}`, text: texts.text, url: fb },
    x: { channel: "x", href: `https://x.com/intent/post?text=${encodeURIComponent(xText)}&url=${encodeURIComponent(x)}`, text: xText, url: x },
    whatsapp: { channel: "whatsapp", href: `https://wa.me/?text=${encodeURIComponent(`${texts.whatsapp} ${wa}`)}`, text: texts.whatsapp, url: wa },
    email: { channel: "email", href: `mailto:?subject=${mailtoPart(texts.emailSubject)}&body=${mailtoPart(body)}`, text: body, url: mail },
    copy: { channel: "copy", href: copy, text: texts.text, url: copy },
    native: { channel: "native", href: native, text: texts.text, url: native },
  };
}
