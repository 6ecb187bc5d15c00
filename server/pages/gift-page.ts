/**
 * /g/<giftId>: a gift players may see, of an approved NGO. Its name, price
 * (the catalog's, never what someone gave), what it changes, its NGO and
 * project, and a Give button into the game's shop on it (`/?gift=<id>`,
 * carrying the visitor's referral) while it is on offer.
 */
import type { PublicGiftPage } from "../services/public-pages.ts";
import { giveGiftLink, type ReferralParams } from "./give-links.ts";
import { fillHtml, html, paragraphs, summary } from "./html.ts";
import { type PageContext, type PageMeta, pageDocument } from "./page-document.ts";
import { amount, spriteImg } from "./page-parts.ts";
import { fill, stringsFor } from "./page-strings.ts";

export function giftMeta(p: PublicGiftPage, ctx: PageContext, image: string): PageMeta {
  const { locale } = ctx;
  const g = p.gift;
  const price = amount(locale, g.priceCents, g.currency);
  return {
    title: `${g.name[locale]} — ${price}`,
    description: summary(`${g.impact[locale]} ${fill(stringsFor(locale).byNgo, { ngo: g.ngo.name })}.`, 200),
    path: `/g/${g.id}`, image, imageAlt: `${g.name[locale]}, ${price}`, type: "website",
  };
}

export function giftPage(p: PublicGiftPage, ctx: PageContext, referral: ReferralParams, image: string): string {
  const { locale } = ctx;
  const t = stringsFor(locale);
  const g = p.gift;
  const body = html`<article class="gift">
<header class="page-head gift-hero">
${spriteImg(g.sprite, 128)}
<div>
<h1>${g.name[locale]}</h1>
<p class="by">${fillHtml(t.byNgo, { ngo: html`<a href="/n/${p.ngoSlug}">${g.ngo.name}</a>` })}</p>
<p class="price">${amount(locale, g.priceCents, g.currency)}</p>
</div>
</header>
<section class="impact"><h2>${t.giftImpact}</h2>
${paragraphs(g.impact[locale])}
${g.description[locale] ? paragraphs(g.description[locale]) : ""}
<p class="item-note">${fill(t.giftProject, { project: g.project.name[locale] })}</p>
</section>
${p.onSale
    ? html`<p class="give"><a class="button" href="${giveGiftLink(g.id, referral)}">${t.giveGift}</a></p>`
    : html`<p class="note">${t.notOnSale}</p>`}
</article>`;
  return pageDocument({ meta: giftMeta(p, ctx, image), path: `/g/${g.id}`, body, kind: "gift" }, ctx);
}
