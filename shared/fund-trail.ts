/**
 * The fund trail of a donated gift: funded (its order's payment) → sent to the
 * field → in use. The NGO advances it with steps, appended and never edited:
 * "the units of this gift paid up to `coversPaidBefore` reached `stage` on
 * `happenedOn`". A unit's date for a stage is the earliest such step that
 * covers it (coversPaidBefore ≥ its payment time).
 *
 * Pure rules, time passed in: what a unit's trail is, and whether a new step
 * may be appended (no date in the future, and no stage before the one it
 * follows for the units it covers). Shared by the server (which re-checks
 * under the gift's lock) and the clients (the console, the village label).
 */
import { z } from "zod";
import { type RuleError, refuse } from "./errors.ts";
import type { Translated } from "./api.ts";

export const TRAIL_STAGES = ["sent_to_field", "in_use"] as const;
export type TrailStage = (typeof TRAIL_STAGES)[number];

/** A calendar date, "YYYY-MM-DD". */
export type CalendarDate = string;

/** A recorded step, as the rules need it. */
export interface TrailStep {
  stage: TrailStage;
  happenedOn: CalendarDate;
  /** Epoch ms: the step covers every unit paid at or before this instant. */
  coversPaidBefore: number;
}

/** A donated unit's trail: each stage's date, null while not reached. */
export interface UnitTrail {
  funded: CalendarDate;
  sentToField: CalendarDate | null;
  inUse: CalendarDate | null;
}

export const NOTE_MAX = 500;
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar date of an instant in the platform's time zone (Europe/Paris, as for tax receipts). */
export function parisDate(epochMs: number): CalendarDate {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(epochMs);
}

/**
 * The latest calendar date anywhere on Earth at this instant (UTC+14): a field
 * team far east of Paris may record "today" before Paris reaches it.
 */
export function latestDateAnywhere(epochMs: number): CalendarDate {
  return new Date(epochMs + 14 * 3_600_000).toISOString().slice(0, 10);
}

function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const note = (field: string) =>
  z
    .string({ error: `${field} must be text` })
    .max(NOTE_MAX, { error: `${field} must be at most ${NOTE_MAX} characters` })
    .refine((s) => !CONTROL_CHARS.test(s), { error: `${field} must not contain control characters` })
    .default("");

/** POST /api/ngos/:ngoId/gifts/:giftId/trail */
export const TrailStepRequest = z.object({
  stage: z.enum(TRAIL_STAGES, { error: "stage must be sent_to_field or in_use" }),
  happenedOn: z
    .string({ error: "happenedOn must be a date (YYYY-MM-DD)" })
    .refine(isRealDate, { error: "happenedOn must be a real date (YYYY-MM-DD)" }),
  /** Defaults to now: every unit paid so far. */
  coversPaidBefore: z.iso.datetime({ offset: true, error: "coversPaidBefore must be a date-time (ISO 8601)" }).optional(),
  noteFr: note("noteFr"),
  noteEn: note("noteEn"),
});
export type TrailStepRequest = z.input<typeof TrailStepRequest>;

/** A step as the NGO's console lists it. */
export interface TrailStepView {
  id: string;
  giftId: string;
  stage: TrailStage;
  happenedOn: CalendarDate;
  /** ISO date-time. */
  coversPaidBefore: string;
  note: Translated;
  /** ISO date-time. */
  createdAt: string;
}

export interface TrailStepsResponse {
  steps: TrailStepView[];
}

/** GET /api/villages/:villageId/items/:itemId/trail: a donated item's trail, for whoever may visit the village. */
export interface ItemTrailResponse {
  itemId: string;
  giftId: string;
  funded: CalendarDate;
  sentToField: { on: CalendarDate; note: Translated } | null;
  inUse: { on: CalendarDate; note: Translated } | null;
}

/** The step of a stage that dates a unit paid at `paidAt`: the earliest-dated one covering it (null if none). */
export function stepFor<S extends TrailStep>(steps: readonly S[], stage: TrailStage, paidAt: number): S | null {
  let best: S | null = null;
  for (const s of steps) {
    if (s.stage !== stage || s.coversPaidBefore < paidAt) continue;
    if (!best || s.happenedOn < best.happenedOn || (s.happenedOn === best.happenedOn && s.coversPaidBefore > best.coversPaidBefore)) best = s;
  }
  return best;
}

/** A unit's trail: funded on its payment's date, then the earliest step of each stage covering it. */
export function trailOf(paidAt: number, steps: readonly TrailStep[]): UnitTrail {
  return {
    funded: parisDate(paidAt),
    sentToField: stepFor(steps, "sent_to_field", paidAt)?.happenedOn ?? null,
    inUse: stepFor(steps, "in_use", paidAt)?.happenedOn ?? null,
  };
}

/** A refused step, with the request field it is about. */
export type TrailRefusal = RuleError & { field: "happenedOn" | "coversPaidBefore" };

export interface NewStepInput {
  stage: TrailStage;
  happenedOn: CalendarDate;
  coversPaidBefore: number;
  /** The steps already recorded for this gift. */
  existing: readonly TrailStep[];
  /** The payment time of the latest paid unit this step covers (null: it covers none yet). */
  latestCoveredPaidAt: number | null;
  now: number;
}

/**
 * Whether a step may be appended. Dates only ever move a unit's stage earlier
 * (the earliest covering step wins), so it is enough to check the latest unit
 * covered: every older unit was funded earlier and reached each stage no later.
 *  - not in the future (happenedOn, coversPaidBefore);
 *  - sent to the field: not before the covered units were funded;
 *  - in use: the covered units were sent to the field, on or before that date.
 */
export function checkNewStep(input: NewStepInput): { ok: true } | TrailRefusal {
  const refused = (field: TrailRefusal["field"], code: "trail_date_future" | "trail_date_order", message: string): TrailRefusal => ({ ...refuse(code, message), field });
  if (input.happenedOn > latestDateAnywhere(input.now)) return refused("happenedOn", "trail_date_future", "happenedOn must not be in the future");
  if (input.coversPaidBefore > input.now) return refused("coversPaidBefore", "trail_date_future", "coversPaidBefore must not be in the future");
  const latest = input.latestCoveredPaidAt;
  if (latest === null) return { ok: true };
  const funded = parisDate(latest);
  if (input.stage === "sent_to_field") {
    if (input.happenedOn < funded) {
      return refused("happenedOn", "trail_date_order", `Units this step covers were funded on ${funded}, after ${input.happenedOn}; cover only earlier payments or pick a later date`);
    }
    return { ok: true };
  }
  const sent = stepFor(input.existing, "sent_to_field", latest)?.happenedOn;
  if (!sent) return refused("happenedOn", "trail_date_order", "Units this step covers were not sent to the field yet: record that first, or cover only earlier payments");
  if (input.happenedOn < sent) {
    return refused("happenedOn", "trail_date_order", `Units this step covers were sent to the field on ${sent}, after ${input.happenedOn}`);
  }
  return { ok: true };
}
