/**
 * A player's own fundraiser: a personal page for a live campaign with a title,
 * a goal and a message (one text, in French or English as its owner writes
 * it). Friends and strangers give through it: the gifts are the campaign's,
 * so they count for the campaign as always, and the orders that carried the
 * fundraiser's id also count for the fundraiser.
 *
 * The request schemas (zod, a message per field), the response shapes, and the
 * pure rules: what a fundraiser's status is, whether one may be given through,
 * its progress from the campaign's counted lines, and what its sign shows.
 * Donors are never named, never listed: a fundraiser shows a count only. Its
 * amounts are shown as a whole (a public goal its owner chose).
 */
import { z } from "zod";
import type { CampaignPhase, CampaignProgress } from "./campaigns.ts";
import type { CountedLine } from "./campaign-progress.ts";
import { progressOf } from "./campaign-progress.ts";
import type { Currency } from "./money.ts";
import { checkText } from "./text.ts";

/** Goal bounds: 10.00 to 100,000.00. */
export const FUNDRAISER_GOAL_MIN_CENTS = 1_000;
export const FUNDRAISER_GOAL_MAX_CENTS = 10_000_000;
export const FUNDRAISER_TITLE_MAX = 80;
export const FUNDRAISER_MESSAGE_MAX = 1_000;

const Title = z
  .string({ error: "the title must be text" })
  .trim()
  .min(3, { error: "the title has at least 3 characters" })
  .max(FUNDRAISER_TITLE_MAX, { error: `the title has at most ${FUNDRAISER_TITLE_MAX} characters` })
  .superRefine(checkText("the title", "line"));
const Message = z
  .string({ error: "the message must be text" })
  .trim()
  .max(FUNDRAISER_MESSAGE_MAX, { error: `the message has at most ${FUNDRAISER_MESSAGE_MAX} characters` })
  .superRefine(checkText("the message", "paragraph"));
const GoalCents = z
  .number({ error: "goalCents must be a number of cents" })
  .int({ error: "goalCents must be a whole number of cents" })
  .min(FUNDRAISER_GOAL_MIN_CENTS, { error: `goalCents is at least ${FUNDRAISER_GOAL_MIN_CENTS} (10.00)` })
  .max(FUNDRAISER_GOAL_MAX_CENTS, { error: `goalCents is at most ${FUNDRAISER_GOAL_MAX_CENTS} (100,000.00)` });
const Listed = z.boolean({ error: "listed must be true or false" });
const ShowName = z.boolean({ error: "showName must be true or false" });

/**
 * POST /api/me/fundraisers. `listed`: shown in the campaign's list of fundraisers (off by default;
 * unlisted, it is reached by its link only). `showName`: my name shown with it (off by default).
 */
export const CreateFundraiserRequest = z
  .object({
    campaignId: z.uuid({ error: "campaignId must be a campaign id" }),
    title: Title,
    goalCents: GoalCents,
    message: Message.default(""),
    listed: Listed.default(false),
    showName: ShowName.default(false),
  })
  .strict();
export type CreateFundraiserRequest = z.input<typeof CreateFundraiserRequest>;

/** PATCH /api/me/fundraisers/:id: any subset; `closed: true` closes it for good (no more giving through it). */
export const UpdateFundraiserRequest = z
  .object({
    title: Title,
    goalCents: GoalCents,
    message: Message,
    listed: Listed,
    showName: ShowName,
    closed: z.literal(true, { error: "closed can only be true (a closed fundraiser stays closed)" }),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { error: "nothing to change" });
export type UpdateFundraiserRequest = z.input<typeof UpdateFundraiserRequest>;

/** PATCH /api/ngos/:ngoId/fundraisers/:id (NGO editors): hide an abusive fundraiser, or show it again. */
export const ModerateFundraiserRequest = z.object({ hidden: z.boolean({ error: "hidden must be true or false" }) }).strict();
export type ModerateFundraiserRequest = z.input<typeof ModerateFundraiserRequest>;

/**
 * - active: open for giving (its campaign running);
 * - ended: its campaign is over (or not yet started);
 * - closed: its owner closed it;
 * - hidden: the campaign's NGO hid it (nobody but its owner and the NGO sees it).
 */
export type FundraiserStatus = "active" | "ended" | "closed" | "hidden";

export function fundraiserStatus(f: { closedAt: number | null; hiddenAt: number | null }, campaignPhase: CampaignPhase): FundraiserStatus {
  if (f.hiddenAt !== null) return "hidden";
  if (f.closedAt !== null) return "closed";
  return campaignPhase === "running" ? "active" : "ended";
}

/** Progress of a fundraiser: what its own orders' lines of the campaign's gifts still count for. */
export interface FundraiserProgress {
  raisedCents: number;
  /** Distinct donors (a count only: never who). */
  donors: number;
  units: number;
  /** Whole percent of the fundraiser's goal (floor), may pass 100. */
  percent: number;
}

/**
 * The fundraiser's progress from the campaign's counted lines (shared/campaign-progress.ts, the
 * same refund and dispute rules), keeping only the orders given through this fundraiser.
 */
export function fundraiserProgress(counted: readonly CountedLine[], fundraiserOrders: ReadonlySet<string>, goalCents: number): FundraiserProgress {
  const mine = counted.filter((c) => fundraiserOrders.has(c.line.orderId));
  const p: CampaignProgress = progressOf(mine, goalCents);
  return { raisedCents: p.raisedCents, donors: p.donors, units: p.units, percent: p.percent };
}

/** The bar's filled share, 0 to 1 (a goal passed shows full). */
export function barFill(progress: { raisedCents: number }, goalCents: number): number {
  if (goalCents <= 0) return 0;
  return Math.min(1, Math.max(0, progress.raisedCents / goalCents));
}

/** Why a checkout may not go through a fundraiser, checked before any order is written. */
export type FundraiserCheckoutRefusal = "fundraiser_closed" | "fundraiser_campaign_mismatch";

/**
 * Whether a basket may be given through this fundraiser: it must be active, and at least one line
 * must be a gift of its campaign (only those lines count for it).
 */
export function checkoutThrough(
  f: { status: FundraiserStatus; campaignGiftIds: readonly string[] },
  lineGiftIds: readonly string[],
): { ok: true; countedGiftIds: string[] } | { ok: false; code: FundraiserCheckoutRefusal } {
  if (f.status !== "active") return { ok: false, code: "fundraiser_closed" };
  const gifts = new Set(f.campaignGiftIds);
  const counted = lineGiftIds.filter((id) => gifts.has(id));
  if (counted.length === 0) return { ok: false, code: "fundraiser_campaign_mismatch" };
  return { ok: true, countedGiftIds: counted };
}

/** A fundraiser as anyone may see it (GET /api/fundraisers/:id, the campaign's list, the public page). */
export interface PublicFundraiser {
  id: string;
  campaign: { id: string; title: { fr: string; en: string }; ngoName: string; giftIds: string[] };
  title: string;
  message: string;
  goalCents: number;
  currency: Currency;
  /** The owner's name only when they chose to show it, else null. */
  ownerName: string | null;
  status: Exclude<FundraiserStatus, "hidden">;
  progress: FundraiserProgress;
  createdAt: string;
}

/** One of my fundraisers (GET /api/me/fundraisers), with what only its owner sees. */
export interface MyFundraiser extends Omit<PublicFundraiser, "status" | "ownerName"> {
  status: FundraiserStatus;
  listed: boolean;
  showName: boolean;
  ownerName: string;
}

export interface MyFundraisersResponse {
  fundraisers: MyFundraiser[];
}

export interface CampaignFundraisersResponse {
  fundraisers: PublicFundraiser[];
}

/** A fundraiser as the campaign's NGO sees it in the console (hidden ones too, owner named only if allowed). */
export interface NgoFundraiser extends Omit<PublicFundraiser, "status"> {
  status: FundraiserStatus;
  listed: boolean;
}

export interface NgoFundraisersResponse {
  fundraisers: NgoFundraiser[];
}

/** What the village sign shows (mirrored by the village room's state, shared/state.ts FundraiserSign). */
export interface SignFacts {
  id: string;
  title: string;
  raisedCents: number;
  goalCents: number;
  donors: number;
  percent: number;
  currency: Currency;
}

/**
 * Which of the owner's fundraisers their village shows: the active one most recently created,
 * else none (a closed, ended or hidden fundraiser takes its sign down).
 */
export function signOf<T extends { status: FundraiserStatus; createdAt: number }>(fundraisers: readonly T[]): T | null {
  let best: T | null = null;
  for (const f of fundraisers) if (f.status === "active" && (!best || f.createdAt > best.createdAt)) best = f;
  return best;
}

/** The in-game deep link and the public page of a fundraiser. */
export const fundraiserLink = (id: string) => `/?fundraiser=${id}`;
export const fundraiserPage = (id: string) => `/f/${id}`;
