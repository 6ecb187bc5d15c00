/**
 * Mails to send, written in the transaction of what they tell (a paid order,
 * a tax receipt cancelled) and sent after commit by server/mail/mail-queue.ts.
 * The dedupe key makes each mail exist once whatever replays what.
 * Re-exported by schema.ts, so drizzle sees one schema.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { players } from "./schema.ts";

export const mailQueue = pgTable(
  "mail_queue",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** What the mail is for: order_receipt (payload { orderId }), tax_receipt_cancelled (payload { cancelledId, replacementId }),
     * monthly_payment_problem (payload { monthlyGiftId, invoiceId, problem, url }), impact_digest (payload { month }). */
    kind: text("kind", { enum: ["order_receipt", "tax_receipt_cancelled", "monthly_payment_problem", "impact_digest"] }).notNull(),
    /** e.g. "order_receipt:<order id>": one mail per thing told. */
    dedupeKey: text("dedupe_key").notNull().unique(),
    playerId: uuid("player_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    payload: jsonb("payload").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set once handled: sent, or nobody to send it to (no account, account deleted), or given up. */
    doneAt: timestamp("done_at", { withTimezone: true }),
    outcome: text("outcome"),
  },
  (t) => [
    index("mail_queue_due_idx").on(t.nextAttemptAt).where(sql`${t.doneAt} is null`),
    check("mail_queue_kind", sql`${t.kind} in ('order_receipt', 'tax_receipt_cancelled', 'monthly_payment_problem', 'impact_digest')`),
  ],
);
