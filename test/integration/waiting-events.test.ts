// @both-databases: the waiting-event sweeper, exactly once.
/**
 * Waiting events are never stranded: a refund stored before its payment is
 * replayed by the sweeper — on start after a SIGKILL between the payment's
 * commit and the replay, and periodically when a payment was fulfilled by a
 * process that never replayed — and one whose payment never comes is logged
 * at error once it has waited too long.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { openDatabase, type DatabaseTarget } from "../../server/db/connect.ts";
import { orders, stripeEvents } from "../../server/db/schema.ts";
import { processEvent } from "../../server/payments/events.ts";
import { loadConfig } from "../../server/config.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { reconcile } from "../../server/payments/reconciliation.ts";
import { createStripe } from "../../server/payments/stripe.ts";
import { spawnServer, type ChildServer } from "../support/child-server.ts";
import { freshDatabase, type TestDatabase } from "../support/database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, deliver, send, sessionObject, sign, stripeEvent, TEST_WEBHOOK_SECRET } from "../support/stripe-events.ts";
import { startStripeStandIn } from "../support/stripe-stand-in.ts";

let database: TestDatabase | undefined;
let dataDir: string | undefined;
let child: ChildServer | undefined;
let server: TestServer | undefined;

afterAll(async () => {
  await child?.kill("SIGKILL");
  await server?.stop();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A pending TEST MODE order for two goats, with its session id, on a server at `url`. */
async function goatOrder(url: string, suffix: string) {
  const post = (p: string, body?: unknown, token?: string) =>
    fetch(url + p, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const guest = (await (await post("/api/session/guest")).json()) as SessionResponse;
  const catalog = (await (await fetch(`${url}/api/catalog`)).json()) as CatalogResponse;
  const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
  const checkout = (await (await post("/api/checkout", { lines: [{ giftId: goat.id, quantity: 2 }] }, guest.token)).json()) as CheckoutResponse;
  const sessionId = /\/checkout\/test\/([^?]+)/.exec(checkout.checkoutUrl)![1]!;
  return { sessionId, orderId: checkout.orderId, totalCents: checkout.totalCents, paymentIntentId: `pi_waiting_${suffix}_${Date.now()}` };
}

describe("a crash between a payment's commit and the replay of its waiting refund", () => {
  it("leaves nothing stranded: the sweeper replays the refund when the server starts again", async () => {
    let env: Record<string, string>;
    let target: DatabaseTarget;
    if (inject("dbKind") === "postgres") {
      database = await freshDatabase();
      if (database.target.kind !== "postgres") throw new Error("expected PostgreSQL");
      env = { DATABASE_URL: database.target.url };
      target = database.target;
    } else {
      dataDir = mkdtempSync(path.join(os.tmpdir(), "hameau-waiting-"));
      env = { DATA_DIR: dataDir, SEED_DEMO: "true" };
      target = { kind: "pglite", dataDir: path.join(dataDir, "pglite") };
    }
    // A sweep interval far beyond the test: only the sweep on start can replay.
    env = { ...env, WAITING_EVENTS_SWEEP_MS: "3600000" };
    child = await spawnServer({ ...env, HAMEAU_TEST_PAUSE_BEFORE_REPLAY_MS: "8000" });
    const s = await goatOrder(child.url, "crash");
    const refund = stripeEvent("charge.refunded", chargeObject(s, 3500));
    expect((await send(child.url, refund)).body.outcome).toBe("waiting");

    // The payment commits, then the process dies before it replays the waiting refund.
    const payment = JSON.stringify(stripeEvent("checkout.session.completed", sessionObject(s)));
    const inFlight = deliver(child.url, payment, sign(payment)).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 2500));
    await child.kill("SIGKILL");
    expect(await inFlight).toBeInstanceOf(Error);

    child = await spawnServer(env);
    await child.logLine(new RegExp(`"eventId":"${refund.id}".*replayed by the waiting-event sweeper`));
    await child.kill("SIGTERM");
    child = undefined;

    const db = await openDatabase(target);
    try {
      const [order] = await db.db.select().from(orders).where(eq(orders.id, s.orderId));
      expect(order).toMatchObject({ status: "paid", refundedCents: 3500 });
      const [stored] = await db.db.select().from(stripeEvents).where(eq(stripeEvents.id, refund.id));
      expect(stored!.outcome).toBe("refunded");
      expect(stored!.processedAt).not.toBeNull();
      expect(await checkLedger(db.db)).toEqual([]);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe("the periodic sweep", () => {
  it("replays a refund whose payment another process fulfilled without replaying it, and reports one whose payment never comes", async () => {
    const logs: Array<{ level: number; msg: string; events?: Array<{ id: string }> }> = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    server = await startTestServer({ logger, env: { WAITING_EVENTS_SWEEP_MS: "200", WAITING_EVENTS_STALE_MINUTES: "0.005" } });
    const db = server.hameau.database.db;
    const s = await goatOrder(server.url, "periodic");
    const refund = stripeEvent("charge.refunded", chargeObject(s, 3500));
    expect((await send(server.url, refund)).body.outcome).toBe("waiting");
    // Fulfilled straight through the payment code, as a process that died before its replay would leave it.
    const fulfilled = await processEvent(db, stripeEvent("checkout.session.completed", sessionObject(s)) as never);
    expect(fulfilled).toMatchObject({ outcome: "fulfilled", released: s.paymentIntentId });
    await vi.waitFor(async () => {
      const [order] = await db.select().from(orders).where(eq(orders.id, s.orderId));
      expect(order!.refundedCents).toBe(3500);
    }, { timeout: 10_000, interval: 100 });

    const orphan = stripeEvent("charge.refunded", chargeObject({ ...s, paymentIntentId: "pi_never_seen_0001" }, 100));
    expect((await send(server.url, orphan)).body.outcome).toBe("waiting");
    await vi.waitFor(() => {
      const reported = logs.find((l) => l.level === 50 && l.events?.some((e) => e.id === orphan.id));
      expect(reported?.msg).toMatch(/unprocessed for more than/);
    }, { timeout: 10_000, interval: 100 });
    // Reconciliation reports it too, whatever the period, until it is processed.
    const standIn = await startStripeStandIn();
    try {
      const stripe = createStripe(loadConfig({ NODE_ENV: "test", STRIPE_SECRET_KEY: "sk_test_hameau_standin", STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_test_connect", STRIPE_API_BASE: standIn.url }))!;
      const report = await reconcile({ db, stripe, from: new Date("2020-01-01T00:00:00Z"), to: new Date("2020-01-02T00:00:00Z"), staleAfterMs: 0 });
      expect(report.differences).toContainEqual(expect.objectContaining({ kind: "waiting_event_stranded", stripeEventId: orphan.id, paymentIntentId: "pi_never_seen_0001", hameau: "waiting" }));
      expect(report.differences.some((d) => d.stripeEventId === refund.id)).toBe(false);
    } finally {
      await standIn.close();
    }
    expect(await checkLedger(db)).toEqual([]);
  }, 60_000);
});
