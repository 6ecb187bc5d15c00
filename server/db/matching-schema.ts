/**
 * Matching pledges (migration 0019): a sponsor's promise to match a
 * campaign's donations, and what it matched for each paid order. The matching
 * itself is applied by the database when an order is paid (trigger
 * orders_match_pledges, the rule of shared/matching-rule.ts); refunds and
 * disputes unmatch in server/payments/matching.ts. Re-exported by schema.ts.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { campaigns } from "./ngo-schema.ts";
import { ngos, orders, players } from "./schema.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const campaignPledges = pgTable(
  "campaign_pledges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    campaignId: uuid("campaign_id").notNull().references(() => campaigns.id),
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
    sponsorName: text("sponsor_name").notNull(),
    /** Whole percent of the donor's own gift: 100 is 1:1, 200 is 2:1. */
    ratioPercent: integer("ratio_percent").notNull(),
    capCents: integer("cap_cents").notNull(),
    /** What the pledge matches now (net of unmatching); never above the cap. */
    matchedCents: integer("matched_cents").notNull().default(0),
    currency: text("currency").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    status: text("status", { enum: ["active", "ended", "cancelled"] }).notNull().default("active"),
    createdBy: uuid("created_by").references(() => players.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    check("campaign_pledges_ratio", sql`${t.ratioPercent} between 1 and 500`),
    check("campaign_pledges_cap_positive", sql`${t.capCents} > 0`),
    check("campaign_pledges_matched_within_cap", sql`${t.matchedCents} between 0 and ${t.capCents}`),
    check("campaign_pledges_period", sql`${t.endsAt} > ${t.startsAt}`),
    check("campaign_pledges_status", sql`${t.status} in ('active', 'ended', 'cancelled')`),
    index("campaign_pledges_campaign_idx").on(t.campaignId),
  ],
);

/** One pledge's match of one paid order. */
export const pledgeMatches = pgTable(
  "pledge_matches",
  {
    pledgeId: uuid("pledge_id").notNull().references(() => campaignPledges.id),
    orderId: uuid("order_id").notNull().references(() => orders.id),
    campaignId: uuid("campaign_id").notNull(),
    /** The order's lines for the campaign's gifts when it was paid: the donor's own gift matched. */
    lineIds: uuid("line_ids").array().notNull(),
    /** Their total (the base), and the part this pledge covered (pledges apply one after the other). */
    baseCents: integer("base_cents").notNull(),
    coveredCents: integer("covered_cents").notNull(),
    /** The match when paid, and now (lower after refunds). */
    originalCents: integer("original_cents").notNull(),
    matchedCents: integer("matched_cents").notNull(),
    /** Changes since the payment: each has its own ledger key. */
    revision: integer("revision").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.pledgeId, t.orderId] }),
    check("pledge_matches_amounts", sql`${t.originalCents} > 0 and ${t.matchedCents} between 0 and ${t.originalCents}`),
    index("pledge_matches_order_idx").on(t.orderId),
  ],
);
