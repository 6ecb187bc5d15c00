/**
 * Who may issue French tax receipts, and when a donation may be on one.
 *
 * - Eligibility: only an organisation of general interest ("intérêt général")
 *   or recognised of public utility ("reconnue d'utilité publique") opens the
 *   income-tax reduction of article 200 of the code général des impôts. The
 *   NGO declares which, with its evidence (the rescrit's or decree's
 *   reference and date, optionally where the document is); an NGO that
 *   declares none issues no tax receipt.
 * - Money actually received: a donation counts once its refund window (set by
 *   the NGO, 30 days by default) has passed, and never for what was refunded
 *   or lost in a dispute (the amounts come from the ledger, net).
 *
 * The unit is the annual receipt per donor and NGO: it is issued once the
 * year is over AND every donation of that year to that NGO is past the
 * window (and none is under an open dispute), so one receipt covers the
 * whole year and nothing on it can still be refunded by the usual route.
 * Pure rules, time passed in.
 */
import { z } from "zod";
import { type RuleResult, refuse } from "./errors.ts";

export const TAX_RECEIPT_STATUSES = ["none", "interet_general", "utilite_publique"] as const;
export type TaxReceiptStatus = (typeof TAX_RECEIPT_STATUSES)[number];

export const DEFAULT_REFUND_WINDOW_DAYS = 30;
export const MAX_REFUND_WINDOW_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

const CONTROL = /[\u0000-\u001f\u007f]/;

const EvidenceDate = z
  .string({ error: "the evidence date is required (YYYY-MM-DD)" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "the evidence date is a date, YYYY-MM-DD" })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: "not a real date" });

const DocumentUrl = z
  .string({ error: "the document address must be text" })
  .trim()
  .max(300, { error: "the document address has at most 300 characters" })
  .refine((s) => s === "" || (/^https:\/\/[^\s/]+\.[^\s]+$/.test(s) && !CONTROL.test(s)), { error: "the document address must be an https:// address" })
  .nullish()
  .transform((s) => (s ? s : null));

/** The NGO's declaration, replaced as a whole (PATCH settings: `taxEligibility`). */
export const TaxEligibilityRequest = z.discriminatedUnion(
  "status",
  [
    z.strictObject({ status: z.literal("none") }),
    z.strictObject({
      status: z.enum(["interet_general", "utilite_publique"]),
      reference: z
        .string({ error: "the rescrit's or decree's reference is required" })
        .trim()
        .min(1, { error: "the rescrit's or decree's reference is required" })
        .max(200, { error: "the reference has at most 200 characters" })
        .refine((s) => !CONTROL.test(s), { error: "the reference cannot hold control characters" }),
      date: EvidenceDate,
      documentUrl: DocumentUrl,
    }),
  ],
  { error: "status is one of none, interet_general, utilite_publique" },
);
export type TaxEligibilityRequest = z.input<typeof TaxEligibilityRequest>;

export const RefundWindowDays = z
  .number({ error: "the refund window is a number of days" })
  .int({ error: "the refund window is a whole number of days" })
  .min(0, { error: "the refund window cannot be negative" })
  .max(MAX_REFUND_WINDOW_DAYS, { error: `the refund window is at most ${MAX_REFUND_WINDOW_DAYS} days` });

/** The declaration as the NGO's admins and the platform reviewers see it. */
export interface TaxEligibilityView {
  status: TaxReceiptStatus;
  reference: string | null;
  /** YYYY-MM-DD. */
  date: string | null;
  documentUrl: string | null;
}

export function isEligible(e: Pick<TaxEligibilityView, "status">): boolean {
  return e.status !== "none";
}

/** When a payment made at `paidAt` counts as received for a receipt. */
export function receivedFrom(paidAt: Date, windowDays: number): Date {
  return new Date(paidAt.getTime() + windowDays * DAY_MS);
}

export interface ReceiptCandidate {
  paidAt: Date;
  /** A dispute opened and not closed yet. */
  disputeOpen: boolean;
}

/**
 * Whether the annual receipt of `year` may be issued now: the NGO is eligible, the year is over
 * (`currentYear` is the year now, in France) and every donation of it is past the refund window
 * with no dispute open. On refusal for the window, `availableFrom` says when it will be.
 */
export function annualReceiptRefusal(input: {
  eligibility: Pick<TaxEligibilityView, "status">;
  windowDays: number;
  year: number;
  currentYear: number;
  donations: readonly ReceiptCandidate[];
  now: Date;
}): (RuleResult<object> & { ok: false; availableFrom?: Date }) | null {
  if (!isEligible(input.eligibility)) {
    return refuse("ngo_not_eligible", "This NGO has not declared the status (general interest or public utility) that lets it issue tax receipts");
  }
  if (input.year >= input.currentYear) return refuse("receipt_year_open", "Annual tax receipts are issued once the year is over");
  if (input.donations.some((d) => d.disputeOpen)) return refuse("receipt_dispute_open", "A payment of that year is under dispute: its receipt waits for the outcome");
  const last = Math.max(...input.donations.map((d) => receivedFrom(d.paidAt, input.windowDays).getTime()));
  if (Number.isFinite(last) && last > input.now.getTime()) {
    const availableFrom = new Date(last);
    return { ...refuse("receipt_window_open", `Donations count as received once their refund window is over: this receipt can be issued from ${availableFrom.toISOString().slice(0, 10)}`), availableFrom };
  }
  return null;
}
