/**
 * Which language a public page is in: `?lang=fr|en` when given (a link
 * someone shared in one language stays in it), otherwise the browser's
 * Accept-Language, the most preferred of French and English by quality
 * (`en-GB;q=0.8` counts as English), otherwise French (Hameau's default).
 */
import type { Locale } from "../../shared/money.ts";

export const PAGE_LOCALES: readonly Locale[] = ["fr", "en"];
export const DEFAULT_LOCALE: Locale = "fr";

export function isLocale(value: unknown): value is Locale {
  return value === "fr" || value === "en";
}

/** The locale asked for by `?lang=`, or null when absent or anything else (a list, an unknown code). */
export function queryLocale(value: unknown): Locale | null {
  if (typeof value !== "string") return null;
  const v = value.trim().toLowerCase();
  return isLocale(v) ? v : null;
}

/** The preferred supported locale of an Accept-Language header, or null when it names neither. */
export function acceptedLocale(header: string | undefined): Locale | null {
  if (!header || header.length > 1000) return null;
  let best: { locale: Locale; q: number; index: number } | null = null;
  header.split(",").forEach((part, index) => {
    const [tag = "", ...params] = part.trim().split(";");
    const primary = tag.trim().toLowerCase().split("-")[0];
    if (!isLocale(primary)) return;
    let q = 1;
    for (const p of params) {
      if (!/^\s*q\s*=/i.test(p)) continue;
      // A weight that is not a number makes the entry unusable.
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
      q = m ? Number(m[1]) : Number.NaN;
    }
    if (!Number.isFinite(q) || q <= 0 || q > 1) return;
    if (!best || q > best.q) best = { locale: primary, q, index };
  });
  return (best as { locale: Locale } | null)?.locale ?? null;
}

export function pageLocale(query: { lang?: unknown }, acceptLanguage: string | undefined): Locale {
  return queryLocale(query.lang) ?? acceptedLocale(acceptLanguage) ?? DEFAULT_LOCALE;
}

/** The Open Graph locale of a page language (og:locale). */
export function ogLocale(locale: Locale): string {
  return locale === "fr" ? "fr_FR" : "en_GB";
}
