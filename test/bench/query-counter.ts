/**
 * Preload for the server child (`node --import ./test/bench/query-counter.ts
 * server/main.ts`), used by `webhooks.ts --count-queries`: counts every SQL
 * statement sent through `pg` (Client#query) or PGlite (query, exec, and
 * the same inside transactions), by statement shape. On SIGUSR2 it writes
 * the counts so far to $BENCH_QUERY_COUNTS. No server file is changed.
 */
import { writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

const file = process.env.BENCH_QUERY_COUNTS;
const counts = new Map<string, number>();
let total = 0;
let seq = 0;

function note(query: unknown): void {
  const text = typeof query === "string" ? query : typeof query === "object" && query && "text" in query ? String(query.text) : "?";
  const shape = text.replace(/\s+/g, " ").trim().slice(0, 140);
  counts.set(shape, (counts.get(shape) ?? 0) + 1);
  total++;
}

type AnyFn = (...args: unknown[]) => unknown;

function wrap(proto: object, name: string): void {
  const target = proto as Record<string, unknown>;
  const original = target[name] as AnyFn;
  target[name] = function (this: unknown, ...args: unknown[]) {
    note(args[0]);
    return original.apply(this, args);
  };
}

wrap(pg.Client.prototype, "query");
wrap(PGlite.prototype, "query");
wrap(PGlite.prototype, "exec");
{
  const target = PGlite.prototype as unknown as Record<string, unknown>;
  const original = target.transaction as AnyFn;
  target.transaction = function (this: unknown, callback: (tx: Record<string, AnyFn>) => unknown) {
    note("BEGIN");
    return (original.call(this, (tx: Record<string, AnyFn>) => {
      for (const name of ["query", "exec"] as const) {
        const inner = tx[name];
        if (inner) tx[name] = (...args: unknown[]) => (note(args[0]), inner(...args));
      }
      return callback(tx);
    }) as Promise<unknown>).finally(() => note("COMMIT/ROLLBACK"));
  };
}

process.on("SIGUSR2", () => {
  if (!file) return;
  const statements = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
  writeFileSync(file, JSON.stringify({ seq: ++seq, total, statements }));
});
