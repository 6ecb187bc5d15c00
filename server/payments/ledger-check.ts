/**
 * The ledger's invariants, checked against the whole database. Returns every
 * problem found (an empty list means the books are sound). Used by the
 * `npm run ledger:check` command and by the tests after every scenario.
 */
import { sql } from "drizzle-orm";
import { splitTaken } from "../../shared/refund-split.ts";
import type { Db } from "../db/connect.ts";
import { matchingRules } from "./ledger-check-matching.ts";
import { transferRules } from "./ledger-check-transfers.ts";

export interface LedgerProblem {
  rule: string;
  detail: Record<string, unknown>;
}

const RULES: Array<{ rule: string; query: string }> = [
  {
    rule: "every transaction sums to zero, in one currency, with at least two entries",
    query: `select t.id, t.source_key, coalesce(sum(e.amount_cents), 0)::bigint as total, count(e.*)::int as entries,
                   count(distinct e.currency)::int as currencies
            from ledger_transactions t left join ledger_entries e on e.transaction_id = t.id
            group by t.id having coalesce(sum(e.amount_cents), 0) <> 0 or count(e.*) < 2 or count(distinct e.currency) <> 1
               or bool_or(e.currency <> t.currency)`,
  },
  {
    rule: "every paid order has exactly one donation transaction, for its total",
    query: `select o.id, o.total_cents, count(t.id)::int as donations,
                   (select coalesce(sum(e.amount_cents), 0) from ledger_entries e join ledger_transactions d on d.id = e.transaction_id
                     where d.order_id = o.id and d.kind = 'donation' and e.account = 'asset:stripe-clearing')::bigint as received
            from orders o left join ledger_transactions t on t.order_id = o.id and t.kind = 'donation'
            where o.status = 'paid' group by o.id
            having count(t.id) <> 1 or (select coalesce(sum(e.amount_cents), 0) from ledger_entries e join ledger_transactions d on d.id = e.transaction_id
                     where d.order_id = o.id and d.kind = 'donation' and e.account = 'asset:stripe-clearing') <> o.total_cents`,
  },
  {
    rule: "no money movement for an order that is not paid",
    query: `select o.id, o.status, count(t.id)::int as transactions from orders o join ledger_transactions t on t.order_id = o.id
            where o.status <> 'paid' group by o.id`,
  },
  {
    rule: "refunds in the ledger, net of their corrections, match the refunded amount of each order",
    query: `select o.id, o.refunded_cents,
                   coalesce(-sum(e.amount_cents) filter (where t.kind in ('refund', 'refund_correction') and e.account = 'asset:stripe-clearing'), 0)::bigint as ledger
            from orders o left join ledger_transactions t on t.order_id = o.id left join ledger_entries e on e.transaction_id = t.id
            group by o.id
            having o.refunded_cents <> coalesce(-sum(e.amount_cents) filter (where t.kind in ('refund', 'refund_correction') and e.account = 'asset:stripe-clearing'), 0)`,
  },
  {
    rule: "a refund correction only gives back what refunds took: net refunded never negative, and refunds plus disputes never above what was paid",
    query: `select o.id, o.total_cents, x.refunded, x.disputed from orders o join (
              select t.order_id,
                     coalesce(-sum(e.amount_cents) filter (where t.kind in ('refund', 'refund_correction')), 0)::bigint as refunded,
                     coalesce(-sum(e.amount_cents) filter (where t.kind in ('dispute', 'dispute_reversal')), 0)::bigint as disputed,
                     bool_or(t.kind = 'refund_correction') as corrected
              from ledger_transactions t join ledger_entries e on e.transaction_id = t.id and e.account = 'asset:stripe-clearing'
              group by t.order_id) x on x.order_id = o.id
            where x.refunded < 0 or x.disputed < 0 or x.refunded + x.disputed > o.total_cents
               or (x.corrected and exists (select 1 from ledger_transactions c join ledger_entries ce on ce.transaction_id = c.id
                     where c.order_id = o.id and c.kind = 'refund_correction' and ce.account = 'asset:stripe-clearing' and ce.amount_cents < 0))`,
  },
  {
    rule: "no gift in a village without a paid order line",
    query: `select i.id, i.village_id, o.id as order_id, o.status from village_items i
            left join order_lines l on l.id = i.order_line_id left join orders o on o.id = l.order_id
            where i.gift_id is not null and i.removed_at is null and (o.id is null or o.status <> 'paid' or l.gift_id <> i.gift_id)`,
  },
  {
    rule: "never more gifts granted than bought",
    query: `select l.id as order_line_id, l.quantity, count(i.id)::int as granted from order_lines l join village_items i on i.order_line_id = l.id
            group by l.id having count(i.id) > l.quantity`,
  },
  {
    rule: "every gift of a fully paid, undisputed order is granted",
    query: `select l.id as order_line_id, l.quantity, count(i.id)::int as granted from order_lines l join orders o on o.id = l.order_id
            left join village_items i on i.order_line_id = l.id
            where o.status = 'paid' and o.monthly_gift_id is null group by l.id having count(i.id) <> l.quantity`,
  },
  {
    // A monthly gift is one item that grows with its months (granted with the first one paid).
    rule: "a monthly gift stands as one item at most",
    query: `select o.monthly_gift_id, count(i.id)::int as items from orders o join order_lines l on l.order_id = o.id
            join village_items i on i.order_line_id = l.id and i.removed_at is null
            where o.monthly_gift_id is not null group by o.monthly_gift_id having count(i.id) > 1`,
  },
];

export interface LedgerCheckOptions {
  /** How long a paid order's transfers (and a reversal) may stay not made before it is a problem (default 1 hour). */
  transferGraceMs?: number;
}

export async function checkLedger(db: Db, opts: LedgerCheckOptions = {}): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  const grace = Math.max(0, Math.floor(opts.transferGraceMs ?? 3_600_000));
  for (const { rule, query } of [...RULES, ...transferRules(grace), ...matchingRules]) {
    const result = (await db.execute(sql.raw(query))) as unknown as { rows: Array<Record<string, unknown>> };
    for (const row of result.rows) problems.push({ rule, detail: row });
  }
  problems.push(...(await villageFollowsRefunds(db)));
  return problems;
}

const SPLIT_RULE = "the gifts a refund took out of the village are those the refund split says (shared/refund-split.ts)";

/** For every refunded order not lost in a dispute: per line, the gifts out for a refund are what the split says. */
async function villageFollowsRefunds(db: Db): Promise<LedgerProblem[]> {
  const result = (await db.execute(sql.raw(`
    select o.id as order_id, o.refunded_cents, o.support_cents, l.id as line_id, l.unit_price_cents, l.quantity,
           count(i.id) filter (where i.removal_reason = 'refunded')::int as out_for_refund,
           count(i.id) filter (where i.removal_reason is distinct from 'account_deleted')::int as counted
    from orders o join order_lines l on l.order_id = o.id left join village_items i on i.order_line_id = l.id
    where o.status = 'paid' and o.dispute_status is distinct from 'lost'
      and (o.refunded_cents > 0 or exists (select 1 from village_items r join order_lines rl on rl.id = r.order_line_id
                                           where rl.order_id = o.id and r.removal_reason = 'refunded'))
    group by o.id, l.id order by o.id, l.id`))) as unknown as {
    rows: Array<{ order_id: string; refunded_cents: number; support_cents: number; line_id: string; unit_price_cents: number; quantity: number; out_for_refund: number; counted: number }>;
  };
  const byOrder = new Map<string, typeof result.rows>();
  for (const row of result.rows) byOrder.set(row.order_id, [...(byOrder.get(row.order_id) ?? []), row]);
  const problems: LedgerProblem[] = [];
  for (const [orderId, rows] of byOrder) {
    const split = splitTaken({
      lines: rows.map((r) => ({ lineId: r.line_id, ngoId: "", projectId: "", unitPriceCents: r.unit_price_cents, quantity: r.quantity })),
      supportCents: rows[0]!.support_cents,
    }, rows[0]!.refunded_cents);
    for (const r of rows) {
      const expected = Math.min(split.unitsOut[r.line_id] ?? 0, r.counted);
      if (r.out_for_refund !== expected) problems.push({ rule: SPLIT_RULE, detail: { orderId, lineId: r.line_id, refundedCents: r.refunded_cents, outForRefund: r.out_for_refund, expected } });
    }
  }
  return problems;
}
