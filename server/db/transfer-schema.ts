/**
 * The NGO transfers outbox: every transfer to an NGO's Stripe account, and
 * every reversal of one, that Hameau owes. A row is written in the same
 * database transaction as the obligation (a fulfilment, a refund, a lost
 * dispute), executed after commit, and retried by a sweeper until Stripe
 * confirms it (server/payments/ngo-transfers-outbox.ts). Its obligation key
 * is unique, and is the Stripe idempotency key, so each is made exactly once.
 * Re-exported by schema.ts.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { ngos, orders } from "./schema.ts";

export const ngoTransfers = pgTable(
  "ngo_transfers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /**
     * What the row settles, unique: `transfer:<order>:<ngo>`, `transfer_reversal:refund:<order>:<cumulative>:<ngo>`,
     * `transfer_reversal:dispute:<dispute>:<ngo>`. Also the ledger transaction's source key once made.
     */
    obligationKey: text("obligation_key").notNull().unique(),
    kind: text("kind", { enum: ["transfer", "transfer_reversal"] }).notNull(),
    /** Why: the payment (a transfer), a refund or a lost dispute (a reversal). */
    reason: text("reason", { enum: ["payment", "refund", "dispute"] }).notNull(),
    orderId: uuid("order_id").notNull().references(() => orders.id),
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    /** How the order was charged: the NGO's transfer comes with a destination charge, or is made separately. */
    chargeMode: text("charge_mode", { enum: ["destination", "separate"] }).notNull(),
    /** The NGO's connected account (acct_…), when known. */
    destination: text("destination"),
    status: text("status", { enum: ["pending", "done"] }).notNull().default("pending"),
    /** The transfer made (kind transfer) or reversed (kind transfer_reversal): tr_…, or tr_test_local_… in TEST MODE. */
    stripeTransferId: text("stripe_transfer_id"),
    /** The reversal made: trr_…, or trr_test_local_… in TEST MODE. */
    stripeReversalId: text("stripe_reversal_id"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** A process working on the row holds it until then (another may take it over afterwards). */
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp("done_at", { withTimezone: true }),
  },
  (t) => [
    check("ngo_transfers_amount_positive", sql`${t.amountCents} > 0`),
    check("ngo_transfers_done_has_ids", sql`${t.status} = 'pending' or (${t.stripeTransferId} is not null and (${t.kind} = 'transfer' or ${t.stripeReversalId} is not null))`),
    index("ngo_transfers_order_idx").on(t.orderId, t.ngoId),
    index("ngo_transfers_pending_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);
