/**
 * Payment alerts for platform administrators (everyone else: 401 without a
 * session, 403 with one): the list, and marking one resolved once looked into.
 */
import express, { type Router } from "express";
import type { Logger } from "pino";
import { type PaymentAlertResolveResponse, PaymentAlertsQuery, type PaymentAlertsResponse } from "../../shared/payment-alerts.ts";
import type { Db } from "../db/connect.ts";
import { listPaymentAlerts, resolvePaymentAlert } from "../payments/payment-alerts.ts";
import { me, requirePlayer } from "./auth.ts";
import { fromZod, HttpError, idParam } from "./errors.ts";
import { requirePlatformAdmin } from "./ngo-auth.ts";

export function paymentAlertsRouter(deps: { db: Db; logger: Logger; now?: () => number }): Router {
  const { db } = deps;
  const router = express.Router();
  const guard = [requirePlayer(db), requirePlatformAdmin(db)];

  router.get("/api/admin/payment-alerts", ...guard, async (req, res) => {
    const parsed = PaymentAlertsQuery.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error, "query");
    const body: PaymentAlertsResponse = await listPaymentAlerts(db, parsed.data.status);
    res.set("cache-control", "private, no-store").json(body);
  });

  router.post("/api/admin/payment-alerts/:alertId/resolve", ...guard, async (req, res) => {
    const alertId = idParam(req.params.alertId, "No such payment alert");
    const alert = await resolvePaymentAlert(db, alertId, me(req).player.id, new Date((deps.now ?? Date.now)()));
    if (!alert) throw new HttpError(404, "not_found", "No such payment alert");
    deps.logger.info({ alertId, by: me(req).player.id }, "payment alert resolved");
    const body: PaymentAlertResolveResponse = { alert };
    res.json(body);
  });

  return router;
}
