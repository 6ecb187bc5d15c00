/**
 * The operator's doors:
 * - `GET /healthz`: liveness. 200 while the process answers at all (no database call: a database
 *   outage must not make an orchestrator restart every process).
 * - `GET /readyz`: readiness. 200 when the database and Redis (when configured) answer within 2 s
 *   and the process is not draining; 503 otherwise, with what failed. After SIGTERM it answers 503
 *   so the proxy stops sending new requests before the rooms close.
 * - `GET /metrics`: Prometheus text format, only with `Authorization: Bearer $METRICS_TOKEN`
 *   (compared in constant time); 404 when METRICS_TOKEN is unset, 401 with a wrong or no token.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import express, { type Router } from "express";
import type { Database } from "../db/connect.ts";
import { pingDatabase } from "../db/connect.ts";
import type { Registry } from "../observability/metrics-registry.ts";
import { HttpError } from "./errors.ts";

const CHECK_TIMEOUT_MS = 2000;

export interface OpsDeps {
  database: Database;
  /** Pings Redis when the process uses it. */
  pingRedis?: () => Promise<unknown>;
  draining: () => boolean;
  metrics: Registry;
  metricsToken: string | undefined;
  payments: string;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Whether the request carries the token, compared in constant time (hashes of equal length). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

async function check(fn: () => Promise<unknown>): Promise<"ok" | "failed"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([fn(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), CHECK_TIMEOUT_MS)))]);
    return "ok";
  } catch {
    return "failed";
  } finally {
    clearTimeout(timer);
  }
}

export function opsRouter(deps: OpsDeps): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    res.set("cache-control", "no-store").json({ ok: true, database: deps.database.kind, payments: deps.payments });
  });
  router.get("/readyz", async (_req, res) => {
    const [database, redis] = await Promise.all([
      check(() => pingDatabase(deps.database.db)),
      deps.pingRedis ? check(deps.pingRedis) : Promise.resolve("unused" as const),
    ]);
    const draining = deps.draining();
    const ok = database === "ok" && redis !== "failed" && !draining;
    res.status(ok ? 200 : 503).set("cache-control", "no-store").json({ ok, database, redis, draining });
  });
  router.get("/metrics", (req, res) => {
    if (!deps.metricsToken) throw new HttpError(404, "not_found", "No route for GET /metrics");
    if (!bearerMatches(req.headers.authorization, deps.metricsToken)) {
      res.set("www-authenticate", 'Bearer realm="metrics"');
      throw new HttpError(401, "unauthorized", "The metrics need their token");
    }
    res.set({ "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" }).send(deps.metrics.render());
  });
  return router;
}
