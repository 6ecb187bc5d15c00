/**
 * What Hameau remembers about Stripe outcomes beyond the ledger: the refund
 * facts a charge's refunds are computed from (whatever order the events came
 * in, see shared/refund-target.ts), and payment alerts — validly signed
 * events that do not match their order, shown to platform administrators
 * until one of them resolves it. Re-exported by schema.ts.
 */
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orders, players } from "./schema.ts";

/** The newest `charge.refunded` snapshot of an order's charge: its cumulative amount_refunded and when Stripe sent it. */
export const chargeRefundSnapshots = pgTable("charge_refund_snapshots", {
  orderId: uuid("order_id").primaryKey().references(() => orders.id),
  amountRefundedCents: integer("amount_refunded_cents").notNull(),
  /** The event's `created`, epoch seconds. */
  at: integer("at").notNull(),
});

/** Refunds Stripe said failed or were canceled (`refund.failed`, `charge.refund.updated`). */
export const failedRefunds = pgTable(
  "failed_refunds",
  {
    refundId: text("refund_id").primaryKey(),
    orderId: uuid("order_id").notNull().references(() => orders.id),
    amountCents: integer("amount_cents").notNull(),
    /** The refund's `created` and the failure event's `created`, epoch seconds. */
    createdAt: integer("created_at").notNull(),
    failedAt: integer("failed_at").notNull(),
  },
  (t) => [index("failed_refunds_order_idx").on(t.orderId)],
);

/** A verified Stripe event that does not match what Hameau holds (amount, currency, session): one per event. */
export const paymentAlerts = pgTable(
  "payment_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stripeEventId: text("stripe_event_id").notNull().unique(),
    eventType: text("event_type").notNull(),
    /** The event's outcome: session_mismatch, amount_mismatch, currency_mismatch. */
    kind: text("kind").notNull(),
    /** The order the event names, when it names one (not a foreign key: it may be unknown). */
    orderId: uuid("order_id"),
    /** What Stripe said and what Hameau holds (amounts in cents, ids): never card data. */
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedBy: uuid("resolved_by").references(() => players.id, { onDelete: "set null" }),
  },
  (t) => [index("payment_alerts_open_idx").on(t.createdAt).where(sql`${t.resolvedAt} is null`)],
);
