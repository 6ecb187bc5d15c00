/**
 * The widget page, GET /embed/campaigns/:campaignId (an NGO frames it on its
 * website), and its stylesheet. Size by `?size=small|medium|large`, language
 * by `?lang=fr|en`, else Accept-Language. A published campaign of an approved
 * NGO only; anything else is a plain "not available" page (404).
 *
 * Its headers replace helmet's for this route only: a strict CSP (nothing
 * inline, everything from Hameau itself) whose `frame-ancestors` is Hameau
 * plus the NGO's declared sites (GET/PUT /api/ngos/:ngoId/embed-sites), and no
 * X-Frame-Options (helmet's SAMEORIGIN would override the list). No cookies.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import express, { type Request, type Response, type Router } from "express";
import { embedSizeOf } from "../../shared/embed.ts";
import { isReferralCode, type ShareChannel } from "../../shared/share.ts";
import type { Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { snapshotOf } from "../realtime/campaign-live-feed.ts";
import { progressAndLeaderboard, visibleCampaign } from "../services/campaign-progress.ts";
import { embedSitesOfCampaign } from "../services/embed-sites.ts";
import { embedMissingHtml, embedPageHtml } from "./embed-html.ts";

const CSS = readFileSync(path.join(import.meta.dirname, "embed-widget.css"), "utf8");
const CSS_HREF = `/embed/widget.css?v=${createHash("sha256").update(CSS).digest("hex").slice(0, 12)}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What may stand in a CSP source list: an origin as shared/embed.ts normalises it, nothing else. */
const SAFE_ORIGIN = /^https?:\/\/[a-z0-9.:[\]-]+$/;

/** The widget page's Content-Security-Policy; `ancestors` null: any site may frame it (the "not available" page). */
export function embedCsp(ancestors: readonly string[] | null): string {
  const frame = ancestors === null ? "*" : ["'self'", ...ancestors.filter((o) => SAFE_ORIGIN.test(o))].join(" ");
  return [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "font-src 'self'",
    "object-src 'none'", "base-uri 'none'", "form-action 'none'", `frame-ancestors ${frame}`,
  ].join("; ");
}

/** `?lang=fr|en`, else the first of fr/en in Accept-Language by preference, else French. */
export function embedLang(query: unknown, acceptLanguage: string | undefined): Locale {
  if (query === "fr" || query === "en") return query;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { base: tag.split("-")[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((t) => (t.base === "fr" || t.base === "en") && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.base as Locale | undefined) ?? "fr";
}

function widgetHeaders(res: Response, ancestors: readonly string[] | null): void {
  res.removeHeader("x-frame-options");
  res.set({
    "content-security-policy": embedCsp(ancestors),
    "cache-control": "no-cache",
    vary: "Accept-Language",
    "content-type": "text/html; charset=utf-8",
  });
}

export function embedPageRouter(deps: { db: Db; now: () => number }): Router {
  const router = express.Router();

  router.get("/embed/widget.css", (_req, res) => {
    res.set({ "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=86400" }).send(CSS);
  });

  router.get("/embed/campaigns/:campaignId", async (req: Request, res: Response) => {
    const lang = embedLang(req.query.lang, req.get("accept-language"));
    const campaignId = String(req.params.campaignId);
    const c = UUID.test(campaignId) ? await visibleCampaign(deps.db, campaignId) : null;
    if (!c) {
      widgetHeaders(res, null);
      res.status(404).send(embedMissingHtml(lang, CSS_HREF));
      return;
    }
    const now = deps.now();
    const [{ progress }, sites] = await Promise.all([progressAndLeaderboard(deps.db, c, now), embedSitesOfCampaign(deps.db, campaignId)]);
    const give = new URLSearchParams({ campaign: campaignId });
    const r = isReferralCode(req.query.r) ? req.query.r : null;
    if (r) give.set("r", r);
    give.set("ch", "widget" satisfies ShareChannel);
    const k = c.campaign;
    widgetHeaders(res, sites);
    res.status(200).send(embedPageHtml({
      snapshot: snapshotOf(c, progress, now),
      title: lang === "fr" ? k.titleFr : k.titleEn,
      description: lang === "fr" ? k.descriptionFr : k.descriptionEn,
      ngoName: c.ngoName,
      size: embedSizeOf(req.query.size),
      lang,
      giveHref: `/?${give}`,
      cssHref: CSS_HREF,
    }));
  });

  return router;
}
