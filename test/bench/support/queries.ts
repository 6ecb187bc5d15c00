/**
 * Reads the query counts kept by test/bench/query-counter.ts inside the
 * server child: SIGUSR2 makes it write a snapshot, which we wait for.
 */
import { existsSync, readFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";

export interface QuerySnapshot {
  seq: number;
  total: number;
  statements: Record<string, number>;
  millis: Record<string, number>;
}

function read(file: string): QuerySnapshot | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as QuerySnapshot;
  } catch {
    return undefined; // caught mid-write
  }
}

export async function querySnapshot(proc: ChildProcess, file: string): Promise<QuerySnapshot> {
  const before = read(file)?.seq ?? 0;
  proc.kill("SIGUSR2");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const snap = read(file);
    if (snap && snap.seq > before) return snap;
    if (Date.now() > deadline) throw new Error("the query counter did not answer SIGUSR2");
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface QueryDelta {
  total: number;
  perEvent: number;
  /** The most frequent statement shapes: count and wall-time milliseconds per event. */
  top: Array<{ shape: string; perEvent: number; msPerEvent: number }>;
}

export function queryDelta(a: QuerySnapshot, b: QuerySnapshot, events: number, topN = 20): QueryDelta {
  const rows = Object.entries(b.statements)
    .map(([shape, n]) => ({ shape, n: n - (a.statements[shape] ?? 0), ms: (b.millis[shape] ?? 0) - (a.millis[shape] ?? 0) }))
    .filter((r) => r.n > 0)
    .sort((x, y) => y.ms - x.ms);
  const total = rows.filter((r) => !r.shape.startsWith("(whole")).reduce((sum, r) => sum + r.n, 0);
  return { total, perEvent: total / events, top: rows.slice(0, topN).map((r) => ({ shape: r.shape, perEvent: r.n / events, msPerEvent: r.ms / events })) };
}
