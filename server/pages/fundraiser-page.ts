/**
 * /f/<fundraiserId>: a player's fundraiser, public (not hidden, its owner's
 * account not deleted, its campaign one players may see). Its title, who
 * started it (only when they chose to show their name), the campaign and its
 * NGO, the message, the bar with the fundraiser's amounts as a whole (a goal
 * its owner made public) and the number of donors (never who), and a Give
 * link into the game (`/?fundraiser=<id>`, carrying the visitor's referral).
 * Its share card is the campaign card's layout with the fundraiser's bar.
 */
import { barFill, type PublicFundraiser } from "../../shared/fundraisers.ts";
import type { Locale } from "../../shared/money.ts";
import type { CampaignCard } from "../cards/card-svg.ts";
import { type ReferralParams, withQuery } from "./give-links.ts";
import { fillHtml, html, paragraphs, summary } from "./html.ts";
import { type PageContext, type PageMeta, pageDocument } from "./page-document.ts";
import { amount } from "./page-parts.ts";
import { count, fill, formatCount, stringsFor } from "./page-strings.ts";

const TEXT = {
  fr: {
    by: "Une collecte de {name}", byPlayer: "Une collecte d’un joueur de Hameau", forCampaign: "Pour la campagne « {campaign} » de {ngo}",
    progress: "Avancement de la collecte", give: "Donner via cette collecte", closed: "Cette collecte est close. Merci à toutes celles et ceux qui ont donné.",
    ended: "La campagne est terminée : cette collecte ne reçoit plus de dons.", privacy: "Les donateurs ne sont jamais nommés.",
  },
  en: {
    by: "A fundraiser by {name}", byPlayer: "A Hameau player’s fundraiser", forCampaign: "For the campaign “{campaign}” of {ngo}",
    progress: "Fundraiser progress", give: "Give through this fundraiser", closed: "This fundraiser is closed. Thank you to everyone who gave.",
    ended: "The campaign is over: this fundraiser no longer takes gifts.", privacy: "Donors are never named.",
  },
} as const;

export interface FundraiserPageInput {
  fundraiser: PublicFundraiser;
  referral: ReferralParams;
  /** The share card's path with its query. */
  image: string;
}

export function giveFundraiserLink(fundraiserId: string, referral: ReferralParams): string {
  return withQuery("/", { fundraiser: fundraiserId, r: referral.r, ch: referral.ch });
}

function lines(f: PublicFundraiser, locale: Locale) {
  const t = stringsFor(locale);
  const mine = TEXT[locale];
  return {
    by: f.ownerName ? fill(mine.by, { name: f.ownerName }) : mine.byPlayer,
    campaign: fill(mine.forCampaign, { campaign: f.campaign.title[locale], ngo: f.campaign.ngoName }),
    raised: fill(t.raisedOf, { raised: amount(locale, f.progress.raisedCents, f.currency), goal: amount(locale, f.goalCents, f.currency) }),
    percent: fill(t.percent, { percent: formatCount(locale, f.progress.percent) }),
    donors: count(locale, t.donors, f.progress.donors),
  };
}

export function fundraiserMeta(f: PublicFundraiser, ctx: PageContext, image: string): PageMeta {
  const l = lines(f, ctx.locale);
  const about = summary(f.message, 120);
  return {
    title: f.title,
    description: `${l.raised} (${l.percent}) — ${l.campaign}${about ? ` — ${about}` : ""}`,
    path: `/f/${f.id}`,
    image,
    imageAlt: `${f.title} — ${l.raised} (${l.percent})`,
    type: "website",
  };
}

/** What the share card shows: the campaign card's layout with the fundraiser's title and bar. */
export function fundraiserCard(f: PublicFundraiser, sprites: string[], locale: Locale): CampaignCard {
  const l = lines(f, locale);
  return {
    title: f.title, ngo: `${l.by} · ${f.campaign.ngoName}`, raisedLine: l.raised, percentText: l.percent, percent: f.progress.percent,
    detail: `${l.donors} · ${f.campaign.title[locale]}`, emergency: null, sprites, footer: stringsFor(locale).tagline,
  };
}

export function fundraiserPage(input: FundraiserPageInput, ctx: PageContext): string {
  const { fundraiser: f } = input;
  const { locale } = ctx;
  const mine = TEXT[locale];
  const l = lines(f, locale);
  const width = Math.floor(barFill(f.progress, f.goalCents) * 100);
  const body = html`<article class="fundraiser">
<header class="page-head">
<p class="by">${l.by}</p>
<h1>${f.title}</h1>
<p class="by">${fillHtml(TEXT[locale].forCampaign, { campaign: html`<a href="/c/${f.campaign.id}">${f.campaign.title[locale]}</a>`, ngo: f.campaign.ngoName })}</p>
</header>
<section class="live" aria-label="${mine.progress}">
<div class="bar" aria-hidden="true"><div class="bar-fill" style="width: ${width}%"></div></div>
<p class="figures"><strong class="percent">${l.percent}</strong>
<span class="raised">${fillHtml(stringsFor(locale).raisedOf, {
    raised: html`<strong>${amount(locale, f.progress.raisedCents, f.currency)}</strong>`, goal: amount(locale, f.goalCents, f.currency),
  })}</span></p>
<p class="donors">${l.donors}</p>
</section>
${f.status === "active"
    ? html`<p class="give"><a class="button" href="${giveFundraiserLink(f.id, input.referral)}">${mine.give}</a></p>`
    : html`<p class="deadline">${f.status === "closed" ? mine.closed : mine.ended}</p>`}
${f.message ? html`<div class="description">${paragraphs(f.message)}</div>` : ""}
<p class="deadline">${mine.privacy}</p>
</article>`;
  return pageDocument({ meta: fundraiserMeta(f, ctx, input.image), path: `/f/${f.id}`, body, kind: "fundraiser" }, ctx);
}
