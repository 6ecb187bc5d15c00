/**
 * The player's own data: GET /api/me/export (everything Hameau holds about
 * them, as a JSON download) and DELETE /api/me (delete the account: confirm
 * "DELETE", and for an account the current password). After the deletion
 * commits, every live trace goes: room connections, the village room,
 * presence (realtime/account-deletions.ts).
 */
import express, { type Router } from "express";
import { rateLimit } from "express-rate-limit";
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import type Stripe from "stripe";
import { DeleteAccountRequest, exportFileName } from "../../shared/privacy.ts";
import type { Db } from "../db/connect.ts";
import { announceAccountDeleted } from "../realtime/account-deletions.ts";
import { cancelStripeSubscriptionsOf, expireMonthlyCheckouts } from "../payments/monthly-stop.ts";
import { deleteAccount } from "../services/account-deletion.ts";
import { exportPlayerData } from "../services/data-export.ts";
import { hashToken } from "../services/players.ts";
import { bearerToken, me, requirePlayer } from "./auth.ts";
import { HttpError, fromRule, fromZod } from "./errors.ts";

export function privacyRouter(deps: { db: Db; presence: Presence; logger: Logger; stripe: Stripe | null }): Router {
  const router = express.Router();
  const auth = requirePlayer(deps.db);
  const limited = (limit: number, windowMs: number) =>
    rateLimit({
      windowMs, limit, standardHeaders: "draft-8", legacyHeaders: false,
      // Per player: a stolen session must not become a password guesser.
      keyGenerator: (req) => `player:${me(req).player.id}`,
      handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "Too many attempts; try again in a few minutes")),
    });

  router.get("/api/me/export", auth, limited(10, 60_000), async (req, res) => {
    const token = bearerToken(req);
    const now = new Date();
    const data = await exportPlayerData(deps.db, me(req).player.id, token ? hashToken(token) : null, now);
    if (!data) throw new HttpError(404, "account_deleted", "This account was deleted");
    res.set({ "content-disposition": `attachment; filename="${exportFileName(now)}"`, "cache-control": "private, no-store" });
    res.type("application/json").send(JSON.stringify(data, null, 2));
  });

  router.delete("/api/me", auth, limited(10, 15 * 60_000), async (req, res) => {
    const parsed = DeleteAccountRequest.safeParse(req.body ?? {});
    if (!parsed.success) {
      const confirm = parsed.error.issues.some((i) => i.path[0] === "confirm");
      if (confirm) throw new HttpError(400, "confirmation_required", `Type "DELETE" to confirm: confirm must be "DELETE"`);
      throw fromZod(parsed.error);
    }
    const result = await deleteAccount(deps.db, { playerId: me(req).player.id, password: parsed.data.password }, {
      stopMonthly: (playerId) => cancelStripeSubscriptionsOf(deps.db, deps.stripe, playerId),
    });
    if (!result.ok) throw fromRule(result);
    const { deleted } = result;
    deps.logger.info({ playerId: deleted.playerId, villageId: deleted.villageId, account: deleted.wasAccount }, "account deleted");
    // Committed: now close what is live, in whichever process it runs. A failure here is logged
    // (the sessions are already gone, so nothing can be used again), never an error to the player.
    await announceAccountDeleted(deps.presence, { playerId: deleted.playerId, villageId: deleted.villageId }).catch((err: unknown) =>
      deps.logger.error({ err, playerId: deleted.playerId }, "announcing an account deletion failed"),
    );
    await expireMonthlyCheckouts(deps.stripe, deleted.monthlyCheckouts, deps.logger);
    res.status(204).end();
  });

  return router;
}
