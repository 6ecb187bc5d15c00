/**
 * GET /api/me/impact: "Your impact", the caller's own paid gifts still in a
 * village (never anyone else's, never a refunded one), the projects they
 * helped with their fund-trail stage, and the NGOs' newest photos about those
 * projects (services/my-impact.ts). A session is required; there is no id in
 * the path, so nobody can ask for someone else's.
 */
import express, { type Router } from "express";
import type { MyImpactResponse } from "../../shared/my-impact.ts";
import type { Db } from "../db/connect.ts";
import { myImpact } from "../services/my-impact.ts";
import { me, requirePlayer } from "./auth.ts";

export function myImpactRouter(deps: { db: Db }): Router {
  const router = express.Router();
  const auth = requirePlayer(deps.db);

  router.get("/api/me/impact", auth, async (req, res) => {
    const body: MyImpactResponse = await myImpact(deps.db, me(req).player.id);
    res.set("cache-control", "private, no-store").json(body);
  });

  return router;
}
