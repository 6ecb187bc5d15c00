/**
 * CPU time spent during a pass, read from /proc (Linux; NaN elsewhere):
 * the server child, every PostgreSQL process on the machine, and this
 * client. It tells whether the server is CPU-bound (≈100% of one core) or
 * waiting on the database.
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuSecondsOfStat(stat: string): number {
  // Fields after the "(comm)" part: state is field 3, utime 14, stime 15.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND;
}

export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    return cpuSecondsOfStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of every live process named "postgres" (server, backends, walwriter…). */
export function postgresCpuSeconds(): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return Number.NaN;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      if (stat.includes(" (postgres) ")) total += cpuSecondsOfStat(stat);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineCpuSeconds(): number {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    // cpu user nice system idle iowait irq softirq steal …
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return busy / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

export interface CpuSnapshot {
  server: number;
  postgres: number;
  client: number;
  machine: number;
  cores: number;
}

export function cpuSnapshot(serverPid: number | undefined): CpuSnapshot {
  const own = process.cpuUsage();
  return {
    server: processCpuSeconds(serverPid), postgres: postgresCpuSeconds(), client: (own.user + own.system) / 1e6,
    machine: machineCpuSeconds(), cores: os.availableParallelism(),
  };
}

/** Percent of one core used by each party between two snapshots. */
export function cpuPercent(before: CpuSnapshot, after: CpuSnapshot, seconds: number): CpuSnapshot {
  const pct = (a: number, b: number) => (100 * (b - a)) / seconds;
  return {
    server: pct(before.server, after.server), postgres: pct(before.postgres, after.postgres), client: pct(before.client, after.client),
    machine: pct(before.machine, after.machine), cores: after.cores,
  };
}
