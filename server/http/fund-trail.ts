/**
 * The fund trail over HTTP:
 *  - POST /api/ngos/:ngoId/gifts/:giftId/trail (editor+): append a step;
 *  - GET  /api/ngos/:ngoId/gifts/:giftId/trail (members): the gift's steps;
 *  - GET  /api/villages/:villageId/items/:itemId/trail: a donated item's
 *    trail, for whoever may visit the village (its owner, friends, anyone
 *    when public; never across a block). No amount, no payer.
 */
import express, { type Router } from "express";
import { TrailStepRequest, type TrailStepsResponse, type TrailStepView } from "../../shared/fund-trail.ts";
import type { Db } from "../db/connect.ts";
import { appendStep, giftSteps, itemTrail } from "../services/fund-trail.ts";
import { mayVisit } from "../services/friends.ts";
import { me, requirePlayer } from "./auth.ts";
import { HttpError, fromRule, fromZod, idParam } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

export function fundTrailRouter(deps: { db: Db; now: () => number }): Router {
  const { db } = deps;
  const router = express.Router();
  const auth = requirePlayer(db);

  router.post("/api/ngos/:ngoId/gifts/:giftId/trail", auth, requireNgoRole(db, "editor"), async (req, res) => {
    const giftId = idParam(req.params.giftId, "No such gift in this NGO");
    const parsed = TrailStepRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const now = deps.now();
    const body = parsed.data;
    const coversPaidBefore = body.coversPaidBefore ? Date.parse(body.coversPaidBefore) : now;
    const result = await appendStep(db, {
      ngoId: ngoOf(req).ngoId, giftId, authorId: me(req).player.id, stage: body.stage, happenedOn: body.happenedOn,
      coversPaidBefore, noteFr: body.noteFr, noteEn: body.noteEn, now,
    });
    if (!result.ok) {
      if (!("field" in result)) throw fromRule(result);
      throw new HttpError(422, result.code, result.message, { [result.field]: result.message });
    }
    const answer: { step: TrailStepView } = { step: result.step };
    res.status(201).json(answer);
  });

  router.get("/api/ngos/:ngoId/gifts/:giftId/trail", auth, requireNgoRole(db, "viewer"), async (req, res) => {
    const giftId = idParam(req.params.giftId, "No such gift in this NGO");
    const steps = await giftSteps(db, ngoOf(req).ngoId, giftId);
    if (!steps) throw new HttpError(404, "not_found", "No such gift in this NGO");
    const body: TrailStepsResponse = { steps };
    res.set("cache-control", "no-store").json(body);
  });

  router.get("/api/villages/:villageId/items/:itemId/trail", auth, async (req, res) => {
    const villageId = idParam(req.params.villageId, "No such village");
    const itemId = idParam(req.params.itemId, "No such gift in this village");
    const allowed = await mayVisit(db, me(req).player.id, villageId);
    if (!allowed.ok) throw fromRule(allowed);
    const trail = await itemTrail(db, villageId, itemId);
    if (!trail) throw new HttpError(404, "item_unknown", "No such donated gift in this village");
    res.set("cache-control", "no-store").json(trail);
  });

  return router;
}
