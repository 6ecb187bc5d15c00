/**
 * /api/collections: my sets and pieces (shared/collections-api.ts), and a
 * complete set's claim: its decoration once (409 already_claimed after), 409
 * set_incomplete, 404 set_unknown. The village room, wherever it runs, hears
 * that an item arrived.
 */
import type { Presence } from "@colyseus/core";
import express, { type Router } from "express";
import { rateLimit } from "express-rate-limit";
import type { CollectionsView, SetClaimResponse } from "../../shared/collections-api.ts";
import type { Db } from "../db/connect.ts";
import { publishVillageEvent } from "../realtime/village-events.ts";
import { claimSet, collectionsOf } from "../services/collections.ts";
import { me, requirePlayer } from "./auth.ts";
import { HttpError } from "./errors.ts";
import { type LimiterStores, memoryStores } from "./rate-limit-store.ts";

const CLAIM_STATUS: Record<string, number> = { already_claimed: 409, set_incomplete: 409, set_unknown: 404 };

export function collectionsRouter(deps: { db: Db; presence: Presence; stores?: LimiterStores }): Router {
  const router = express.Router();
  const auth = requirePlayer(deps.db);
  const store = (deps.stores ?? memoryStores)("collection-claims");
  const claims = rateLimit({
    windowMs: 60_000, limit: 60, standardHeaders: "draft-8", legacyHeaders: false, ...(store ? { store } : {}),
    handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "Too many requests; try again in a minute")),
  });

  router.get("/api/collections", auth, async (req, res) => {
    const body: CollectionsView = await collectionsOf(deps.db, me(req).player.id);
    res.set("cache-control", "no-store").json(body);
  });

  router.post("/api/collections/:setId/claim", claims, auth, async (req, res) => {
    const setId = String(req.params.setId).slice(0, 40);
    const result = await claimSet(deps.db, me(req).player.id, setId);
    if (!result.ok) throw new HttpError(CLAIM_STATUS[result.code] ?? 400, result.code, result.message);
    await publishVillageEvent(deps.presence, result.villageId, { kind: "items-added", itemIds: [result.itemId] });
    const body: SetClaimResponse = { view: result.view, itemId: result.itemId, inBarn: result.inBarn };
    res.json(body);
  });

  return router;
}
