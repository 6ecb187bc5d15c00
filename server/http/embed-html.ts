/**
 * The widget page's HTML (/embed/campaigns/:id): a campaign's title, its
 * bar and figures with the current values rendered on the server (readable
 * without JavaScript), the matched line, and a Give button that opens the
 * game in a new tab. /embed/live.js then keeps the figures moving (the markup
 * contract of shared/campaign-live.ts). No inline script or style: the page's
 * CSP allows neither. FR and EN.
 */
import { barPercent, type CampaignLiveSnapshot, liveTexts } from "../../shared/campaign-live.ts";
import type { EmbedSize } from "../../shared/embed.ts";
import type { Locale } from "../../shared/money.ts";

const TEXTS = {
  fr: {
    by: "par", of: "sur", donors: "Donateurs", matched: "ajoutés par les mécènes", give: "Je donne", newTab: "(nouvel onglet)",
    ends: "Jusqu'au", starts: "Commence le", ended: "Campagne terminée", progress: "Progression de la campagne", with: "avec Hameau",
    missing: "Cette campagne n'est pas disponible.", missingTitle: "Campagne introuvable",
  },
  en: {
    by: "by", of: "of", donors: "Donors", matched: "matched by sponsors", give: "Give", newTab: "(new tab)",
    ends: "Until", starts: "Starts on", ended: "Campaign ended", progress: "Campaign progress", with: "with Hameau",
    missing: "This campaign is not available.", missingTitle: "Campaign not found",
  },
} as const;

export interface EmbedPageModel {
  snapshot: CampaignLiveSnapshot;
  title: string;
  description: string;
  ngoName: string;
  size: EmbedSize;
  lang: Locale;
  /** Where Give goes: the game on this campaign, with the widget channel (and a referral code when given). */
  giveHref: string;
  cssHref: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function day(iso: string, lang: Locale): string {
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium", timeZone: "Europe/Paris" }).format(new Date(iso));
}

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export function embedPageHtml(m: EmbedPageModel): string {
  const t = TEXTS[m.lang];
  const s = m.snapshot;
  const v = liveTexts(s, m.lang);
  const pct = barPercent(s);
  const matched = (s.matchedCents ?? 0) > 0;
  const when = s.phase === "ended" ? t.ended : s.phase === "upcoming" ? `${t.starts} ${day(s.startsAt, m.lang)}` : `${t.ends} ${day(s.endsAt, m.lang)}`;
  const give = s.phase === "running"
    ? `<a class="give" href="${escapeHtml(m.giveHref)}" target="_blank" rel="noopener">${t.give}<span class="sr"> ${t.newTab}</span></a>`
    : "";
  const description = m.size === "large" && m.description ? `\n    <p class="description">${escapeHtml(excerpt(m.description, 220))}</p>` : "";
  return `<!doctype html>
<html lang="${m.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(m.title)}</title>
<link rel="stylesheet" href="${escapeHtml(m.cssHref)}">
<script src="/embed/live.js" defer></script>
</head>
<body class="size-${m.size}">
<main class="widget" data-campaign-live="${escapeHtml(s.campaignId)}" data-phase="${s.phase}" data-matched="${matched ? "yes" : "no"}">
  <header>
    <p class="ngo">${t.by} ${escapeHtml(m.ngoName)}</p>
    <h1 class="title"><a href="${escapeHtml(m.giveHref)}" target="_blank" rel="noopener">${escapeHtml(m.title)}</a></h1>${description}
  </header>
  <div class="bar" role="progressbar" aria-label="${t.progress}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct}" aria-valuetext="${pct}%">
    <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="fill" data-live="bar" x="0" y="0" width="${pct}%" height="100%"/></svg>
  </div>
  <p class="figures"><strong data-live="raised">${v.raised}</strong> <span class="of">${t.of} <span data-live="goal">${v.goal}</span></span> <span class="percent" data-live="percent">${v.percent}</span></p>
  <p class="matched" data-show-matched${matched ? "" : " hidden"}>+ <span data-live="matched">${v.matched}</span> ${t.matched}</p>
  <div class="footer">
    <p class="meta"><span class="donors">${t.donors} <strong data-live="donors">${v.donors}</strong></span> <span class="when">${escapeHtml(when)}</span></p>
    ${give}
  </div>
  <p class="brand">${t.with}</p>
</main>
</body>
</html>
`;
}

export function embedMissingHtml(lang: Locale, cssHref: string): string {
  const t = TEXTS[lang];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t.missingTitle}</title>
<link rel="stylesheet" href="${escapeHtml(cssHref)}">
</head>
<body class="size-small">
<main class="widget missing"><p>${t.missing}</p></main>
</body>
</html>
`;
}
