/**
 * Prints the integration test files that run on PGlite as well as on PostgreSQL
 * (`npm run test:pglite`): those whose first line is `// @both-databases: <why>`.
 * The whole integration suite runs on PostgreSQL, the production path; PGlite is the
 * same engine compiled to WebAssembly behind one connection, so what it adds is
 * concurrency, exactly-once and restarts on the embedded default — the files marked.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const dir = path.join(import.meta.dirname, "..", "integration");
const marked = readdirSync(dir)
  .filter((f) => f.endsWith(".test.ts"))
  .filter((f) => readFileSync(path.join(dir, f), "utf8").startsWith("// @both-databases:"))
  .sort()
  .map((f) => `test/integration/${f}`);
process.stdout.write(marked.join(" "));
