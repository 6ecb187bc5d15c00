/**
 * The ledger's invariants, checked against the whole database. Returns every
 * problem found (an empty list means the books are sound). Used by the
 * `npm run ledger:check` command and by the tests after every scenario.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/connect.ts";
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
    rule: "refunds in the ledger match the refunded amount of each order",
    query: `select o.id, o.refunded_cents,
                   coalesce(-sum(e.amount_cents) filter (where t.kind = 'refund' and e.account = 'asset:stripe-clearing'), 0)::bigint as ledger
            from orders o left join ledger_transactions t on t.order_id = o.id left join ledger_entries e on e.transaction_id = t.id
            group by o.id
            having o.refunded_cents <> coalesce(-sum(e.amount_cents) filter (where t.kind = 'refund' and e.account = 'asset:stripe-clearing'), 0)`,
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
            where o.status = 'paid' group by l.id having count(i.id) <> l.quantity`,
  },
];

export interface LedgerCheckOptions {
  /** How long a paid order's transfers (and a reversal) may stay not made before it is a problem (default 1 hour). */
  transferGraceMs?: number;
}

export async function checkLedger(db: Db, opts: LedgerCheckOptions = {}): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  const grace = Math.max(0, Math.floor(opts.transferGraceMs ?? 3_600_000));
  for (const { rule, query } of [...RULES, ...transferRules(grace)]) {
    const result = (await db.execute(sql.raw(query))) as unknown as { rows: Array<Record<string, unknown>> };
    for (const row of result.rows) problems.push({ rule, detail: row });
  }
  return problems;
}
