/**
 * Delivering dedications on their date. Durable: the dedication is a row
 * written with its order, and each process sweeps on start and then
 * periodically, so a restart loses nothing. Several processes may sweep
 * together: a due row is claimed for a while (FOR UPDATE SKIP LOCKED), and
 * delivering marks it delivered only if it is still scheduled.
 *
 * Into a village: the mark, the order's gifts granted into the honoree's
 * village and the honoree's notification are one transaction under the
 * order's lock, so it happens exactly once (services/dedication-items.ts). By mail: the e-card is sent, then the row is
 * marked; a crash between the two resends it once the claim is over (as the
 * mail queue does). What the rule says (shared/dedications.ts, time passed
 * in): wait until the date and the payment (an unpaid order's row is not
 * even claimed), then deliver; an order that
 * expired, was refunded or lost in a dispute cancels it.
 */
import { sql } from "drizzle-orm";
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import { dedicationDue, type DedicationOrder } from "../../shared/dedications.ts";
import { parisDate } from "../../shared/fund-trail.ts";
import type { Db, Tx } from "../db/connect.ts";
import { dedicationECardMail } from "../mail/dedication-messages.ts";
import type { Mailer } from "../mail/mailer.ts";
import { publishPlayerEvent } from "../realtime/player-events.ts";
import { publishVillageEvent } from "../realtime/village-events.ts";
import { grantOrderUnits, grantStrandedUnits, lockOrderForDelivery, orderGifts } from "./dedication-items.ts";
import { mayVisit } from "./friends.ts";
import { type PeriodicSweep, startPeriodicSweep } from "./periodic-sweep.ts";

export interface DedicationDeliveryDeps {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  presence: Presence;
  publicUrl: () => string;
  now: () => number;
}

const BATCH = 50;
const CLAIM_MS = 120_000;
const RETRY_MS = 300_000;
export const DEDICATION_SWEEP_EVERY_MS = 60_000;

interface Claimed {
  id: string;
  orderId: string;
  giverId: string;
  honoreeName: string;
  message: string;
  deliverOn: string;
  kind: "village" | "email";
  villageId: string | null;
  email: string | null;
  showGiverName: boolean;
  locale: "fr" | "en";
  order: DedicationOrder;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

async function claimDue(db: Db, now: number): Promise<Claimed[]> {
  const at = new Date(now).toISOString();
  const rows = rowsOf<Omit<Claimed, "order"> & { status: DedicationOrder["status"]; totalCents: number; refundedCents: number; disputeStatus: DedicationOrder["disputeStatus"] }>(
    await db.execute(sql`
      with picked as (
        select d.id from gift_dedications d join orders po on po.id = d.order_id
        where d.status = 'scheduled' and d.deliver_on <= ${parisDate(now)}::date and po.status <> 'pending'
          and (d.claimed_until is null or d.claimed_until < ${at}::timestamptz)
        order by d.deliver_on, d.id limit ${BATCH}
        for update of d skip locked
      )
      update gift_dedications d set claimed_until = ${at}::timestamptz + make_interval(secs => ${CLAIM_MS / 1000}), attempts = d.attempts + 1
      from picked, orders o
      where d.id = picked.id and o.id = d.order_id
      returning d.id, d.order_id as "orderId", d.giver_id as "giverId", d.honoree_name as "honoreeName", d.message, d.deliver_on::text as "deliverOn",
        d.kind, d.village_id as "villageId", d.email, d.show_giver_name as "showGiverName", d.locale,
        o.status, o.total_cents as "totalCents", o.refunded_cents as "refundedCents", o.dispute_status as "disputeStatus"`),
  );
  return rows.map((r) => ({ ...r, order: { status: r.status, totalCents: r.totalCents, refundedCents: r.refundedCents, disputeStatus: r.disputeStatus } }));
}

/** Marks it done if it is still scheduled; answers whether this call did. */
async function finish(db: Db | Tx, id: string, status: "delivered" | "cancelled", note: string | null): Promise<boolean> {
  return rowsOf(await db.execute(sql`update gift_dedications set status = ${status}, done_at = now(), claimed_until = null, last_error = ${note}
    where id = ${id} and status = 'scheduled' returning id`)).length > 0;
}

/** Releases a claim: the row is looked at again after `afterMs`. */
async function release(db: Db, id: string, now: number, afterMs: number, note: string | null): Promise<void> {
  await db.execute(sql`update gift_dedications set claimed_until = ${new Date(now + afterMs).toISOString()}::timestamptz, last_error = ${note}
    where id = ${id} and status = 'scheduled'`);
}

/** The giver's name for the honoree: only if they chose to show it and still have an account. */
async function giverName(db: Db, d: Claimed): Promise<string | null> {
  if (!d.showGiverName) return null;
  const [row] = rowsOf<{ name: string }>(await db.execute(sql`select display_name as name from players where id = ${d.giverId} and deleted_at is null`));
  return row?.name ?? null;
}

/**
 * Into a village, in one transaction under the order's lock: the dedication is marked delivered
 * (only if still scheduled: of several sweepers, one does it), the order's gifts are granted into
 * the honoree's village and the honoree is told. If the giver may no longer give there (a block
 * since, the honoree gone), it is cancelled and the gifts land in the giver's own village instead.
 * Then the village's room (in any process) and the honoree's clients hear of it.
 */
async function deliverToVillage(deps: DedicationDeliveryDeps, d: Claimed): Promise<void> {
  const allowed = await mayVisit(deps.db, d.giverId, d.villageId!);
  const fromName = await giverName(deps.db, d);
  const done = await deps.db.transaction(async (tx) => {
    const order = await lockOrderForDelivery(tx, d.orderId);
    if (!order) return null;
    // Fresh, under the lock: a refund or a lost dispute since the claim cancels it.
    const action = dedicationDue(d.deliverOn, order, deps.now());
    if (action !== "deliver") {
      if (action === "cancel") await finish(tx, d.id, "cancelled", `order_${order.status}`);
      return null;
    }
    if (!allowed.ok || allowed.owner) {
      if (!(await finish(tx, d.id, "cancelled", allowed.ok ? "own_village" : allowed.code))) return null;
      return { villageId: order.villageId, itemIds: await grantOrderUnits(tx, d.orderId, order.villageId), told: null };
    }
    if (!(await finish(tx, d.id, "delivered", null))) return null;
    const itemIds = await grantOrderUnits(tx, d.orderId, d.villageId!);
    const payload = {
      dedicationId: d.id, orderId: d.orderId, honoreeName: d.honoreeName, message: d.message, fromName,
      villageId: d.villageId, itemIds, gifts: await orderGifts(tx, d.orderId),
    };
    const [told] = rowsOf<{ id: string; playerId: string }>(await tx.execute(sql`
      insert into notifications (player_id, kind, payload)
      select v.owner_id, 'dedication_received', ${JSON.stringify(payload)}::jsonb from villages v where v.id = ${d.villageId}
      returning id, player_id as "playerId"`));
    return { villageId: d.villageId!, itemIds, told: told ?? null };
  });
  if (!done) return;
  if (done.itemIds.length > 0) {
    await publishVillageEvent(deps.presence, done.villageId, { kind: "gifts-granted", orderId: d.orderId, itemIds: done.itemIds })
      .catch((err: unknown) => deps.logger.warn({ err, dedicationId: d.id }, "dedicated gifts not announced live"));
  }
  if (done.told) await publishPlayerEvent(deps.presence, done.told.playerId, { kind: "notification", notificationId: done.told.id }).catch(() => undefined);
}

async function deliverByMail(deps: DedicationDeliveryDeps, d: Claimed): Promise<void> {
  const fr = d.locale === "fr";
  const gifts = rowsOf<{ name: string; impact: string; project: string; ngo: string; quantity: number; sprite: string }>(await deps.db.execute(sql`
    select ${fr ? sql`g.name_fr` : sql`g.name_en`} as name, ${fr ? sql`g.impact_fr` : sql`g.impact_en`} as impact,
      ${fr ? sql`p.name_fr` : sql`p.name_en`} as project, n.name as ngo, l.quantity, g.sprite
    from order_lines l join gifts g on g.id = l.gift_id join projects p on p.id = l.project_id join ngos n on n.id = l.ngo_id
    where l.order_id = ${d.orderId} order by l.id`));
  const mail = dedicationECardMail(
    { to: d.email!, locale: d.locale, honoreeName: d.honoreeName, fromName: await giverName(deps.db, d), message: d.message, gifts },
    deps.publicUrl(),
  );
  await deps.mailer.send("dedication_ecard", mail);
  await finish(deps.db, d.id, "delivered", null);
}

/** After a payment that granted nothing: a cancelled village dedication's gifts go into the order's village (dedication-items.ts). */
export async function placeStrandedGifts(deps: Pick<DedicationDeliveryDeps, "db" | "presence">, orderId: string): Promise<void> {
  const placed = await grantStrandedUnits(deps.db, orderId);
  if (placed) await publishVillageEvent(deps.presence, placed.villageId, { kind: "gifts-granted", orderId, itemIds: placed.itemIds });
}

/** Delivers (or cancels) what is due now; answers how many rows it looked at. */
export async function deliverDueDedications(deps: DedicationDeliveryDeps): Promise<number> {
  let seen = 0;
  for (;;) {
    const now = deps.now();
    const rows = await claimDue(deps.db, now);
    if (rows.length === 0) return seen;
    seen += rows.length;
    for (const d of rows) {
      const action = dedicationDue(d.deliverOn, d.order, now);
      try {
        if (action === "cancel") await finish(deps.db, d.id, "cancelled", `order_${d.order.status}`);
        else if (action === "wait") await release(deps.db, d.id, now, RETRY_MS, null);
        else if (d.kind === "village") await deliverToVillage(deps, d);
        else await deliverByMail(deps, d);
      } catch (err) {
        deps.logger.warn({ dedicationId: d.id, reason: (err as Error).message }, "dedication not delivered; retried later");
        await release(deps.db, d.id, now, RETRY_MS, (err as Error).message.slice(0, 300));
      }
    }
    if (rows.length < BATCH) return seen;
  }
}

export type DedicationDelivery = PeriodicSweep;

/** Sweeps on start, then every `everyMs`. */
export function startDedicationDelivery(deps: DedicationDeliveryDeps, everyMs = DEDICATION_SWEEP_EVERY_MS): DedicationDelivery {
  return startPeriodicSweep({ run: () => deliverDueDedications(deps), everyMs, logger: deps.logger, failure: "dedication sweep failed; the next sweep retries" });
}
