/** The JSON API under /api. Request bodies are validated with shared zod schemas. */
import express, { type Router } from "express";
import { rateLimit } from "express-rate-limit";
import { and, eq } from "drizzle-orm";
import { matchesOfOrders } from "../services/pledges.ts";
import { CheckoutRequest, type OrderView, type OrderStatus, type PublicGiftResponse } from "../../shared/api.ts";
import type { Currency } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { giftDedications, orderLines, orders } from "../db/schema.ts";
import { startCheckout, type CheckoutDeps } from "../payments/checkout.ts";
import { checkDedication } from "../services/dedications.ts";
import { cancelCheckout } from "../payments/checkout-cancel.ts";
import { publicGift } from "../services/catalog.ts";
import { giftDestination } from "../services/gift-recipients.ts";
import { checkFundraiserForCheckout } from "../services/fundraisers.ts";
import { createGuest } from "../services/players.ts";
import { me, requirePlayer } from "./auth.ts";
import { HttpError, fromRule, fromZod, idParam } from "./errors.ts";
import { type LimiterStores, memoryStores } from "./rate-limit-store.ts";

export function apiRouter(deps: CheckoutDeps & { db: Db; guestLimitPerMinute: number; stores?: LimiterStores }): Router {
  const router = express.Router();
  const auth = requirePlayer(deps.db);
  const stores = deps.stores ?? memoryStores;
  const limited = (limiter: string, limit: number) =>
    rateLimit({
      windowMs: 60_000, limit, standardHeaders: "draft-8", legacyHeaders: false,
      ...((store) => (store ? { store } : {}))(stores(limiter)),
      handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "Too many requests; try again in a minute")),
    });

  router.post("/api/session/guest", limited("guest", deps.guestLimitPerMinute), async (_req, res) => {
    res.status(201).json(await createGuest(deps.db));
  });

  router.get("/api/me", auth, (req, res) => {
    res.json(me(req));
  });

  // GET /api/catalog: http/catalog-route.ts (answered from memory).

  // A gift a village may hold after it left the shop (retired, ended, sold out): its names, impact and sprite.
  router.get("/api/gifts/:giftId", async (req, res) => {
    const found = await publicGift(deps.db, idParam(req.params.giftId, "No such gift"), (deps.now ?? Date.now)());
    if (!found) throw new HttpError(404, "not_found", "No such gift");
    const body: PublicGiftResponse = found;
    res.set("cache-control", "no-cache").json(body);
  });

  router.post("/api/checkout", limited("checkout", 60), auth, async (req, res) => {
    const parsed = CheckoutRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const player = me(req);
    // Someone else's village must be one the buyer may visit; refused before anything is written.
    const target = await giftDestination(deps.db, { playerId: player.player.id, villageId: player.villageId }, parsed.data);
    if (!target.ok) throw fromRule(target);
    // Through a fundraiser: it must take gifts and the basket hold one of its campaign's (400 before anything is written).
    const fundraiserId = parsed.data.fundraiserId;
    if (fundraiserId) {
      const refusal = await checkFundraiserForCheckout(deps.db, fundraiserId, parsed.data.lines.map((l) => l.giftId), (deps.now ?? Date.now)());
      if (refusal) throw new HttpError(400, refusal.code, refusal.message);
    }
    // A dedication: its date, and a village it goes to must be one the buyer may visit (400/403, nothing written).
    const dedication = parsed.data.dedication ?? null;
    if (dedication) {
      // Its gifts land in the dedication's village on its date: they cannot also go into another one now.
      if (dedication.to.kind === "village" && target.destination.villageId !== player.villageId) {
        throw new HttpError(400, "dedication_two_villages", "A gift dedicated to a village goes there: give it from your own village");
      }
      const allowed = await checkDedication(deps.db, player.player.id, dedication, (deps.now ?? Date.now)());
      if (!allowed.ok) throw fromRule(allowed);
    }
    const result = await startCheckout(deps, {
      playerId: player.player.id, villageId: target.destination.villageId, recipientName: target.destination.recipientName,
      showGiverName: target.destination.showGiverName, lines: parsed.data.lines, supportCents: parsed.data.supportCents, locale: parsed.data.locale,
      guest: !player.account, fundraiserId: fundraiserId ?? null, referral: parsed.data.referral, dedication,
    });
    res.status(201).json(result);
  });

  // The checkout page's Cancel: the order expires now and its held units are free again (payments/checkout-cancel.ts).
  router.post("/api/orders/:orderId/cancel", limited("checkout", 60), auth, async (req, res) => {
    const result = await cancelCheckout(deps, me(req).player.id, idParam(req.params.orderId, "No such order"));
    res.json(result);
  });

  router.get("/api/orders/:orderId", auth, async (req, res) => {
    const id = idParam(req.params.orderId, "No such order");
    const [order] = await deps.db.select().from(orders).where(and(eq(orders.id, id), eq(orders.playerId, me(req).player.id)));
    if (!order) throw new HttpError(404, "not_found", "No such order");
    const lines = await deps.db.select().from(orderLines).where(eq(orderLines.orderId, order.id));
    const body: OrderView = {
      id: order.id, status: order.status as OrderStatus, totalCents: order.totalCents, currency: order.currency as Currency,
      createdAt: order.createdAt.toISOString(), paidAt: order.paidAt?.toISOString() ?? null,
      lines: lines.map((l) => ({ giftId: l.giftId, quantity: l.quantity, unitPriceCents: l.unitPriceCents })),
    };
    const matches = (await matchesOfOrders(deps.db, [order.id])).get(order.id);
    if (matches) body.matches = matches;
    const [dedicated] = await deps.db.select({ kind: giftDedications.kind, honoreeName: giftDedications.honoreeName, deliverOn: giftDedications.deliverOn })
      .from(giftDedications).where(eq(giftDedications.orderId, order.id));
    if (dedicated) body.dedication = dedicated;
    res.json(body);
  });

  return router;
}
