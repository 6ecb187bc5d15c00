/**
 * Impact updates: an NGO's news about a project, and the donors it reaches.
 *
 * Posting one writes, in ONE transaction, the update and an `impact_update`
 * notification for every donor to the project: each player (account not
 * deleted) who paid an order with a line for that project, once, whatever
 * the number of orders; an order fully refunded or lost in a dispute does
 * not count. The notification names the update only (never an amount).
 * The caller pushes them live after commit.
 *
 * A donor's feed lists the updates of the projects they gave to, newest
 * first, from approved NGOs only.
 */
import { sql } from "drizzle-orm";
import type { Translated } from "../../shared/api.ts";
import type { CreateImpactUpdateRequest, ImpactUpdateView } from "../../shared/impact-updates.ts";
import { photoUrl } from "../../shared/impact-updates.ts";
import type { Db } from "../db/connect.ts";
import { impactUpdates } from "../db/schema.ts";

/** A paid order that still counts as a gift (not fully refunded, no lost dispute). */
const COUNTING_ORDER = sql`o.status = 'paid' and o.refunded_cents < o.total_cents and o.dispute_status is distinct from 'lost'`;

type UpdateRow = {
  id: string; ngoId: string; ngoName: string; projectId: string; projectFr: string; projectEn: string;
  titleFr: string; titleEn: string; bodyFr: string; bodyEn: string; createdAt: Date | string;
  photoId: string | null; photoMime: string | null; photoWidth: number | null; photoHeight: number | null;
};

const VIEW_COLUMNS = sql`
  u.id, u.ngo_id as "ngoId", n.name as "ngoName", u.project_id as "projectId", pr.name_fr as "projectFr", pr.name_en as "projectEn",
  u.title_fr as "titleFr", u.title_en as "titleEn", u.body_fr as "bodyFr", u.body_en as "bodyEn", u.created_at as "createdAt",
  u.photo_id as "photoId", ph.mime_type as "photoMime", ph.width as "photoWidth", ph.height as "photoHeight"`;
const VIEW_FROM = sql`
  impact_updates u join ngos n on n.id = u.ngo_id join projects pr on pr.id = u.project_id left join photos ph on ph.id = u.photo_id`;

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

function toView(r: UpdateRow): ImpactUpdateView {
  const tr = (fr: string, en: string): Translated => ({ fr, en });
  return {
    id: r.id,
    ngo: { id: r.ngoId, name: r.ngoName },
    project: { id: r.projectId, name: tr(r.projectFr, r.projectEn) },
    title: tr(r.titleFr, r.titleEn),
    body: tr(r.bodyFr, r.bodyEn),
    photo: r.photoId
      ? { id: r.photoId, url: photoUrl(r.photoId), mimeType: r.photoMime ?? "", width: Number(r.photoWidth), height: Number(r.photoHeight) }
      : null,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

export async function isProjectOf(db: Db, ngoId: string, projectId: string): Promise<boolean> {
  const rows = rowsOf(await db.execute(sql`select 1 from projects where id = ${projectId} and ngo_id = ${ngoId}`));
  return rows.length > 0;
}

export async function ngoIsApproved(db: Db, ngoId: string): Promise<boolean> {
  const rows = rowsOf(await db.execute(sql`select 1 from ngos where id = ${ngoId} and status = 'approved'`));
  return rows.length > 0;
}

/** The update and one notification per donor to its project, in one transaction. */
export async function postUpdate(
  db: Db,
  input: { ngoId: string; authorId: string } & Omit<CreateImpactUpdateRequest, "photoId"> & { photoId: string | null },
): Promise<{ update: ImpactUpdateView; notified: Array<{ id: string; playerId: string }> }> {
  const { updateId, notified } = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(impactUpdates)
      .values({
        ngoId: input.ngoId, projectId: input.projectId, titleFr: input.titleFr, titleEn: input.titleEn,
        bodyFr: input.bodyFr, bodyEn: input.bodyEn, photoId: input.photoId, authorId: input.authorId,
      })
      .returning({ id: impactUpdates.id });
    if (!row) throw new Error("impact update insert returned nothing");
    const notified = rowsOf<{ id: string; playerId: string }>(await tx.execute(sql`
      insert into notifications (player_id, kind, payload)
      select donors.player_id, 'impact_update', jsonb_build_object('updateId', ${row.id}::text)
      from (
        select distinct o.player_id from orders o
          join order_lines l on l.order_id = o.id
          join players p on p.id = o.player_id
        where l.project_id = ${input.projectId} and p.deleted_at is null and ${COUNTING_ORDER}
      ) donors
      returning id, player_id as "playerId"`));
    return { updateId: row.id, notified };
  });
  const [update] = await updatesWhere(db, sql`u.id = ${updateId}`, 1);
  if (!update) throw new Error("the update just posted is missing");
  return { update, notified };
}

function updatesWhere(db: Db, where: ReturnType<typeof sql>, limit: number): Promise<ImpactUpdateView[]> {
  return db
    .execute(sql`select ${VIEW_COLUMNS} from ${VIEW_FROM} where ${where} order by u.created_at desc, u.id desc limit ${limit}`)
    .then((result) => rowsOf<UpdateRow>(result).map(toView));
}

/** An NGO's updates for its console, newest first. */
export function ngoUpdates(db: Db, ngoId: string, limit = 200): Promise<ImpactUpdateView[]> {
  return updatesWhere(db, sql`u.ngo_id = ${ngoId}`, limit);
}

/** One update as a notification shows it; null when unknown or its NGO is not approved (any more). */
export async function publicUpdate(db: Db, updateId: string): Promise<ImpactUpdateView | null> {
  const [update] = await updatesWhere(db, sql`u.id = ${updateId} and n.status = 'approved'`, 1);
  return update ?? null;
}

/** Several updates by id (for a list of notifications): only those of approved NGOs. */
export async function publicUpdates(db: Db, updateIds: readonly string[]): Promise<Map<string, ImpactUpdateView>> {
  if (updateIds.length === 0) return new Map();
  const ids = sql.join(updateIds.map((id) => sql`${id}::uuid`), sql`, `);
  const found = await updatesWhere(db, sql`u.id in (${ids}) and n.status = 'approved'`, updateIds.length);
  return new Map(found.map((u) => [u.id, u]));
}

/** A donor's feed: updates of the projects they gave to, newest first, after the update `before` if given. */
export async function feedOf(db: Db, playerId: string, opts: { limit: number; before?: string }): Promise<{ updates: ImpactUpdateView[]; next: string | null }> {
  const after = opts.before
    ? sql`and (u.created_at, u.id) < (select b.created_at, b.id from impact_updates b where b.id = ${opts.before})`
    : sql``;
  const rows = await updatesWhere(
    db,
    sql`n.status = 'approved' and exists (
      select 1 from orders o join order_lines l on l.order_id = o.id
      where o.player_id = ${playerId} and l.project_id = u.project_id and ${COUNTING_ORDER}) ${after}`,
    opts.limit + 1,
  );
  const updates = rows.slice(0, opts.limit);
  return { updates, next: rows.length > opts.limit ? (updates.at(-1)?.id ?? null) : null };
}
