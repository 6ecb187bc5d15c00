/**
 * /v/<villageId>: a village whose owner made it public ("anyone may visit").
 * Its name (what every visitor sees) and what stands in it: the gifts it
 * received (with their NGO, and the givers who allowed their name), the
 * decorations, the crops growing. Never an amount: no price, no total, nothing
 * that says what anyone gave.
 */
import type { PublicVillagePage } from "../services/public-pages.ts";
import { html } from "./html.ts";
import { type PageContext, type PageMeta, pageDocument } from "./page-document.ts";
import { spriteImg } from "./page-parts.ts";
import { count, fill, labelled, stringsFor } from "./page-strings.ts";

export function villageMeta(v: PublicVillagePage, ctx: PageContext, image: string): PageMeta {
  const { locale } = ctx;
  const t = stringsFor(locale);
  const title = fill(t.villageTitle, { name: v.name });
  const units = v.gifts.reduce((n, g) => n + g.count, 0);
  const names = v.gifts.slice(0, 4).map((g) => g.name[locale]).join(", ");
  return {
    title, description: units > 0 ? `${t.villageIntro} ${labelled(locale, count(locale, t.giftsCount, units), names)}.` : `${t.villageIntro} ${t.villageEmpty}`,
    path: `/v/${v.id}`, image, imageAlt: title, type: "website",
  };
}

export function villagePage(v: PublicVillagePage, ctx: PageContext, image: string): string {
  const { locale } = ctx;
  const t = stringsFor(locale);
  const body = html`<article class="village">
<header class="page-head">
<h1>${fill(t.villageTitle, { name: v.name })}</h1>
<p class="intro">${t.villageIntro}</p>
</header>
<section class="gifts"><h2>${t.villageGifts}</h2>
${v.gifts.length === 0
    ? html`<p>${t.villageEmpty}</p>`
    : html`<ul class="gift-list">${v.gifts.map((g) => html`<li><a href="/g/${g.giftId}">${spriteImg(g.sprite, 56)}<span class="gift-name">${g.name[locale]}${g.count > 1 ? html` <span class="count">${fill(t.count, { n: g.count })}</span>` : ""}</span><span class="item-note">${g.ngoName}</span>${g.givers.length > 0 ? html`<span class="item-note">${fill(t.fromGiver, { name: g.givers.join(", ") })}</span>` : ""}</a></li>`)}</ul>`}
</section>
${v.decorations.length > 0
    ? html`<section class="decorations"><h2>${t.villageDecorations}</h2>
<ul class="gift-list">${v.decorations.map((d) => html`<li><span class="item">${spriteImg(d.sprite, 48)}<span class="gift-name">${d.name[locale]}${d.count > 1 ? html` <span class="count">${fill(t.count, { n: d.count })}</span>` : ""}</span></span></li>`)}</ul>
</section>`
    : ""}
${v.crops > 0 ? html`<p class="item-note crops">${count(locale, t.villageCrops, v.crops)}</p>` : ""}
<p class="give"><a class="button" href="/">${t.play}</a></p>
</article>`;
  return pageDocument({ meta: villageMeta(v, ctx, image), path: `/v/${v.id}`, body, kind: "village" }, ctx);
}
