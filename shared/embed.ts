/**
 * The embeddable widget: the NGO's declared sites (the request schema and
 * the one rule that normalises an origin), the widget's sizes and languages,
 * and the snippets the console hands out. Pure: the server and the console
 * compile against the same definitions.
 */
import { z } from "zod";
import type { Locale } from "./money.ts";

/** At most this many declared sites per NGO (the widget page's frame-ancestors lists them all). */
export const EMBED_SITES_MAX = 20;
const SITE_TEXT_MAX = 300;

/** PUT /api/ngos/:ngoId/embed-sites: the whole list (it replaces the one stored). */
export const EmbedSitesRequest = z
  .object({
    sites: z
      .array(z.string({ error: "each site must be text" }).max(SITE_TEXT_MAX, { error: `a site has at most ${SITE_TEXT_MAX} characters` }), {
        error: "sites must be a list of website addresses",
      })
      .max(EMBED_SITES_MAX, { error: `at most ${EMBED_SITES_MAX} sites` }),
  })
  .strict();
export type EmbedSitesRequest = z.input<typeof EmbedSitesRequest>;

export interface EmbedSitesResponse {
  /** Normalised origins, sorted. */
  sites: string[];
}

export type OriginResult = { ok: true; origin: string } | { ok: false; message: string };

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** A host name (letters, digits, hyphens, dots; punycode for the rest), an IPv4 address or a bracketed IPv6 one. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$|^\[[0-9a-f:.]+\]$/;

/**
 * One declared site as an origin: `https://host[:port]`, lower case, the default port dropped.
 * A bare host gets https://; a path, query or fragment is dropped (the site is the whole origin).
 * Refused: anything but https (http only for a loopback host, when `loopbackHttp`, for local
 * testing), user names or passwords, wildcards and anything that is not a host.
 */
export function normaliseOrigin(raw: string, opts: { loopbackHttp?: boolean } = {}): OriginResult {
  const text = raw.trim();
  if (text === "") return { ok: false, message: "the site is empty" };
  if (/[\s\u0000-\u001f\u007f*]/.test(text)) return { ok: false, message: "a site has no spaces, control characters or wildcards" };
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: "this is not a website address" };
  }
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback && opts.loopbackHttp)) {
    return { ok: false, message: "the site must be an https:// address" };
  }
  if (url.username || url.password) return { ok: false, message: "a site has no user name or password" };
  if (!HOST.test(url.hostname)) return { ok: false, message: "this is not a website address" };
  if (!url.hostname.includes(".") && !loopback) return { ok: false, message: "the site needs a full domain name (e.g. example.org)" };
  return { ok: true, origin: url.origin };
}

export const EMBED_SIZES = ["small", "medium", "large"] as const;
export type EmbedSize = (typeof EMBED_SIZES)[number];

/** The iframe's height per size (px); its width follows the page (the widget adapts down to 240 px). */
export const EMBED_HEIGHTS: Record<EmbedSize, number> = { small: 140, medium: 220, large: 320 };

export function embedSizeOf(value: unknown): EmbedSize {
  return EMBED_SIZES.includes(value as EmbedSize) ? (value as EmbedSize) : "medium";
}

export interface EmbedOptions {
  /** Hameau's public origin, e.g. https://hameau.example.org. */
  base: string;
  campaignId: string;
  size: EmbedSize;
  /** Null: the visitor's browser language. */
  lang: Locale | null;
}

/** The widget page's address. */
export function embedUrl(o: EmbedOptions): string {
  const q = new URLSearchParams({ size: o.size });
  if (o.lang) q.set("lang", o.lang);
  return `${o.base}/embed/campaigns/${encodeURIComponent(o.campaignId)}?${q}`;
}

const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The iframe snippet an NGO pastes into its website. */
export function iframeSnippet(o: EmbedOptions & { title: string }): string {
  return `<iframe src="${attr(embedUrl(o))}" title="${attr(o.title)}" width="100%" height="${EMBED_HEIGHTS[o.size]}" `
    + `style="border:0;max-width:520px" loading="lazy"></iframe>`;
}

/** Labels of the script snippet's markup, in the snippet's language. */
const SCRIPT_LABELS: Record<Locale, { of: string; donors: string; matched: string }> = {
  fr: { of: "sur", donors: "donateurs :", matched: "ajoutés par les mécènes" },
  en: { of: "of", donors: "donors:", matched: "matched by sponsors" },
};

/**
 * The script alternative: markup the NGO styles itself, kept up to date by /embed/live.js
 * (the markup contract in shared/campaign-live.ts).
 */
export function scriptSnippet(o: Omit<EmbedOptions, "size">): string {
  const lang: Locale = o.lang ?? "fr";
  const l = SCRIPT_LABELS[lang];
  const id = attr(o.campaignId);
  return [
    `<div data-campaign-live="${id}" lang="${lang}">`,
    `  <div style="background:#e5e7eb;border-radius:6px;height:12px;overflow:hidden">`,
    `    <div data-live="bar" style="background:#2f7d32;height:100%;width:0"></div>`,
    `  </div>`,
    `  <p><strong data-live="raised"></strong> ${l.of} <span data-live="goal"></span> · <span data-live="percent"></span>`,
    `    · ${l.donors} <span data-live="donors"></span></p>`,
    `  <p data-show-matched>+ <span data-live="matched"></span> ${l.matched}</p>`,
    `</div>`,
    `<script src="${attr(o.base)}/embed/live.js" async></script>`,
  ].join("\n");
}
