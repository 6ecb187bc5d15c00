/**
 * Dedicating a gift "in honour of" someone: the checkout's optional
 * `dedication` (zod, validated by the server), and the pure rules of its
 * delivery, time passed in.
 *
 * A dedication names the honoree, carries a short message and a delivery
 * date (Paris calendar, from today up to a year ahead), and goes either to a
 * Hameau village the giver may visit (a friend's, or a public one; never
 * across a block) or to an e-mail address (an e-card). It is delivered on
 * its date, once, only if the order was paid and still counts (a refund or a
 * lost dispute before the date cancels it). The honoree never sees an amount,
 * and sees the giver's name only if the giver chose to show it.
 */
import { z } from "zod";
import { parisDate, type CalendarDate } from "./fund-trail.ts";
import { type RuleError, refuse } from "./errors.ts";

export const HONOREE_NAME_MAX = 60;
export const DEDICATION_MESSAGE_MAX = 300;
/** How far ahead a delivery date may be, in days. */
export const DEDICATION_MAX_DAYS_AHEAD = 366;

/** Control characters (a newline and a tab are allowed in the message, not in the name). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
const NAME_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The message as stored: line ends made "\n", spaces at the ends of lines and of the whole trimmed, at most 3 lines in a row empty. */
export function cleanMessage(text: string): string {
  return text.replace(/\r\n?/g, "\n").split("\n").map((l) => l.replace(/[ \t]+$/, "")).join("\n").replace(/\n{4,}/g, "\n\n\n").trim();
}

const Email = z
  .string({ error: "email must be text" })
  .trim()
  .toLowerCase()
  .max(254, { error: "email is too long" })
  .pipe(z.email({ error: "email must be an email address" }));

export const DedicationInput = z.object({
  honoreeName: z
    .string({ error: "honoreeName must be text" })
    .trim()
    .min(1, { error: "honoreeName is missing" })
    .max(HONOREE_NAME_MAX, { error: `honoreeName has at most ${HONOREE_NAME_MAX} characters` })
    .refine((s) => !NAME_CONTROL.test(s), { error: "honoreeName must not contain control characters" }),
  message: z
    .string({ error: "message must be text" })
    .max(DEDICATION_MESSAGE_MAX * 2, { error: `message has at most ${DEDICATION_MESSAGE_MAX} characters` })
    .refine((s) => !CONTROL.test(s), { error: "message must not contain control characters" })
    .transform(cleanMessage)
    .refine((s) => s.length <= DEDICATION_MESSAGE_MAX, { error: `message has at most ${DEDICATION_MESSAGE_MAX} characters` })
    .default(""),
  /** The Paris calendar date it is delivered on, "YYYY-MM-DD" (today up to a year ahead). */
  deliverOn: z.string({ error: "deliverOn must be a date (YYYY-MM-DD)" }).refine(isRealDate, { error: "deliverOn must be a real date (YYYY-MM-DD)" }),
  to: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("village"), villageId: z.uuid({ error: "villageId must be a village id" }) }),
    z.object({ kind: z.literal("email"), email: Email }),
  ], { error: "to must be { kind: \"village\", villageId } or { kind: \"email\", email }" }),
  /** Show my name to the honoree (off by default). */
  showGiverName: z.boolean({ error: "showGiverName must be true or false" }).default(false),
});
export type DedicationInput = z.input<typeof DedicationInput>;
export type Dedication = z.output<typeof DedicationInput>;

export function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The last date a dedication made now may be delivered on. */
export function latestDeliveryDate(now: number): CalendarDate {
  const today = parisDate(now);
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + DEDICATION_MAX_DAYS_AHEAD);
  return d.toISOString().slice(0, 10);
}

/** A delivery date is today (Paris) or later, and at most DEDICATION_MAX_DAYS_AHEAD days ahead. */
export function checkDeliveryDate(deliverOn: CalendarDate, now: number): RuleError | null {
  if (!isRealDate(deliverOn)) return refuse("dedication_date_invalid", "deliverOn must be a real date");
  if (deliverOn < parisDate(now)) return refuse("dedication_date_invalid", "deliverOn is in the past");
  if (deliverOn > latestDeliveryDate(now)) return refuse("dedication_date_invalid", `deliverOn is more than ${DEDICATION_MAX_DAYS_AHEAD} days ahead`);
  return null;
}

export type DedicationStatus = "scheduled" | "delivered" | "cancelled";

/** What a dedication's order says, as the delivery rule needs it. */
export interface DedicationOrder {
  status: "pending" | "paid" | "expired" | "failed";
  totalCents: number;
  refundedCents: number;
  disputeStatus: "open" | "won" | "lost" | null;
}

/**
 * What to do with a scheduled dedication now: wait (its date has not come, or
 * its order is not paid yet), deliver it, or cancel it (the order was never
 * paid, or was refunded or lost in a dispute: nothing is given in anyone's honour).
 */
export function dedicationDue(deliverOn: CalendarDate, order: DedicationOrder, now: number): "wait" | "deliver" | "cancel" {
  if (order.status === "expired" || order.status === "failed") return "cancel";
  if (order.status === "paid" && (order.refundedCents > 0 || order.disputeStatus === "lost")) return "cancel";
  if (deliverOn > parisDate(now)) return "wait";
  if (order.status !== "paid") return "wait";
  return "deliver";
}

/** How a dedication is shown to its giver (My donations, the receipt page). */
export interface DedicationView {
  honoreeName: string;
  message: string;
  deliverOn: CalendarDate;
  to: { kind: "village"; villageName: string } | { kind: "email"; email: string };
  showGiverName: boolean;
  status: DedicationStatus;
}

/** What the honoree's notification carries (never an amount; fromName only if the giver allowed it). */
export interface DedicationReceivedPayload {
  dedicationId: string;
  honoreeName: string;
  message: string;
  fromName: string | null;
  gifts: Array<{ giftId: string; quantity: number; name: { fr: string; en: string }; sprite: string }>;
  /** The honoree's village the gifts landed in, and their items there (to open it on them); null/[] for older notifications. */
  villageId: string | null;
  itemIds: string[];
}
