/**
 * POST /webhooks/stripe — the only door through which money becomes gifts.
 * The signature is verified on the raw body; every verified event is stored
 * by its id before it is processed; a replayed event changes nothing.
 */
import express, { type Router } from "express";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import Stripe from "stripe";
import { z } from "zod";
import type { Db } from "../db/connect.ts";
import { stripeEvents } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { fulfilCheckout, markEventProcessed, type FulfilmentResult } from "./fulfilment.ts";

export const WEBHOOK_PATH = "/webhooks/stripe";

/** The fields of a Checkout Session that fulfilment relies on. */
const CheckoutSessionObject = z.object({
  id: z.string().min(1),
  object: z.literal("checkout.session"),
  amount_total: z.number().int().nonnegative(),
  currency: z.string().length(3),
  payment_status: z.string(),
  payment_intent: z.union([z.string(), z.object({ id: z.string() }), z.null()]).optional(),
  metadata: z.object({ orderId: z.uuid() }),
});

export interface WebhookDeps {
  db: Db;
  webhookSecret: string;
  logger: Logger;
  /** Called after commit for every fulfilled order. */
  onFulfilled: (result: Extract<FulfilmentResult, { outcome: "fulfilled" }>) => Promise<void> | void;
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
  const [stored] = await deps.db
    .insert(stripeEvents)
    .values({ id: event.id, type: event.type, payload: event as unknown as Record<string, unknown> })
    .onConflictDoNothing()
    .returning({ id: stripeEvents.id });
  if (!stored) {
    const [existing] = await deps.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    // Processed before: a replay. Stored but unprocessed (a crash mid-way): process again.
    if (existing?.processedAt) return `duplicate:${existing.outcome ?? ""}`;
  }
  switch (event.type) {
    case "checkout.session.completed": {
      const parsed = CheckoutSessionObject.safeParse(event.data.object);
      if (!parsed.success) {
        deps.logger.warn({ eventId: event.id, issues: parsed.error.issues }, "checkout.session.completed without the fields we need");
        await markEventProcessed(deps.db, event.id, "invalid_payload");
        return "invalid_payload";
      }
      const s = parsed.data;
      const pi = s.payment_intent;
      const result = await fulfilCheckout(deps.db, {
        eventId: event.id,
        sessionId: s.id,
        orderId: s.metadata.orderId,
        amountTotal: s.amount_total,
        currency: s.currency,
        paymentStatus: s.payment_status,
        paymentIntentId: typeof pi === "string" ? pi : (pi?.id ?? null),
      });
      deps.logger.info({ eventId: event.id, orderId: result.orderId, outcome: result.outcome }, "checkout completed");
      if (result.outcome === "fulfilled") await deps.onFulfilled(result);
      return result.outcome;
    }
    default:
      await markEventProcessed(deps.db, event.id, "ignored");
      return "ignored";
  }
}
