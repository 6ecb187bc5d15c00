/**
 * An NGO's own catalog, as its console edits it: projects, and gifts with
 * their stock, window, emergency flag and retirement. Every write runs in one
 * transaction and checks everything first: a refused request writes nothing.
 * Gift rows are locked (FOR UPDATE) while edited, so an edit and a checkout
 * of the same gift run one after the other.
 */
import { and, asc, eq, like, or } from "drizzle-orm";
import { giftState } from "../../shared/gift-offer.ts";
import {
  type FieldErrorCode, type GiftDraft, type GiftPatch, type NgoGiftView, type NgoProjectView, freeSlug, slugify, stockErrors, windowErrors,
} from "../../shared/ngo-catalog.ts";
import { slugForAttempt, withSlugRetry } from "./slug-allocation.ts";
import type { Db, Tx } from "../db/connect.ts";
import { gifts, ngos, projects } from "../db/schema.ts";
import { type UnitCounts, unitCounts } from "./catalog.ts";

type GiftRow = typeof gifts.$inferSelect;
type ProjectRow = typeof projects.$inferSelect;

/** A write's outcome: the row written, or why not (404: no such gift or project in this NGO; 400: these fields). */
export type CatalogWrite<T> = { ok: true; value: T } | { ok: false; notFound: true } | { ok: false; notFound?: false; fields: Record<string, FieldErrorCode> };

const refused = (fields: Record<string, FieldErrorCode>) => ({ ok: false as const, fields });
const missing = { ok: false as const, notFound: true as const };

function giftView(g: GiftRow, ngo: NgoOffer, counts: UnitCounts | undefined, now: number): NgoGiftView {
  const sold = counts?.sold ?? 0;
  const held = counts?.held ?? 0;
  return {
    id: g.id, slug: g.slug, projectId: g.projectId,
    nameFr: g.nameFr, nameEn: g.nameEn, descriptionFr: g.descriptionFr, descriptionEn: g.descriptionEn, impactFr: g.impactFr, impactEn: g.impactEn,
    priceCents: g.priceCents, currency: "EUR", sprite: g.sprite,
    stockLimit: g.stockLimit, unitsSold: sold, unitsHeld: held, stockLeft: g.stockLimit === null ? null : Math.max(0, g.stockLimit - sold - held),
    availableFrom: g.availableFrom?.toISOString() ?? null, availableUntil: g.availableUntil?.toISOString() ?? null,
    emergency: g.emergency, sortOrder: g.sortOrder, retiredAt: g.retiredAt?.toISOString() ?? null,
    state: giftState({ ...ngo, ...g, unitsTaken: sold + held }, now),
    createdAt: g.createdAt.toISOString(), updatedAt: g.updatedAt.toISOString(),
  };
}

function projectView(p: ProjectRow): NgoProjectView {
  return { id: p.id, slug: p.slug, nameFr: p.nameFr, nameEn: p.nameEn, country: p.country, createdAt: p.createdAt.toISOString() };
}

interface NgoOffer {
  ngoApproved: boolean;
  ngoTakesPayments: boolean;
}

/** What of the NGO decides whether players are offered its gifts (shared/gift-offer.ts). */
async function ngoOffer(db: Db | Tx, ngoId: string): Promise<NgoOffer> {
  const [row] = await db.select({ status: ngos.status, charges: ngos.stripeChargesEnabled }).from(ngos).where(eq(ngos.id, ngoId));
  return { ngoApproved: row?.status === "approved", ngoTakesPayments: row?.charges === true };
}

async function viewsOf(db: Db | Tx, ngoId: string, rows: GiftRow[], now: number): Promise<NgoGiftView[]> {
  const counts = await unitCounts(db, rows.map((g) => g.id));
  const ngo = await ngoOffer(db, ngoId);
  return rows.map((g) => giftView(g, ngo, counts.get(g.id), now));
}

/** Every gift of the NGO, retired ones included, with units sold, held and left. */
export async function listNgoGifts(db: Db, ngoId: string, now: number): Promise<NgoGiftView[]> {
  const rows = await db.select().from(gifts).where(eq(gifts.ngoId, ngoId)).orderBy(asc(gifts.sortOrder), asc(gifts.priceCents), asc(gifts.id));
  return viewsOf(db, ngoId, rows, now);
}

async function projectOf(tx: Tx, ngoId: string, projectId: string): Promise<ProjectRow | undefined> {
  const [row] = await tx.select().from(projects).where(and(eq(projects.id, projectId), eq(projects.ngoId, ngoId)));
  return row;
}

/** A slug not used yet by any row of this table, from a name (slug-allocation.ts: the attempt after a clash). */
async function newSlug(tx: Tx, table: typeof gifts | typeof projects, name: string, attempt: number): Promise<string> {
  const base = slugify(name);
  const rows = await tx.select({ slug: table.slug }).from(table).where(or(eq(table.slug, base), like(table.slug, `${base}-%`)));
  return slugForAttempt(base, new Set(rows.map((r) => r.slug)), attempt, freeSlug);
}

export async function createGift(db: Db, ngoId: string, draft: GiftDraft, now: number): Promise<CatalogWrite<NgoGiftView>> {
  return withSlugRetry((attempt) =>
    db.transaction(async (tx) => {
      const fields: Record<string, FieldErrorCode> = { ...windowErrors(draft.availableFrom, draft.availableUntil) };
      if (!(await projectOf(tx, ngoId, draft.projectId))) fields.projectId = "project_unknown";
      if (Object.keys(fields).length > 0) return refused(fields);
      const [row] = await tx
        .insert(gifts)
        .values({
          ...draft, ngoId, slug: await newSlug(tx, gifts, draft.nameFr, attempt),
          availableFrom: draft.availableFrom ? new Date(draft.availableFrom) : null,
          availableUntil: draft.availableUntil ? new Date(draft.availableUntil) : null,
        })
        .returning();
      if (!row) throw new Error("gift insert returned nothing");
      const [view] = await viewsOf(tx, ngoId, [row], now);
      return { ok: true as const, value: view! };
    }),
  );
}

/** The NGO's gift, locked until the transaction ends. */
async function lockedGift(tx: Tx, ngoId: string, giftId: string): Promise<GiftRow | undefined> {
  const [row] = await tx.select().from(gifts).where(and(eq(gifts.id, giftId), eq(gifts.ngoId, ngoId))).for("update");
  return row;
}

export async function updateGift(db: Db, ngoId: string, giftId: string, patch: GiftPatch, now: number): Promise<CatalogWrite<NgoGiftView>> {
  return db.transaction(async (tx) => {
    const current = await lockedGift(tx, ngoId, giftId);
    if (!current) return missing;
    const { availableFrom, availableUntil, ...rest } = patch;
    const from = availableFrom === undefined ? current.availableFrom : availableFrom === null ? null : new Date(availableFrom);
    const until = availableUntil === undefined ? current.availableUntil : availableUntil === null ? null : new Date(availableUntil);
    const fields: Record<string, FieldErrorCode> = { ...windowErrors(from, until) };
    if (patch.projectId !== undefined && !(await projectOf(tx, ngoId, patch.projectId))) fields.projectId = "project_unknown";
    if (patch.stockLimit !== undefined) {
      const sold = (await unitCounts(tx, [giftId])).get(giftId)?.sold ?? 0;
      Object.assign(fields, stockErrors(patch.stockLimit, sold));
    }
    if (Object.keys(fields).length > 0) return refused(fields);
    const [row] = await tx
      .update(gifts)
      .set({ ...rest, availableFrom: from, availableUntil: until, updatedAt: new Date(now) })
      .where(eq(gifts.id, giftId))
      .returning();
    const [view] = await viewsOf(tx, ngoId, [row!], now);
    return { ok: true as const, value: view! };
  });
}

/** Retires (out of the shop, still in the villages that own it) or restores a gift. */
export async function setRetired(db: Db, ngoId: string, giftId: string, retired: boolean, now: number): Promise<CatalogWrite<NgoGiftView>> {
  return db.transaction(async (tx) => {
    const current = await lockedGift(tx, ngoId, giftId);
    if (!current) return missing;
    const retiredAt = retired ? (current.retiredAt ?? new Date(now)) : null;
    const [row] = await tx.update(gifts).set({ retiredAt, updatedAt: new Date(now) }).where(eq(gifts.id, giftId)).returning();
    const [view] = await viewsOf(tx, ngoId, [row!], now);
    return { ok: true as const, value: view! };
  });
}

export async function listProjects(db: Db, ngoId: string): Promise<NgoProjectView[]> {
  const rows = await db.select().from(projects).where(eq(projects.ngoId, ngoId)).orderBy(asc(projects.createdAt), asc(projects.id));
  return rows.map(projectView);
}

export async function createProject(db: Db, ngoId: string, body: { nameFr: string; nameEn: string; country: string }): Promise<NgoProjectView> {
  return withSlugRetry((attempt) =>
    db.transaction(async (tx) => {
      const [row] = await tx.insert(projects).values({ ...body, ngoId, slug: await newSlug(tx, projects, body.nameFr, attempt) }).returning();
      return projectView(row!);
    }),
  );
}

export async function updateProject(
  db: Db, ngoId: string, projectId: string, patch: { nameFr?: string; nameEn?: string; country?: string },
): Promise<CatalogWrite<NgoProjectView>> {
  const [row] = await db.update(projects).set(patch).where(and(eq(projects.id, projectId), eq(projects.ngoId, ngoId))).returning();
  return row ? { ok: true, value: projectView(row) } : missing;
}
