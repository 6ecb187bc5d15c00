/**
 * Starts the real Hameau server on an ephemeral port for an integration test,
 * with a fresh database, and offers small HTTP helpers around it.
 */
import type { Logger } from "pino";
import type { SessionResponse } from "../../shared/api.ts";
import { startHameau, type Hameau } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import type { DatabaseTarget } from "../../server/db/connect.ts";
import type { TransferOutboxOptions } from "../../server/payments/ngo-transfers-outbox.ts";
import { freshDatabase, type TestDatabase } from "./database.ts";

export { TEST_CONNECT_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET } from "./stripe-events.ts";
import { TEST_CONNECT_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET } from "./stripe-events.ts";

export interface TestServer {
  hameau: Hameau;
  url: string;
  database: TestDatabase;
  /** fetch against the server, JSON in and out. */
  api<T = unknown>(path: string, init?: { method?: string; body?: unknown; token?: string; raw?: string; headers?: Record<string, string> }): Promise<{ status: number; body: T; headers: Headers }>;
  guest(): Promise<SessionResponse>;
  /** Stops the server; `keepDatabase` leaves the data for a restart. */
  stop(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export async function startTestServer(
  opts: {
    env?: Record<string, string>; database?: TestDatabase; target?: DatabaseTarget; logger?: Logger;
    /** The server's clock (e.g. TestClock's `now`), for tests that move time forward. */
    now?: () => number;
    /** How often the server looks for emergency campaigns that started. */
    emergencyCheckMs?: number;
    /** The NGO transfers outbox's sweep and retry timings. */
    transfers?: TransferOutboxOptions;
    /** How often the server deletes photos no update showed within a day. */
    photoSweepMs?: number;
    /** How often dedications due are looked for. */
    dedicationSweepMs?: number;
    /** How often the monthly impact digests due are looked for. */
    digestSweepMs?: number;
    /** How often village rooms check their connections' sessions for expiry. */
    sessionCheckMs?: number;
    /** Room joins allowed per minute, per address and per session. */
    roomJoinLimits?: { perAddress: number; perSession: number };
    /** How often the live campaign feed sends its heartbeat comment. */
    liveHeartbeatMs?: number;
  } = {},
): Promise<TestServer> {
  const database = opts.database ?? (await freshDatabase());
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    SEED_DEMO: "false",
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    STRIPE_CONNECT_WEBHOOK_SECRET: TEST_CONNECT_WEBHOOK_SECRET,
    ...opts.env,
  });
  const hameau = await startHameau(config, {
    database: opts.target ?? database.target, ...(opts.logger ? { logger: opts.logger } : {}), ...(opts.now ? { now: opts.now } : {}),
    ...(opts.emergencyCheckMs ? { emergencyCheckMs: opts.emergencyCheckMs } : {}),
    ...(opts.transfers ? { transfers: opts.transfers } : {}),
    ...(opts.photoSweepMs ? { photoSweepMs: opts.photoSweepMs } : {}),
    ...(opts.dedicationSweepMs ? { dedicationSweepMs: opts.dedicationSweepMs } : {}),
    ...(opts.digestSweepMs ? { digestSweepMs: opts.digestSweepMs } : {}),
    ...(opts.sessionCheckMs ? { sessionCheckMs: opts.sessionCheckMs } : {}),
    ...(opts.roomJoinLimits ? { roomJoinLimits: opts.roomJoinLimits } : {}),
    ...(opts.liveHeartbeatMs ? { liveHeartbeatMs: opts.liveHeartbeatMs } : {}),
  });
  const url = hameau.url;
  const api: TestServer["api"] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined = init.raw;
    if (init.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.body);
    }
    const res = await fetch(url + path, { method: init.method ?? (body === undefined ? "GET" : "POST"), headers, body, redirect: "manual" });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as never, headers: res.headers };
  };
  return {
    hameau,
    url,
    database,
    api,
    async guest() {
      const res = await api<SessionResponse>("/api/session/guest", { method: "POST" });
      if (res.status !== 201) throw new Error(`guest creation answered ${res.status}`);
      return res.body;
    },
    async stop(stopOpts = {}) {
      await hameau.close();
      if (!stopOpts.keepDatabase) await database.drop();
    },
  };
}
