/**
 * NGO accounts: an account applies for an NGO (pending, the applicant its
 * first admin), a platform administrator approves or rejects it, and the
 * NGO's admins keep its identity up to date. Only approved NGOs are visible
 * to players (ngo-visibility.ts).
 */
import { eq, like, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type RuleResult, refuse } from "../../shared/errors.ts";
import type { z } from "zod";
import {
  type NgoApplicationView, type NgoIdentity, NgoSettingsRequest, type NgoSettingsView, freeSlug, receiptPrefixFromSlug, reviewRefusal, slugFromName,
} from "../../shared/ngo-accounts.ts";
import type { NgoStatus } from "../../shared/ngo-roles.ts";
import { isUniqueViolation } from "../db/unique-violation.ts";
import { slugForAttempt, withSlugRetry } from "./slug-allocation.ts";
import type { Db, Tx } from "../db/connect.ts";
import { ngoMembers, ngos, players } from "../db/schema.ts";

type NgoRow = typeof ngos.$inferSelect;
type NgoSettingsPatch = z.output<typeof NgoSettingsRequest>;

export function settingsView(ngo: NgoRow): NgoSettingsView {
  return {
    id: ngo.id,
    slug: ngo.slug,
    status: ngo.status,
    name: ngo.name,
    legalName: ngo.legalName,
    legalStatus: ngo.legalStatus,
    registrationNumber: ngo.registrationNumber,
    purpose: ngo.purpose,
    contactName: ngo.contactName,
    contactEmail: ngo.contactEmail,
    website: ngo.website,
    address: ngo.address,
    signatoryName: ngo.signatoryName,
    signatoryTitle: ngo.signatoryTitle,
    receiptPrefix: ngo.receiptPrefix,
    taxEligibility: { status: ngo.taxReceiptStatus, reference: ngo.taxEvidenceReference, date: ngo.taxEvidenceDate, documentUrl: ngo.taxEvidenceDocumentUrl },
    refundWindowDays: ngo.refundWindowDays,
    createdAt: ngo.createdAt.toISOString(),
    reviewedAt: ngo.reviewedAt?.toISOString() ?? null,
    reviewNote: ngo.reviewNote,
  };
}

export { isUniqueViolation };

/** Creates a pending NGO with a slug of its own, and makes the applicant its first admin, in one transaction. */
export async function applyForNgo(db: Db, applicantId: string, identity: NgoIdentity): Promise<NgoSettingsView> {
  const base = slugFromName(identity.name);
  // Two applications with the same name at once: the second takes another free slug (slug-allocation.ts).
  return withSlugRetry((attempt) =>
    db.transaction(async (tx) => {
      const taken = await tx.select({ slug: ngos.slug }).from(ngos).where(or(eq(ngos.slug, base), like(ngos.slug, `${base}-%`)));
      const slug = slugForAttempt(base, new Set(taken.map((r) => r.slug)), attempt, freeSlug);
      const [ngo] = await tx.insert(ngos).values({ ...identity, slug, status: "pending", appliedBy: applicantId }).returning();
      await tx.insert(ngoMembers).values({ ngoId: ngo!.id, playerId: applicantId, role: "admin" });
      return settingsView(ngo!);
    }),
  );
}

export async function ngoSettings(db: Db, ngoId: string): Promise<NgoSettingsView | null> {
  const [ngo] = await db.select().from(ngos).where(eq(ngos.id, ngoId));
  return ngo ? settingsView(ngo) : null;
}

/** Changes the NGO's identity fields, tax eligibility and refund window (never its slug, status or receipt prefix). */
export async function updateNgoSettings(db: Db, ngoId: string, patch: NgoSettingsPatch): Promise<NgoSettingsView | null> {
  const { taxEligibility, ...rest } = patch;
  const values: Partial<typeof ngos.$inferInsert> = { ...rest };
  if (taxEligibility) {
    const eligible = taxEligibility.status !== "none";
    Object.assign(values, {
      taxReceiptStatus: taxEligibility.status,
      taxEvidenceReference: eligible ? taxEligibility.reference : null,
      taxEvidenceDate: eligible ? taxEligibility.date : null,
      taxEvidenceDocumentUrl: eligible ? taxEligibility.documentUrl : null,
    });
  }
  const [ngo] = await db.update(ngos).set(values).where(eq(ngos.id, ngoId)).returning();
  return ngo ? settingsView(ngo) : null;
}

const applicant = alias(players, "applicant");
const reviewer = alias(players, "reviewer");

/** The NGOs with this status, oldest application first, for the platform admins. */
export async function ngosForReview(db: Db, status: NgoStatus): Promise<NgoApplicationView[]> {
  const rows = await db
    .select({ ngo: ngos, applicant: { id: applicant.id, name: applicant.displayName }, reviewer: { id: reviewer.id, name: reviewer.displayName } })
    .from(ngos)
    .leftJoin(applicant, eq(applicant.id, ngos.appliedBy))
    .leftJoin(reviewer, eq(reviewer.id, ngos.reviewedBy))
    .where(eq(ngos.status, status))
    .orderBy(ngos.createdAt)
    .limit(500);
  return rows.map((r) => ({ ...settingsView(r.ngo), appliedBy: r.applicant, reviewedBy: r.reviewer }));
}

export interface Review {
  ngoId: string;
  reviewerId: string;
  decision: "approve" | "reject";
  note: string | null;
  /** Approval only: the tax receipts' number prefix; derived from the slug when not given. */
  receiptPrefix?: string | undefined;
  now: Date;
}

/** Approves or rejects an application, under the NGO's row lock (two reviewers cannot both decide). */
export async function reviewNgo(db: Db, review: Review): Promise<RuleResult<{ ngo: NgoSettingsView }>> {
  try {
    return await db.transaction(async (tx) => {
      const [ngo] = await tx.select().from(ngos).where(eq(ngos.id, review.ngoId)).for("update");
      if (!ngo) return refuse("not_found", "No such NGO");
      const refusal = reviewRefusal(ngo.status, review.decision);
      if (refusal) return refusal;
      let receiptPrefix = ngo.receiptPrefix;
      if (review.decision === "approve") {
        if (review.receiptPrefix && review.receiptPrefix !== ngo.receiptPrefix) {
          if (await prefixTaken(tx, review.receiptPrefix)) return refuse("receipt_prefix_taken", "Another NGO already uses this receipt prefix");
          receiptPrefix = review.receiptPrefix;
        }
        receiptPrefix ??= await freePrefix(tx, receiptPrefixFromSlug(ngo.slug));
      }
      const [updated] = await tx
        .update(ngos)
        .set({ status: review.decision === "approve" ? "approved" : "rejected", reviewedAt: review.now, reviewedBy: review.reviewerId, reviewNote: review.note, receiptPrefix })
        .where(eq(ngos.id, ngo.id))
        .returning();
      return { ok: true as const, ngo: settingsView(updated!) };
    });
  } catch (err) {
    // Another approval took the same prefix at the same moment.
    if (isUniqueViolation(err)) return refuse("receipt_prefix_taken", "Another NGO already uses this receipt prefix");
    throw err;
  }
}

async function prefixTaken(tx: Tx, prefix: string): Promise<boolean> {
  const rows = await tx.select({ id: ngos.id }).from(ngos).where(eq(ngos.receiptPrefix, prefix)).limit(1);
  return rows.length > 0;
}

async function freePrefix(tx: Tx, base: string): Promise<string> {
  const rows = await tx.select({ prefix: ngos.receiptPrefix }).from(ngos).where(like(ngos.receiptPrefix, `${base}%`));
  const taken = new Set(rows.map((r) => r.prefix));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}
