/**
 * Referrals and share messages (migration 0017): each player's share code,
 * the referral an order came with, the attributions made when it was paid
 * (by the database trigger hameau_attribute_referral), and the share
 * messages an NGO wrote for a campaign. Re-exported by schema.ts.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { ShareChannel, ShareMessages } from "../../shared/share.ts";
import { campaigns } from "./ngo-schema.ts";
import { orders, players } from "./schema.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** A player's share code (random, never derived from an id): made the first time they share. */
export const referralCodes = pgTable(
  "referral_codes",
  {
    playerId: uuid("player_id").primaryKey().references(() => players.id, { onDelete: "cascade" }),
    code: text("code").notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [check("referral_codes_code_format", sql`${t.code} ~ '^[A-Za-z0-9]{4,16}$'`)],
);

/** The referral a checkout came with, when its code was known (the payer's browser kept it). */
export const orderReferrals = pgTable(
  "order_referrals",
  {
    orderId: uuid("order_id").primaryKey().references(() => orders.id, { onDelete: "cascade" }),
    sharerId: uuid("sharer_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    channel: text("channel").$type<ShareChannel>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("order_referrals_sharer_idx").on(t.sharerId),
    check("order_referrals_channel", sql`${t.channel} in ('facebook', 'x', 'whatsapp', 'email', 'copy', 'native', 'widget', 'page')`),
  ],
);

/** A paid order counted for a sharer in a campaign (sharer null once they deleted their account). */
export const referralAttributions = pgTable(
  "referral_attributions",
  {
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    sharerId: uuid("sharer_id").references(() => players.id, { onDelete: "set null" }),
    channel: text("channel").$type<ShareChannel>().notNull(),
    /** Gift units of the campaign in the order, and what they raised. */
    gifts: integer("gifts").notNull(),
    raisedCents: integer("raised_cents").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.campaignId] }),
    index("referral_attributions_sharer_idx").on(t.sharerId, t.campaignId),
    index("referral_attributions_campaign_idx").on(t.campaignId),
  ],
);

/** The share messages an NGO wrote for a campaign ("" keeps the default). */
export const campaignShareMessages = pgTable("campaign_share_messages", {
  campaignId: uuid("campaign_id").primaryKey().references(() => campaigns.id, { onDelete: "cascade" }),
  messages: jsonb("messages").$type<ShareMessages>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
