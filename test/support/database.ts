/**
 * A fresh database for one test file, cloned from the run's template
 * (see global-setup.ts): PGlite in memory, or a throwaway PostgreSQL database.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import type { DatabaseTarget } from "../../server/db/connect.ts";
import { createDatabaseFromTemplate, postgresBaseUrl } from "./postgres.ts";

export interface TestDatabase {
  target: DatabaseTarget;
  kind: "pglite" | "postgres";
  /** Drops the PostgreSQL database (no-op for PGlite). */
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  if (inject("dbKind") === "postgres") {
    const created = await createDatabaseFromTemplate(postgresBaseUrl()!, inject("dbTemplate"));
    return { kind: "postgres", target: { kind: "postgres", url: created.url }, drop: created.drop };
  }
  const dump = new Blob([readFileSync(inject("dbTemplate"))]);
  return { kind: "pglite", target: { kind: "pglite", dataDir: "memory", loadDataDir: dump }, drop: async () => {} };
}

/**
 * A database that survives a server restart: a PGlite folder on disk cloned
 * from the template, or a throwaway PostgreSQL database.
 */
export async function persistentDatabase(): Promise<TestDatabase> {
  if (inject("dbKind") === "postgres") return freshDatabase();
  const dir = mkdtempSync(path.join(os.tmpdir(), "hameau-persist-"));
  const dump = new Blob([readFileSync(inject("dbTemplate"))]);
  return {
    kind: "pglite",
    target: { kind: "pglite", dataDir: path.join(dir, "pglite"), loadDataDir: dump },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
