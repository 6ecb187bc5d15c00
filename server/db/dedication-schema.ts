/**
 * Gifts dedicated "in honour of" someone (delivered on their date by
 * services/dedication-delivery.ts), the monthly impact digests sent (one row
 * per player and month: services/impact-digest.ts), and the keys that sign
 * links in mails (services/mail-links.ts). Re-exported by schema.ts.
 */
import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orders, players, villages } from "./schema.ts";

export const giftDedications = pgTable(
  "gift_dedications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** One dedication per order, written with the pending order. */
    orderId: uuid("order_id").notNull().unique().references(() => orders.id),
    giverId: uuid("giver_id").notNull().references(() => players.id),
    honoreeName: text("honoree_name").notNull(),
    message: text("message").notNull().default(""),
    /** The Paris calendar date it is delivered on. */
    deliverOn: date("deliver_on", { mode: "string" }).notNull(),
    kind: text("kind", { enum: ["village", "email"] }).notNull(),
    villageId: uuid("village_id").references(() => villages.id),
    email: text("email"),
    showGiverName: boolean("show_giver_name").notNull().default(false),
    /** The giver's language at checkout: the e-card's. */
    locale: text("locale", { enum: ["fr", "en"] }).notNull().default("fr"),
    status: text("status", { enum: ["scheduled", "delivered", "cancelled"] }).notNull().default("scheduled"),
    /** A process delivering it holds it until then (several processes may sweep). */
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    doneAt: timestamp("done_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("gift_dedications_due_idx").on(t.deliverOn).where(sql`${t.status} = 'scheduled'`),
    check("gift_dedications_kind", sql`${t.kind} in ('village', 'email')`),
    check("gift_dedications_target", sql`(${t.kind} = 'village' and ${t.villageId} is not null and ${t.email} is null) or (${t.kind} = 'email' and ${t.email} is not null and ${t.villageId} is null)`),
    check("gift_dedications_status", sql`${t.status} in ('scheduled', 'delivered', 'cancelled')`),
    check("gift_dedications_lengths", sql`char_length(${t.honoreeName}) between 1 and 60 and char_length(${t.message}) <= 300`),
  ],
);

export const impactDigests = pgTable(
  "impact_digests",
  {
    playerId: uuid("player_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    /** The month whose news it tells, "YYYY-MM" (Paris). */
    month: text("month").notNull(),
    status: text("status", { enum: ["due", "sent", "skipped"] }).notNull().default("due"),
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    outcome: text("outcome"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp("done_at", { withTimezone: true }),
    /** When the digest's one-click unsubscribe link was used: it works once (migration 0027). */
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.playerId, t.month] }),
    index("impact_digests_due_idx").on(t.month).where(sql`${t.status} = 'due'`),
    check("impact_digests_month", sql`${t.month} ~ '^[0-9]{4}-[0-9]{2}$'`),
  ],
);

/** Secrets that sign links in mails, made once by whichever process needs one first. */
export const signingKeys = pgTable("signing_keys", {
  name: text("name").primaryKey(),
  secret: text("secret").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
