/**
 * /api/neighbours and /api/thanks: villages to visit without being friends
 * first (suggestions, and the paginated list of public villages, any
 * session, a guest's too), and thanking the giver of a gift received (the
 * giver's bell rings live; a decoration sent appears in their village live).
 */
import express, { type Router } from "express";
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import {
  PublicVillagesQuery, ThanksRequest, type PublicVillagesResponse, type SuggestedNeighboursResponse, type ThanksResponse,
} from "../../shared/neighbours.ts";
import type { Db } from "../db/connect.ts";
import { listPublicVillages, suggestNeighbours } from "../services/neighbours.ts";
import { thankGiver } from "../services/thanks.ts";
import { publishPlayerEvent } from "../realtime/player-events.ts";
import { publishVillageEvent } from "../realtime/village-events.ts";
import { me, requirePlayer } from "./auth.ts";
import { fromRule, fromZod, idParam } from "./errors.ts";

export function neighboursRouter(deps: { db: Db; presence: Presence; logger: Logger }): Router {
  const router = express.Router();
  const auth = requirePlayer(deps.db);

  router.get("/api/neighbours/suggested", auth, async (req, res) => {
    const body: SuggestedNeighboursResponse = { neighbours: await suggestNeighbours(deps.db, me(req).player.id) };
    res.set("cache-control", "private, no-store").json(body);
  });

  router.get("/api/neighbours/villages", auth, async (req, res) => {
    const query = PublicVillagesQuery.safeParse({ q: req.query.q, page: req.query.page });
    if (!query.success) throw fromZod(query.error, "query");
    const body: PublicVillagesResponse = await listPublicVillages(deps.db, me(req).player.id, query.data);
    res.set("cache-control", "private, no-store").json(body);
  });

  router.post("/api/thanks/:orderId", auth, async (req, res) => {
    const orderId = idParam(req.params.orderId, "No gift received with that id");
    const parsed = ThanksRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await thankGiver(deps.db, me(req).player.id, orderId, parsed.data);
    if (!result.ok) throw fromRule(result);
    const body: ThanksResponse = { thanked: true, note: result.note, decorationId: result.decorationId };
    res.status(201).json(body);
    // Stored already: a failed push only means the giver sees it at their next read.
    try {
      await publishPlayerEvent(deps.presence, result.told.playerId, { kind: "notification", notificationId: result.told.notificationId });
      if (result.gift) await publishVillageEvent(deps.presence, result.gift.villageId, { kind: "items-added", itemIds: [result.gift.itemId] });
    } catch (err) {
      deps.logger.warn({ err }, "live thank-you push failed");
    }
  });

  return router;
}
