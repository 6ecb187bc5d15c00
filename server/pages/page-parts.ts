/**
 * Pieces several public pages show: a gift's sprite, a list of gifts linking
 * to their pages, a campaign's deadline line and an amount.
 */
import { type Currency, type Locale, formatMoney } from "../../shared/money.ts";
import { type Html, html } from "./html.ts";
import { count, fill, formatDay, stringsFor } from "./page-strings.ts";

/** The sprite file of a gift or item, or the coin when the name is not a plain sprite name. */
export function spriteName(sprite: string): string {
  return /^[a-z0-9][a-z0-9-]{0,40}$/.test(sprite) ? sprite : "coin";
}

export function spriteImg(sprite: string, size: number, alt = ""): Html {
  return html`<img src="/assets/sprites/${spriteName(sprite)}.svg" alt="${alt}" width="${size}" height="${size}">`;
}

export function amount(locale: Locale, cents: number, currency: Currency | string): string {
  return formatMoney({ cents, currency: currency as Currency }, locale);
}

export interface GiftListEntry {
  id: string;
  name: string;
  sprite: string;
  priceCents: number;
  currency: string;
}

/** Gifts as cards linking to their own pages (/g/<id>), with their price (a catalog price, never what someone gave). */
export function giftList(locale: Locale, gifts: readonly GiftListEntry[]): Html {
  return html`<ul class="gift-list">${gifts.map((g) => html`<li><a href="/g/${g.id}">${spriteImg(g.sprite, 56)}<span class="gift-name">${g.name}</span><span class="gift-price">${amount(locale, g.priceCents, g.currency)}</span></a></li>`)}</ul>`;
}

const DAY = 24 * 60 * 60_000;

export interface Deadline {
  phase: "upcoming" | "running" | "ended";
  startsAt: Date;
  endsAt: Date;
}

/** "Ends on 12 December 2026 · 5 days left", "Starts on …", "Ended on …" (Paris dates). */
export function deadlineText(locale: Locale, d: Deadline, now: number): { text: string; short: string; at: Date } {
  const t = stringsFor(locale);
  if (d.phase === "upcoming") {
    const text = fill(t.startsOn, { date: formatDay(locale, d.startsAt) });
    return { text, short: text, at: d.startsAt };
  }
  if (d.phase === "ended") {
    const text = fill(t.endedOn, { date: formatDay(locale, d.endsAt) });
    return { text, short: text, at: d.endsAt };
  }
  const days = Math.ceil((d.endsAt.getTime() - now) / DAY);
  const left = days <= 1 ? t.lastDay : count(locale, t.daysLeft, days);
  return { text: `${fill(t.endsOn, { date: formatDay(locale, d.endsAt) })} · ${left}`, short: left, at: d.endsAt };
}
