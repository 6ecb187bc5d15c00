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
