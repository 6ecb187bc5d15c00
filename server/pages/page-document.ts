/**
 * The frame every public page shares: <head> with the title, description,
 * canonical URL, hreflang alternates, Open Graph and Twitter card tags (so a
 * link pasted into a chat or a social network previews with its card), the
 * stylesheet, and a body with the site header (brand, language switch), the
 * page's content and the footer. Readable without JavaScript; a page may add
 * deferred scripts that only improve it.
 */
import type { Locale } from "../../shared/money.ts";
import { type Html, html } from "./html.ts";
import { PAGE_LOCALES, ogLocale } from "./page-language.ts";
import { stringsFor } from "./page-strings.ts";

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

export interface PageMeta {
  title: string;
  description: string;
  /** The page's path, no query ("/c/<id>"). */
  path: string;
  /** The share image's path with its query ("/c/<id>/card.png?lang=fr&v=…"). */
  image: string;
  imageAlt: string;
  /** og:type. */
  type?: "website" | "article" | "profile";
}

export interface PageContext {
  locale: Locale;
  /** The site's public origin, no trailing slash ("https://hameau.example"). */
  origin: string;
  /** Query parameters a language switch keeps (the referral's r and ch). */
  keep?: Record<string, string | undefined>;
}

/** The page's address in one language: `?lang=` makes it the same whatever the browser says. */
export function localizedUrl(ctx: Pick<PageContext, "origin">, path: string, locale: Locale, keep: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams({ lang: locale });
  for (const [k, v] of Object.entries(keep)) if (v !== undefined) q.set(k, v);
  return `${ctx.origin}${path}?${q.toString()}`;
}

/** The meta tags of a page (its <head> without charset, viewport and stylesheet). */
export function metaTags(meta: PageMeta, ctx: PageContext): Html {
  const canonical = localizedUrl(ctx, meta.path, ctx.locale);
  const image = `${ctx.origin}${meta.image}`;
  const others = PAGE_LOCALES.filter((l) => l !== ctx.locale);
  return html`<title>${meta.title} · Hameau</title>
<meta name="description" content="${meta.description}">
<link rel="canonical" href="${canonical}">
${PAGE_LOCALES.map((l) => html`<link rel="alternate" hreflang="${l}" href="${localizedUrl(ctx, meta.path, l)}">
`)}<link rel="alternate" hreflang="x-default" href="${ctx.origin}${meta.path}">
<meta property="og:site_name" content="Hameau">
<meta property="og:type" content="${meta.type ?? "website"}">
<meta property="og:title" content="${meta.title}">
<meta property="og:description" content="${meta.description}">
<meta property="og:url" content="${canonical}">
<meta property="og:image" content="${image}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="${CARD_WIDTH}">
<meta property="og:image:height" content="${CARD_HEIGHT}">
<meta property="og:image:alt" content="${meta.imageAlt}">
<meta property="og:locale" content="${ogLocale(ctx.locale)}">
${others.map((l) => html`<meta property="og:locale:alternate" content="${ogLocale(l)}">
`)}<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="${meta.title}">
<meta name="twitter:description" content="${meta.description}">
<meta name="twitter:image" content="${image}">
<meta name="twitter:image:alt" content="${meta.imageAlt}">`;
}

/** The language switch: the same page in each language, the current one marked. */
function languageSwitch(path: string, ctx: PageContext): Html {
  const t = stringsFor(ctx.locale);
  const names: Record<Locale, string> = { fr: "Français", en: "English" };
  return html`<nav class="languages" aria-label="${t.languages}"><ul>${PAGE_LOCALES.map((l) =>
    l === ctx.locale
      ? html`<li><span aria-current="true" lang="${l}">${names[l]}</span></li>`
      : html`<li><a href="${localizedUrl({ origin: "" }, path, l, ctx.keep)}" hreflang="${l}" lang="${l}">${names[l]}</a></li>`,
  )}</ul></nav>`;
}

export interface DocumentParts {
  /** Null for pages with no share card (the 404 page): no meta tags, noindex. */
  meta: PageMeta | null;
  title?: string;
  /** Path of the page, for the language switch. */
  path: string;
  body: Html;
  /** Deferred scripts that improve the page (it works without them). */
  scripts?: string[];
  /** A class on <body> (the page's kind). */
  kind: string;
}

export function pageDocument(parts: DocumentParts, ctx: PageContext): string {
  const t = stringsFor(ctx.locale);
  const head = parts.meta ? metaTags(parts.meta, ctx) : html`<title>${parts.title ?? t.brand}</title>
<meta name="robots" content="noindex">`;
  return html`<!DOCTYPE html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${head}
<link rel="icon" href="/favicon.ico" sizes="32x32">
<link rel="stylesheet" href="/assets/public-pages.css">
${(parts.scripts ?? []).map((src) => html`<script src="${src}" defer></script>
`)}</head>
<body class="page-${parts.kind}">
<header class="site">
<a class="brand" href="/"><img src="/assets/sprites/house.svg" alt="" width="32" height="32"> <span>${t.brand}</span></a>
${languageSwitch(parts.path, ctx)}
</header>
<main>
${parts.body}
</main>
<footer class="site">
<p>${t.footer} <a href="/">${t.play}</a></p>
</footer>
</body>
</html>
`.value;
}
