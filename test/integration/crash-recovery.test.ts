// @both-databases: a killed process on the embedded data folder loses nothing.
/**
 * A server process killed (SIGKILL) in the middle of fulfilment, restarted,
 * and the event redelivered: the order is fulfilled exactly once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { openDatabase, type DatabaseTarget } from "../../server/db/connect.ts";
import { ngoTransfers, orders, stripeEvents, villageItems } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { spawnServer, type ChildServer } from "../support/child-server.ts";
import { freshDatabase, type TestDatabase } from "../support/database.ts";
import { tableCounts } from "../support/counts.ts";
import { deliver, sessionObject, sign, stripeEvent } from "../support/stripe-events.ts";

let database: TestDatabase | undefined;
let dataDir: string | undefined;
let child: ChildServer | undefined;

afterAll(async () => {
  await child?.kill("SIGKILL");
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("crash in the middle of fulfilment", () => {
  it("fulfils exactly once after SIGKILL, restart and redelivery", async () => {
    let env: Record<string, string>;
    let target: DatabaseTarget;
    if (inject("dbKind") === "postgres") {
      database = await freshDatabase();
      if (database.target.kind !== "postgres") throw new Error("expected PostgreSQL");
      env = { DATABASE_URL: database.target.url };
      target = database.target;
    } else {
      dataDir = mkdtempSync(path.join(os.tmpdir(), "hameau-crash-"));
      env = { DATA_DIR: dataDir, SEED_DEMO: "true" };
      target = { kind: "pglite", dataDir: path.join(dataDir, "pglite") };
    }

    child = await spawnServer({ ...env, HAMEAU_TEST_PAUSE_BEFORE_COMMIT_MS: "4000" });
    const post = (url: string, body?: unknown, token?: string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const guest = (await (await post(`${child.url}/api/session/guest`)).json()) as SessionResponse;
    const catalog = (await (await fetch(`${child.url}/api/catalog`)).json()) as CatalogResponse;
    const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
    const checkout = (await (await post(`${child.url}/api/checkout`, { lines: [{ giftId: goat.id, quantity: 2 }] }, guest.token)).json()) as CheckoutResponse;
    const sessionId = /\/checkout\/test\/([^?]+)/.exec(checkout.checkoutUrl)![1]!;
    const event = stripeEvent("checkout.session.completed", sessionObject({ sessionId, orderId: checkout.orderId, totalCents: checkout.totalCents, paymentIntentId: "pi_crash_test_0001" }));
    const payload = JSON.stringify(event);

    // First delivery: the server stores the event, fulfils inside a transaction, and dies before commit.
    const inFlight = deliver(child.url, payload, sign(payload)).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 1500));
    await child.kill("SIGKILL");
    expect(await inFlight).toBeInstanceOf(Error);

    child = await spawnServer(env);
    const retry = await deliver(child.url, payload, sign(payload));
    expect(retry).toMatchObject({ status: 200, body: { outcome: "fulfilled" } });
    const replay = await deliver(child.url, payload, sign(payload));
    expect(replay.body.outcome).toMatch(/^duplicate/);
    await child.kill("SIGTERM");
    child = undefined;

    const db = await openDatabase(target);
    try {
      const [order] = await db.db.select().from(orders).where(eq(orders.id, checkout.orderId));
      expect(order!.status).toBe("paid");
      const [stored] = await db.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
      expect(stored!.outcome).toBe("fulfilled");
      const counts = await tableCounts(db.db);
      // The donation, once; and, when the demo NGO has a (TEST MODE) connected account, its one transfer, booked once if made.
      const transfers = await db.db.select().from(ngoTransfers);
      expect(transfers.length).toBeLessThanOrEqual(1);
      expect(counts.ledger_transactions).toBe(1 + transfers.filter((t) => t.status === "done").length);
      // The guest's village: six starter decorations and the two goats, once (other villages,
      // such as the demo neighbour's, are not this payment's).
      const mine = await db.db.select().from(villageItems).where(eq(villageItems.villageId, guest.villageId));
      expect(mine.length - 6).toBe(2);
      expect(mine.filter((i) => i.giftId === goat.id)).toHaveLength(2);
      expect(await checkLedger(db.db)).toEqual([]);
    } finally {
      await db.close();
    }
  }, 90_000);
});
