/** Printing the benchmark's figures: one block per database, then a compact table. */
import type { CpuSnapshot } from "./cpu.ts";
import type { PassResult } from "./load.ts";
import type { QueryDelta } from "./queries.ts";
import type { Check } from "./verify.ts";

export type DbKind = "pglite" | "postgres";

/** Events per second the first delivery must reach, per database. */
export const TARGETS: Record<DbKind, number> = { pglite: 300, postgres: 1000 };

export interface DbResult {
  kind: DbKind;
  events: number;
  units: number;
  guests: number;
  setupSeconds: number;
  bare?: PassResult;
  first?: PassResult;
  replay?: PassResult;
  cpu: { first?: CpuSnapshot; replay?: CpuSnapshot; bare?: CpuSnapshot };
  queries?: { first: QueryDelta; replay: QueryDelta };
  checks: Check[];
  error?: string;
}

const f0 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "–" : n.toFixed(0));
const f1 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "–" : n.toFixed(1));
const rate = (p: PassResult | undefined) => (p ? `${f0(p.perSecond)}/s` : "–");
const lat = (p: PassResult | undefined) => (p ? `${f1(p.p50Ms)} / ${f1(p.p99Ms)}` : "–");

function cpuLine(c: CpuSnapshot): string {
  const others = c.machine - c.server - c.postgres - c.client;
  return `CPU (% of one core): server ${f0(c.server)}%, postgres ${f0(c.postgres)}%, bench client ${f0(c.client)}%; ` +
    `whole machine ${f0(c.machine)}% of ${c.cores * 100}% (kernel and other processes ${f0(others)}%)`;
}

export function printPass(p: PassResult, cpu: CpuSnapshot | undefined, vs: { target?: number; bare?: PassResult; timeline?: boolean } = {}): void {
  const target = vs.target === undefined ? "" : `   target ≥ ${vs.target}/s: ${p.perSecond >= vs.target ? "MET" : "BELOW TARGET"}`;
  console.log(`  ${p.label.padEnd(22)} ${f0(p.perSecond).padStart(6)} events/s  (${p.requests} in ${p.seconds.toFixed(2)} s, C=${p.concurrency})  p50 ${f1(p.p50Ms)} ms  p99 ${f1(p.p99Ms)} ms  max ${f0(p.maxMs)} ms${target}`);
  const pad = "".padEnd(22);
  if (vs.bare) console.log(`  ${pad} hameau / bare: ${((100 * p.perSecond) / vs.bare.perSecond).toFixed(1)}% of the signature-only server's rate`);
  const outcomes = Object.entries(p.outcomes).map(([k, v]) => `${k}×${v}`).join(", ");
  console.log(`  ${pad} outcomes: ${outcomes}`);
  if (cpu && p.seconds >= 0.5) console.log(`  ${pad} ${cpuLine(cpu)}`);
  if (vs.timeline) {
    console.log(`  ${pad} answers per 250 ms: ${p.timeline.join(" ")}`);
    console.log(`  ${pad} slowest: ${p.slowest.map((s) => `#${s.index} sent at ${f0(s.startMs)} ms took ${f0(s.ms)} ms`).join("; ")}`);
  }
  for (const e of p.sampleErrors) console.log(`  ${pad} e.g. ${e}`);
}

export function printQueries(label: string, q: QueryDelta): void {
  console.log(`  SQL statements per event, ${label}: ${q.perEvent.toFixed(2)} (${q.total} in all); per event: count, wall ms (call → answer)`);
  for (const row of q.top) console.log(`    ${row.perEvent.toFixed(2).padStart(5)} ${row.msPerEvent.toFixed(2).padStart(7)} ms  ${row.shape}`);
}

export function printChecks(checks: Check[]): void {
  for (const c of checks) console.log(`  ${c.ok ? "PASS" : "FAIL"}  ${c.name}: ${c.detail}`);
}

export function printTable(results: DbResult[]): void {
  const head = ["database", "N", "C", "bare sig-only", "first delivery", "replays", "first p50/p99 ms", "replay p50/p99 ms", "hameau/bare", "target", "checks"];
  const rows = results.map((r) => {
    const ratio = r.first && r.bare ? `${((100 * r.first.perSecond) / r.bare.perSecond).toFixed(1)}%` : "–";
    const target = TARGETS[r.kind];
    const met = r.first ? (r.first.perSecond >= target ? "MET" : "below") : "–";
    const failed = r.checks.filter((c) => !c.ok).length;
    return [
      r.kind, String(r.events), String(r.first?.concurrency ?? "–"), rate(r.bare), rate(r.first), rate(r.replay),
      lat(r.first), lat(r.replay), ratio, `≥${target}/s ${met}`, r.error ? "ERROR" : failed ? `${failed} FAIL` : `${r.checks.length} PASS`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log("\n" + line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
  console.log("Targets: ≥ 300 events/s on PGlite, ≥ 1,000 events/s on PostgreSQL (first delivery), zero double grants.");
}
