/**
 * Waiting events are never stranded. An event about a payment not known yet
 * (a refund before its payment) is stored "waiting"; the fulfilment of that
 * payment replays it at once. If the process dies between the two (or the
 * replay fails), the sweeper finds it: on start, then every interval, it
 * replays every unprocessed event whose payment is now paid. Processing is
 * idempotent and serialised by the event's row lock, so sweepers of several
 * processes running side by side apply each event once.
 *
 * Events still unprocessed after `staleAfterMs` (a payment that never came,
 * an event that keeps failing) are logged at error on every sweep and
 * reported by reconciliation, until they are processed.
 */
import { and, asc, eq, isNull, lt } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "../db/connect.ts";
import { orders, stripeEvents } from "../db/schema.ts";
import { processEvent } from "./events.ts";
import { settle, type WebhookDeps } from "./webhook.ts";

/** The most events one sweep replays (the next sweep goes on). */
const SWEEP_LIMIT = 500;

export interface SweepResult {
  replayed: number;
  failed: number;
  /** Events unprocessed for longer than the stale delay. */
  stranded: number;
}

/** Unprocessed events whose payment is paid now, oldest first. */
async function releasable(db: Db): Promise<Stripe.Event[]> {
  const rows = await db
    .select({ payload: stripeEvents.payload })
    .from(stripeEvents)
    .innerJoin(orders, and(eq(orders.paymentIntentId, stripeEvents.paymentIntentId), eq(orders.status, "paid")))
    .where(isNull(stripeEvents.processedAt))
    .orderBy(asc(stripeEvents.receivedAt))
    .limit(SWEEP_LIMIT);
  return rows.map((r) => r.payload as Stripe.Event);
}

/** Events unprocessed since before `before` (what reconciliation and the logs show). */
export async function strandedEvents(db: Db, before: Date, limit = 100) {
  return db
    .select({ id: stripeEvents.id, type: stripeEvents.type, paymentIntentId: stripeEvents.paymentIntentId, receivedAt: stripeEvents.receivedAt, outcome: stripeEvents.outcome })
    .from(stripeEvents)
    .where(and(isNull(stripeEvents.processedAt), lt(stripeEvents.receivedAt, before)))
    .orderBy(asc(stripeEvents.receivedAt))
    .limit(limit);
}

/** One sweep: replays what can be, then tells about what has waited too long. */
export async function sweepWaitingEvents(deps: WebhookDeps, staleAfterMs: number, now = Date.now()): Promise<SweepResult> {
  const result: SweepResult = { replayed: 0, failed: 0, stranded: 0 };
  for (const event of await releasable(deps.db)) {
    try {
      const processed = await processEvent(deps.db, event);
      result.replayed++;
      await settle(deps, event, processed, "stripe event replayed by the waiting-event sweeper");
    } catch (err) {
      result.failed++;
      deps.logger.error({ err, eventId: event.id, type: event.type }, "waiting stripe event could not be replayed; the next sweep tries again");
    }
  }
  const stranded = await strandedEvents(deps.db, new Date(now - staleAfterMs));
  result.stranded = stranded.length;
  if (stranded.length > 0) {
    deps.logger.error(
      { events: stranded.map((e) => ({ id: e.id, type: e.type, paymentIntentId: e.paymentIntentId, receivedAt: e.receivedAt.toISOString() })) },
      `${stranded.length} stripe event(s) unprocessed for more than ${Math.round(staleAfterMs / 60_000)} min (a payment Hameau never saw?): see npm run reconcile`,
    );
  }
  return result;
}

/** Sweeps now, then every `intervalMs`; a sweep still running is not doubled. */
export function startWaitingEventSweeper(deps: WebhookDeps, opts: { intervalMs: number; staleAfterMs: number }): { stop(): void; idle(): Promise<void> } {
  let running: Promise<void> | null = null;
  const sweep = () => {
    running ??= sweepWaitingEvents(deps, opts.staleAfterMs)
      .then(() => undefined, (err: unknown) => deps.logger.error({ err }, "waiting-event sweep failed"))
      .finally(() => (running = null));
    return running;
  };
  void sweep();
  const timer = setInterval(() => void sweep(), opts.intervalMs);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    idle: async () => {
      await running;
    },
  };
}
