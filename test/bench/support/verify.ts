/**
 * Correctness after the run, read straight from the database once the
 * server has stopped: PostgreSQL through `pg`, PGlite by opening the data
 * folder with the project's own openDatabase.
 */
import { sql } from "drizzle-orm";
import pg from "pg";
import { openDatabase } from "../../../server/db/connect.ts";

export type Query = (text: string) => Promise<Array<Record<string, unknown>>>;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export async function withPostgres<T>(url: string, fn: (q: Query) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(async (text) => (await client.query(text)).rows as Array<Record<string, unknown>>);
  } finally {
    await client.end();
  }
}

export async function withPglite<T>(dataDir: string, fn: (q: Query) => Promise<T>): Promise<T> {
  const database = await openDatabase({ kind: "pglite", dataDir });
  try {
    return await fn(async (text) => ((await database.db.execute(sql.raw(text))) as unknown as { rows: Array<Record<string, unknown>> }).rows);
  } finally {
    await database.close();
  }
}

async function one(q: Query, text: string): Promise<number> {
  const [row] = await q(text);
  return Number(row ? Object.values(row)[0] : Number.NaN);
}

export async function verifyDatabase(q: Query, expected: { orders: number; units: number }): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const orders = await one(q, "select count(*)::int from orders");
  const paid = await one(q, "select count(*)::int from orders where status = 'paid'");
  add("paid orders == N", paid === expected.orders && orders === expected.orders, `${paid} paid of ${orders} orders, N = ${expected.orders}`);

  const lineUnits = await one(q, "select coalesce(sum(quantity), 0)::int from order_lines");
  const donated = await one(q, "select count(*)::int from village_items where gift_id is not null");
  add(
    "donated village items == sum of quantities",
    donated === lineUnits && lineUnits === expected.units,
    `${donated} donated items; order lines hold ${lineUnits} units; the bench bought ${expected.units}`,
  );

  const transactions = await one(q, "select count(*)::int from ledger_transactions where kind = 'donation'");
  const unbalanced = await one(
    q,
    `select count(*)::int from (select transaction_id from ledger_entries group by transaction_id
       having sum(amount_cents) <> 0 or count(distinct currency) <> 1) t`,
  );
  const empty = await one(q, "select count(*)::int from ledger_transactions t where not exists (select 1 from ledger_entries e where e.transaction_id = t.id)");
  add(
    "every ledger transaction sums to zero",
    unbalanced === 0 && empty === 0 && transactions === expected.orders,
    `${transactions} donation transactions (expected ${expected.orders}), ${unbalanced} unbalanced, ${empty} without entries`,
  );
  const ledgerVsOrders = await one(
    q,
    `select count(*)::int from (select o.id from orders o
       join ledger_transactions t on t.order_id = o.id and t.kind = 'donation'
       join ledger_entries e on e.transaction_id = t.id
     group by o.id, o.total_cents having sum(e.amount_cents) filter (where e.amount_cents > 0) <> o.total_cents) x`,
  );
  add("ledger debits == order total", ledgerVsOrders === 0, `${ledgerVsOrders} donations whose debits differ from the order total`);

  const perLine = `select ol.id, ol.quantity, count(vi.id)::int as granted from order_lines ol
                   left join village_items vi on vi.order_line_id = ol.id group by ol.id, ol.quantity`;
  const doubled = await one(q, `select count(*)::int from (${perLine}) x where granted > quantity`);
  const extra = await one(q, `select coalesce(sum(granted - quantity), 0)::int from (${perLine}) x where granted > quantity`);
  add("zero double grants", doubled === 0, `${doubled} order lines with more items than their quantity (${extra} extra items)`);
  const short = await one(q, `select count(*)::int from (${perLine}) x where granted < quantity`);
  add("no missing grants", short === 0, `${short} order lines with fewer items than their quantity`);

  const events = await one(q, "select count(*)::int from stripe_events");
  const fulfilled = await one(q, "select count(*)::int from stripe_events where processed_at is not null and outcome = 'fulfilled'");
  add("one stored event per order, each fulfilled once", events === expected.orders && fulfilled === expected.orders, `${events} stored events, ${fulfilled} fulfilled`);

  // TEST MODE gives the demo NGO a simulated connected account: each paid order owes it one transfer.
  const owed = await one(q, "select count(*)::int from ngo_transfers where kind = 'transfer'");
  const made = await one(q, "select count(*)::int from ngo_transfers where kind = 'transfer' and status = 'done'");
  const booked = await one(q, "select count(*)::int from ledger_transactions where kind = 'transfer'");
  const doubleOwed = await one(q, "select count(*)::int from (select order_id, ngo_id from ngo_transfers where kind = 'transfer' group by 1, 2 having count(*) > 1) t");
  add(
    "one NGO transfer owed per paid order, each made and booked once",
    owed === expected.orders && booked === made && doubleOwed === 0,
    `${owed} transfers owed for ${expected.orders} orders (${made} made by the server's stop, ${owed - made} left to its sweeper), ${booked} booked, ${doubleOwed} owed twice`,
  );

  const overlaps = await one(
    q,
    "select count(*)::int from (select village_id, x, y from village_items where x is not null group by 1, 2, 3 having count(*) > 1) t",
  );
  add("no two items on one tile", overlaps === 0, `${overlaps} tiles holding two items`);
  return checks;
}
