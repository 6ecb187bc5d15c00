/**
 * The campaign room's synchronised state (@colyseus/schema 5, decorator-free):
 * a campaign's progress and leaderboard, the same for everyone who watches
 * (players and the NGO console). Integers only; never an amount per player.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

/** A village listed by name on the leaderboard (its owner opted in). */
export const LeaderboardEntry = schema(
  {
    rank: t.uint16(),
    name: t.string(),
    units: t.uint32(),
  },
  "LeaderboardEntry",
);
export type LeaderboardEntry = SchemaType<typeof LeaderboardEntry>;

export const CampaignState = schema(
  {
    campaignId: t.string(),
    currency: t.string(),
    /** Amount raised and the goal, in integer cents. */
    raised: t.float64(),
    goal: t.float64(),
    units: t.uint32(),
    donors: t.uint32(),
    /** Whole percent of the goal (may pass 100). */
    percent: t.uint32(),
    leaderboard: t.array(LeaderboardEntry),
    /** Villages that gave but are not named, and their units. */
    otherVillages: t.uint32(),
    otherUnits: t.uint32(),
  },
  "CampaignState",
);
export type CampaignState = SchemaType<typeof CampaignState>;
