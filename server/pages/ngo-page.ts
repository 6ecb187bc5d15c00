/**
 * /n/<ngoSlug-or-id>: an approved NGO. What it does, its campaigns running
 * now (each with its goal bar, live through /embed/live.js like the campaign
 * page) and its gifts on sale, each linking to its own page.
 */
import type { PublicNgoPage } from "../services/public-pages.ts";
import { LIVE_SCRIPT, liveBar } from "./campaign-page.ts";
import { html, paragraphs, summary } from "./html.ts";
import { type PageContext, type PageMeta, pageDocument } from "./page-document.ts";
import { giftList } from "./page-parts.ts";
import { fill, stringsFor } from "./page-strings.ts";

export function ngoMeta(n: PublicNgoPage, ctx: PageContext, image: string): PageMeta {
  return { title: n.name, description: summary(n.purpose, 200) || n.name, path: `/n/${n.slug}`, image, imageAlt: n.name, type: "profile" };
}

export function ngoPage(n: PublicNgoPage, ctx: PageContext, image: string): string {
  const { locale } = ctx;
  const t = stringsFor(locale);
  const body = html`<article class="ngo">
<header class="page-head">
<h1>${n.name}</h1>
${n.website ? html`<p class="by"><a href="${n.website}" rel="nofollow noopener noreferrer">${t.website}</a></p>` : ""}
</header>
<div class="description">${paragraphs(n.purpose)}</div>
<section class="campaigns"><h2>${t.ngoCampaigns}</h2>
${n.campaigns.length === 0
    ? html`<p>${t.noCampaigns}</p>`
    : html`<ul class="campaign-list">${n.campaigns.map((c) => html`<li><h3><a href="/c/${c.id}">${c.title[locale]}</a></h3>
${liveBar(c, ctx)}</li>`)}</ul>`}
</section>
<section class="gifts"><h2>${fill(t.giftsOf, { ngo: n.name })}</h2>
${n.gifts.length === 0
    ? html`<p>${t.noGifts}</p>`
    : giftList(locale, n.gifts.map((g) => ({ id: g.id, name: g.name[locale], sprite: g.sprite, priceCents: g.priceCents, currency: g.currency })))}
</section>
</article>`;
  return pageDocument({
    meta: ngoMeta(n, ctx, image), path: `/n/${n.slug}`, body, scripts: n.campaigns.length > 0 ? [LIVE_SCRIPT] : [], kind: "ngo",
  }, ctx);
}
