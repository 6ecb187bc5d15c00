/** Row counts of the tables a payment touches: "nothing was written" checks compare these. */
import { sql } from "drizzle-orm";
import type { Db } from "../../server/db/connect.ts";

const TABLES = ["orders", "order_lines", "stripe_events", "ledger_transactions", "ledger_entries", "village_items"] as const;
export type Counts = Record<(typeof TABLES)[number], number>;

export async function tableCounts(db: Db): Promise<Counts> {
  const out = {} as Counts;
  for (const t of TABLES) {
    const result = (await db.execute(sql.raw(`select count(*)::int as n from ${t}`))) as unknown as { rows: Array<{ n: number }> };
    out[t] = Number(result.rows[0]?.n ?? 0);
  }
  return out;
}

/** Every ledger transaction sums to zero, in one currency per transaction. */
export async function unbalancedTransactions(db: Db): Promise<unknown[]> {
  const result = (await db.execute(
    sql.raw(`select transaction_id, sum(amount_cents)::int as total, count(distinct currency)::int as currencies
             from ledger_entries group by transaction_id having sum(amount_cents) <> 0 or count(distinct currency) <> 1`),
  )) as unknown as { rows: unknown[] };
  return result.rows;
}
