/** The database the server is configured with (DATABASE_URL, or the PGlite data folder), for command-line tools. */
import path from "node:path";
import { loadConfig } from "../config.ts";
import { type Database, openDatabase } from "../db/connect.ts";

export async function openConfiguredDatabase(): Promise<Database> {
  const config = loadConfig();
  return openDatabase(config.databaseUrl ? { kind: "postgres", url: config.databaseUrl } : { kind: "pglite", dataDir: path.join(config.dataDir, "pglite") });
}
