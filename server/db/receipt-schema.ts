/**
 * French tax receipts: the donor's identity and address, the gapless number
 * counter per NGO and year, and the receipts issued (server/receipts/).
 * Re-exported by schema.ts.
 */
import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { ngos, players } from "./schema.ts";

/** Identity and postal address a donor gives for French tax receipts (optional). */
export const donorProfiles = pgTable("donor_profiles", {
  playerId: uuid("player_id").primaryKey().references(() => players.id, { onDelete: "cascade" }),
  firstName: text("first_name").notNull(),
  lastName: text("last_name").notNull(),
  addressLines: jsonb("address_lines").$type<string[]>().notNull(),
  postalCode: text("postal_code").notNull(),
  city: text("city").notNull(),
  country: text("country").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The last tax receipt number used per NGO and year: numbers are sequential and never reused. */
export const receiptCounters = pgTable(
  "receipt_counters",
  {
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
    year: integer("year").notNull(),
    last: integer("last").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ngoId, t.year] })],
);

/**
 * Issued tax receipts, with the exact content printed (re-rendered identically). Never deleted:
 * a refund or a lost dispute cancels one (status "cancelled", kept with its number and content)
 * and, when money is left, a new receipt with a new number replaces it ("annule et remplace").
 */
export const taxReceipts = pgTable(
  "tax_receipts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull().unique(),
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
    playerId: uuid("player_id").references(() => players.id, { onDelete: "set null" }),
    year: integer("year").notNull(),
    totalCents: integer("total_cents").notNull(),
    content: jsonb("content").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    status: text("status", { enum: ["issued", "cancelled"] }).notNull().default("issued"),
    /** The receipt this one cancels and replaces. */
    replacesId: uuid("replaces_id").references((): AnyPgColumn => taxReceipts.id).unique(),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancellationReason: text("cancellation_reason", { enum: ["refunded", "dispute_lost"] }),
  },
  (t) => [
    uniqueIndex("tax_receipts_one_per_year").on(t.ngoId, t.playerId, t.year).where(sql`${t.status} = 'issued'`),
    check("tax_receipts_positive", sql`${t.totalCents} > 0`),
    check("tax_receipts_status", sql`${t.status} in ('issued', 'cancelled')`),
    check("tax_receipts_cancelled", sql`(${t.status} = 'cancelled') = (${t.cancelledAt} is not null)`),
  ],
);
