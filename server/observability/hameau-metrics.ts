/**
 * What /metrics shows of one process: rooms and connected clients, joins, room messages and
 * patches (counters: a rate is `rate()` in Prometheus), HTTP answers by status class, the
 * Stripe webhooks' latency, the fulfilment queue's depth, the PostgreSQL pool, the event loop's
 * lag, memory, and whether the process is draining.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { matchMaker } from "@colyseus/core";
import type { RequestHandler } from "express";
import type { Database } from "../db/connect.ts";
import { fulfilmentQueue } from "../payments/fulfilment-queue.ts";
import { Counter, Gauge, Histogram, Registry } from "./metrics-registry.ts";

export interface RoomCounters {
  joins: Counter;
  messages: Counter;
  patches: Counter;
}

export interface HameauMetrics {
  registry: Registry;
  rooms: RoomCounters;
  catalogBuilds: Counter;
  /** Counts every HTTP answer by status class, and times the Stripe webhooks. */
  http: RequestHandler;
  close(): void;
}

const WEBHOOK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function hameauMetrics(deps: { database: Database; draining: () => boolean }): HameauMetrics {
  const registry = new Registry();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const seconds = (ns: number) => ns / 1e9;

  registry.add(new Gauge("hameau_rooms", "Rooms open in this process.", () => [{ value: matchMaker.stats.local.roomCount }]));
  registry.add(new Gauge("hameau_ccu", "Clients connected to this process's rooms.", () => [{ value: matchMaker.stats.local.ccu }]));
  const rooms: RoomCounters = {
    joins: registry.add(new Counter("hameau_room_joins_total", "Clients that joined a room, by room type.")),
    messages: registry.add(new Counter("hameau_room_messages_total", "Messages received from clients in rooms, by room type.")),
    patches: registry.add(new Counter("hameau_room_patches_total", "State patches broadcast by rooms (ticks with changes), by room type.")),
  };
  const requests = registry.add(new Counter("hameau_http_requests_total", "HTTP answers, by method and status class."));
  const webhooks = registry.add(new Histogram("hameau_webhook_seconds", "Time to answer a Stripe webhook delivery, by endpoint and status class.", WEBHOOK_BUCKETS));
  registry.add(new Gauge("hameau_fulfilment_queue_depth", "Payments waiting for a fulfilment batch.", () => [{ value: fulfilmentQueue(deps.database.db).depth }]));
  registry.add(new Gauge("hameau_db_pool_connections", "PostgreSQL pool connections, in use and idle (absent on PGlite).", () => {
    const pool = deps.database.pool?.();
    return pool ? [{ labels: { state: "in_use" }, value: pool.total - pool.idle }, { labels: { state: "idle" }, value: pool.idle }] : [];
  }));
  registry.add(new Gauge("hameau_db_pool_waiting", "Queries waiting for a PostgreSQL pool connection (absent on PGlite).", () => {
    const pool = deps.database.pool?.();
    return pool ? [{ value: pool.waiting }] : [];
  }));
  registry.add(new Gauge("hameau_event_loop_lag_seconds", "Event loop delay since the previous scrape: median, 99th percentile and maximum.", () => {
    const values = [
      { labels: { quantile: "0.5" }, value: seconds(loop.percentile(50)) },
      { labels: { quantile: "0.99" }, value: seconds(loop.percentile(99)) },
      { labels: { quantile: "1" }, value: seconds(loop.max) },
    ];
    loop.reset();
    return values;
  }));
  registry.add(new Gauge("hameau_memory_bytes", "Process memory: resident set, V8 heap used, and buffers outside the heap.", () => {
    const m = process.memoryUsage();
    return [{ labels: { kind: "rss" }, value: m.rss }, { labels: { kind: "heap_used" }, value: m.heapUsed }, { labels: { kind: "external" }, value: m.external + m.arrayBuffers }];
  }));
  registry.add(new Gauge("hameau_draining", "1 while this process is shutting down (readyz answers 503).", () => [{ value: deps.draining() ? 1 : 0 }]));
  const catalogBuilds = registry.add(new Counter("hameau_catalog_builds_total", "Times this process read the catalog from the database (each other catalog request came from memory)."));

  const http: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    const webhook = req.path === "/webhooks/stripe" ? "platform" : req.path === "/webhooks/stripe/connect" ? "connect" : null;
    res.once("finish", () => {
      const status = `${Math.floor(res.statusCode / 100)}xx`;
      requests.inc({ method: req.method, status });
      if (webhook) webhooks.observe(Number(process.hrtime.bigint() - started) / 1e9, { endpoint: webhook, status });
    });
    next();
  };

  return { registry, rooms, catalogBuilds, http, close: () => loop.disable() };
}
