/**
 * POST /webhooks/stripe — the only door through which money moves in Hameau.
 * The signature is verified on the raw body (Stripe's scheme and tolerance);
 * every verified event is stored by its id, in the same transaction as its
 * processing (see events.ts), and processing is idempotent. A forged event
 * writes nothing.
 */
import express, { type Router } from "express";
import type { Logger } from "pino";
import Stripe from "stripe";
import { jsonProblem } from "../../shared/text.ts";
import type { Db } from "../db/connect.ts";
import { HttpError } from "../http/errors.ts";
import { type Announcement, processEvent, waitingEvents } from "./events.ts";
import { bookStripeFee } from "./fees.ts";

export const WEBHOOK_PATH = "/webhooks/stripe";

export interface WebhookDeps {
  db: Db;
  /** The Stripe client when keys are configured (fees are then booked after each payment). */
  stripe: Stripe | null;
  webhookSecret: string;
  logger: Logger;
  /** Called after commit for every visible change (gifts granted or taken back). */
  announce: (announcement: Announcement) => Promise<void> | void;
}

export function webhookRouter(deps: WebhookDeps): Router {
  const router = express.Router();
  router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: "1mb" }), async (req, res, next) => {
    try {
      const signature = req.header("stripe-signature");
      if (!signature) throw new HttpError(400, "webhook_signature_invalid", "Missing Stripe-Signature header");
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpError(400, "webhook_payload_invalid", "Empty body");
      let event: Stripe.Event;
      try {
        event = await Stripe.webhooks.constructEventAsync(req.body, signature, deps.webhookSecret);
      } catch {
        throw new HttpError(400, "webhook_signature_invalid", "Stripe signature verification failed");
      }
      const outcome = await handleEvent(deps, event);
      res.json({ received: true, eventId: event.id, outcome });
    } catch (err) {
      next(err);
    }
  });
  return router;
}

export async function handleEvent(deps: WebhookDeps, event: Stripe.Event): Promise<string> {
  if (!event || typeof event !== "object" || typeof event.id !== "string" || typeof event.type !== "string" || !event.data?.object) {
    throw new HttpError(400, "webhook_payload_invalid", "Not a Stripe event");
  }
  // Signed, yet unstorable (a NUL in a field): refused before anything is written.
  if (jsonProblem(event, 64)) throw new HttpError(400, "webhook_payload_invalid", "The event holds text that cannot be stored");
  const result = await processEvent(deps.db, event);
  deps.logger.info({ eventId: event.id, type: event.type, outcome: result.outcome }, "stripe event");
  for (const a of result.announcements) await deps.announce(a);
  if (result.released) await replayWaiting(deps, result.released);
  if (result.paid && deps.stripe) await bookStripeFee({ db: deps.db, stripe: deps.stripe, logger: deps.logger }, result.paid);
  return result.outcome;
}

/** Runs the events that arrived before their payment was known (a refund before its payment…). */
async function replayWaiting(deps: WebhookDeps, paymentIntentId: string): Promise<void> {
  for (const waiting of await waitingEvents(deps.db, paymentIntentId)) {
    const result = await processEvent(deps.db, waiting);
    deps.logger.info({ eventId: waiting.id, type: waiting.type, outcome: result.outcome }, "stripe event replayed after its payment");
    for (const a of result.announcements) await deps.announce(a);
  }
}
