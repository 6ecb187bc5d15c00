/**
 * `npm run ledger:check` — proves the ledger's invariants on the configured
 * database (DATABASE_URL, or the PGlite data folder). Exits 1 on any problem.
 */
import path from "node:path";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/connect.ts";
import { checkLedger } from "../payments/ledger-check.ts";

const config = loadConfig();
const database = await openDatabase(
  config.databaseUrl ? { kind: "postgres", url: config.databaseUrl } : { kind: "pglite", dataDir: path.join(config.dataDir, "pglite") },
);
try {
  const problems = await checkLedger(database.db);
  if (problems.length === 0) {
    console.log(`ledger check: OK (${database.kind})`);
  } else {
    for (const p of problems) console.log(`VIOLATION ${p.rule}: ${JSON.stringify(p.detail)}`);
    console.log(`ledger check: ${problems.length} problem(s)`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
