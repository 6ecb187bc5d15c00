/**
 * NGO accounts: the application an NGO sends, its settings (the identity
 * printed on tax receipts), its members, and the platform administrators'
 * review. Request schemas (zod, validated by the server, with a message per
 * field) and response types, shared by the console and the server, plus the
 * pure rules both sides apply (slug, last admin, review transitions).
 */
import { z } from "zod";
import { type RuleError, refuse } from "./errors.ts";
import { checkText } from "./text.ts";
import { NGO_ROLES, type NgoMembershipView, type NgoRole, type NgoStatus, NGO_STATUSES } from "./ngo-roles.ts";
import type { PostalAddress } from "./receipts.ts";
import { RefundWindowDays, TaxEligibilityRequest, type TaxEligibilityView } from "./tax-eligibility.ts";


/** A required one-line text field: "<label> is required", "<label> has at most N characters". */
function line(label: string, max: number) {
  return z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, { error: `${label} is required` })
    .max(max, { error: `${label} has at most ${max} characters` })
    .superRefine(checkText(label, "line"));
}

/** An optional one-line text field: missing, null or blank is stored as null. */
function optionalLine(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, { error: `${label} has at most ${max} characters` })
    .superRefine(checkText(label, "line"))
    .nullish()
    .transform((s) => (s ? s : null));
}

const Address = z.object(
  {
    addressLines: z
      .array(line("address line", 120), { error: "addressLines must be a list of lines" })
      .min(1, { error: "at least one address line" })
      .max(3, { error: "at most three address lines" }),
    postalCode: z.string({ error: "postal code is required" }).trim().regex(/^[A-Za-z0-9 -]{3,10}$/, { error: "not a postal code" }),
    city: line("city", 80),
    country: line("country", 60).default("France"),
  },
  { error: "address is required (address lines, postal code, city, country)" },
);

const Website = z
  .string({ error: "website must be text" })
  .trim()
  .max(200, { error: "website has at most 200 characters" })
  .refine((s) => s === "" || isWebAddress(s), { error: "website must be an http(s) address, like https://example.org" })
  .nullish()
  .transform((s) => (s ? s : null));

function isWebAddress(s: string): boolean {
  try {
    const url = new URL(s);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".");
  } catch {
    return false;
  }
}

const ContactEmail = z
  .string({ error: "contact email is required" })
  .trim()
  .toLowerCase()
  .max(254, { error: "contact email is too long" })
  .pipe(z.email({ error: "contact email must be an email address" }));

/**
 * The NGO's identity. Printed on every French tax receipt it issues (Cerfa n° 11580):
 * legalName, name (when it differs), registrationNumber, address, purpose (its "objet"),
 * legalStatus, and the signatory's name and title. Receipts already issued keep what they printed.
 */
const identityFields = {
  name: line("name", 80),
  legalName: line("legal name", 160),
  legalStatus: line("legal status", 160),
  registrationNumber: optionalLine("registration number", 60),
  purpose: z
    .string({ error: "purpose is required" })
    .trim()
    .min(1, { error: "purpose is required" })
    .max(1000, { error: "purpose has at most 1000 characters" })
    .superRefine(checkText("purpose", "paragraph")),
  contactName: line("contact name", 80),
  contactEmail: ContactEmail,
  website: Website,
  address: Address,
  signatoryName: line("signatory name", 80),
  signatoryTitle: line("signatory title", 80),
};

/** POST /api/ngos/applications: an account applies for an NGO, which stays pending until a platform admin approves it. */
export const NgoApplicationRequest = z.object(identityFields);
export type NgoApplicationRequest = z.input<typeof NgoApplicationRequest>;
export type NgoIdentity = z.output<typeof NgoApplicationRequest>;

/**
 * PATCH /api/ngos/:ngoId/settings (NGO admins): any of the identity fields, the tax-receipt
 * eligibility (replaced as a whole: status and evidence) and the refund window in days. Unknown
 * fields are refused, so the slug, the status and the receipt prefix cannot be changed here. A
 * rename never changes the slug.
 */
export const NgoSettingsRequest = z
  .strictObject({ ...z.object(identityFields).partial().shape, taxEligibility: TaxEligibilityRequest.optional(), refundWindowDays: RefundWindowDays.optional() }, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `these cannot be changed here: ${issue.keys.join(", ")}` : "settings must be an object"),
  })
  // Only checked when the fields were fine (an unknown field says more than "nothing to change").
  .refine((o) => Object.keys(o).length > 0, { error: "nothing to change", when: (payload) => payload.issues.length === 0 });
export type NgoSettingsRequest = z.input<typeof NgoSettingsRequest>;

/** A tax receipt's number is `<prefix>-<year>-<000001>`. */
export const RECEIPT_PREFIX = /^[A-Z0-9]{2,12}$/;

/** POST /api/admin/ngos/:ngoId/approve. Without receiptPrefix, one is derived from the slug. */
export const NgoApproveRequest = z.object({
  note: optionalLine("note", 1000),
  receiptPrefix: z
    .string({ error: "receipt prefix must be text" })
    .trim()
    .toUpperCase()
    .regex(RECEIPT_PREFIX, { error: "receipt prefix has 2 to 12 capital letters or digits" })
    .optional(),
});
export type NgoApproveRequest = z.input<typeof NgoApproveRequest>;

/** POST /api/admin/ngos/:ngoId/reject: the note tells the NGO why (its admins read it in their settings). */
export const NgoRejectRequest = z.object({ note: line("note", 1000) });
export type NgoRejectRequest = z.input<typeof NgoRejectRequest>;

export const NgoAdminListQuery = z.object({
  status: z.enum(NGO_STATUSES, { error: `status is one of ${NGO_STATUSES.join(", ")}` }).default("pending"),
});

const Role = z.enum(NGO_ROLES, { error: `role is one of ${NGO_ROLES.join(", ")}` });

/**
 * POST /api/ngos/:ngoId/members: invites an account, found by its public player name (never by
 * email), with a role. It becomes a member only when that player accepts (POST
 * /api/me/ngo-invitations/:ngoId/accept); until then it has no role at all.
 */
export const NgoMemberAddRequest = z.object({ name: line("name", 200), role: Role });
export type NgoMemberAddRequest = z.input<typeof NgoMemberAddRequest>;

export const NgoMemberRoleRequest = z.object({ role: Role });
export type NgoMemberRoleRequest = z.input<typeof NgoMemberRoleRequest>;

/** An NGO as its admins (GET/PATCH settings) and the platform admins see it. Dates are ISO strings. */
export interface NgoSettingsView {
  id: string;
  slug: string;
  status: NgoStatus;
  name: string;
  legalName: string;
  legalStatus: string;
  registrationNumber: string | null;
  purpose: string;
  contactName: string;
  contactEmail: string;
  website: string | null;
  address: PostalAddress | null;
  signatoryName: string | null;
  signatoryTitle: string | null;
  /** Set by the platform admin on approval; tax receipt numbers start with it. */
  receiptPrefix: string | null;
  /** Whether it may issue tax receipts (article 200 CGI), with its evidence. */
  taxEligibility: TaxEligibilityView;
  /** Days before a payment counts as received for a tax receipt. */
  refundWindowDays: number;
  createdAt: string;
  reviewedAt: string | null;
  /** Why it was rejected (or the approval's note). */
  reviewNote: string | null;
}

/** One application in the platform admins' list (GET /api/admin/ngos). */
export interface NgoApplicationView extends NgoSettingsView {
  appliedBy: { id: string; name: string } | null;
  reviewedBy: { id: string; name: string } | null;
}

export interface NgoAdminListResponse {
  ngos: NgoApplicationView[];
}

/** 201 to an application: the new NGO (pending), of which the applicant is the first admin. */
export interface NgoApplicationResponse {
  ngo: NgoSettingsView;
  role: "admin";
}

export interface NgoMemberView {
  playerId: string;
  /** The member's public player name. */
  name: string;
  role: NgoRole;
  /** ISO date-time they joined. */
  since: string;
}

/** An invitation not answered yet, as the NGO's admins see it. */
export interface NgoInvitationView {
  playerId: string;
  name: string;
  role: NgoRole;
  /** ISO date-time it was sent. */
  since: string;
}

export interface NgoMembersResponse {
  members: NgoMemberView[];
  /** Invited players who have not answered yet (no role until they accept). */
  invitations: NgoInvitationView[];
}

/** 201 to POST /api/ngos/:ngoId/members: the invitation sent. */
export interface NgoInvitationResponse {
  invitation: NgoInvitationView;
}

/** An invitation to join an NGO, as the invited player sees it (GET /api/me/ngos). */
export interface MyNgoInvitation {
  ngo: { id: string; name: string };
  role: NgoRole;
  /** Who invited me (their public player name), null if that account is gone. */
  invitedBy: string | null;
  since: string;
}

/** GET /api/me/ngos: the NGOs I belong to (any status) and whether I review applications. */
export interface MyNgosResponse {
  memberships: NgoMembershipView[];
  platformAdmin: boolean;
  /** Invitations to join an NGO I have not answered yet. */
  invitations: MyNgoInvitation[];
}

/** The slug an NGO name gives ("Semences Solidaires (démo)" → "semences-solidaires-demo"); never empty. */
export function slugFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return slug || "ngo";
}

/** The first slug free among `taken`: base, base-2, base-3… */
export function freeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The receipt prefix a slug gives when the platform admin sets none ("semences-solidaires" → "SEMENCESSOLI"). */
export function receiptPrefixFromSlug(slug: string): string {
  const letters = slug.replace(/[^a-z0-9]/g, "").toUpperCase().slice(0, 10);
  return letters.length >= 2 ? letters : `NGO${letters}`;
}

/** An NGO always keeps an admin: refuses the change that would take its last one away (nextRole null: leaving). */
export function lastAdminRefusal(change: { currentRole: NgoRole; nextRole: NgoRole | null; adminCount: number }): RuleError | null {
  if (change.currentRole !== "admin" || change.nextRole === "admin" || change.adminCount > 1) return null;
  return refuse("last_admin", "An NGO needs at least one admin: make someone else admin first");
}

/** What a review may do: approve a pending or rejected NGO, reject a pending one. */
export function reviewRefusal(current: NgoStatus, decision: "approve" | "reject"): RuleError | null {
  if (decision === "approve" && current !== "approved") return null;
  if (decision === "reject" && current === "pending") return null;
  return refuse("ngo_review_conflict", `This NGO is already ${current}`);
}
