/**
 * Matching pledges: a sponsor promises an NGO to match the donations to a
 * campaign's gifts at a ratio (a whole percent of the donor's own gift: 100 is
 * 1:1, 200 is 2:1), up to a cap, within a window. The sponsor pays the NGO
 * directly: matched money is promised, never held by Hameau (docs/payments.md,
 * "Matching pledges"). The request schema (zod, a message per field) and the
 * shapes both sides compile against; the rule itself is in matching-rule.ts.
 */
import { z } from "zod";
import { checkText } from "./text.ts";

export const PLEDGE_RATIO_MIN = 1;
/** 5:1 at most. */
export const PLEDGE_RATIO_MAX = 500;
/** The largest cap an NGO may record: 10,000,000.00. */
export const PLEDGE_CAP_MAX_CENTS = 1_000_000_000;
export const PLEDGE_SPONSOR_MAX = 80;
/** A campaign holds at most this many pledges (ended ones included). */
export const PLEDGES_PER_CAMPAIGN_MAX = 20;

const Instant = (what: string) =>
  z.iso.datetime({ offset: true, error: `${what} must be a date and time (ISO 8601, e.g. 2026-12-01T09:00:00Z)` }).transform((s) => new Date(s));

/**
 * POST /api/ngos/:ngoId/campaigns/:campaignId/pledges. The window defaults to the campaign's
 * period; it must overlap it and not be over already (checked against the campaign by the server).
 */
export const CreatePledgeRequest = z
  .object({
    sponsorName: z
      .string({ error: "sponsorName must be text" })
      .trim()
      .min(1, { error: "the sponsor's name is missing" })
      .max(PLEDGE_SPONSOR_MAX, { error: `the sponsor's name has at most ${PLEDGE_SPONSOR_MAX} characters` })
      .superRefine(checkText("the sponsor's name", "line")),
    ratioPercent: z
      .number({ error: "ratioPercent must be a whole percent (100 matches 1:1, 200 matches 2:1)" })
      .int({ error: "ratioPercent must be a whole percent (100 matches 1:1, 200 matches 2:1)" })
      .min(PLEDGE_RATIO_MIN, { error: `ratioPercent is at least ${PLEDGE_RATIO_MIN}` })
      .max(PLEDGE_RATIO_MAX, { error: `ratioPercent is at most ${PLEDGE_RATIO_MAX} (5:1)` }),
    capCents: z
      .number({ error: "capCents must be a number of cents" })
      .int({ error: "capCents must be a whole number of cents" })
      .positive({ error: "capCents must be more than 0" })
      .max(PLEDGE_CAP_MAX_CENTS, { error: "capCents is too large" }),
    startsAt: Instant("startsAt").optional(),
    endsAt: Instant("endsAt").optional(),
  })
  .strict()
  .refine((p) => !(p.startsAt instanceof Date && p.endsAt instanceof Date) || p.endsAt > p.startsAt, { error: "endsAt must be after startsAt", path: ["endsAt"] });
export type CreatePledgeRequest = z.input<typeof CreatePledgeRequest>;

/** active: matches within its window; ended: ended early by the NGO; cancelled: ended before it started (never shown to players). */
export type PledgeStatus = "active" | "ended" | "cancelled";

/** A pledge in a campaign's progress (public): the sponsor is named, the amounts are the sponsor's, never a donor's. */
export interface PledgeProgress {
  id: string;
  sponsor: string;
  ratioPercent: number;
  capCents: number;
  matchedCents: number;
  /** What the pledge may still match now: 0 once its window is over or it was ended. */
  leftCents: number;
  startsAt: string;
  endsAt: string;
}

/** A pledge as the NGO's members see it in the console: the public figures, and its state. */
export interface PledgeView extends PledgeProgress {
  campaignId: string;
  status: PledgeStatus;
  createdAt: string;
}

export interface PledgeListResponse {
  pledges: PledgeView[];
}

/** "1:1", "2:1", "1.5:1", "0.5:1": how people say a ratio. */
export function ratioLabel(ratioPercent: number): string {
  const r = ratioPercent / 100;
  return `${Number.isInteger(r) ? r : Number(r.toFixed(2))}:1`;
}

/**
 * A sponsor's match of one donor's order (My donations, the order, the receipts): the sponsor's own
 * gift to the NGO, paid by the sponsor, never part of the donor's payment or tax receipt.
 */
export interface OrderMatch {
  sponsor: string;
  ratioPercent: number;
  /** What the sponsor matches now (lower after a refund). */
  matchedCents: number;
  ngoId: string;
}
