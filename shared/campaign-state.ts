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

/** A sponsor's matching pledge (shared/matching.ts): the sponsor's money, never a donor's. */
export const PledgeEntry = schema(
  {
    id: t.string(),
    sponsor: t.string(),
    /** Whole percent of the donor's own gift (100 is 1:1). */
    ratio: t.uint16(),
    cap: t.float64(),
    matched: t.float64(),
    /** What it may still match (0 once ended); the client also stops at endsAt. */
    left: t.float64(),
    startsAt: t.string(),
    endsAt: t.string(),
  },
  "PledgeEntry",
);
export type PledgeEntry = SchemaType<typeof PledgeEntry>;

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
    /** What sponsors matched (integer cents), apart from the donors' own gifts in `raised`. */
    matched: t.float64(),
    pledges: t.array(PledgeEntry),
  },
  "CampaignState",
);
export type CampaignState = SchemaType<typeof CampaignState>;
