/**
 * POST /webhooks/stripe/connect — the events of the NGOs' own Stripe accounts
 * (Connect), with the Connect endpoint's own secret
 * (STRIPE_CONNECT_WEBHOOK_SECRET). Verified on the raw body, stored by id and
 * processed exactly once by the same machinery as the platform's events
 * (webhook.ts, events.ts); connect-events.ts says what each one does.
 */
import express, { type Router } from "express";
import type { Logger } from "pino";
import type Stripe from "stripe";
import type { Db } from "../db/connect.ts";
import { giftIdsOfNgo } from "../services/payments-account.ts";
import { dispatchConnectEvent } from "./connect-events.ts";
import { processEvent } from "./events.ts";
import { rawBody, verifiedEvent } from "./webhook.ts";

export const CONNECT_WEBHOOK_PATH = "/webhooks/stripe/connect";

export interface ConnectWebhookDeps {
  db: Db;
  connectWebhookSecret: string;
  logger: Logger;
  /** Publishes "catalog changed" (server/realtime/catalog-events.ts) after commit. */
  catalogChanged: (giftIds: string[]) => Promise<void>;
}

export function connectWebhookRouter(deps: ConnectWebhookDeps): Router {
  const router = express.Router();
  router.post(CONNECT_WEBHOOK_PATH, rawBody, async (req, res, next) => {
    try {
      const event = await verifiedEvent(req, deps.connectWebhookSecret);
      const outcome = await handleConnectEvent(deps, event);
      res.json({ received: true, eventId: event.id, outcome });
    } catch (err) {
      next(err);
    }
  });
  return router;
}

export async function handleConnectEvent(deps: ConnectWebhookDeps, event: Stripe.Event): Promise<string> {
  const result = await processEvent(deps.db, event, dispatchConnectEvent);
  deps.logger.info({ eventId: event.id, type: event.type, account: event.account, outcome: result.outcome }, "stripe connect event");
  if (result.ngoPaymentsChanged) {
    // The NGO's gifts enter or leave the shop: every open shop refetches. A failed publish is logged; the change stands.
    const giftIds = await giftIdsOfNgo(deps.db, result.ngoPaymentsChanged);
    await deps.catalogChanged(giftIds).catch((err: unknown) => deps.logger.error({ err, ngoId: result.ngoPaymentsChanged }, "catalog change not published"));
  }
  return result.outcome;
}
