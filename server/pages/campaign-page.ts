/**
 * /c/<campaignId>: a published campaign of an approved NGO. Title, NGO,
 * description, the goal bar with the values of the moment rendered here (the
 * page is complete without JavaScript), the deadline, the campaign's gifts
 * and a Give button into the game (carrying the visitor's referral).
 *
 * The bar follows the live markup contract: `data-campaign-live="<id>"`
 * around elements marked `data-live="bar" | "raised" | "goal" | "percent" |
 * "donors" | "matched"`, which /embed/live.js keeps up to date from the
 * campaign's live feed when it runs.
 */
import type { PublicCampaign } from "../../shared/campaigns.ts";
import { giveCampaignLink, type ReferralParams } from "./give-links.ts";
import { type Html, fillHtml, html, paragraphs, summary } from "./html.ts";
import { type PageContext, type PageMeta, pageDocument } from "./page-document.ts";
import { amount, deadlineText, giftList } from "./page-parts.ts";
import { fill, formatCount, stringsFor } from "./page-strings.ts";

export const LIVE_SCRIPT = "/embed/live.js";

export interface CampaignPageInput {
  campaign: PublicCampaign;
  now: number;
  referral: ReferralParams;
  /** The share card's path with its query. */
  image: string;
}

/** What a sponsor matched, when the matching feature reports it (absent or 0: nothing shown). */
export function matchedCentsOf(progress: PublicCampaign["progress"]): number {
  const m = (progress as { matchedCents?: unknown }).matchedCents;
  return typeof m === "number" && Number.isSafeInteger(m) && m > 0 ? m : 0;
}

/** The goal bar with the values of the moment, in the live markup contract. */
export function liveBar(c: PublicCampaign, ctx: PageContext): Html {
  const { locale } = ctx;
  const t = stringsFor(locale);
  const p = c.progress;
  const width = Math.max(0, Math.min(100, p.percent));
  const matched = matchedCentsOf(p);
  const percentText = fill(t.percent, { percent: formatCount(locale, p.percent) });
  const [one, many] = t.donors;
  const donorsForm = (locale === "fr" ? p.donors <= 1 : p.donors === 1) ? one : many;
  return html`<section class="live" data-campaign-live="${c.id}" aria-label="${t.progress}">
<div class="bar" aria-hidden="true"><div class="bar-fill" data-live="bar" style="width: ${width}%"></div></div>
<p class="figures"><strong class="percent" data-live="percent">${percentText}</strong>
<span class="raised">${fillHtml(t.raisedOf, {
    raised: html`<strong data-live="raised">${amount(locale, p.raisedCents, c.currency)}</strong>`,
    goal: html`<span data-live="goal">${amount(locale, c.goalCents, c.currency)}</span>`,
  })}</span></p>
<p class="donors">${fillHtml(donorsForm, { n: html`<span data-live="donors">${formatCount(locale, p.donors)}</span>` })}</p>
<p class="matched"${matched === 0 ? html` hidden` : ""}>${fillHtml(t.matched, { amount: html`<span data-live="matched">${amount(locale, matched, c.currency)}</span>` })}</p>
</section>`;
}

export function campaignMeta(c: PublicCampaign, ctx: PageContext, image: string): PageMeta {
  const { locale } = ctx;
  const t = stringsFor(locale);
  const progressLine = `${fill(t.raisedOf, { raised: amount(locale, c.progress.raisedCents, c.currency), goal: amount(locale, c.goalCents, c.currency) })} (${fill(t.percent, { percent: formatCount(locale, c.progress.percent) })})`;
  const about = summary(c.description[locale] || c.description[locale === "fr" ? "en" : "fr"], 160);
  return {
    title: c.title[locale],
    description: about ? `${progressLine} — ${about}` : `${progressLine} — ${fill(t.byNgo, { ngo: c.ngo.name })}`,
    path: `/c/${c.id}`,
    image,
    imageAlt: `${c.title[locale]} — ${progressLine}`,
    type: "website",
  };
}

export function campaignPage(input: CampaignPageInput, ctx: PageContext): string {
  const { campaign: c, now } = input;
  const { locale } = ctx;
  const t = stringsFor(locale);
  const deadline = deadlineText(locale, { phase: c.phase, startsAt: new Date(c.startsAt), endsAt: new Date(c.endsAt) }, now);
  const body = html`<article class="campaign">
<header class="page-head">
${c.emergency ? html`<p class="badge emergency">${t.emergency}</p>` : ""}
<h1>${c.title[locale]}</h1>
<p class="by">${fillHtml(t.byNgo, { ngo: html`<a href="/n/${c.ngo.id}">${c.ngo.name}</a>` })}</p>
</header>
${liveBar(c, ctx)}
<p class="deadline"><time datetime="${deadline.at.toISOString()}">${deadline.text}</time></p>
${c.phase === "running" ? html`<p class="give"><a class="button" href="${giveCampaignLink(c.id, input.referral)}">${t.giveCampaign}</a></p>` : ""}
${c.description[locale] ? html`<div class="description">${paragraphs(c.description[locale])}</div>` : ""}
${c.gifts.length > 0
    ? html`<section class="gifts"><h2>${t.campaignGifts}</h2>
${giftList(locale, c.gifts.map((g) => ({ id: g.id, name: g.name[locale], sprite: g.sprite, priceCents: g.priceCents, currency: c.currency })))}
</section>`
    : ""}
</article>`;
  return pageDocument({ meta: campaignMeta(c, ctx, input.image), path: `/c/${c.id}`, body, scripts: [LIVE_SCRIPT], kind: "campaign" }, ctx);
}
