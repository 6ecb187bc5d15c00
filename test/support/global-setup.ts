/**
 * Prepares one migrated, seeded database template for the whole run, so each
 * test file gets its own fresh copy in well under a second:
 * - PostgreSQL (when TEST_DATABASE_URL or DATABASE_URL is set): a template
 *   database with a random name, dropped at the end;
 * - PGlite otherwise: a data-dir dump that each file loads into memory.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../server/db/connect.ts";
import { seedDemo } from "../../server/db/seed.ts";
import { adminUrl, postgresBaseUrl, withDatabase } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dbKind: "pglite" | "postgres";
    /** PGlite: path of the dump file. PostgreSQL: name of the template database. */
    dbTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const base = postgresBaseUrl();
  if (base) {
    const name = `hameau_tpl_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl(base) });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const db = await openDatabase({ kind: "postgres", url: withDatabase(base, name) });
    await seedDemo(db.db, { payments: "test-checkout" });
    await db.close();
    project.provide("dbKind", "postgres");
    project.provide("dbTemplate", name);
    return async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "hameau-tpl-"));
  const db = await openDatabase({ kind: "pglite", dataDir: "memory" });
  await seedDemo(db.db, { payments: "test-checkout" });
  const dump = await db.dumpDataDir!();
  await db.close();
  const file = path.join(dir, "template.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("dbKind", "pglite");
  project.provide("dbTemplate", file);
  return () => rmSync(dir, { recursive: true, force: true });
}
