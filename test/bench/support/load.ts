/**
 * The load generator: POSTs pre-built requests with a fixed number in flight
 * over keep-alive connections (node:http Agent), timing each one.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

export interface PreparedRequest {
  body: Buffer;
  headers: Record<string, string>;
}

export interface PassResult {
  label: string;
  requests: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** HTTP status → count. */
  statuses: Record<string, number>;
  /** The JSON answer's `outcome` (or error code) → count. */
  outcomes: Record<string, number>;
  /** Monotonic clock (µs, same base as V8 CPU profiles on Linux) around the pass. */
  windowUs: [number, number];
  /** A few non-200 answers, for the report. */
  sampleErrors: string[];
  /** Answers completed in each 250 ms of the pass (stalls show as near-empty buckets). */
  timeline: number[];
  /** The slowest requests: position in the send order, start time in the pass, latency. */
  slowest: Array<{ index: number; startMs: number; ms: number }>;
}

interface Answer {
  status: number;
  text: string;
}

function post(agent: http.Agent, url: URL, path: string, req: PreparedRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      { agent, host: url.hostname, port: url.port, path, method: "POST", headers: { ...req.headers, "content-length": String(req.body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}

function outcomeOf(a: Answer): string {
  try {
    const json = JSON.parse(a.text) as { outcome?: unknown; error?: { code?: unknown } };
    if (typeof json.outcome === "string") return json.outcome;
    if (typeof json.error?.code === "string") return `error:${json.error.code}`;
  } catch {
    // not JSON
  }
  return `http:${a.status}`;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Sends every request once, `concurrency` at a time, and measures the pass. */
export async function runPass(label: string, baseUrl: string, path: string, requests: PreparedRequest[], concurrency: number): Promise<PassResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const latencies = new Float64Array(requests.length);
  const timeline: number[] = [];
  const started = new Float64Array(requests.length);
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const sampleErrors: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const req = requests[i];
      if (!req) continue;
      const t0 = performance.now();
      started[i] = t0 - start;
      let answer: Answer;
      try {
        answer = await post(agent, url, path, req);
      } catch (err) {
        answer = { status: 0, text: `{"outcome":"network:${(err as NodeJS.ErrnoException).code ?? "error"}"}` };
      }
      const done = performance.now();
      latencies[i] = done - t0;
      const bucket = Math.floor((done - start) / 250);
      while (timeline.length <= bucket) timeline.push(0);
      timeline[bucket] = (timeline[bucket] ?? 0) + 1;
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      const outcome = outcomeOf(answer);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (answer.status !== 200 && sampleErrors.length < 5) sampleErrors.push(`${answer.status} ${answer.text.slice(0, 300)}`);
    }
  };
  const startUs = nowUs();
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  const seconds = (performance.now() - start) / 1000;
  const endUs = nowUs();
  agent.destroy();
  const slowest = [...latencies.keys()]
    .sort((a, b) => (latencies[b] ?? 0) - (latencies[a] ?? 0))
    .slice(0, 5)
    .map((index) => ({ index, startMs: started[index] ?? 0, ms: latencies[index] ?? 0 }));
  latencies.sort();
  return {
    label, requests: requests.length, concurrency, seconds, perSecond: requests.length / seconds,
    p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies[latencies.length - 1] ?? Number.NaN,
    statuses, outcomes, windowUs: [startUs, endUs], sampleErrors, timeline, slowest,
  };
}

/** A small JSON client for the setup phase, with an optional source address. */
export function createJsonClient(baseUrl: string, maxSockets = 16) {
  const url = new URL(baseUrl);
  // The Agent pools sockets per (host, port, localAddress): one agent serves every source address.
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  async function call<T>(method: string, path: string, opts: { body?: unknown; token?: string; localAddress?: string } = {}): Promise<{ status: number; body: T }> {
    const body = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string> = { accept: "application/json" };
    if (body) Object.assign(headers, { "content-type": "application/json", "content-length": String(body.length) });
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const answer = await new Promise<Answer>((resolve, reject) => {
      const r = http.request({ agent, host: url.hostname, port: url.port, path, method, headers, localAddress: opts.localAddress }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      r.on("error", reject);
      r.end(body);
    });
    let parsed: unknown = answer.text;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      // keep the text
    }
    return { status: answer.status, body: parsed as T };
  }
  return { call, close: () => agent.destroy() };
}
