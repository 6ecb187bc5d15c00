/**
 * The public pages (server-rendered HTML, readable without JavaScript) and
 * their share cards (PNG, 1200×630):
 *   /c/<campaignId>        a published campaign of an approved NGO
 *   /n/<ngoSlug-or-id>     an approved NGO
 *   /g/<giftId>            a gift of an approved NGO, not retired
 *   /v/<villageId>         a public village
 *   /f/<fundraiserId>      a player's fundraiser (not hidden, its campaign visible)
 * and `<page>/card.png` for each. Anything else (unknown, draft, pending or
 * rejected NGO, private village, malformed id) is the same 404 page, for the
 * page and its card alike. The language is `?lang=` or Accept-Language.
 */
import express, { type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import type { Locale } from "../../shared/money.ts";
import { cardVersion } from "../cards/card-cache.ts";
import type { CardRenderer } from "../cards/card-renderer.ts";
import { campaignCardSvg, giftCardSvg, ngoCardSvg, villageCardSvg } from "../cards/card-svg.ts";
import type { Db } from "../db/connect.ts";
import { campaignPage } from "../pages/campaign-page.ts";
import { giftPage } from "../pages/gift-page.ts";
import { ngoPage } from "../pages/ngo-page.ts";
import { villagePage } from "../pages/village-page.ts";
import { fundraiserCard, fundraiserPage } from "../pages/fundraiser-page.ts";
import { giftSprites } from "../services/fundraiser-progress.ts";
import { publicFundraiser } from "../services/fundraisers.ts";
import { referralParams } from "../pages/give-links.ts";
import { notFoundPage } from "../pages/not-found-page.ts";
import type { PageContext } from "../pages/page-document.ts";
import { pageLocale } from "../pages/page-language.ts";
import { campaignCard, giftCard, ngoCard, villageCard } from "../pages/share-cards.ts";
import { publicCampaign } from "../services/campaign-progress.ts";
import { publicGiftPage, publicNgoPage, publicVillagePage } from "../services/public-pages.ts";

export interface PublicPagesDeps {
  db: Db;
  logger: Logger;
  now: () => number;
  /** The site's public origin (PUBLIC_URL), for canonical and og: URLs. */
  publicUrl: () => string;
  cards: CardRenderer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An NGO's slug as the slug rule makes them (letters, digits, dashes), or its id. */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/i;
const isId = (v: string) => UUID.test(v);

/** A page found: its HTML, and how to draw its card. */
interface Found {
  page: (image: string) => string;
  card: { kind: string; data: unknown; svg: () => string };
}

type Loader = (param: string, ctx: PageContext, req: Request) => Promise<Found | null>;

export function publicPagesRouter(deps: PublicPagesDeps): Router {
  const router = express.Router();

  const contextOf = (req: Request): PageContext => {
    const query = req.query as Record<string, unknown>;
    const referral = referralParams(query);
    return { locale: pageLocale(query, req.get("accept-language")), origin: deps.publicUrl(), keep: { r: referral.r, ch: referral.ch } };
  };

  const notFound = (req: Request, res: Response, ctx: PageContext) => {
    res.status(404).set({ "cache-control": "no-store", vary: "Accept-Language" }).type("html").send(notFoundPage(req.path, ctx));
  };

  const cardPath = (base: string, param: string, locale: Locale, version: string) =>
    `/${base}/${encodeURIComponent(param)}/card.png?lang=${locale}&v=${version}`;

  /** The page at /<base>/:param and its card at /<base>/:param/card.png. */
  const page = (base: string, param: string, valid: (value: string) => boolean, load: Loader) => {
    const find = async (req: Request, ctx: PageContext): Promise<Found | null> => {
      const value = req.params[param];
      if (typeof value !== "string" || !valid(value)) return null;
      return load(value, ctx, req);
    };

    router.get(`/${base}/:${param}`, async (req, res) => {
      const ctx = contextOf(req);
      const found = await find(req, ctx);
      if (!found) return notFound(req, res, ctx);
      const version = cardVersion(found.card.kind, found.card.data);
      res.set({ "cache-control": "public, max-age=60", vary: "Accept-Language" }).type("html")
        .send(found.page(cardPath(base, req.params[param] as string, ctx.locale, version)));
    });

    router.get(`/${base}/:${param}/card.png`, async (req, res) => {
      const ctx = contextOf(req);
      const found = await find(req, ctx);
      if (!found) return notFound(req, res, ctx);
      const version = cardVersion(found.card.kind, found.card.data);
      const etag = `"${version}"`;
      // A share image is meant to be shown by other sites and apps (helmet's default is same-origin).
      res.set({ etag, "cache-control": "public, max-age=300", vary: "Accept-Language", "cross-origin-resource-policy": "cross-origin" });
      if (req.get("if-none-match")?.split(",").map((s) => s.trim().replace(/^W\//, "")).includes(etag)) return void res.status(304).end();
      const png = await deps.cards.png(`${found.card.kind}:${version}`, found.card.svg);
      res.type("png").send(png);
    });
  };

  page("c", "campaignId", isId, async (id, ctx, req) => {
    const now = deps.now();
    const campaign = await publicCampaign(deps.db, id, now);
    if (!campaign) return null;
    const data = campaignCard(campaign, ctx.locale, now);
    return {
      page: (image) => campaignPage({ campaign, now, referral: referralParams(req.query as Record<string, unknown>), image }, ctx),
      card: { kind: "campaign", data, svg: () => campaignCardSvg(data, deps.cards.sprites) },
    };
  });

  page("n", "ngoId", (v) => UUID.test(v) || SLUG.test(v), async (ref, ctx) => {
    const ngo = await publicNgoPage(deps.db, ref, deps.now());
    if (!ngo) return null;
    const data = ngoCard({
      name: ngo.name, purpose: ngo.purpose, giftSprites: ngo.gifts.map((g) => g.sprite), campaigns: ngo.campaigns.length, gifts: ngo.gifts.length,
    }, ctx.locale);
    return { page: (image) => ngoPage(ngo, ctx, image), card: { kind: "ngo", data, svg: () => ngoCardSvg(data, deps.cards.sprites) } };
  });

  page("g", "giftId", isId, async (id, ctx, req) => {
    const found = await publicGiftPage(deps.db, id, deps.now());
    if (!found) return null;
    const g = found.gift;
    const data = giftCard({ name: g.name[ctx.locale], ngoName: g.ngo.name, priceCents: g.priceCents, currency: g.currency, impact: g.impact[ctx.locale], sprite: g.sprite }, ctx.locale);
    return {
      page: (image) => giftPage(found, ctx, referralParams(req.query as Record<string, unknown>), image),
      card: { kind: "gift", data, svg: () => giftCardSvg(data, deps.cards.sprites) },
    };
  });

  page("v", "villageId", isId, async (id, ctx) => {
    const village = await publicVillagePage(deps.db, id);
    if (!village) return null;
    const data = villageCard({
      name: village.name,
      items: [...village.gifts, ...village.decorations].map((i) => ({ sprite: i.sprite, count: i.count })),
      gifts: village.gifts.reduce((n, g) => n + g.count, 0),
      decorations: village.decorations.reduce((n, d) => n + d.count, 0),
    }, ctx.locale);
    return { page: (image) => villagePage(village, ctx, image), card: { kind: "village", data, svg: () => villageCardSvg(data, deps.cards.sprites) } };
  });

  page("f", "fundraiserId", (v) => UUID.test(v), async (id, ctx, req) => {
    const fundraiser = await publicFundraiser(deps.db, id, deps.now());
    if (!fundraiser) return null;
    const data = fundraiserCard(fundraiser, await giftSprites(deps.db, fundraiser.campaign.giftIds), ctx.locale);
    return {
      page: (image) => fundraiserPage({ fundraiser, referral: referralParams(req.query as Record<string, unknown>), image }, ctx),
      card: { kind: "fundraiser", data, svg: () => campaignCardSvg(data, deps.cards.sprites) },
    };
  });

  return router;
}
