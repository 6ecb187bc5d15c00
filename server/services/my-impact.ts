/**
 * "Your impact" from the books: the caller's donated units still in a village
 * (a refunded one left, so it does not count), grouped by project, each unit
 * at its furthest fund-trail stage (shared/fund-trail.ts), and the newest
 * photos the NGOs posted about those projects. The caller's own data only.
 */
import { sql } from "drizzle-orm";
import { type TrailStage, trailOf } from "../../shared/fund-trail.ts";
import { type ImpactPhoto, type ImpactProject, type MyImpactResponse, projectStage } from "../../shared/my-impact.ts";
import type { Db } from "../db/connect.ts";
import { feedOf } from "./impact-updates.ts";

const PHOTOS = 6;

type UnitRow = {
  projectId: string; projectFr: string; projectEn: string; ngoId: string; ngoName: string; giftId: string; sprite: string;
  paidAt: Date | string; approved: boolean;
};
type StepRow = { giftId: string; stage: TrailStage; happenedOn: string; coversPaidBefore: Date | string };

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

export async function myImpact(db: Db, playerId: string): Promise<MyImpactResponse> {
  const units = rowsOf<UnitRow>(await db.execute(sql`
    select l.project_id as "projectId", pr.name_fr as "projectFr", pr.name_en as "projectEn", n.id as "ngoId", n.name as "ngoName",
      i.gift_id as "giftId", g.sprite, o.paid_at as "paidAt", n.status = 'approved' as approved
    from village_items i
      join order_lines l on l.id = i.order_line_id join orders o on o.id = l.order_id
      join gifts g on g.id = i.gift_id join projects pr on pr.id = l.project_id join ngos n on n.id = l.ngo_id
    where o.player_id = ${playerId} and i.removed_at is null and o.paid_at is not null`));
  const giftIds = [...new Set(units.map((u) => u.giftId))];
  const steps = giftIds.length === 0 ? [] : rowsOf<StepRow>(await db.execute(sql`
    select gift_id as "giftId", stage, happened_on::text as "happenedOn", covers_paid_before as "coversPaidBefore"
    from fund_trail_steps where gift_id in (${sql.join(giftIds.map((id) => sql`${id}::uuid`), sql`, `)})`));
  const stepsOf = new Map<string, Array<{ stage: TrailStage; happenedOn: string; coversPaidBefore: number }>>();
  for (const s of steps) {
    const list = stepsOf.get(s.giftId) ?? [];
    list.push({ stage: s.stage, happenedOn: s.happenedOn.slice(0, 10), coversPaidBefore: new Date(s.coversPaidBefore).getTime() });
    stepsOf.set(s.giftId, list);
  }

  const projects = new Map<string, ImpactProject & { perGift: Map<string, number> }>();
  let inUse = 0;
  for (const u of units) {
    // Steps of an NGO that is not approved (any more) are not shown; "funded" always is.
    const trail = trailOf(new Date(u.paidAt).getTime(), u.approved ? (stepsOf.get(u.giftId) ?? []) : []);
    const p = projects.get(u.projectId) ?? {
      projectId: u.projectId, name: { fr: u.projectFr, en: u.projectEn }, ngo: { id: u.ngoId, name: u.ngoName }, sprite: u.sprite,
      units: 0, stages: { funded: 0, sentToField: 0, inUse: 0 }, stage: "funded", progress: 0, perGift: new Map(),
    };
    p.units++;
    if (trail.inUse) {
      p.stages.inUse++;
      inUse++;
    } else if (trail.sentToField) p.stages.sentToField++;
    else p.stages.funded++;
    p.perGift.set(u.sprite, (p.perGift.get(u.sprite) ?? 0) + 1);
    projects.set(u.projectId, p);
  }
  const list: ImpactProject[] = [...projects.values()].map(({ perGift, ...p }) => ({
    ...p, ...projectStage(p.stages), sprite: [...perGift].sort((a, b) => b[1] - a[1])[0]?.[0] ?? p.sprite,
  })).sort((a, b) => b.progress - a.progress || b.units - a.units || a.projectId.localeCompare(b.projectId));

  const feed = await feedOf(db, playerId, { limit: 30 });
  const photos: ImpactPhoto[] = feed.updates.filter((u) => u.photo).slice(0, PHOTOS).map((u) => ({
    updateId: u.id, url: u.photo!.url, width: u.photo!.width, height: u.photo!.height, alt: u.title, project: u.project.name,
    ngoName: u.ngo.name, createdAt: u.createdAt,
  }));
  const [me] = rowsOf<{ digest: boolean }>(await db.execute(sql`select impact_digest as digest from players where id = ${playerId}`));
  return {
    counters: { gifts: units.length, projects: list.length, ngos: new Set(list.map((p) => p.ngo.id)).size, inUse },
    projects: list, photos, digest: me?.digest === true,
  };
}
