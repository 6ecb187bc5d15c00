/**
 * The public page of a player's fundraiser, /f/<id>: server-rendered, readable
 * without JavaScript, in French or English (?lang=, then Accept-Language),
 * with Open Graph and Twitter card tags. It shows what GET /api/fundraisers/:id
 * shows (donors as a count, never who; the owner's name only when they chose
 * so) and a link that opens the fundraiser in the game. A hidden fundraiser,
 * a deleted owner's or one of a campaign players cannot see is a 404.
 *
 * A simple page of its own until the public pages' shared layout lands; then
 * it should take that layout, its meta and its share card.
 */
import express, { type Request, type Router } from "express";
import { barFill, fundraiserLink, type PublicFundraiser } from "../../shared/fundraisers.ts";
import { formatMoney, type Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { publicFundraiser } from "../services/fundraisers.ts";

export interface FundraiserPageDeps {
  db: Db;
  now: () => number;
  publicUrl: () => string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TEXT = {
  fr: {
    by: (name: string) => `Une collecte de ${name}`, byPlayer: "Une collecte d'un joueur de Hameau",
    forCampaign: (c: string, ngo: string) => `Pour la campagne « ${c} » de ${ngo}`,
    raised: (r: string, g: string) => `${r} collectés sur ${g}`, donors: (n: number) => (n === 1 ? "1 donateur" : `${n} donateurs`),
    give: "Donner dans le jeu", closed: "Cette collecte est close. Merci à toutes celles et ceux qui ont donné.",
    ended: "La campagne est terminée : cette collecte ne reçoit plus de dons.", privacy: "Les donateurs ne sont jamais nommés.",
    notFound: "Cette collecte n'existe pas ou n'est plus visible.", home: "Aller à Hameau", progress: "Progression",
  },
  en: {
    by: (name: string) => `A fundraiser by ${name}`, byPlayer: "A Hameau player's fundraiser",
    forCampaign: (c: string, ngo: string) => `For the campaign “${c}” of ${ngo}`,
    raised: (r: string, g: string) => `${r} raised of ${g}`, donors: (n: number) => (n === 1 ? "1 donor" : `${n} donors`),
    give: "Give in the game", closed: "This fundraiser is closed. Thank you to everyone who gave.",
    ended: "The campaign is over: this fundraiser no longer takes gifts.", privacy: "Donors are never named.",
    notFound: "This fundraiser does not exist or is no longer visible.", home: "Go to Hameau", progress: "Progress",
  },
};

/** ?lang= first, then the browser's Accept-Language (French unless English comes first). */
export function pageLocale(req: Request): Locale {
  const asked = typeof req.query.lang === "string" ? req.query.lang : "";
  if (asked === "fr" || asked === "en") return asked;
  return req.acceptsLanguages("fr", "en") === "en" ? "en" : "fr";
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `body{margin:0;font-family:system-ui,sans-serif;background:#fbf4e2;color:#3b2a17}
main{max-width:640px;margin:0 auto;padding:24px 18px 40px}
h1{font-size:28px;margin:8px 0;overflow-wrap:anywhere}
.meta{color:#6b5433;font-weight:700;margin:4px 0}
.message{white-space:pre-line;background:#fffdf4;border-left:4px solid #ffd86b;border-radius:8px;padding:10px 12px;overflow-wrap:anywhere}
.bar{height:16px;border-radius:999px;background:#eadfc4;overflow:hidden}
.bar span{display:block;height:100%;background:#4e9a2f}
.figures{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:16px}
.give{display:inline-block;margin-top:16px;padding:12px 22px;border-radius:999px;background:#ef7d22;color:#fff;font-weight:800;text-decoration:none}
.note{color:#6b5433;font-size:14px}`;

export function fundraiserPageHtml(f: PublicFundraiser, lang: Locale, pageUrl: string, gameUrl: string): string {
  const T = TEXT[lang];
  const money = (cents: number) => formatMoney({ cents, currency: f.currency }, lang);
  const percent = Math.floor(barFill(f.progress, f.goalCents) * 100);
  const by = f.ownerName ? T.by(f.ownerName) : T.byPlayer;
  const campaign = T.forCampaign(lang === "fr" ? f.campaign.title.fr : f.campaign.title.en, f.campaign.ngoName);
  const description = `${campaign}. ${T.raised(money(f.progress.raisedCents), money(f.goalCents))}.`;
  const e = escapeHtml;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(f.title)} · Hameau</title>
<meta name="description" content="${e(description)}">
<link rel="canonical" href="${e(pageUrl)}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="Hameau">
<meta property="og:title" content="${e(f.title)}">
<meta property="og:description" content="${e(description)}">
<meta property="og:url" content="${e(pageUrl)}">
<meta property="og:locale" content="${lang === "fr" ? "fr_FR" : "en_GB"}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${e(f.title)}">
<meta name="twitter:description" content="${e(description)}">
<style>${STYLE}</style>
</head>
<body>
<main data-fundraiser="${e(f.id)}">
<p class="meta">${e(by)}</p>
<h1>${e(f.title)}</h1>
<p class="meta">${e(campaign)}</p>
${f.message ? `<p class="message">${e(f.message)}</p>` : ""}
<div class="bar" role="progressbar" aria-label="${T.progress}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${percent}"><span style="width:${percent}%"></span></div>
<p class="figures"><strong>${e(T.raised(money(f.progress.raisedCents), money(f.goalCents)))}</strong><span>${f.progress.percent} %</span><span>${e(T.donors(f.progress.donors))}</span></p>
${f.status === "active" ? `<a class="give" href="${e(gameUrl)}">${T.give}</a>` : `<p class="note">${f.status === "closed" ? T.closed : T.ended}</p>`}
<p class="note">${T.privacy}</p>
</main>
</body>
</html>
`;
}

function notFoundHtml(lang: Locale): string {
  const T = TEXT[lang];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Hameau</title>
<style>${STYLE}</style>
</head>
<body>
<main><h1>${T.notFound}</h1><p><a href="/">${T.home}</a></p></main>
</body>
</html>
`;
}

export function fundraiserPageRouter(deps: FundraiserPageDeps): Router {
  const router = express.Router();
  router.get("/f/:fundraiserId", async (req, res) => {
    const lang = pageLocale(req);
    const id = req.params.fundraiserId;
    const found = UUID.test(id) ? await publicFundraiser(deps.db, id, deps.now()) : null;
    res.set("content-language", lang).vary("Accept-Language");
    if (!found) {
      res.status(404).type("html").send(notFoundHtml(lang));
      return;
    }
    const base = deps.publicUrl();
    res.set("cache-control", "no-cache").type("html").send(fundraiserPageHtml(found, lang, `${base}/f/${found.id}`, `${base}${fundraiserLink(found.id)}`));
  });
  return router;
}
