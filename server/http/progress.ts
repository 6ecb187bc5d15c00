/**
 * /api/progress: my level, XP, today's quests and daily reward
 * (shared/progress-api.ts), and the two claims. A claim is idempotent: a
 * reward already claimed answers 409 already_claimed and pays nothing.
 */
import express, { type Router } from "express";
import { rateLimit } from "express-rate-limit";
import type { ClaimResponse, ProgressView } from "../../shared/progress-api.ts";
import type { Db } from "../db/connect.ts";
import { claimDailyReward, claimQuest, progressOf } from "../services/progression.ts";
import { me, requirePlayer } from "./auth.ts";
import { HttpError } from "./errors.ts";
import { type LimiterStores, memoryStores } from "./rate-limit-store.ts";

/** HTTP status of a claim's refusal. */
const CLAIM_STATUS: Record<string, number> = { already_claimed: 409, quest_not_done: 409, quest_unknown: 404 };

export function progressRouter(deps: { db: Db; now?: () => number; stores?: LimiterStores }): Router {
  const router = express.Router();
  const auth = requirePlayer(deps.db);
  const now = deps.now ?? Date.now;
  const store = (deps.stores ?? memoryStores)("progress-claims");
  const claims = rateLimit({
    windowMs: 60_000, limit: 60, standardHeaders: "draft-8", legacyHeaders: false, ...(store ? { store } : {}),
    handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "Too many requests; try again in a minute")),
  });

  router.get("/api/progress", auth, async (req, res) => {
    const body: ProgressView = (await progressOf(deps.db, me(req).player.id, now())).view;
    res.set("cache-control", "no-store").json(body);
  });

  router.post("/api/progress/daily-reward", claims, auth, async (req, res) => {
    const result = await claimDailyReward(deps.db, me(req).player.id, now());
    if (!result.ok) throw new HttpError(CLAIM_STATUS[result.code] ?? 400, result.code, result.message);
    const body: ClaimResponse = { view: result.view, gain: result.gain, balance: result.balance };
    res.json(body);
  });

  router.post("/api/progress/quests/:questId/claim", claims, auth, async (req, res) => {
    const questId = String(req.params.questId).slice(0, 40);
    const result = await claimQuest(deps.db, me(req).player.id, questId, now());
    if (!result.ok) throw new HttpError(CLAIM_STATUS[result.code] ?? 400, result.code, result.message);
    const body: ClaimResponse = { view: result.view, gain: result.gain, balance: result.balance };
    res.json(body);
  });

  return router;
}
