/**
 * API benchmark (run by hand; not a test): GET /api/catalog and POST /api/checkout on the REAL
 * server (a child process, PostgreSQL or PGlite, TEST MODE payments), each beside a bare Express 5
 * server doing the least the same request needs (test/bench/bare-express.ts), in the same run,
 * with the same load generator, and the ratio between them.
 *
 *   node test/bench/api.ts [--db postgres|pglite] [--requests N] [--concurrency C] [--guests G] [--cpu-prof DIR]
 *
 * Checkouts are spread over source addresses 127.0.0.2… (the per-address limit is 60 a minute)
 * and over G guests; each basket is 1–3 unlimited demo gifts. Every checkout must answer 201.
 */
import { writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import { cleanupAll, freePort, installSignalHandlers, spawnNode, type Child } from "./support/children.ts";
import { cpuPercent, cpuSnapshot } from "./support/cpu.ts";
import { tempFolder, throwawayPostgres } from "./support/databases.ts";
import { createJsonClient, percentile } from "./support/load.ts";
import { ORDERS_PER_ADDRESS, pool, prng } from "./support/orders.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "postgres" },
    requests: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "32" },
    guests: { type: "string", default: "200" },
    "cpu-prof": { type: "string" },
  },
});
const N = Number(args.requests);
const C = Number(args.concurrency);

interface Req { method: "GET" | "POST"; path: string; headers: Record<string, string>; body?: Buffer; localAddress?: string }
interface Pass { label: string; perSecond: number; p50: number; p99: number; statuses: Record<string, number>; cpu: number }

async function run(label: string, url: string, requests: Req[], pid: number | undefined): Promise<Pass> {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: C });
  const latencies = new Float64Array(requests.length);
  const statuses: Record<string, number> = {};
  let next = 0;
  const c0 = cpuSnapshot(pid);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const r = requests[i]!;
      const started = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        const headers = { ...r.headers, ...(r.body ? { "content-length": String(r.body.length) } : {}) };
        const q = http.request({ agent, host: u.hostname, port: u.port, path: r.path, method: r.method, headers, localAddress: r.localAddress }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        q.on("error", reject);
        q.end(r.body);
      });
      latencies[i] = performance.now() - started;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const cpu = cpuPercent(c0, cpuSnapshot(pid), seconds);
  latencies.sort();
  return { label, perSecond: requests.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses, cpu: cpu.server ?? Number.NaN };
}

const show = (p: Pass, vs?: Pass) => console.log(
  `  ${p.label.padEnd(34)} ${p.perSecond.toFixed(0).padStart(7)}/s  p50 ${p.p50.toFixed(1)} ms  p99 ${p.p99.toFixed(1)} ms  server CPU ${p.cpu.toFixed(0)}%  ${JSON.stringify(p.statuses)}` +
  (vs ? `  ratio ${(p.perSecond / vs.perSecond).toFixed(2)}×` : ""),
);

installSignalHandlers();
const tmp = tempFolder("hameau-bench-api-");
let pg: Awaited<ReturnType<typeof throwawayPostgres>> | undefined;
let hameau: Child | undefined;
let bare: Child | undefined;
try {
  console.log(`Hameau API benchmark — ${args.db}, N=${N}, C=${C}, ${args.guests} guests, Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  if (args.db === "postgres") pg = await throwawayPostgres();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", SEED_DEMO: "true", DATA_DIR: path.join(tmp.dir, "data") };
  for (const k of ["STRIPE_SECRET_KEY", "STRIPE_API_BASE", "REDIS_URL", "DATABASE_URL", "PUBLIC_URL", "NODE_OPTIONS", "METRICS_TOKEN"]) delete env[k];
  if (pg) env.DATABASE_URL = pg.url;
  const nodeArgs = args["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(args["cpu-prof"]), "server/main.ts"] : ["server/main.ts"];
  hameau = await spawnNode({ name: "hameau", nodeArgs, env, cwd: ROOT, port, readyPath: "/healthz" });
  const client = createJsonClient(hameau.url, 16);
  const catalog = (await client.call<CatalogResponse>("GET", "/api/catalog")).body;
  const catalogFile = path.join(tmp.dir, "catalog.json");
  writeFileSync(catalogFile, JSON.stringify(catalog));
  const barePort = await freePort();
  bare = await spawnNode({ name: "bare-express", nodeArgs: ["test/bench/bare-express.ts"], env: { ...process.env, PORT: String(barePort), HOST: "127.0.0.1", CATALOG_FILE: catalogFile }, cwd: ROOT, port: barePort, readyPath: "/healthz" });
  console.log(`  catalog body: ${Buffer.byteLength(JSON.stringify(catalog))} bytes, ${catalog.gifts.length} gifts`);

  // GET /api/catalog: warm-up, then bare and Hameau interleaved twice.
  const gets: Req[] = Array.from({ length: N }, () => ({ method: "GET", path: "/api/catalog", headers: { accept: "application/json" } }));
  await run("warm-up", bare.url, gets.slice(0, 500), bare.proc.pid);
  await run("warm-up", hameau.url, gets.slice(0, 500), hameau.proc.pid);
  console.log("GET /api/catalog (same body, no Accept-Encoding)");
  for (let round = 0; round < 2; round++) {
    const b = await run("bare Express res.json", bare.url, gets, bare.proc.pid);
    show(b);
    show(await run("Hameau (from memory)", hameau.url, gets, hameau.proc.pid), b);
  }

  // POST /api/checkout: guests and baskets made first (not measured).
  const guests = await pool(Number(args.guests), 8, async () => (await client.call<SessionResponse>("POST", "/api/session/guest")).body);
  const random = prng(42);
  const posts: Req[] = Array.from({ length: N }, (_, i) => {
    const lines = new Map<string, number>();
    for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
      const g = catalog.gifts[Math.floor(random() * catalog.gifts.length)]!;
      lines.set(g.id, Math.min(3, (lines.get(g.id) ?? 0) + 1));
    }
    const body = Buffer.from(JSON.stringify({ lines: [...lines].map(([giftId, quantity]) => ({ giftId, quantity })), locale: "fr" }));
    return {
      method: "POST", path: "/api/checkout", body, localAddress: `127.0.0.${2 + Math.floor(i / ORDERS_PER_ADDRESS)}`,
      headers: { "content-type": "application/json", authorization: `Bearer ${guests[i % guests.length]!.token}` },
    };
  });
  client.close();
  console.log("POST /api/checkout (1–3 gifts, TEST MODE session)");
  const b = await run("bare Express JSON POST", bare.url, posts, bare.proc.pid);
  show(b);
  show(await run("Hameau checkout", hameau.url, posts, hameau.proc.pid), b);
} finally {
  await hameau?.stop();
  await bare?.stop();
  await pg?.drop();
  await tmp.remove();
  await cleanupAll();
}
