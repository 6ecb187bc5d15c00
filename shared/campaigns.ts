/**
 * Campaigns: an NGO's goal amount over a period, counting the gifts it
 * includes. The request schemas (zod, with a message per field) and the
 * response shapes both sides compile against. The progress rule itself is in
 * campaign-progress.ts.
 */
import { z } from "zod";
import type { Translated } from "./api.ts";
import type { PledgeProgress } from "./matching.ts";
import type { Currency } from "./money.ts";
import type { MilestoneView } from "./milestones.ts";
import type { ShareMessages } from "./share.ts";
import { checkText } from "./text.ts";

/** The largest goal an NGO may set: 10,000,000.00 (an integer column holds it with room to spare). */
export const CAMPAIGN_GOAL_MAX_CENTS = 1_000_000_000;
export const CAMPAIGN_GIFTS_MAX = 50;
export const CAMPAIGN_TITLE_MAX = 120;
export const CAMPAIGN_DESCRIPTION_MAX = 4000;
/** Ended campaigns stay in the public list this long, so players see how it went. */
export const RECENTLY_ENDED_MS = 14 * 24 * 60 * 60_000;

const title = (lang: string) =>
  z
    .string({ error: `the ${lang} title must be text` })
    .trim()
    .min(1, { error: `the ${lang} title is missing` })
    .max(CAMPAIGN_TITLE_MAX, { error: `the ${lang} title has at most ${CAMPAIGN_TITLE_MAX} characters` })
    .superRefine(checkText(`the ${lang} title`, "line"));
const description = (lang: string) =>
  z
    .string({ error: `the ${lang} description must be text` })
    .trim()
    .max(CAMPAIGN_DESCRIPTION_MAX, { error: `the ${lang} description has at most ${CAMPAIGN_DESCRIPTION_MAX} characters` })
    .superRefine(checkText(`the ${lang} description`, "paragraph"));
const GoalCents = z
  .number({ error: "goalCents must be a number of cents" })
  .int({ error: "goalCents must be a whole number of cents" })
  .positive({ error: "goalCents must be more than 0" })
  .max(CAMPAIGN_GOAL_MAX_CENTS, { error: "goalCents is too large" });
const Instant = (what: string) =>
  z.iso.datetime({ offset: true, error: `${what} must be a date and time (ISO 8601, e.g. 2026-12-01T09:00:00Z)` }).transform((s) => new Date(s));
const GiftIds = z
  .array(z.uuid({ error: "each gift must be a gift id" }), { error: "giftIds must be a list of gift ids" })
  .min(1, { error: "a campaign needs at least one gift" })
  .max(CAMPAIGN_GIFTS_MAX, { error: `a campaign has at most ${CAMPAIGN_GIFTS_MAX} gifts` })
  .refine((ids) => new Set(ids).size === ids.length, { error: "a gift is listed twice" });
const Emergency = z.boolean({ error: "emergency must be true or false" });

const fields = {
  titleFr: title("French"),
  titleEn: title("English"),
  descriptionFr: description("French"),
  descriptionEn: description("English"),
  goalCents: GoalCents,
  startsAt: Instant("startsAt"),
  endsAt: Instant("endsAt"),
  giftIds: GiftIds,
  emergency: Emergency,
};

const periodMessage = "endsAt must be after startsAt";
/** Only once both ends are valid dates: a bad one has its own message. */
const inOrder = (c: { startsAt?: unknown; endsAt?: unknown }) => !(c.startsAt instanceof Date && c.endsAt instanceof Date) || c.endsAt > c.startsAt;

/** POST /api/ngos/:ngoId/campaigns: a draft (published later with …/publish). */
export const CreateCampaignRequest = z
  .object({ ...fields, descriptionFr: fields.descriptionFr.default(""), descriptionEn: fields.descriptionEn.default(""), emergency: Emergency.default(false) })
  .strict()
  .refine(inOrder, { error: periodMessage, path: ["endsAt"] });
export type CreateCampaignRequest = z.input<typeof CreateCampaignRequest>;

/**
 * PATCH /api/ngos/:ngoId/campaigns/:campaignId: any subset of the fields. A published campaign may
 * still have its titles, descriptions, goal, gifts and period corrected; its emergency flag is
 * fixed once published (the alert has gone out). The period is checked against the stored one.
 */
export const UpdateCampaignRequest = z
  .object(fields)
  .partial()
  .strict()
  .refine(inOrder, { error: periodMessage, path: ["endsAt"] });
export type UpdateCampaignRequest = z.input<typeof UpdateCampaignRequest>;

export type CampaignPhase = "upcoming" | "running" | "ended";

/** How far a campaign has got: integers only, never an amount per player. */
export interface CampaignProgress {
  raisedCents: number;
  /** Gift units given (net of those taken back by refunds and lost disputes). */
  units: number;
  /** Distinct players whose gifts count. */
  donors: number;
  /** Whole percent of the goal (floor), may pass 100. */
  percent: number;
  /** The campaign's milestones (shared/milestones.ts), lowest first; in public views and the console. */
  milestones?: MilestoneView[];
  /**
   * What sponsors matched (matching pledges, shared/matching.ts): the sponsors' money, promised to the NGO,
   * never counted in raisedCents or percent (the donors' own gifts). Present only when the campaign has pledges.
   */
  matchedCents?: number;
  /** The campaign's pledges (not the cancelled ones), in the order they apply. Present only when there are some. */
  pledges?: PledgeProgress[];
}

/** Villages ranked by gift units given: only those whose owner opted in are named. */
export interface CampaignLeaderboard {
  entries: Array<{ rank: number; name: string; units: number }>;
  /** Villages that gave but are not listed by name ("3 other villages"). */
  others: { villages: number; units: number };
}

/** A campaign as its NGO's members see it in the console. */
export interface CampaignView {
  id: string;
  ngoId: string;
  title: Translated;
  description: Translated;
  goalCents: number;
  currency: Currency;
  startsAt: string;
  endsAt: string;
  emergency: boolean;
  /** Null while a draft. */
  publishedAt: string | null;
  giftIds: string[];
  phase: CampaignPhase;
  progress: CampaignProgress;
}

export interface CampaignListResponse {
  campaigns: CampaignView[];
}

export interface PublicCampaignGift {
  id: string;
  slug: string;
  name: Translated;
  sprite: string;
  priceCents: number;
}

/** A published campaign of an approved NGO, as players see it. */
export interface PublicCampaign {
  id: string;
  ngo: { id: string; name: string };
  title: Translated;
  description: Translated;
  goalCents: number;
  currency: Currency;
  startsAt: string;
  endsAt: string;
  emergency: boolean;
  phase: CampaignPhase;
  gifts: PublicCampaignGift[];
  progress: CampaignProgress;
  /** The NGO's suggested share messages ("" where it kept the default of shared/share.ts). */
  shareMessages?: ShareMessages;
}

export interface PublicCampaignListResponse {
  campaigns: PublicCampaign[];
}

export interface PublicCampaignResponse extends PublicCampaign {
  leaderboard: CampaignLeaderboard;
}
