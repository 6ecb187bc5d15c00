/**
 * Where each benchmark run keeps its data: a temp folder (PGlite lives in
 * $DATA_DIR/pglite) and, for PostgreSQL, a throwaway database, dropped at
 * the end even on failure.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { adminUrl, withDatabase } from "../../support/postgres.ts";
import { checkNotInterrupted, onCleanup } from "./children.ts";

export const DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";

export function postgresServer(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_POSTGRES;
}

/** A temp folder removed by the returned function (and by the global clean-up). */
export function tempFolder(prefix: string): { dir: string; remove: () => Promise<void> } {
  checkNotInterrupted();
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: onCleanup(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true })) };
}

/** An empty database (the server migrates and seeds it on start), dropped by the returned function. */
export async function throwawayPostgres(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  checkNotInterrupted();
  const base = postgresServer();
  const name = `hameau_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const drop = onCleanup(`drop database ${name}`, async () => {
    const c = new pg.Client({ connectionString: adminUrl(base) });
    await c.connect();
    try {
      await c.query(`drop database if exists ${name} with (force)`);
    } finally {
      await c.end();
    }
  });
  return { url: withDatabase(base, name), name, drop };
}
