/**
 * Fulfilment: the only code that turns a payment into gifts.
 *
 * The server plans, the database applies. The plan is made here, in
 * TypeScript, from the order's lines (which never change once the order is
 * written): the balanced donation entries (ledger.ts), one unit per gift to
 * grant, and the village tiles in placement order (shared/village.ts). The
 * database function hameau_fulfil_checkout (migration 0003) applies it
 * atomically: it stores the event, and only if the order is still unpaid
 * and matches the session, amount and currency, it marks the order paid,
 * posts the ledger transaction, grants the gifts on free tiles under the
 * village lock and marks the event processed. Applying it twice changes
 * nothing the second time.
 *
 * Payments that arrive while a batch is being applied wait for it and then
 * go together, in one transaction (see fulfilment-queue.ts).
 */
import type Stripe from "stripe";
import { supportLineOf } from "../../shared/refund-split.ts";
import { tilesFromCentre } from "../../shared/village.ts";
import type { RawQuery, Statement } from "../db/raw.ts";
import { balancedEntries, donationEntries } from "./ledger.ts";
import { ngoShares } from "./ngo-ledger.ts";

/** What fulfilment needs from a paid Checkout Session. */
export interface PaidCheckout {
  sessionId: string;
  orderId: string;
  amountTotal: number;
  currency: string;
  paymentIntentId: string | null;
}

export type FulfilmentResult =
  | {
    outcome: "fulfilled"; orderId: string; villageId: string; itemIds: string[]; paymentIntentId: string | null; currency: string; released: boolean;
    /** The village's owner when the gifts went to someone other than the payer (they were notified), else null. */
    recipientId: string | null;
    /** The player who paid (their open baskets learn the order was paid). */
    payerId: string | null;
  }
  | { outcome: string };

/** A payment to fulfil: the verified event and what it says. */
export interface Payment {
  event: Stripe.Event;
  paid: PaidCheckout;
}

/** The database could not apply one payment (it was rolled back alone). */
export class FulfilmentError extends Error {
  readonly sqlstate: string;

  constructor(message: string, sqlstate: string) {
    super(message);
    this.sqlstate = sqlstate;
  }
}

interface PlanRow {
  order_id: string | null;
  village_id: string | null;
  recipient_id: string | null;
  payer_id: string | null;
  total_cents: number | null;
  support_cents: number | null;
  charge_mode: "platform" | "destination" | "separate" | null;
  processed: boolean;
  outcome: string | null;
  /** A monthly gift whose item already stands in the village: this month grows it, no new unit. */
  monthly_grown: boolean;
  /**
   * Dedicated to someone's village: its gifts land there on the dedication's date (services/dedication-delivery.ts), not now.
   * A dedication already cancelled (its order had expired, and the payment came after all) leaves them here.
   */
  dedicated_away: boolean;
  lines: PlanLine[];
}

interface PlanLine {
  id: string;
  giftId: string;
  ngoId: string;
  projectId: string;
  quantity: number;
  lineTotalCents: number;
  sprite: string;
}

/** For each (order, event): the order, its lines with their sprites, and whether the event was already processed. */
const READ_PLANS: Statement = {
  name: "hameau_fulfilment_plans",
  text: `select o.id as order_id, o.village_id, case when v.owner_id <> o.player_id then v.owner_id end as recipient_id,
      o.player_id as payer_id, o.total_cents, o.support_cents, o.charge_mode, e.processed_at is not null as processed, e.outcome,
      o.monthly_gift_id is not null and exists (select 1 from village_items i join order_lines ml on ml.id = i.order_line_id
        join orders mo on mo.id = ml.order_id where mo.monthly_gift_id = o.monthly_gift_id and i.removed_at is null) as monthly_grown,
      exists (select 1 from gift_dedications d where d.order_id = o.id and d.kind = 'village' and d.status <> 'cancelled') as dedicated_away,
      coalesce((select json_agg(json_build_object('id', l.id, 'giftId', l.gift_id, 'ngoId', l.ngo_id, 'projectId', l.project_id,
                  'quantity', l.quantity, 'lineTotalCents', l.line_total_cents, 'sprite', g.sprite) order by l.id)
                from order_lines l join gifts g on g.id = l.gift_id where l.order_id = o.id), '[]'::json) as lines
    from unnest($1::uuid[], $2::text[]) with ordinality as k(order_id, event_id, n)
    left join orders o on o.id = k.order_id
    left join villages v on v.id = o.village_id
    left join stripe_events e on e.id = k.event_id
    order by k.n`,
};

const APPLY: Statement = {
  name: "hameau_fulfil_checkouts",
  text: "select hameau_fulfil_checkouts($1::jsonb, $2::int[]) as results",
};

/** Every village tile in placement order, as the database function takes them: y * 1000 + x. */
const TILE_CODES = tilesFromCentre().map((t) => t.y * 1000 + t.x);

/** Reads the plans of a batch: a duplicate needs nothing more; the others get their plan. */
export async function readPlans(query: RawQuery, payments: readonly Payment[]): Promise<Array<{ duplicate: string } | { plan: Plan } | { failed: Error }>> {
  const rows = await query<PlanRow>(READ_PLANS, [payments.map((p) => p.paid.orderId), payments.map((p) => p.event.id)]);
  return payments.map((p, i) => {
    const row = rows[i];
    if (row?.processed) return { duplicate: `duplicate:${row.outcome ?? ""}` };
    try {
      return { plan: planOf(p, row) };
    } catch (err) {
      return { failed: err as Error };
    }
  });
}

/**
 * Applies planned payments in one statement; one result (or error) per payment, in the order
 * given. They are applied sorted by village, then order: every batch takes its village locks in
 * the same order, so batches running side by side never deadlock on them.
 */
export async function applyPlans(query: RawQuery, plans: readonly Plan[]): Promise<Array<FulfilmentResult | FulfilmentError>> {
  const sequence = plans.map((_, i) => i).sort((a, b) => lockOrder(plans[a]!, plans[b]!));
  const [row] = await query<{ results: ApplyResult[] }>(APPLY, [JSON.stringify(sequence.map((i) => plans[i])), TILE_CODES]);
  const results = row?.results ?? [];
  if (results.length !== plans.length) throw new Error(`fulfilment answered ${results.length} results for ${plans.length} payments`);
  const answers = new Array<FulfilmentResult | FulfilmentError>(plans.length);
  sequence.forEach((planIndex, k) => (answers[planIndex] = answerOf(results[k]!, plans[planIndex]!)));
  return answers;
}

const lockOrder = (a: Plan, b: Plan) => compare(a.villageId ?? "", b.villageId ?? "") || compare(a.orderId, b.orderId);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function answerOf(r: ApplyResult, plan: Plan): FulfilmentResult | FulfilmentError {
  if (r.outcome === "error") return new FulfilmentError(r.message ?? "fulfilment failed", r.sqlstate ?? "");
  if (r.outcome !== "fulfilled") return { outcome: r.outcome };
  return {
    outcome: "fulfilled", orderId: r.orderId!, villageId: r.villageId!, itemIds: r.itemIds ?? [],
    paymentIntentId: plan.paymentIntent, currency: r.currency!, released: r.released === true, recipientId: plan.recipientId,
    payerId: plan.payerId,
  };
}

interface ApplyResult {
  outcome: string;
  orderId?: string;
  villageId?: string;
  currency?: string;
  itemIds?: string[];
  released?: boolean;
  sqlstate?: string;
  message?: string;
}

/** One element of hameau_fulfil_checkouts' batch (villageId only orders the batch). */
export interface Plan {
  villageId: string | null;
  /** The village owner when it is not the payer (not used by the database: the announcement's). */
  recipientId: string | null;
  /** The order's payer (not used by the database: the announcement's). */
  payerId: string | null;
  eventId: string;
  eventType: string;
  payload: Stripe.Event;
  paymentIntent: string | null;
  orderId: string;
  sessionId: string;
  amount: number;
  currency: string;
  accounts: string[];
  amounts: number[];
  lineIds: string[];
  giftIds: string[];
  sprites: string[];
  /** For an order paid to the NGOs' own Stripe accounts: each NGO's share, owed to it as a transfer (written to the outbox). */
  transferNgos: string[];
  transferAmounts: number[];
}

/** The donation entries and the gift units of an order, from its lines (none when the order is unknown). */
function planOf({ event, paid }: Payment, row: PlanRow | undefined): Plan {
  const base = {
    villageId: row?.village_id ?? null, recipientId: row?.recipient_id ?? null, payerId: row?.payer_id ?? null, eventId: event.id, eventType: event.type, payload: event, paymentIntent: paid.paymentIntentId, orderId: paid.orderId,
    sessionId: paid.sessionId, amount: paid.amountTotal, currency: paid.currency,
  };
  if (!row?.order_id) return { ...base, accounts: [], amounts: [], lineIds: [], giftIds: [], sprites: [], transferNgos: [], transferAmounts: [] };
  const lines = row.lines;
  // The optional support goes to the project of the largest line (the rule refunds split by, too).
  const main = supportLineOf(lines.map((l) => ({ ...l, lineId: l.id })));
  const support = row.support_cents ?? 0;
  const entries = balancedEntries(
    `donation:${row.order_id}`,
    donationEntries(row.total_cents ?? 0, lines, main && support > 0 ? { ngoId: main.ngoId, projectId: main.projectId, cents: support } : undefined),
  );
  const units = row.monthly_grown || row.dedicated_away ? [] : lines.flatMap((l) => Array.from({ length: l.quantity }, () => l));
  const shares = row.charge_mode === "destination" || row.charge_mode === "separate" ? ngoShares(entries) : new Map<string, number>();
  return {
    ...base,
    accounts: entries.map((e) => e.account),
    amounts: entries.map((e) => e.amountCents),
    lineIds: units.map((u) => u.id),
    giftIds: units.map((u) => u.giftId),
    sprites: units.map((u) => u.sprite),
    transferNgos: [...shares.keys()],
    transferAmounts: [...shares.values()],
  };
}
