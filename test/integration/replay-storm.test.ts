// @both-databases: money: exactly once under a storm of redeliveries.
/**
 * Stripe delivers at least once, in any order, possibly concurrently. Every
 * event of a scenario is delivered 20 times, shuffled, many at a time: each
 * gift is granted once, every reversal applied once, the ledger balanced.
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orderLines, orders, villageItems } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { chargeObject, deliver, disputeObject, sessionObject, sign, stripeEvent, type PaidSession } from "../support/stripe-events.ts";
import { useStripeMode } from "../support/stripe-mode.ts";

const world = useStripeMode();

const db = () => world.db();
const order = (lines: Array<[string, number]>) => world.order(lines);

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

describe("replay storm", () => {
  it("delivers every event 20 times, shuffled and concurrent, and ends exactly as once", async () => {
    const plain = await order([["chevre", 1], ["sachet-de-graines", 2]]);
    const refunded = await order([["poules", 2]]);
    const lost = await order([["vache", 1]]);
    const won = await order([["puits", 1]]);
    const expired = await order([["kit-scolaire", 3]]);
    const delayed = await order([["ruche", 1]]);
    const partial = await order([["chevre", 1], ["sachet-de-graines", 1]]);
    const lostDispute = `dp_${randomBytes(6).toString("hex")}`;
    const wonDispute = `dp_${randomBytes(6).toString("hex")}`;
    const events = [
      stripeEvent("checkout.session.completed", sessionObject(plain)),
      stripeEvent("checkout.session.completed", sessionObject(refunded)),
      stripeEvent("charge.refunded", chargeObject(refunded, 1500)),
      stripeEvent("charge.refunded", chargeObject(refunded, 3000)),
      stripeEvent("checkout.session.completed", sessionObject(lost)),
      stripeEvent("charge.dispute.created", disputeObject(lost, lostDispute, "needs_response")),
      stripeEvent("charge.dispute.closed", disputeObject(lost, lostDispute, "lost")),
      stripeEvent("checkout.session.completed", sessionObject(won)),
      stripeEvent("charge.dispute.created", disputeObject(won, wonDispute, "needs_response")),
      stripeEvent("charge.dispute.closed", disputeObject(won, wonDispute, "won")),
      stripeEvent("checkout.session.expired", sessionObject(expired, "unpaid", "expired")),
      stripeEvent("checkout.session.completed", sessionObject(delayed, "unpaid")),
      stripeEvent("checkout.session.async_payment_succeeded", sessionObject(delayed)),
      stripeEvent("checkout.session.completed", sessionObject(partial)),
      stripeEvent("charge.refunded", chargeObject(partial, 100)),
    ];
    const deliveries = shuffle(events.flatMap((e) => Array.from({ length: 20 }, () => JSON.stringify(e))));
    const concurrency = 24;
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < deliveries.length) {
          const payload = deliveries[next++]!;
          statuses.push((await deliver(world.server.url, payload, sign(payload))).status);
        }
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses).toHaveLength(events.length * 20);

    const active = async (s: PaidSession) =>
      (await db().select({ sprite: villageItems.sprite }).from(villageItems).innerJoin(orderLines, eq(orderLines.id, villageItems.orderLineId))
        .where(and(eq(orderLines.orderId, s.orderId), isNull(villageItems.removedAt)))).map((r) => r.sprite).sort();
    const status = async (s: PaidSession) => (await db().select().from(orders).where(eq(orders.id, s.orderId)))[0]!;

    expect(await active(plain)).toEqual(["goat", "seed-bag", "seed-bag"]);
    expect(await active(refunded)).toEqual([]);
    expect((await status(refunded)).refundedCents).toBe(3000);
    expect(await active(lost)).toEqual([]);
    expect((await status(lost)).disputeStatus).toBe("lost");
    expect(await active(won)).toEqual(["well"]);
    expect((await status(won)).disputeStatus).toBe("won");
    expect((await status(expired)).status).toBe("expired");
    expect(await active(delayed)).toEqual(["beehive"]);
    expect(await active(partial)).toEqual(["goat"]);
    // Invariants: one donation per paid order, never more gifts than bought, every transaction balanced.
    expect(await checkLedger(db())).toEqual([]);
  }, 120_000);
});
