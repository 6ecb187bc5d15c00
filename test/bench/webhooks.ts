/**
 * Webhook throughput benchmark (run by hand; not a test). For each database
 * it starts the REAL server as a child process (its own event loop and CPU),
 * prepares N pending orders through the API, then delivers one signed
 * checkout.session.completed per order with C requests in flight, then every
 * event again (shuffled replays). A bare signature-verifying server gets the
 * same load as the baseline. Afterwards the database is checked: N paid
 * orders, one item per unit, balanced ledger, zero double grants.
 *
 *   node test/bench/webhooks.ts [--events N] [--concurrency C] [--db pglite|postgres|both]
 *     [--guests G] [--seed S] [--log-level warn|info|…] [--count-queries] [--cpu-prof [--cpu-prof-dir DIR]]
 *     [--timeline] [--echo]
 *
 * --guests: how many players the orders are spread over (each order locks its village)
 * --count-queries: counts and times SQL statements per event (preloads test/bench/query-counter.ts)
 * --cpu-prof: V8 CPU profile of the server; summarise with test/bench/cpuprofile-summary.ts
 * --timeline: answers per 250 ms of each pass (shows stalls)
 *
 * PostgreSQL: a throwaway database on TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped at the end.
 * Exit code: 0 when every correctness check passes, 1 otherwise (the
 * throughput targets are printed, not enforced).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Child, checkNotInterrupted, cleanupAll, freePort, installSignalHandlers, interruptedBy, spawnNode } from "./support/children.ts";
import { type CpuSnapshot, cpuPercent, cpuSnapshot } from "./support/cpu.ts";
import { postgresServer, tempFolder, throwawayPostgres } from "./support/databases.ts";
import { type PassResult, type PreparedRequest, runPass } from "./support/load.ts";
import { completedEvents, prepareOrders, shuffled, signDeliveries } from "./support/orders.ts";
import { querySnapshot, queryDelta } from "./support/queries.ts";
import { type DbKind, type DbResult, printChecks, printPass, printQueries, printTable, TARGETS } from "./support/report.ts";
import { type Check, verifyDatabase, withPglite, withPostgres } from "./support/verify.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WEBHOOK_SECRET = "whsec_bench_hameau_webhooks_fixed_secret";
const WEBHOOK = "/webhooks/stripe";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "32" },
    db: { type: "string", default: "both" },
    guests: { type: "string", default: "20" },
    seed: { type: "string", default: "42" },
    "log-level": { type: "string", default: "warn" },
    "count-queries": { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    "cpu-prof-dir": { type: "string" },
    echo: { type: "boolean", default: false },
    timeline: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log("node test/bench/webhooks.ts [--events N] [--concurrency C] [--db pglite|postgres|both] [--guests G] [--seed S]\n" +
    "  [--log-level warn] [--count-queries] [--cpu-prof [--cpu-prof-dir DIR]] [--timeline] [--echo]");
  process.exit(0);
}
const usage = (message: string): never => {
  console.error(`${message}\nTry --help.`);
  process.exit(2);
};
const positive = (name: string, v: string) => {
  const n = Number(v);
  return !Number.isSafeInteger(n) || n < 1 ? usage(`--${name} must be a positive integer, not ${v}`) : n;
};
const opts = {
  events: positive("events", args.events),
  concurrency: positive("concurrency", args.concurrency),
  guests: positive("guests", args.guests),
  seed: positive("seed", args.seed),
  dbs: (args.db === "both" ? ["pglite", "postgres"] : [args.db]) as DbKind[],
  logLevel: args["log-level"],
  countQueries: args["count-queries"],
  cpuProfDir: args["cpu-prof"] || args["cpu-prof-dir"] ? path.resolve(args["cpu-prof-dir"] ?? path.join(os.tmpdir(), `hameau-bench-prof-${Date.now()}`)) : undefined,
  echo: args.echo,
  timeline: args.timeline,
};
for (const db of opts.dbs) if (db !== "pglite" && db !== "postgres") usage(`--db must be pglite, postgres or both, not ${db}`);

async function startHameau(kind: DbKind, dataDir: string, databaseUrl: string | undefined, countFile: string): Promise<Child> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, NODE_ENV: "test", PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: opts.logLevel, SEED_DEMO: "true",
    DATA_DIR: dataDir, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, BENCH_QUERY_COUNTS: countFile,
  };
  // No Stripe key (orders use the TEST MODE provider), no Redis (in-process presence).
  for (const k of ["STRIPE_SECRET_KEY", "STRIPE_API_BASE", "REDIS_URL", "DATABASE_URL", "PUBLIC_URL", "NODE_OPTIONS"]) delete env[k];
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const nodeArgs: string[] = [];
  if (opts.cpuProfDir) nodeArgs.push("--cpu-prof", "--cpu-prof-dir", path.join(opts.cpuProfDir, kind));
  if (opts.countQueries) nodeArgs.push("--import", "./test/bench/query-counter.ts");
  nodeArgs.push("server/main.ts");
  return spawnNode({ name: `hameau-${kind}`, nodeArgs, env, cwd: ROOT, port, readyPath: "/healthz", echo: opts.echo });
}

async function bareBaseline(payloads: string[]): Promise<{ pass: PassResult; cpu: CpuSnapshot }> {
  const port = await freePort();
  const bare = await spawnNode({
    name: "bare-webhook", nodeArgs: ["test/bench/bare-webhook.ts"], cwd: ROOT, port, readyPath: "/healthz", echo: opts.echo,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
  });
  try {
    // It keeps no state: a warm-up with the same events lets V8 compile the hot path first.
    await runPass("bare warm-up", bare.url, WEBHOOK, signDeliveries(payloads.slice(0, 200), WEBHOOK_SECRET), opts.concurrency);
    const requests = signDeliveries(payloads, WEBHOOK_SECRET);
    const c0 = cpuSnapshot(bare.proc.pid);
    const pass = await runPass("bare (signature only)", bare.url, WEBHOOK, requests, opts.concurrency);
    return { pass, cpu: cpuPercent(c0, cpuSnapshot(bare.proc.pid), pass.seconds) };
  } finally {
    await bare.stop();
  }
}

function passChecks(r: DbResult): Check[] {
  const n = r.events;
  const c = (name: string, count: number | undefined, detail: string): Check => ({ name, ok: count === n, detail: `${count ?? 0} of ${n} ${detail}` });
  return [
    c("bare: every signature verified", r.bare?.outcomes.verified, "answered 200 verified"),
    c("first delivery: every event fulfilled", r.first?.outcomes.fulfilled, "answered 200 fulfilled"),
    c("replays: every event recognised as a duplicate", r.replay?.outcomes["duplicate:fulfilled"], "answered 200 duplicate:fulfilled"),
  ];
}

async function benchDatabase(kind: DbKind): Promise<DbResult> {
  const result: DbResult = { kind, events: opts.events, units: 0, guests: opts.guests, setupSeconds: 0, cpu: {}, checks: [] };
  const tmp = tempFolder(`hameau-bench-${kind}-`);
  let pgDb: Awaited<ReturnType<typeof throwawayPostgres>> | undefined;
  let server: Child | undefined;
  try {
    if (kind === "postgres") pgDb = await throwawayPostgres();
    console.log(`\n== ${kind}${pgDb ? ` (database ${pgDb.name} on ${new URL(postgresServer()).host})` : ` (data folder ${tmp.dir}/data/pglite)`} ==`);
    const countFile = path.join(tmp.dir, "query-counts.json");
    server = await startHameau(kind, path.join(tmp.dir, "data"), pgDb?.url, countFile);
    const hameau = server;

    const t0 = performance.now();
    const orders = await prepareOrders(hameau.url, { orders: opts.events, guests: opts.guests, seed: opts.seed });
    result.units = orders.reduce((s, o) => s + o.units, 0);
    result.setupSeconds = (performance.now() - t0) / 1000;
    console.log(`  setup: ${orders.length} pending orders (${result.units} units) for ${opts.guests} guests in ${result.setupSeconds.toFixed(1)} s (not measured)`);
    const payloads = completedEvents(orders);
    checkNotInterrupted();

    const bare = await bareBaseline(payloads);
    result.bare = bare.pass;
    result.cpu.bare = bare.cpu;
    printPass(bare.pass, bare.cpu);

    const measured = async (label: string, requests: PreparedRequest[]) => {
      const q0 = opts.countQueries ? await querySnapshot(hameau.proc, countFile) : undefined;
      const c0 = cpuSnapshot(hameau.proc.pid);
      checkNotInterrupted();
      const pass = await runPass(label, hameau.url, WEBHOOK, requests, opts.concurrency);
      checkNotInterrupted();
      const cpu = cpuPercent(c0, cpuSnapshot(hameau.proc.pid), pass.seconds);
      const q = q0 ? queryDelta(q0, await querySnapshot(hameau.proc, countFile), requests.length) : undefined;
      if (pass.sampleErrors.length) console.log(`  server output (last lines):\n${hameau.tail().split("\n").slice(-6).map((l) => `    ${l.slice(0, 400)}`).join("\n")}`);
      return { pass, cpu, q };
    };
    const first = await measured("hameau first delivery", signDeliveries(payloads, WEBHOOK_SECRET));
    result.first = first.pass;
    result.cpu.first = first.cpu;
    printPass(first.pass, first.cpu, { target: TARGETS[kind], bare: result.bare, timeline: opts.timeline });
    const replay = await measured("hameau replays", signDeliveries(shuffled(payloads, opts.seed + 1), WEBHOOK_SECRET));
    result.replay = replay.pass;
    result.cpu.replay = replay.cpu;
    printPass(replay.pass, replay.cpu, { bare: result.bare, timeline: opts.timeline });
    if (first.q && replay.q) {
      result.queries = { first: first.q, replay: replay.q };
      printQueries("first delivery", first.q);
      printQueries("replays", replay.q);
    }
    if (opts.cpuProfDir) {
      mkdirSync(path.join(opts.cpuProfDir, kind), { recursive: true });
      writeFileSync(path.join(opts.cpuProfDir, kind, "windows.json"), JSON.stringify({ first: first.pass.windowUs, replay: replay.pass.windowUs }));
    }

    const code = await hameau.stop();
    if (code !== 0) console.log(`  note: the server exited with code ${code}:\n${hameau.tail()}`);
    checkNotInterrupted(); // the folder or database may be gone already
    const expected = { orders: orders.length, units: result.units };
    const dbChecks = pgDb
      ? await withPostgres(pgDb.url, (q) => verifyDatabase(q, expected))
      : await withPglite(path.join(tmp.dir, "data", "pglite"), (q) => verifyDatabase(q, expected));
    result.checks = [...passChecks(result), ...dbChecks];
    printChecks(result.checks);
    if (opts.cpuProfDir) console.log(`  CPU profile: ${path.join(opts.cpuProfDir, kind)} (node test/bench/cpuprofile-summary.ts <file> --window first)`);
  } catch (err) {
    result.error = (err as Error).stack ?? String(err);
    console.log(`  ERROR: ${result.error}`);
    result.checks.push({ name: "benchmark ran to the end", ok: false, detail: (err as Error).message });
  } finally {
    // The server first: PGlite writes its folder until it has exited.
    await server?.stop();
    await pgDb?.drop();
    await tmp.remove();
  }
  return result;
}

installSignalHandlers();
const results: DbResult[] = [];
try {
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  console.log(`Hameau webhook benchmark — N=${opts.events} events, C=${opts.concurrency} in flight, ${opts.guests} guests, Node ${process.version}, ${os.cpus().length} CPUs, load average ${load}, LOG_LEVEL=${opts.logLevel}${opts.countQueries ? ", counting queries (slower)" : ""}${opts.cpuProfDir ? ", CPU profiling (slower)" : ""}`);
  for (const kind of opts.dbs) if (!interruptedBy()) results.push(await benchDatabase(kind));
  printTable(results);
} finally {
  await cleanupAll();
}
if (interruptedBy()) process.exit(interruptedBy() === "SIGINT" ? 130 : 143);
const failed = results.flatMap((r) => r.checks.filter((c) => !c.ok));
console.log(failed.length ? `\nFAIL: ${failed.length} check(s) failed` : "\nPASS: every correctness check passed");
process.exit(failed.length ? 1 : 0);
