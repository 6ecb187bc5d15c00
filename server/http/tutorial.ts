/** GET /api/tutorial/neighbour: the demo neighbour the tutorial takes a new player to visit (404 without the demo data). */
import express, { type Router } from "express";
import type { TutorialNeighbourResponse } from "../../shared/api.ts";
import type { Db } from "../db/connect.ts";
import { demoNeighbour } from "../db/seed-neighbour.ts";
import { HttpError } from "./errors.ts";

export function tutorialRouter(deps: { db: Db }): Router {
  const router = express.Router();
  router.get("/api/tutorial/neighbour", async (_req, res) => {
    const neighbour = await demoNeighbour(deps.db);
    if (!neighbour) throw new HttpError(404, "not_found", "No demo neighbour on this server");
    const body: TutorialNeighbourResponse = neighbour;
    res.set("cache-control", "no-cache").json(body);
  });
  return router;
}
