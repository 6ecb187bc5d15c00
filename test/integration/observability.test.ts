/**
 * What an operator reads: /metrics in Prometheus text format behind its token (404 without
 * METRICS_TOKEN, 401 with a wrong or no token), /healthz (liveness) and /readyz (database, Redis,
 * 503 while draining: in-process and after a real SIGTERM), and the request id: taken from the
 * proxy when sane, otherwise made, echoed, and on every log line of its request.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { createLogger } from "../../server/logger.ts";
import { loadConfig } from "../../server/config.ts";
import { bearerMatches } from "../../server/http/ops-routes.ts";
import { spawnServer } from "../support/child-server.ts";
import { freshDatabase } from "../support/database.ts";
import { joinVillageRoom } from "../support/room-join.ts";
import { checkoutCompletedEvent, deliver, sign } from "../support/stripe-events.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const TOKEN = "metrics-token-for-the-tests-0123456789";
let logs = "";
let server: TestServer;
let guest: SessionResponse;

beforeAll(async () => {
  const sink = new Writable({ write(chunk, _enc, done) { logs += String(chunk); done(); } });
  server = await startTestServer({ env: { METRICS_TOKEN: TOKEN }, logger: createLogger("info", sink) });
  guest = await server.guest();
});
afterAll(() => server?.stop());

const scrape = async () => {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};
/** The value of one sample (`name{labels} value`), or undefined. */
const sample = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("/metrics", () => {
  it("is refused without the token (401, nothing shown), with a wrong one, and a prefix of it", async () => {
    for (const authorization of [undefined, "Bearer nope", `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`]) {
      const res = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      const body = await res.json() as { error: { code: string } };
      expect(body.error.code).toBe("unauthorized");
    }
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches("Bearer ", TOKEN)).toBe(false);
  });

  it("refuses a short token at start", () => {
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ METRICS_TOKEN: "with a space in it, long enough" })).toThrow(/METRICS_TOKEN/);
  });

  it("shows rooms, clients, joins, messages, patches, webhook latency, the fulfilment queue, the loop's lag and memory", async () => {
    const room = await joinVillageRoom(server.url, guest.token, guest.villageId);
    room.send("move", { x: 3, y: 3 });
    room.send("emote", { emote: "wave" });
    const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
    const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
    const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body: { lines: [{ giftId: goat.id, quantity: 1 }] } });
    const [order] = await server.hameau.database.db.query.orders.findMany({ where: (o, { eq }) => eq(o.id, checkout.body.orderId) });
    const payload = JSON.stringify(checkoutCompletedEvent({ id: order!.checkoutSessionId!, orderId: order!.id, amountTotal: order!.totalCents }));
    expect((await deliver(server.url, payload, sign(payload))).status).toBe(200);
    await vi.waitFor(async () => expect(sample(await scrape(), 'hameau_room_messages_total{room="village"}')).toBeGreaterThanOrEqual(2));

    const text = await scrape();
    expect(text).toMatch(/^# HELP hameau_rooms /m);
    expect(text).toMatch(/^# TYPE hameau_room_joins_total counter$/m);
    expect(text).toMatch(/^# TYPE hameau_webhook_seconds histogram$/m);
    expect(sample(text, "hameau_rooms")).toBeGreaterThanOrEqual(1);
    expect(sample(text, "hameau_ccu")).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hameau_room_joins_total{room="village"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hameau_room_patches_total{room="village"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hameau_webhook_seconds_count{endpoint="platform",status="2xx"}')).toBe(1);
    expect(sample(text, 'hameau_webhook_seconds_bucket{endpoint="platform",status="2xx",le="+Inf"}')).toBe(1);
    expect(sample(text, "hameau_fulfilment_queue_depth")).toBe(0);
    expect(sample(text, 'hameau_event_loop_lag_seconds{quantile="0.99"}')).toBeGreaterThan(0);
    expect(sample(text, 'hameau_memory_bytes{kind="rss"}')).toBeGreaterThan(10_000_000);
    expect(sample(text, 'hameau_http_requests_total{method="POST",status="2xx"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, "hameau_draining")).toBe(0);
    expect(sample(text, "hameau_catalog_builds_total")).toBeGreaterThanOrEqual(1);
    if (server.database.kind === "postgres") expect(sample(text, 'hameau_db_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(0);
    else expect(text).not.toContain("hameau_db_pool_connections{");
    // Never a token, a player or an amount.
    expect(text).not.toContain(guest.token);
    expect(text).not.toContain(guest.player.id);
    await room.leave();
  });
});

describe("/healthz and /readyz", () => {
  it("say alive and ready, then not ready (503) while draining, still alive", async () => {
    const health = await server.api<{ ok: boolean; database: string }>("/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, database: server.database.kind });
    const ready = await server.api<{ ok: boolean; database: string; redis: string; draining: boolean }>("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ok: true, database: "ok", redis: "unused", draining: false });
    server.hameau.drain();
    const draining = await server.api<{ ok: boolean; draining: boolean }>("/readyz");
    expect(draining.status).toBe(503);
    expect(draining.body).toMatchObject({ ok: false, database: "ok", draining: true });
    expect((await server.api("/healthz")).status).toBe(200);
    expect(sample(await scrape(), "hameau_draining")).toBe(1);
  });

  it("turn 503 after a real SIGTERM for DRAIN_SECONDS, with Redis checked, then the process ends (and /metrics is 404 without METRICS_TOKEN)", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "hameau-drain-"));
    // On the PostgreSQL pass a database of its own (migrated already); on PGlite a fresh folder.
    const database = server.database.kind === "postgres" ? await freshDatabase() : undefined;
    const where: Record<string, string> = database?.target.kind === "postgres" ? { DATABASE_URL: database.target.url } : { DATA_DIR: dataDir };
    const child = await spawnServer({ DRAIN_SECONDS: "2", REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", REDIS_PREFIX: `hameau-test-drain-${Date.now()}:`, ...where });
    try {
      const before = await fetch(`${child.url}/readyz`);
      expect(before.status).toBe(200);
      expect(await before.json()).toMatchObject({ redis: "ok", draining: false });
      // No METRICS_TOKEN there: no /metrics at all.
      expect((await fetch(`${child.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
      child.process.kill("SIGTERM");
      await vi.waitFor(async () => expect((await fetch(`${child.url}/readyz`)).status).toBe(503), { timeout: 1500, interval: 50 });
      expect((await fetch(`${child.url}/healthz`)).status).toBe(200);
      await child.logLine(/"drainSeconds":2.*shutting down/);
    } finally {
      await child.kill("SIGTERM");
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("the request id", () => {
  it("is taken from the proxy when sane, made otherwise, echoed, and on every log line of its request", async () => {
    const given = await fetch(`${server.url}/api/me`, { headers: { "x-request-id": "proxy-abc.123:4", authorization: `Bearer ${guest.token}` } });
    expect(given.headers.get("x-request-id")).toBe("proxy-abc.123:4");
    for (const insane of ["a b", "x".repeat(200), "<script>", "é"]) {
      const res = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": encodeURIComponent(insane) === insane ? insane : "a\tb" } });
      const id = res.headers.get("x-request-id")!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
    // A request that logs (a paid checkout's webhook): its lines carry its id.
    const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
    const hens = catalog.gifts.find((g) => g.slug === "poules")!;
    const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body: { lines: [{ giftId: hens.id, quantity: 1 }] } });
    const [order] = await server.hameau.database.db.query.orders.findMany({ where: (o, { eq }) => eq(o.id, checkout.body.orderId) });
    const payload = JSON.stringify(checkoutCompletedEvent({ id: order!.checkoutSessionId!, orderId: order!.id, amountTotal: order!.totalCents }));
    const res = await fetch(`${server.url}/webhooks/stripe`, {
      method: "POST", headers: { "content-type": "application/json", "stripe-signature": sign(payload), "x-request-id": "req-webhook-1" }, body: payload,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req-webhook-1");
    await vi.waitFor(() => expect(logs).toContain('"requestId":"req-webhook-1"'));
    const lines = logs.split("\n").filter((l) => l.includes('"requestId":"req-webhook-1"'));
    expect(lines.some((l) => l.includes("stripe event"))).toBe(true);
    for (const line of lines) expect(JSON.parse(line).requestId).toBe("req-webhook-1");
    expect(logs.split("\n").filter((l) => l.includes("stripe event")).every((l) => l.includes('"requestId"'))).toBe(true);
    // Lines outside any request carry none.
    expect(logs.split("\n").find((l) => l.includes("Hameau listening"))).not.toContain("requestId");
  });
});
