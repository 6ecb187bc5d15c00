/**
 * Where the server's CPU went: summarises a V8 .cpuprofile (from
 * `webhooks.ts --cpu-prof`), optionally only the samples inside a measured
 * pass (the bench writes the passes' windows next to the profile).
 *
 *   node test/bench/cpuprofile-summary.ts PROFILE.cpuprofile [--window first|replay] [--top 25]
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The package or project area a script belongs to. */
export function category(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  if (url.startsWith("node:")) return "node:internals";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = url.slice(nm + "node_modules/".length).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1] ?? ""}` : (parts[0] ?? url);
  }
  const m = /\/(server|shared|test)\/(.*)$/.exec(url);
  return m ? `hameau:${m[1]}/${m[2]}` : url;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { window: { type: "string" }, top: { type: "string", default: "25" } },
  });
  const file = positionals[0];
  if (!file) throw new Error("usage: cpuprofile-summary.ts PROFILE.cpuprofile [--window first|replay] [--top N]");
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  let from = -Infinity;
  let to = Infinity;
  if (values.window) {
    const windowsFile = path.join(path.dirname(file), "windows.json");
    if (!existsSync(windowsFile)) throw new Error(`no ${windowsFile}`);
    const w = (JSON.parse(readFileSync(windowsFile, "utf8")) as Record<string, [number, number]>)[values.window];
    if (!w) throw new Error(`no window ${values.window} in ${windowsFile}`);
    [from, to] = w;
    if (from < profile.startTime || to > profile.endTime + 1e6) console.warn("warning: the window lies outside the profile: clocks differ?");
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const selfCat = new Map<string, number>();
  const inclusiveCat = new Map<string, number>();
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (t < from || t > to) continue;
    const node = byId.get(profile.samples[i] ?? -1);
    if (!node) continue;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const cat = category(url, functionName);
    const key = `${functionName || "(anonymous)"}  ${url ? `${url.replace(/^.*\/(node_modules|server|shared)\//, "$1/")}:${lineNumber + 1}` : ""}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    selfCat.set(cat, (selfCat.get(cat) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id);
      if (!n) break;
      const c = category(n.callFrame.url, n.callFrame.functionName);
      if (!seen.has(c)) {
        seen.add(c);
        inclusiveCat.set(c, (inclusiveCat.get(c) ?? 0) + dt);
      }
    }
  }
  const top = Number(values.top);
  const pct = (v: number) => `${((100 * v) / total).toFixed(1).padStart(5)}%`;
  const show = (title: string, m: Map<string, number>, n: number) => {
    console.log(`\n${title}`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${pct(v)}  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  };
  console.log(`${file}${values.window ? ` — window "${values.window}"` : ""}: ${(total / 1000).toFixed(0)} ms of samples`);
  show("Self time by package / file", selfCat, top);
  show("Inclusive time by package / file (time with it on the stack)", inclusiveCat, top);
  show("Self time by function", self, top);
}

main();
