/**
 * The fund trail in the database: appending an NGO's step for one of its
 * gifts (re-checked with the shared rule under the gift's row lock, so two
 * steps posted at once are checked one after the other), the steps of a
 * gift, and the trail of one donated village item.
 */
import { sql } from "drizzle-orm";
import { type RuleError, refuse } from "../../shared/errors.ts";
import {
  type ItemTrailResponse, type TrailRefusal, type TrailStage, type TrailStep, type TrailStepView, checkNewStep, parisDate, stepFor,
} from "../../shared/fund-trail.ts";
import type { Db, Tx } from "../db/connect.ts";
import { fundTrailSteps } from "../db/schema.ts";

type StepRow = {
  id: string; giftId: string; stage: TrailStage; happenedOn: string | Date; coversPaidBefore: Date | string;
  noteFr: string; noteEn: string; createdAt: Date | string;
};

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** A `date` column as "YYYY-MM-DD" (pg gives a string with drizzle's date mode, PGlite may give a Date). */
function calendar(value: string | Date): string {
  return typeof value === "string" ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

function stepView(r: StepRow): TrailStepView {
  return {
    id: r.id, giftId: r.giftId, stage: r.stage, happenedOn: calendar(r.happenedOn),
    coversPaidBefore: new Date(r.coversPaidBefore).toISOString(), note: { fr: r.noteFr, en: r.noteEn },
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

/** A step as the shared rules take it (epoch ms), keeping its note. */
type RuleStep = Omit<TrailStepView, "coversPaidBefore"> & TrailStep;
const asRule = (s: TrailStepView): RuleStep => ({ ...s, coversPaidBefore: Date.parse(s.coversPaidBefore) });

async function stepsOf(db: Db | Tx, giftId: string): Promise<TrailStepView[]> {
  const rows = rowsOf<StepRow>(await db.execute(sql`
    select id, gift_id as "giftId", stage, happened_on::text as "happenedOn", covers_paid_before as "coversPaidBefore",
      note_fr as "noteFr", note_en as "noteEn", created_at as "createdAt"
    from fund_trail_steps where gift_id = ${giftId} order by happened_on, created_at, id`));
  return rows.map(stepView);
}

/** The steps recorded for a gift of this NGO (null: not this NGO's gift). */
export async function giftSteps(db: Db, ngoId: string, giftId: string): Promise<TrailStepView[] | null> {
  const gift = rowsOf(await db.execute(sql`select 1 from gifts where id = ${giftId} and ngo_id = ${ngoId}`));
  if (gift.length === 0) return null;
  return stepsOf(db, giftId);
}

export interface NewStep {
  ngoId: string;
  giftId: string;
  authorId: string;
  stage: TrailStage;
  happenedOn: string;
  coversPaidBefore: number;
  noteFr: string;
  noteEn: string;
  now: number;
}

/** Appends a step, or says why not ("not_found" when the gift is not this NGO's). Nothing is written on a refusal. */
export async function appendStep(db: Db, step: NewStep): Promise<{ ok: true; step: TrailStepView } | TrailRefusal | RuleError> {
  return db.transaction(async (tx) => {
    const gift = rowsOf(await tx.execute(sql`select id from gifts where id = ${step.giftId} and ngo_id = ${step.ngoId} for update`));
    if (gift.length === 0) return refuse("not_found", "No such gift in this NGO");
    const existing = (await stepsOf(tx, step.giftId)).map(asRule);
    const covers = new Date(step.coversPaidBefore).toISOString();
    // The latest payment this step covers, among units still in a village (a unit taken back has no trail).
    const [latest] = rowsOf<{ paidAt: Date | string | null }>(await tx.execute(sql`
      select max(o.paid_at) as "paidAt" from village_items i
        join order_lines l on l.id = i.order_line_id join orders o on o.id = l.order_id
      where i.gift_id = ${step.giftId} and i.removed_at is null and o.paid_at is not null and o.paid_at <= ${covers}::timestamptz`));
    const latestCoveredPaidAt = latest?.paidAt ? new Date(latest.paidAt).getTime() : null;
    const rule = checkNewStep({ ...step, existing, latestCoveredPaidAt });
    if (!rule.ok) return rule;
    const [row] = await tx
      .insert(fundTrailSteps)
      .values({
        giftId: step.giftId, stage: step.stage, happenedOn: step.happenedOn, coversPaidBefore: new Date(step.coversPaidBefore),
        noteFr: step.noteFr, noteEn: step.noteEn, authorId: step.authorId,
      })
      .returning({ id: fundTrailSteps.id });
    const saved = (await stepsOf(tx, step.giftId)).find((s) => s.id === row?.id);
    if (!saved) throw new Error("the trail step just written is missing");
    return { ok: true, step: saved };
  });
}

/**
 * The trail of a donated item in a village (null: no such donated item there).
 * Steps of an NGO that is not approved (any more) are not shown; "funded" always is.
 */
export async function itemTrail(db: Db, villageId: string, itemId: string): Promise<ItemTrailResponse | null> {
  const [item] = rowsOf<{ giftId: string; paidAt: Date | string; approved: boolean }>(await db.execute(sql`
    select i.gift_id as "giftId", o.paid_at as "paidAt", n.status = 'approved' as approved
    from village_items i
      join order_lines l on l.id = i.order_line_id join orders o on o.id = l.order_id
      join gifts g on g.id = i.gift_id join ngos n on n.id = g.ngo_id
    where i.id = ${itemId} and i.village_id = ${villageId} and i.removed_at is null and o.paid_at is not null`));
  if (!item) return null;
  const paidAt = new Date(item.paidAt).getTime();
  const steps = item.approved ? (await stepsOf(db, item.giftId)).map(asRule) : [];
  const at = (stage: TrailStage) => {
    const s = stepFor(steps, stage, paidAt);
    return s ? { on: s.happenedOn, note: s.note } : null;
  };
  return { itemId, giftId: item.giftId, funded: parisDate(paidAt), sentToField: at("sent_to_field"), inUse: at("in_use") };
}
