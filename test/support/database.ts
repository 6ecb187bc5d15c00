/**
 * A fresh database for one test file, cloned from the run's template
 * (see global-setup.ts): PGlite in memory, or a throwaway PostgreSQL database.
 */
import { readFileSync } from "node:fs";
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
