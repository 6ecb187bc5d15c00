/**
 * Opens the database: PostgreSQL through `pg` when DATABASE_URL is set,
 * otherwise embedded PGlite in a data folder. Both get the same drizzle
 * schema and the same committed migrations, applied on open.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle: same query API as Db. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
  /** PostgreSQL only: the connection pool's connections (open, idle) and the queries waiting for one. */
  pool?: () => { total: number; idle: number; waiting: number };
  /** PGlite only: a tarball of the data folder (used to clone test databases quickly). */
  dumpDataDir?: () => Promise<Blob>;
}

export const MIGRATIONS_DIR = path.join(import.meta.dirname, "migrations");

export type DatabaseTarget =
  | { kind: "postgres"; url: string }
  /** dataDir: a folder on disk, or "memory"; loadDataDir: a dump to start from (tests). */
  | { kind: "pglite"; dataDir: string; loadDataDir?: Blob };

export async function openDatabase(target: DatabaseTarget, opts: { onIdleError?: (err: Error) => void } = {}): Promise<Database> {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    // An idle connection closed by the server (restart, failover, admin) is dropped by the pool and
    // replaced on the next query; without a listener its error would crash the process.
    pool.on("error", (err) => opts.onIdleError?.(err));
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    // Serialise migrations across processes starting together.
    const lockClient = await pool.connect();
    try {
      await lockClient.query("select pg_advisory_lock(72657)");
      await migratePg(drizzlePg({ client: pool, schema }), { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await lockClient.query("select pg_advisory_unlock(72657)").catch(() => {});
      lockClient.release();
    }
    return {
      db, kind: "postgres", close: () => pool.end(),
      pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    };
  }
  let client: PGlite;
  if (target.dataDir === "memory") {
    client = await PGlite.create(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {});
  } else {
    mkdirSync(path.dirname(target.dataDir), { recursive: true });
    // A dump seeds a new folder only; an existing folder is opened as it is.
    const fresh = !existsSync(path.join(target.dataDir, "PG_VERSION"));
    client = await PGlite.create(target.dataDir, fresh && target.loadDataDir ? { loadDataDir: target.loadDataDir } : {});
  }
  const pgliteDb = drizzlePglite({ client, schema });
  await migratePglite(pgliteDb, { migrationsFolder: MIGRATIONS_DIR });
  return {
    db: pgliteDb as unknown as Db,
    kind: "pglite",
    close: () => client.close(),
    dumpDataDir: () => client.dumpDataDir("none"),
  };
}

/** A cheap liveness probe for /healthz. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
