/**
 * Monthly gifts API (an account is needed: the donor is mailed when a month
 * fails or needs them): GET /api/me/monthly-gifts, POST /api/me/monthly-gifts
 * (starts one: a checkout URL), POST …/:id/amount, POST …/:id/cancel, and
 * POST /api/me/monthly-gifts/portal (Stripe's Customer Portal, real keys).
 * Someone else's monthly gift is a 404.
 */
import express, { type Router } from "express";
import type Stripe from "stripe";
import { MonthlyAmountRequest, MonthlyGiftRequest, type MonthlyGiftsResponse } from "../../shared/monthly-gifts.ts";
import type { Db } from "../db/connect.ts";
import { cancelMonthlyGift, changeMonthlyAmount, portalUrl, startMonthlyGift, type MonthlyDeps } from "../payments/monthly-checkout.ts";
import { myMonthlyGifts } from "../services/monthly-gifts.ts";
import { me, requirePlayer } from "./auth.ts";
import { fromZod, HttpError, idParam } from "./errors.ts";

export function monthlyGiftsRouter(deps: { db: Db; stripe: Stripe | null; publicUrl: () => string; now?: () => number }): Router {
  const router = express.Router();
  const auth = requirePlayer(deps.db);
  const withAccount: express.RequestHandler = (req, _res, next) => {
    next(me(req).account ? undefined : new HttpError(403, "account_required", "Create an account to give monthly"));
  };
  const money: MonthlyDeps = deps;

  router.get("/api/me/monthly-gifts", auth, async (req, res) => {
    const monthlyGifts = await myMonthlyGifts(deps.db, me(req).player.id);
    const body: MonthlyGiftsResponse = { monthlyGifts, portal: Boolean(deps.stripe) && monthlyGifts.some((m) => !m.testMode) };
    res.set("cache-control", "private, no-store").json(body);
  });

  router.post("/api/me/monthly-gifts", auth, withAccount, async (req, res) => {
    const parsed = MonthlyGiftRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const who = me(req);
    const started = await startMonthlyGift(money, {
      playerId: who.player.id, villageId: who.villageId, giftId: parsed.data.giftId, locale: parsed.data.locale,
      ...(parsed.data.amountCents === undefined ? {} : { amountCents: parsed.data.amountCents }),
    });
    res.status(201).json(started);
  });

  router.post("/api/me/monthly-gifts/portal", auth, withAccount, async (req, res) => {
    res.json({ url: await portalUrl(money, me(req).player.id) });
  });

  router.post("/api/me/monthly-gifts/:id/amount", auth, withAccount, async (req, res) => {
    const id = idParam(req.params.id, "No such monthly gift");
    const parsed = MonthlyAmountRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    await changeMonthlyAmount(money, me(req).player.id, id, parsed.data.amountCents);
    res.json({ ok: true });
  });

  router.post("/api/me/monthly-gifts/:id/cancel", auth, withAccount, async (req, res) => {
    await cancelMonthlyGift(money, me(req).player.id, idParam(req.params.id, "No such monthly gift"));
    res.json({ ok: true });
  });
  return router;
}
