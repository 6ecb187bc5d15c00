/**
 * What reconciliation reports whatever the period, from Hameau's own records:
 * open payment alerts (a verified event that did not match its order, and a
 * mismatch event whose alert a crash lost), and events unprocessed for too
 * long (a refund waiting for a payment Hameau never saw). Each stays reported
 * until it is resolved or processed, so `npm run reconcile` exits 1 meanwhile.
 */
import { sql } from "drizzle-orm";
import { PAYMENT_ALERT_KINDS } from "../../shared/payment-alerts.ts";
import type { Db } from "../db/connect.ts";
import { openPaymentAlerts } from "./payment-alerts.ts";
import type { Difference } from "./reconciliation.ts";
import { strandedEvents } from "./waiting-events.ts";

const clean = (d: Difference): Difference => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined && v !== null)) as unknown as Difference;

export async function openPaymentProblems(db: Db, strandedBefore: Date): Promise<Difference[]> {
  const out: Difference[] = [];
  for (const a of await openPaymentAlerts(db)) {
    const value = (s: typeof a.stripe) => (a.kind === "currency_mismatch" ? s.currency : a.kind === "session_mismatch" ? s.id : s.amountCents);
    out.push(clean({
      kind: "payment_alert_open", stripeEventId: a.stripeEventId, orderId: a.orderId ?? undefined, stripe: value(a.stripe), hameau: value(a.hameau),
      detail: `${a.kind} on ${a.eventType} since ${a.createdAt}: look into it, then resolve it in the console (Payment alerts)`,
    }));
  }
  const kinds = sql.join(PAYMENT_ALERT_KINDS.map((k) => sql`${k}`), sql`, `);
  const lost = (await db.execute(sql`
    select e.id, e.type, e.outcome from stripe_events e left join payment_alerts a on a.stripe_event_id = e.id
    where e.processed_at is not null and e.outcome in (${kinds}) and a.id is null order by e.received_at limit 100`)) as unknown as { rows: Array<{ id: string; type: string; outcome: string }> };
  for (const e of lost.rows) {
    out.push({ kind: "payment_alert_open", stripeEventId: e.id, detail: `${e.outcome} on ${e.type}: its alert was never stored (a crash after processing?)` });
  }
  for (const e of await strandedEvents(db, strandedBefore)) {
    out.push(clean({
      kind: "waiting_event_stranded", stripeEventId: e.id, paymentIntentId: e.paymentIntentId ?? undefined, stripe: e.type, hameau: e.outcome ?? "unprocessed",
      detail: `received ${e.receivedAt.toISOString()}, still not processed: ${e.outcome === "waiting" ? "its payment is unknown to Hameau" : "its processing keeps failing"}`,
    }));
  }
  return out;
}
