/** PostgreSQL helpers for tests: throwaway databases on the local server. */
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server to run PostgreSQL tests against, or undefined for PGlite. */
export function postgresBaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Connection to the maintenance database, for CREATE/DROP DATABASE. */
export function adminUrl(url: string): string {
  return withDatabase(url, "postgres");
}

export async function createDatabaseFromTemplate(base: string, template: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hameau_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${template}`);
        break;
      } catch (err) {
        // Another file copying the same template at this instant: try again shortly.
        if (attempt >= 20 || !String((err as Error).message).includes("being accessed")) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(base, name),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl(base) });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
