/**
 * Campaign milestones (migration 0016): the steps of a campaign's goal, and the
 * decoration each gave to each village (one per milestone and village, ever).
 * Re-exported by schema.ts, so drizzle sees one schema.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { campaigns } from "./ngo-schema.ts";
import { villageItems, villages } from "./schema.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** A step of a campaign: a percent of its goal, its title, the decoration it gives. `reachedAt` is set once. */
export const campaignMilestones = pgTable(
  "campaign_milestones",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    campaignId: uuid("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    percent: integer("percent").notNull(),
    titleFr: text("title_fr").notNull(),
    titleEn: text("title_en").notNull(),
    /** A sprite of shared/milestones.ts MILESTONE_SPRITES. */
    sprite: text("sprite").notNull(),
    reachedAt: timestamp("reached_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("campaign_milestones_campaign_percent").on(t.campaignId, t.percent),
    check("campaign_milestones_percent", sql`${t.percent} between 1 and 1000`),
  ],
);

/** The decoration a reached milestone gave a village (the village item it is). */
export const milestoneGrants = pgTable(
  "milestone_grants",
  {
    milestoneId: uuid("milestone_id").notNull().references(() => campaignMilestones.id),
    villageId: uuid("village_id").notNull().references(() => villages.id),
    /** Null once the item is gone (its owner deleted their account); the grant stays, so it is never given again. */
    itemId: uuid("item_id").references(() => villageItems.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.milestoneId, t.villageId] }), index("milestone_grants_village_idx").on(t.villageId)],
);
