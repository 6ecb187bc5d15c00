/**
 * What each page's share card shows, in the page's language: plain data for
 * the SVG builders (server/cards/card-svg.ts), hashed into the card's
 * content version. A card shows what its page shows, never more: no amount
 * for a person, ever.
 */
import type { PublicCampaign } from "../../shared/campaigns.ts";
import type { Locale } from "../../shared/money.ts";
import type { CampaignCard, GiftCard, NgoCard, VillageCard } from "../cards/card-svg.ts";
import { amount, deadlineText } from "./page-parts.ts";
import { count, fill, formatCount, labelled, stringsFor } from "./page-strings.ts";

export function campaignCard(c: PublicCampaign, locale: Locale, now: number): CampaignCard {
  const t = stringsFor(locale);
  const p = c.progress;
  const deadline = deadlineText(locale, { phase: c.phase, startsAt: new Date(c.startsAt), endsAt: new Date(c.endsAt) }, now);
  return {
    title: c.title[locale],
    ngo: fill(t.byNgo, { ngo: c.ngo.name }),
    raisedLine: fill(t.raisedOf, { raised: amount(locale, p.raisedCents, c.currency), goal: amount(locale, c.goalCents, c.currency) }),
    percentText: fill(t.percent, { percent: formatCount(locale, p.percent) }),
    percent: p.percent,
    detail: `${count(locale, t.donors, p.donors)} · ${deadline.short}`,
    emergency: c.emergency ? t.emergency : null,
    sprites: c.gifts.map((g) => g.sprite),
    footer: t.tagline,
  };
}

export interface GiftCardInput {
  name: string;
  ngoName: string;
  priceCents: number;
  currency: string;
  impact: string;
  sprite: string;
}

export function giftCard(g: GiftCardInput, locale: Locale): GiftCard {
  const t = stringsFor(locale);
  return { name: g.name, ngo: g.ngoName, price: amount(locale, g.priceCents, g.currency), impact: g.impact, sprite: g.sprite, footer: t.tagline };
}

export interface NgoCardInput {
  name: string;
  purpose: string;
  giftSprites: string[];
  campaigns: number;
  gifts: number;
}

export function ngoCard(n: NgoCardInput, locale: Locale): NgoCard {
  const t = stringsFor(locale);
  const detail = n.campaigns > 0 ? labelled(locale, t.ngoCampaigns, formatCount(locale, n.campaigns)) : count(locale, t.giftsCount, n.gifts);
  return { name: n.name, purpose: n.purpose, sprites: n.giftSprites, detail, footer: t.tagline };
}

export interface VillageCardInput {
  name: string;
  items: Array<{ sprite: string; count: number }>;
  gifts: number;
  decorations: number;
}

export function villageCard(v: VillageCardInput, locale: Locale): VillageCard {
  const t = stringsFor(locale);
  const parts = [count(locale, t.giftsCount, v.gifts)];
  if (v.decorations > 0) parts.push(labelled(locale, t.villageDecorations, formatCount(locale, v.decorations)));
  return { title: fill(t.villageTitle, { name: v.name }), subtitle: t.villageIntro, items: v.items, detail: parts.join(" · "), footer: t.tagline };
}
