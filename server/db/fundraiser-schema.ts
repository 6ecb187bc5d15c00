/**
 * Players' own fundraisers for a campaign (migration 0018). Re-exported by
 * schema.ts, so drizzle sees one schema. An order given through a fundraiser
 * carries its id (orders.fundraiser_id, set when the order is written, before
 * any payment); progress is read from the paid orders, never stored.
 */
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { campaigns } from "./ngo-schema.ts";
import { players } from "./schema.ts";

export const fundraisers = pgTable(
  "fundraisers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    playerId: uuid("player_id").notNull().references(() => players.id),
    campaignId: uuid("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    message: text("message").notNull().default(""),
    goalCents: integer("goal_cents").notNull(),
    /** Shown in the campaign's list of fundraisers (off: reached by its link only). */
    listed: boolean("listed").notNull().default(false),
    /** The owner's name shown with it (off by default). */
    showName: boolean("show_name").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** Closed by its owner: nobody gives through it any more; it still shows what it raised. */
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** Hidden by an editor of the campaign's NGO (abuse): only the owner and the NGO see it. */
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    hiddenBy: uuid("hidden_by").references(() => players.id, { onDelete: "set null" }),
  },
  (t) => [
    check("fundraisers_goal_range", sql`${t.goalCents} between 1000 and 10000000`),
    // One open fundraiser per player and campaign (a hidden one still counts: hiding is no way around it).
    uniqueIndex("fundraisers_one_open").on(t.playerId, t.campaignId).where(sql`${t.closedAt} is null`),
    index("fundraisers_campaign_idx").on(t.campaignId),
  ],
);
