/**
 * POST /webhooks/stripe — the only door through which money moves in Hameau.
 * The signature is verified on the raw body (Stripe's scheme and tolerance);
 * every verified event is stored by its id, in the same transaction as its
 * processing (see events.ts), and processing is idempotent. A forged event
 * writes nothing.
 */
import express, { type Request, type Router } from "express";
import type { Logger } from "pino";
import Stripe from "stripe";
import { jsonProblem } from "../../shared/text.ts";
import type { Db } from "../db/connect.ts";
import { HttpError } from "../http/errors.ts";
import { type Announcement, processEvent, type Processed, waitingEvents } from "./events.ts";
import { alertOnMismatch } from "./payment-alerts.ts";
import { pauseBeforeReplay } from "./fault-injection.ts";
import { bookStripeFee } from "./fees.ts";
import { recordChargeTime } from "./paid-at.ts";

export const WEBHOOK_PATH = "/webhooks/stripe";

export interface WebhookDeps {
  db: Db;
  /** The Stripe client when keys are configured (fees are then booked after each payment). */
  stripe: Stripe | null;
  webhookSecret: string;
  logger: Logger;
  /** Called after commit for every visible change (gifts granted or taken back). */
  announce: (announcement: Announcement) => Promise<void> | void;
  /** Called after commit when an event may have made NGO transfers or reversals owed (the outbox makes them). */
  transfersOwed?: () => void;
  /** Called after commit when an event queued a mail (a monthly gift's payment problem). */
  mailOwed?: () => void;
}

/** Outcomes an operator must look into (logged at error; reconciliation reports them too). */
const SURFACED = new Set(["transfer_reversed_outside_hameau"]);

/** Outcomes after which the NGO transfers outbox may have rows to make. */
const OWES_TRANSFERS = new Set(["fulfilled", "refunded", "dispute_lost"]);

export function webhookRouter(deps: WebhookDeps): Router {
  const router = express.Router();
  router.post(WEBHOOK_PATH, rawBody, async (req, res, next) => {
    try {
      const event = await verifiedEvent(req, deps.webhookSecret);
      const outcome = await handleEvent(deps, event);
      res.json({ received: true, eventId: event.id, outcome });
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/** The raw body a webhook route verifies (mounted before express.json()). */
export const rawBody = express.raw({ type: () => true, limit: "1mb" });

/**
 * The Stripe event of a webhook request, verified on the raw body with the
 * endpoint's secret (Stripe's scheme and tolerance), or a 400 that writes nothing.
 */
export async function verifiedEvent(req: Request, secret: string): Promise<Stripe.Event> {
  const signature = req.header("stripe-signature");
  if (!signature) throw new HttpError(400, "webhook_signature_invalid", "Missing Stripe-Signature header");
  if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpError(400, "webhook_payload_invalid", "Empty body");
  let event: Stripe.Event;
  try {
    event = await Stripe.webhooks.constructEventAsync(req.body, signature, secret);
  } catch {
    throw new HttpError(400, "webhook_signature_invalid", "Stripe signature verification failed");
  }
  if (typeof event?.id !== "string" || typeof event.type !== "string" || !event.data?.object) {
    throw new HttpError(400, "webhook_payload_invalid", "Not a Stripe event");
  }
  return event;
}

export async function handleEvent(deps: WebhookDeps, event: Stripe.Event): Promise<string> {
  if (!event || typeof event !== "object" || typeof event.id !== "string" || typeof event.type !== "string" || !event.data?.object) {
    throw new HttpError(400, "webhook_payload_invalid", "Not a Stripe event");
  }
  // Signed, yet unstorable (a NUL in a field): refused before anything is written.
  if (jsonProblem(event, 64)) throw new HttpError(400, "webhook_payload_invalid", "The event holds text that cannot be stored");
  const result = await processEvent(deps.db, event);
  await settle(deps, event, result, "stripe event");
  if (result.released) {
    await pauseBeforeReplay();
    await replayWaiting(deps, result.released);
  }
  if (result.paid && deps.stripe) {
    const stripeDeps = { db: deps.db, stripe: deps.stripe, logger: deps.logger };
    await Promise.all([bookStripeFee(stripeDeps, result.paid), recordChargeTime(stripeDeps, result.paid)]);
  }
  return result.outcome;
}

/** Runs the events that arrived before their payment was known (a refund before its payment…). */
async function replayWaiting(deps: WebhookDeps, paymentIntentId: string): Promise<void> {
  for (const waiting of await waitingEvents(deps.db, paymentIntentId)) {
    const result = await processEvent(deps.db, waiting);
    await settle(deps, waiting, result, "stripe event replayed after its payment");
  }
}

/** After an event's processing committed: log it, raise an alert on a mismatch, announce what changed. */
export async function settle(deps: WebhookDeps, event: Stripe.Event, result: Processed, message: string): Promise<void> {
  const level = SURFACED.has(result.outcome) ? "error" : "info";
  deps.logger[level]({ eventId: event.id, type: event.type, outcome: result.outcome }, message);
  await alertOnMismatch(deps, event, result.outcome);
  for (const a of result.announcements) await deps.announce(a);
  if (OWES_TRANSFERS.has(result.outcome)) deps.transfersOwed?.();
  if (result.outcome === "monthly_payment_failed" || result.outcome === "monthly_action_required") deps.mailOwed?.();
}
