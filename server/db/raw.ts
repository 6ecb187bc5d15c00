/**
 * Raw SQL for the hot paths, below drizzle's query builder: on PostgreSQL a
 * named prepared statement (parsed and planned once per connection), on
 * PGlite a plain query. Everything else goes through drizzle.
 */
import { PGlite, type Transaction as PGliteTransaction } from "@electric-sql/pglite";
import pg from "pg";
import type { Db } from "./connect.ts";

/** A statement with a stable name: PostgreSQL prepares it once per connection. */
export interface Statement {
  name: string;
  text: string;
}

export type RawQuery = <R>(statement: Statement, params: unknown[]) => Promise<R[]>;

export interface RawSql {
  query: RawQuery;
  /** Whether statements can run at the same time (a PostgreSQL pool); PGlite runs one at a time. */
  concurrent: boolean;
  /** Runs `fn` inside one database transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(fn: (query: RawQuery) => Promise<T>): Promise<T>;
}

const cache = new WeakMap<object, RawSql>();

export function rawSql(db: Db): RawSql {
  const client = (db as unknown as { $client: unknown }).$client;
  if (!client || typeof client !== "object") throw new Error("this database handle has no client");
  let raw = cache.get(client);
  if (!raw) {
    raw = client instanceof PGlite ? pgliteSql(client) : client instanceof pg.Pool ? poolSql(client) : unsupported();
    cache.set(client, raw);
  }
  return raw;
}

function unsupported(): never {
  throw new Error("raw SQL needs a pg.Pool or a PGlite client");
}

function poolSql(pool: pg.Pool): RawSql {
  const on = (client: pg.Pool | pg.PoolClient): RawQuery =>
    async <R>(s: Statement, params: unknown[]) => (await client.query({ name: s.name, text: s.text, values: params })).rows as R[];
  return {
    query: on(pool),
    concurrent: true,
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("begin");
        const result = await fn(on(client));
        await client.query("commit");
        return result;
      } catch (err) {
        // A connection that cannot even roll back is dropped, not returned to the pool.
        await client.query("rollback").catch((e: Error) => (broken = e));
        throw err;
      } finally {
        client.release(broken);
      }
    },
  };
}

function pgliteSql(db: PGlite): RawSql {
  const on = (client: PGlite | PGliteTransaction): RawQuery =>
    async <R>(s: Statement, params: unknown[]) => (await client.query<R>(s.text, params)).rows;
  return {
    query: on(db),
    concurrent: false,
    transaction: (fn) => db.transaction((tx) => fn(on(tx))),
  };
}
