/**
 * Monthly gifts (Stripe Billing): what the donor sets up, sees and changes in
 * "My donations", and how the gift grows in their village. Pure rules, time
 * passed in.
 */
import { z } from "zod";

export const MONTHLY_STATUSES = ["incomplete", "active", "past_due", "action_required", "cancelled"] as const;
export type MonthlyStatus = (typeof MONTHLY_STATUSES)[number];

/** Bounds of a monthly amount, integer cents. */
export const MONTHLY_MIN_CENTS = 100;
export const MONTHLY_MAX_CENTS = 100_000;

/** POST /api/me/monthly-gifts: a gift of the shop, given every month; amount at least its price (the rest supports its project). */
export const MonthlyGiftRequest = z.object({
  giftId: z.uuid(),
  amountCents: z.number().int().min(MONTHLY_MIN_CENTS).max(MONTHLY_MAX_CENTS).optional(),
  locale: z.enum(["fr", "en"]).default("fr"),
}).strict();
export type MonthlyGiftRequest = z.input<typeof MonthlyGiftRequest>;

/** POST /api/me/monthly-gifts/:id/amount */
export const MonthlyAmountRequest = z.object({
  amountCents: z.number().int().min(MONTHLY_MIN_CENTS).max(MONTHLY_MAX_CENTS),
}).strict();

/** POST /api/dev/monthly-gifts/:id/invoice (TEST MODE only): the next month's invoice, as Stripe would send it. */
export const SimulateInvoiceRequest = z.object({
  outcome: z.enum(["paid", "failed", "action_required"]),
}).strict();
export type InvoiceOutcome = z.infer<typeof SimulateInvoiceRequest>["outcome"];

export interface MonthlyGiftView {
  id: string;
  giftId: string;
  giftName: { fr: string; en: string };
  projectName: { fr: string; en: string };
  ngoName: string;
  sprite: string;
  amountCents: number;
  /** The gift's own price: the least a month can be. */
  minimumCents: number;
  currency: string;
  status: MonthlyStatus;
  /** Months paid so far (each a donation in My donations, on the receipts). */
  monthsGiven: number;
  /** The growth stage shown in the village (monthlyStage). */
  stage: number;
  nextInvoiceAt: string | null;
  /** The link to settle a failed payment or confirm one (3-D Secure), while one is due. */
  actionUrl: string | null;
  /** The village item that grows with each month, once the first month is paid. */
  itemId: string | null;
  testMode: boolean;
  createdAt: string;
}

export interface MonthlyGiftsResponse {
  monthlyGifts: MonthlyGiftView[];
  /** Whether the Stripe customer portal is offered (real Stripe keys, a Stripe customer known). */
  portal: boolean;
}

export interface MonthlyGiftStartResponse {
  monthlyGiftId: string;
  checkoutUrl: string;
  testMode: boolean;
}

/** Growth stages of a monthly gift in the village: a seedling, then bigger each few months. */
export const MONTHLY_STAGES = 4;
const STAGE_FROM_MONTHS = [1, 3, 6, 12] as const;

/** The stage (1..4) a monthly gift has reached after `months` paid months; 0 before the first. */
export function monthlyStage(months: number): number {
  let stage = 0;
  for (const [i, from] of STAGE_FROM_MONTHS.entries()) if (months >= from) stage = i + 1;
  return stage;
}

/** How much bigger the item is drawn at a stage (1 at stage 1). */
export function stageScale(stage: number): number {
  return stage <= 1 ? 1 : 1 + 0.18 * (Math.min(stage, MONTHLY_STAGES) - 1);
}

/** The same day one month later (UTC), clamped to the month's last day: Jan 31 → Feb 28/29. */
export function addOneMonth(epochMs: number): number {
  const d = new Date(epochMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

/** How a month's amount splits: the gift's price (at most the amount) and the extra support for its project. */
export function monthlySplit(amountCents: number, giftPriceCents: number): { giftCents: number; supportCents: number } {
  const giftCents = Math.min(amountCents, giftPriceCents);
  return { giftCents, supportCents: amountCents - giftCents };
}

/** Whether the shop offers a gift monthly: only gifts without a stock limit (the server refuses the others, monthly_not_offered). */
export const offersMonthly = (gift: { stockLeft: number | null }) => gift.stockLeft === null;

/** Whether the donor can still change or cancel it. */
export const isOpenMonthly = (status: MonthlyStatus) => status !== "cancelled";
