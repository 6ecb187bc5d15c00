/**
 * Monthly gifts (Stripe Billing subscriptions, migration 0022). One row per
 * monthly gift a player set up: the gift it grows in their village, its NGO
 * and project, the amount per month, its status as Stripe tells it, and the
 * Stripe ids. Each paid invoice becomes an order (orders.monthly_gift_id,
 * checkout_session_id = the invoice id) fulfilled exactly once like a
 * checkout. Re-exported by schema.ts, so drizzle sees one schema.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { gifts, ngos, players, projects, villages } from "./schema.ts";

export const monthlyGifts = pgTable(
  "monthly_gifts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    playerId: uuid("player_id").notNull().references(() => players.id),
    villageId: uuid("village_id").notNull().references(() => villages.id),
    giftId: uuid("gift_id").notNull().references(() => gifts.id),
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
    projectId: uuid("project_id").notNull().references(() => projects.id),
    /** What is given each month, integer cents (at least the gift's price; the rest supports the project). */
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    /** shared/monthly-gifts.ts MONTHLY_STATUSES: incomplete until the first month is set up, then as Stripe says. */
    status: text("status", { enum: ["incomplete", "active", "past_due", "action_required", "cancelled"] }).notNull().default("incomplete"),
    provider: text("provider", { enum: ["stripe", "test"] }).notNull(),
    /** Where the money goes, as for a one-off checkout (charge-routing.ts): the NGO's account, or Hameau's. */
    chargeMode: text("charge_mode", { enum: ["platform", "destination"] }).notNull().default("platform"),
    checkoutSessionId: text("checkout_session_id").unique(),
    stripeSubscriptionId: text("stripe_subscription_id").unique(),
    stripeCustomerId: text("stripe_customer_id"),
    nextInvoiceAt: timestamp("next_invoice_at", { withTimezone: true }),
    /** The last payment problem's link (hosted invoice page), shown in My donations until a month is paid. */
    actionUrl: text("action_url"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
  },
  (t) => [
    check("monthly_gifts_amount", sql`${t.amountCents} between 100 and 100000`),
    check("monthly_gifts_status", sql`${t.status} in ('incomplete', 'active', 'past_due', 'action_required', 'cancelled')`),
    index("monthly_gifts_player_idx").on(t.playerId),
  ],
);
