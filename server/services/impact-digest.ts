/**
 * The opt-in monthly e-mail digest of impact news. Durable, like the
 * dedications: each process sweeps on start and then periodically, so a
 * restart loses nothing, and several processes may sweep at once.
 *
 * A sweep looks at the last whole month in Paris (shared/my-impact.ts):
 * 1. Every signed-up player with the digest on and no row for that month gets
 *    one (impact_digests, primary key player + month, `on conflict do
 *    nothing`): that row is the claim, so a month is decided once per player
 *    whatever the number of processes.
 * 2. Each row still due is decided under its lock (FOR UPDATE SKIP LOCKED) in
 *    one transaction: turned off since, no account, or nothing new that month
 *    → skipped; news → one mail queued (mail_queue, dedupe key
 *    impact_digest:<player>:<month>) and the row marked sent. The mail queue
 *    sends it after commit, with its own retries (server/mail/mail-queue.ts).
 *
 * News of a month: the updates the NGOs posted that month about projects the
 * player gave to (as their feed shows them: approved NGOs, counting orders),
 * and the fund-trail stages their own gifts reached that month.
 *
 * Unsubscribing by the mail's signed link (services/mail-links.ts) turns the
 * setting off and marks that month's row, so a link works once.
 */
import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Translated } from "../../shared/api.ts";
import { type TrailStage, trailOf } from "../../shared/fund-trail.ts";
import { digestDue, digestMonth, monthRange } from "../../shared/my-impact.ts";
import type { Db, Tx } from "../db/connect.ts";
import { type PeriodicSweep, startPeriodicSweep } from "./periodic-sweep.ts";

export const DIGEST_SWEEP_EVERY_MS = 3_600_000;
const BATCH = 20;
const MAX_UPDATES = 10;

type Reader = Pick<Db, "execute"> | Pick<Tx, "execute">;
const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

export interface DigestNews {
  month: string;
  /** The NGOs' updates of the month, oldest first (at most 10). */
  updates: Array<{ title: Translated; project: Translated; ngo: string; createdAt: string; photo: boolean }>;
  /** How many of the player's gifts reached a stage of the fund trail that month, per gift and stage. */
  steps: Array<{ gift: Translated; project: Translated; ngo: string; stage: TrailStage; units: number }>;
}

export const hasNews = (n: DigestNews) => n.updates.length > 0 || n.steps.length > 0;

/** What happened in `month` (YYYY-MM, Paris) to the projects and gifts of a player. */
export async function digestNews(db: Reader, playerId: string, month: string): Promise<DigestNews> {
  const { from, to } = monthRange(month);
  const updates = rowsOf<{ titleFr: string; titleEn: string; projectFr: string; projectEn: string; ngo: string; createdAt: Date | string; photo: boolean }>(
    await db.execute(sql`
      select u.title_fr as "titleFr", u.title_en as "titleEn", pr.name_fr as "projectFr", pr.name_en as "projectEn", n.name as ngo,
        u.created_at as "createdAt", u.photo_id is not null as photo
      from impact_updates u join ngos n on n.id = u.ngo_id join projects pr on pr.id = u.project_id
      where n.status = 'approved' and u.created_at >= ${new Date(from).toISOString()}::timestamptz and u.created_at < ${new Date(to).toISOString()}::timestamptz
        and exists (select 1 from orders o join order_lines l on l.order_id = o.id
                    where o.player_id = ${playerId} and l.project_id = u.project_id
                      and o.status = 'paid' and o.refunded_cents < o.total_cents and o.dispute_status is distinct from 'lost')
      order by u.created_at, u.id limit ${MAX_UPDATES}`),
  );
  const units = rowsOf<{ giftId: string; giftFr: string; giftEn: string; projectFr: string; projectEn: string; ngo: string; paidAt: Date | string }>(
    await db.execute(sql`
      select i.gift_id as "giftId", g.name_fr as "giftFr", g.name_en as "giftEn", pr.name_fr as "projectFr", pr.name_en as "projectEn",
        n.name as ngo, o.paid_at as "paidAt"
      from village_items i join order_lines l on l.id = i.order_line_id join orders o on o.id = l.order_id
        join gifts g on g.id = i.gift_id join projects pr on pr.id = l.project_id join ngos n on n.id = l.ngo_id
      where o.player_id = ${playerId} and i.removed_at is null and o.paid_at is not null and n.status = 'approved'`),
  );
  const giftIds = [...new Set(units.map((u) => u.giftId))];
  const stepRows = giftIds.length === 0 ? [] : rowsOf<{ giftId: string; stage: TrailStage; happenedOn: string; coversPaidBefore: Date | string }>(
    await db.execute(sql`
      select gift_id as "giftId", stage, happened_on::text as "happenedOn", covers_paid_before as "coversPaidBefore"
      from fund_trail_steps where gift_id in (${sql.join(giftIds.map((id) => sql`${id}::uuid`), sql`, `)})`),
  );
  const stepsOf = new Map<string, Array<{ stage: TrailStage; happenedOn: string; coversPaidBefore: number }>>();
  for (const s of stepRows) {
    const list = stepsOf.get(s.giftId) ?? [];
    list.push({ stage: s.stage, happenedOn: s.happenedOn.slice(0, 10), coversPaidBefore: new Date(s.coversPaidBefore).getTime() });
    stepsOf.set(s.giftId, list);
  }
  const reached = new Map<string, DigestNews["steps"][number]>();
  for (const u of units) {
    const trail = trailOf(new Date(u.paidAt).getTime(), stepsOf.get(u.giftId) ?? []);
    for (const [stage, on] of [["sent_to_field", trail.sentToField], ["in_use", trail.inUse]] as const) {
      if (!on?.startsWith(`${month}-`)) continue;
      const key = `${u.giftId}:${stage}`;
      const entry = reached.get(key) ?? {
        gift: { fr: u.giftFr, en: u.giftEn }, project: { fr: u.projectFr, en: u.projectEn }, ngo: u.ngo, stage, units: 0,
      };
      entry.units++;
      reached.set(key, entry);
    }
  }
  return {
    month,
    updates: updates.map((u) => ({
      title: { fr: u.titleFr, en: u.titleEn }, project: { fr: u.projectFr, en: u.projectEn }, ngo: u.ngo,
      createdAt: new Date(u.createdAt).toISOString(), photo: u.photo,
    })),
    steps: [...reached.values()],
  };
}

export interface ImpactDigestDeps {
  db: Db;
  logger: Logger;
  now: () => number;
  /** Called once mails were queued: the mail queue sends them now rather than at its next round. */
  mailOwed: () => void;
}

/** Decides up to BATCH due rows in one transaction; answers how many it decided and how many mails it queued. */
async function decideDue(db: Db): Promise<{ decided: number; queued: number }> {
  return db.transaction(async (tx) => {
    const due = rowsOf<{ playerId: string; month: string; optedIn: boolean; hasAccount: boolean }>(await tx.execute(sql`
      select d.player_id as "playerId", d.month, p.impact_digest and p.deleted_at is null as "optedIn",
        exists (select 1 from accounts a where a.player_id = d.player_id) as "hasAccount"
      from impact_digests d join players p on p.id = d.player_id
      where d.status = 'due' order by d.month, d.player_id limit ${BATCH}
      for update of d skip locked`));
    let queued = 0;
    for (const row of due) {
      const finish = (status: "sent" | "skipped", outcome: string) => tx.execute(sql`
        update impact_digests set status = ${status}, outcome = ${outcome}, done_at = now(), attempts = attempts + 1
        where player_id = ${row.playerId} and month = ${row.month} and status = 'due'`);
      if (!digestDue({ optedIn: row.optedIn, hasAccount: row.hasAccount, alreadyDone: false })) {
        await finish("skipped", row.optedIn ? "no_account" : "opted_out");
        continue;
      }
      if (!hasNews(await digestNews(tx, row.playerId, row.month))) {
        await finish("skipped", "nothing_new");
        continue;
      }
      await tx.execute(sql`
        insert into mail_queue (kind, dedupe_key, player_id, payload)
        values ('impact_digest', ${`impact_digest:${row.playerId}:${row.month}`}, ${row.playerId}, ${JSON.stringify({ month: row.month })}::jsonb)
        on conflict (dedupe_key) do nothing`);
      await finish("sent", "queued");
      queued++;
    }
    return { decided: due.length, queued };
  });
}

/** One sweep: claims this month's rows, then decides every due one. Answers how many mails it queued. */
export async function sweepImpactDigests(deps: ImpactDigestDeps): Promise<number> {
  const month = digestMonth(deps.now());
  await deps.db.execute(sql`
    insert into impact_digests (player_id, month)
    select p.id, ${month} from players p join accounts a on a.player_id = p.id
    where p.impact_digest and p.deleted_at is null
    on conflict (player_id, month) do nothing`);
  let queued = 0;
  for (;;) {
    const round = await decideDue(deps.db);
    queued += round.queued;
    if (round.decided < BATCH) break;
  }
  if (queued > 0) {
    deps.logger.info({ month, queued }, "impact digests queued");
    deps.mailOwed();
  }
  return queued;
}

export type ImpactDigests = PeriodicSweep;

/** Sweeps on start, then every `everyMs`. */
export function startImpactDigests(deps: ImpactDigestDeps, everyMs = DIGEST_SWEEP_EVERY_MS): ImpactDigests {
  return startPeriodicSweep({ run: () => sweepImpactDigests(deps), everyMs, logger: deps.logger, failure: "impact digest sweep failed; the next sweep retries" });
}

/**
 * The unsubscribe link of a month's digest, used: the setting goes off and the
 * link is spent, in one statement. "used" the first time, "spent" after (the
 * setting is then left as it is, even if turned on again since).
 */
export async function unsubscribeByLink(db: Db, link: { playerId: string; month: string }): Promise<"used" | "spent"> {
  const rows = rowsOf<{ playerId: string }>(await db.execute(sql`
    with spent as (
      update impact_digests set unsubscribed_at = now()
      where player_id = ${link.playerId} and month = ${link.month} and unsubscribed_at is null
      returning player_id
    )
    update players p set impact_digest = false from spent where p.id = spent.player_id
    returning p.id as "playerId"`));
  return rows.length > 0 ? "used" : "spent";
}

/** Whether a month's link may still be used (its row exists and was not used). */
export async function linkUnused(db: Db, link: { playerId: string; month: string }): Promise<boolean> {
  const rows = rowsOf(await db.execute(sql`
    select 1 from impact_digests where player_id = ${link.playerId} and month = ${link.month} and unsubscribed_at is null`));
  return rows.length > 0;
}
