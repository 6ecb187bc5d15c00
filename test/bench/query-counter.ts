/**
 * Preload for the server child (`node --import ./test/bench/query-counter.ts
 * server/main.ts`), used by `webhooks.ts --count-queries`: counts every SQL
 * statement sent through `pg` (Client#query) or PGlite (query, exec, and
 * the same inside transactions), by statement shape, with the wall time
 * from call to answer (on PostgreSQL: round trip + execution + event-loop
 * delay; on PGlite, inside a transaction: the engine's own time, as it runs
 * one statement at a time). On SIGUSR2 it writes the figures so far to
 * $BENCH_QUERY_COUNTS. No server file is changed.
 */
import { writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

const file = process.env.BENCH_QUERY_COUNTS;
const counts = new Map<string, number>();
/** Wall time (ms) from call to settlement, per statement shape. */
const millis = new Map<string, number>();
let total = 0;
let seq = 0;

function shapeOf(query: unknown): string {
  const text = typeof query === "string" ? query : typeof query === "object" && query && "text" in query ? String(query.text) : "?";
  return text.replace(/\s+/g, " ").trim().slice(0, 140);
}

/** Counts one statement and times it if it returns a promise. */
function timed<T>(query: unknown, run: () => T): T {
  const shape = shapeOf(query);
  counts.set(shape, (counts.get(shape) ?? 0) + 1);
  total++;
  const t0 = performance.now();
  const result = run();
  const settle = () => millis.set(shape, (millis.get(shape) ?? 0) + performance.now() - t0);
  if (result && typeof (result as { then?: unknown }).then === "function") (result as unknown as Promise<unknown>).then(settle, settle);
  return result;
}

type AnyFn = (...args: unknown[]) => unknown;

function wrap(proto: object, name: string): void {
  const target = proto as Record<string, unknown>;
  const original = target[name] as AnyFn;
  target[name] = function (this: unknown, ...args: unknown[]) {
    const callback = args.at(-1);
    if (typeof callback === "function") {
      // Callback style (pg-pool's pool.query): time until the callback.
      const shape = shapeOf(args[0]);
      counts.set(shape, (counts.get(shape) ?? 0) + 1);
      total++;
      const t0 = performance.now();
      args[args.length - 1] = (...cbArgs: unknown[]) => {
        millis.set(shape, (millis.get(shape) ?? 0) + performance.now() - t0);
        return (callback as AnyFn)(...cbArgs);
      };
      return original.apply(this, args);
    }
    return timed(args[0], () => original.apply(this, args));
  };
}

wrap(pg.Client.prototype, "query");
wrap(PGlite.prototype, "query");
wrap(PGlite.prototype, "exec");
{
  const target = PGlite.prototype as unknown as Record<string, unknown>;
  const original = target.transaction as AnyFn;
  target.transaction = function (this: unknown, callback: (tx: Record<string, AnyFn>) => unknown) {
    // BEGIN and COMMIT run inside PGlite's transaction(): counted here, timed with the whole.
    for (const shape of ["BEGIN", "COMMIT"]) counts.set(shape, (counts.get(shape) ?? 0) + 1);
    total += 2;
    return timed("(whole PGlite transaction, BEGIN to COMMIT, incl. waiting for the lock)", () =>
      original.call(this, (tx: Record<string, AnyFn>) => {
        for (const name of ["query", "exec"] as const) {
          const inner = tx[name];
          if (inner) tx[name] = (...args: unknown[]) => timed(args[0], () => inner(...args));
        }
        return callback(tx);
      }));
  };
}

process.on("SIGUSR2", () => {
  if (!file) return;
  const statements = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
  writeFileSync(file, JSON.stringify({ seq: ++seq, total, statements, millis: Object.fromEntries(millis) }));
});
