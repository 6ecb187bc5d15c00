/**
 * GET /api/ngos/:ngoId/money — the NGO's money as the books tell it (given,
 * transferred to its Stripe account, owed, paid out, pending), for members of
 * the NGO with at least the viewer role; anyone else gets 404, as for every
 * NGO console route.
 */
import express, { type Router } from "express";
import type { Db } from "../db/connect.ts";
import { ngoMoney } from "../services/ngo-money.ts";
import { requirePlayer } from "./auth.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

export function ngoMoneyRouter(db: Db): Router {
  const router = express.Router();
  router.get("/api/ngos/:ngoId/money", requirePlayer(db), requireNgoRole(db, "viewer"), async (req, res) => {
    res.set("cache-control", "private, no-store").json(await ngoMoney(db, ngoOf(req).ngoId));
  });
  return router;
}
