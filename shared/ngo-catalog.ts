/**
 * The NGO console's catalog: request bodies (zod, one field error code per
 * bad field), what the console reads back, and the rules both sides apply.
 *
 * A refused body answers 400 `bad_request` with `fields`: field → a
 * FieldErrorCode below (translated as `field.<code>` in assets/i18n), so the
 * console shows each error next to its field, in French or English.
 */
import { z } from "zod";
import { MAX_ORDER_CENTS } from "./money.ts";
import { GIFT_SPRITES } from "./sprites.ts";
import { textProblem } from "./text.ts";

export const FIELD_ERROR_CODES = [
  "required", "too_long", "control_characters", "bidi_controls", "not_boolean", "unknown_field", "nothing_to_change",
  "price_not_cents", "price_too_low", "price_too_high",
  "project_unknown", "sprite_unknown",
  "stock_invalid", "stock_below_sold",
  "date_invalid", "window_order",
  "sort_order_invalid", "country_invalid",
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

/** The smallest gift: 1 € (the database checks it too). */
export const MIN_GIFT_PRICE_CENTS = 100;
/**
 * The dearest gift: the most one order may hold (shared/money.ts), so every
 * gift in the shop can be bought at least once. Far below what Stripe takes
 * in one payment (99,999,999 cents in EUR) and the integer column (2^31 − 1).
 */
export const MAX_GIFT_PRICE_CENTS = MAX_ORDER_CENTS;
/** Plenty for any real stock; keeps sums far from the integer column's limit. */
export const MAX_STOCK_LIMIT = 1_000_000;
export const MAX_SORT_ORDER = 100_000;

/** A required line of text (no line breaks, no control or bidi control characters: shared/text.ts). */
const line = (max: number) =>
  z.string({ error: "required" }).trim().min(1, { error: "required" }).max(max, { error: "too_long" })
    .superRefine((s, ctx) => textIssue(s, "line", ctx));
/** Text that may hold line breaks, maybe empty. */
const paragraph = (max: number) =>
  z.string({ error: "required" }).trim().max(max, { error: "too_long" }).superRefine((s, ctx) => textIssue(s, "paragraph", ctx));

function textIssue(s: string, kind: "line" | "paragraph", ctx: z.RefinementCtx): void {
  const problem = textProblem(s, kind);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
}

/** "2026-12-01" (midnight UTC) or a full ISO 8601 time with Z or an offset. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const isoDate = z
  .string({ error: "date_invalid" })
  .refine((s) => ISO_DATE.test(s) && !Number.isNaN(Date.parse(s)), { error: "date_invalid" })
  .transform((s) => new Date(s).toISOString())
  .nullable();

const giftFields = {
  nameFr: line(80),
  nameEn: line(80),
  descriptionFr: paragraph(1000).default(""),
  descriptionEn: paragraph(1000).default(""),
  impactFr: line(300),
  impactEn: line(300),
  priceCents: z
    .number({ error: "price_not_cents" })
    .int({ error: "price_not_cents" })
    .min(MIN_GIFT_PRICE_CENTS, { error: "price_too_low" })
    .max(MAX_GIFT_PRICE_CENTS, { error: "price_too_high" }),
  projectId: z.uuid({ error: "project_unknown" }),
  sprite: z.enum(GIFT_SPRITES, { error: "sprite_unknown" }),
  stockLimit: z.number({ error: "stock_invalid" }).int({ error: "stock_invalid" }).min(0, { error: "stock_invalid" })
    .max(MAX_STOCK_LIMIT, { error: "stock_invalid" }).nullable().default(null),
  availableFrom: isoDate.default(null),
  availableUntil: isoDate.default(null),
  emergency: z.boolean({ error: "not_boolean" }).default(false),
  sortOrder: z.number({ error: "sort_order_invalid" }).int({ error: "sort_order_invalid" })
    .min(-MAX_SORT_ORDER, { error: "sort_order_invalid" }).max(MAX_SORT_ORDER, { error: "sort_order_invalid" }).default(0),
};

/** POST /api/ngos/:ngoId/gifts */
export const GiftCreateRequest = z.strictObject(giftFields, { error: "unknown_field" });
export type GiftCreateRequest = z.input<typeof GiftCreateRequest>;
export type GiftDraft = z.output<typeof GiftCreateRequest>;

/** PATCH /api/ngos/:ngoId/gifts/:giftId: any of the fields, at least one; the rest stays. */
export const GiftPatchRequest = z.strictObject(
  Object.fromEntries(Object.entries(giftFields).map(([k, v]) => [k, unwrapDefault(v).optional()])) as {
    [K in keyof typeof giftFields]: z.ZodOptional<Unwrapped<(typeof giftFields)[K]>>;
  },
  { error: "unknown_field" },
);
export type GiftPatchRequest = z.input<typeof GiftPatchRequest>;
export type GiftPatch = z.output<typeof GiftPatchRequest>;

type Unwrapped<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
function unwrapDefault<T extends z.ZodType>(schema: T): Unwrapped<T> {
  return (schema instanceof z.ZodDefault ? schema.unwrap() : schema) as Unwrapped<T>;
}

const countryCode = z
  .string({ error: "country_invalid" })
  .trim()
  .toUpperCase()
  .refine(isCountryCode, { error: "country_invalid" });

const projectFields = { nameFr: line(120), nameEn: line(120), country: countryCode };
/** POST /api/ngos/:ngoId/projects */
export const ProjectCreateRequest = z.strictObject(projectFields, { error: "unknown_field" });
export type ProjectCreateRequest = z.input<typeof ProjectCreateRequest>;
/** PATCH /api/ngos/:ngoId/projects/:projectId */
export const ProjectPatchRequest = z.strictObject(
  { nameFr: projectFields.nameFr.optional(), nameEn: projectFields.nameEn.optional(), country: projectFields.country.optional() },
  { error: "unknown_field" },
);
export type ProjectPatchRequest = z.input<typeof ProjectPatchRequest>;

/** An ISO 3166-1 alpha-2 code the platform knows a name for ("SN", "FR"…). */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  try {
    const name = new Intl.DisplayNames(["en"], { type: "region" }).of(code);
    return Boolean(name) && name !== code && name !== "Unknown Region";
  } catch {
    return false;
  }
}

/** A zod error as field → code (unknown keys each get `unknown_field`). */
export function fieldErrorsOf(error: z.ZodError): Record<string, FieldErrorCode> {
  const fields: Record<string, FieldErrorCode> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[[...issue.path, key].join(".")] = "unknown_field";
      continue;
    }
    const path = issue.path.join(".") || "(root)";
    const code = (FIELD_ERROR_CODES as readonly string[]).includes(issue.message) ? (issue.message as FieldErrorCode) : "required";
    fields[path] ??= code;
  }
  return fields;
}

/** The window rule: the end comes after the start (either may be open). Field errors, empty when fine. */
export function windowErrors(from: string | Date | null, until: string | Date | null): Record<string, FieldErrorCode> {
  if (from === null || until === null) return {};
  return new Date(until).getTime() > new Date(from).getTime() ? {} : { availableUntil: "window_order" };
}

/** The stock rule: a limit never goes below the units already sold. */
export function stockErrors(stockLimit: number | null, unitsSold: number): Record<string, FieldErrorCode> {
  return stockLimit !== null && stockLimit < unitsSold ? { stockLimit: "stock_below_sold" } : {};
}

/** A slug from a name: lower case ASCII words joined by dashes ("Trois poules" → "trois-poules"). */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "gift";
}

/** The first of base, base-2, base-3… not taken. */
export function freeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Where a gift stands for players at a moment (shared/gift-offer.ts computes it). */
export const GIFT_STATES = ["on_sale", "not_yet", "ended", "sold_out", "retired", "ngo_not_approved", "ngo_payments_off"] as const;
export type GiftState = (typeof GIFT_STATES)[number];

/** A gift as its NGO's console reads it (retired ones included). */
export interface NgoGiftView {
  id: string;
  slug: string;
  projectId: string;
  nameFr: string;
  nameEn: string;
  descriptionFr: string;
  descriptionEn: string;
  impactFr: string;
  impactEn: string;
  priceCents: number;
  currency: "EUR";
  sprite: string;
  stockLimit: number | null;
  /** Units in paid orders. */
  unitsSold: number;
  /** Units in checkouts still open (pending, younger than the checkout's validity): held for their buyers. */
  unitsHeld: number;
  /** stockLimit − sold − held (never below 0); null without a limit. */
  stockLeft: number | null;
  availableFrom: string | null;
  availableUntil: string | null;
  emergency: boolean;
  sortOrder: number;
  retiredAt: string | null;
  /** What players see of it now. */
  state: GiftState;
  createdAt: string;
  updatedAt: string;
}

export interface NgoGiftsResponse {
  gifts: NgoGiftView[];
}

export interface NgoProjectView {
  id: string;
  slug: string;
  nameFr: string;
  nameEn: string;
  country: string;
  createdAt: string;
}

export interface NgoProjectsResponse {
  projects: NgoProjectView[];
}
