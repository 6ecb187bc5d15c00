// @both-databases: gapless receipt numbers across a crash.
/**
 * A server process killed (SIGKILL) while it applies a refund to a donation
 * already on an issued tax receipt, restarted, and the refund redelivered:
 * the receipt is cancelled and replaced exactly once, with its mail queued
 * once (the correction runs in the refund's own transaction).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { openDatabase, type DatabaseTarget } from "../../server/db/connect.ts";
import { mailQueue, orders, taxReceipts } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { parisYear } from "../../server/services/receipts.ts";
import { spawnServer, type ChildServer } from "../support/child-server.ts";
import { freshDatabase, type TestDatabase } from "../support/database.ts";
import { chargeObject, deliver, sign, stripeEvent } from "../support/stripe-events.ts";

let database: TestDatabase | undefined;
let dataDir: string | undefined;
let child: ChildServer | undefined;

afterAll(async () => {
  await child?.kill("SIGKILL");
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("crash in the middle of a receipt correction", () => {
  it("cancels and replaces the receipt exactly once after SIGKILL, restart and redelivery", { timeout: 120_000 }, async () => {
    let env: Record<string, string>;
    let target: DatabaseTarget;
    if (inject("dbKind") === "postgres") {
      database = await freshDatabase();
      if (database.target.kind !== "postgres") throw new Error("expected PostgreSQL");
      env = { DATABASE_URL: database.target.url };
      target = database.target;
    } else {
      dataDir = mkdtempSync(path.join(os.tmpdir(), "hameau-receipt-crash-"));
      env = { DATA_DIR: dataDir, SEED_DEMO: "true" };
      target = { kind: "pglite", dataDir: path.join(dataDir, "pglite") };
    }
    const lastYear = parisYear(new Date()) - 1;
    const post = (url: string, body?: unknown, token?: string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });

    // A goat paid through the TEST MODE checkout, dated last year (with the server stopped: PGlite has one owner).
    child = await spawnServer(env);
    const guest = (await (await post(`${child.url}/api/session/guest`)).json()) as SessionResponse;
    const catalog = (await (await fetch(`${child.url}/api/catalog`)).json()) as CatalogResponse;
    const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
    const checkout = (await (await post(`${child.url}/api/checkout`, { lines: [{ giftId: goat.id, quantity: 1 }] }, guest.token)).json()) as CheckoutResponse;
    const paid = await fetch(child.url + checkout.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
    expect(paid.status).toBe(303);
    await child.kill("SIGTERM");
    let db = await openDatabase(target);
    await db.db.update(orders).set({ paidAt: new Date(Date.UTC(lastYear, 5, 15, 10)) }).where(eq(orders.id, checkout.orderId));
    const [order] = await db.db.select().from(orders).where(eq(orders.id, checkout.orderId));
    await db.close();

    // Receipt issued; then the refund is applied by a server that dies before committing it.
    child = await spawnServer({ ...env, HAMEAU_TEST_PAUSE_BEFORE_COMMIT_MS: "4000" });
    const donor = { firstName: "Claire", lastName: "Dubœuf", addressLines: ["3 place de l'Église"], postalCode: "35000", city: "Rennes", country: "France" };
    const saved = await fetch(`${child.url}/api/me/donor`, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${guest.token}` }, body: JSON.stringify(donor) });
    expect(saved.status).toBe(200);
    const issued = await post(`${child.url}/api/tax-receipts`, { ngoId: goat.ngo.id, year: lastYear }, guest.token);
    expect(issued.status).toBe(201);
    const first = (await issued.json()) as { id: string; number: string };
    const refund = stripeEvent("charge.refunded", chargeObject({ sessionId: order!.checkoutSessionId!, orderId: order!.id, totalCents: order!.totalCents, paymentIntentId: order!.paymentIntentId! }, 1000));
    const payload = JSON.stringify(refund);
    const inFlight = deliver(child.url, payload, sign(payload)).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 1500));
    await child.kill("SIGKILL");
    expect(await inFlight).toBeInstanceOf(Error);

    child = await spawnServer(env);
    // The refund event was stored before the crash: the sweeper may have replayed it on start already.
    expect((await deliver(child.url, payload, sign(payload))).body.outcome).toMatch(/^(duplicate:)?refunded$/);
    expect((await deliver(child.url, payload, sign(payload))).body.outcome).toMatch(/^duplicate/);
    await child.kill("SIGTERM");
    child = undefined;

    db = await openDatabase(target);
    try {
      const receipts = await db.db.select().from(taxReceipts).where(eq(taxReceipts.playerId, guest.player.id));
      expect(receipts.map((r) => [r.status, r.totalCents]).sort()).toEqual([["cancelled", 3500], ["issued", 2500]]);
      const replacement = receipts.find((r) => r.status === "issued")!;
      expect(replacement.replacesId).toBe(first.id);
      expect(Number(replacement.number.split("-").at(-1))).toBe(Number(first.number.split("-").at(-1)) + 1);
      expect(await db.db.select().from(mailQueue).where(eq(mailQueue.dedupeKey, `tax_receipt_cancelled:${first.id}`))).toHaveLength(1);
      expect(await checkLedger(db.db)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
