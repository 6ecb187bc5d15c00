/**
 * The NGO console's payments account routes, under /api/ngos/:ngoId: its own
 * Stripe account (Connect). Any member reads the status; admins connect
 * (create the account once, get a fresh onboarding link) and refresh it from
 * Stripe when they come back. A non-member gets 404, a viewer or editor
 * writing 403 (requireNgoRole).
 */
import express, { type Router } from "express";
import type { PaymentsAccountView, PaymentsOnboardingResponse } from "../../shared/payments-account.ts";
import { type ConnectedAccountsDeps, refreshAccount, startOnboarding } from "../payments/connected-accounts.ts";
import { paymentsAccountView } from "../services/payments-account.ts";
import { requirePlayer } from "./auth.ts";
import { HttpError } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

export function ngoPaymentsAccountRouter(deps: ConnectedAccountsDeps): Router {
  const router = express.Router();
  const { db } = deps;
  const auth = requirePlayer(db);
  const reader = [auth, requireNgoRole(db, "viewer")];
  const admin = [auth, requireNgoRole(db, "admin")];

  const view = async (ngoId: string): Promise<PaymentsAccountView> => {
    const v = await paymentsAccountView(db, ngoId);
    if (!v) throw new HttpError(404, "not_found", "No such NGO");
    return v;
  };

  router.get("/api/ngos/:ngoId/payments-account", ...reader, async (req, res) => {
    res.set("cache-control", "no-store").json(await view(ngoOf(req).ngoId));
  });

  router.post("/api/ngos/:ngoId/payments-account/onboarding", ...admin, async (req, res) => {
    const body: PaymentsOnboardingResponse = await startOnboarding(deps, ngoOf(req).ngoId);
    res.set("cache-control", "no-store").json(body);
  });

  router.post("/api/ngos/:ngoId/payments-account/refresh", ...admin, async (req, res) => {
    const { ngoId } = ngoOf(req);
    await refreshAccount(deps, ngoId);
    res.set("cache-control", "no-store").json(await view(ngoId));
  });
  return router;
}
