/**
 * Daily play (migration 0021): each player's XP, today's quest progress and
 * last daily reward; the rewarded helps per helper, friend and Paris day; and
 * one row per reward claimed, whose primary key makes every claim happen at
 * most once. Re-exported by schema.ts. The rules are in shared/ (progression.ts,
 * daily-quests.ts, daily-reward.ts, friend-help.ts).
 */
import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { QuestId } from "../../shared/daily-quests.ts";
import { players } from "./schema.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** A player's progression; a player without a row has 0 XP, no quest progress and no reward claimed. */
export const playerProgress = pgTable(
  "player_progress",
  {
    playerId: uuid("player_id").primaryKey().references(() => players.id, { onDelete: "cascade" }),
    xp: integer("xp").notNull().default(0),
    /** The Paris day ("YYYY-MM-DD") the quest progress is for; older progress counts as none. */
    questDay: text("quest_day"),
    questProgress: jsonb("quest_progress").$type<Partial<Record<QuestId, number>>>().notNull().default({}),
    questsClaimed: jsonb("quests_claimed").$type<QuestId[]>().notNull().default([]),
    lastRewardDay: text("last_reward_day"),
    rewardStreak: integer("reward_streak").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("player_progress_xp", sql`${t.xp} between 0 and 10000000`),
    check("player_progress_streak", sql`${t.rewardStreak} >= 0`),
  ],
);

/** Rewarded helps one player gave another on a Paris day (capped by the rules). */
export const friendHelpDays = pgTable(
  "friend_help_days",
  {
    helperId: uuid("helper_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    helps: integer("helps").notNull(),
  },
  (t) => [primaryKey({ columns: [t.helperId, t.ownerId, t.day] }), check("friend_help_days_helps", sql`${t.helps} >= 1`)],
);

/** One row per reward claimed: "daily" or a quest id, per Paris day. The key refuses a second claim. */
export const progressClaims = pgTable(
  "progress_claims",
  {
    playerId: uuid("player_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    reward: text("reward").notNull(),
    coins: integer("coins").notNull(),
    xp: integer("xp").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.playerId, t.day, t.reward] })],
);
