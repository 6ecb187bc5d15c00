// @both-databases: money: batched fulfilment, exactly once.
/**
 * Payments arriving together are fulfilled in shared batches (one statement,
 * one commit), each exactly once; a payment that cannot be applied fails
 * alone, stays stored for Stripe's retry, and takes nothing else down.
 */
import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { orders, stripeEvents, villageItems } from "../../server/db/schema.ts";
import { processEvent } from "../../server/payments/events.ts";
import { fulfilmentQueue } from "../../server/payments/fulfilment-queue.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { deliver, sessionObject, sign, stripeEvent, type PaidSession } from "../support/stripe-events.ts";
import { useStripeMode } from "../support/stripe-mode.ts";

const world = useStripeMode();

type Event = ReturnType<typeof stripeEvent>;

async function deliverAll(sessions: PaidSession[], given?: Event[]) {
  const events = given ?? sessions.map((s) => stripeEvent("checkout.session.completed", sessionObject(s)));
  const answers = await Promise.all(events.map((e) => {
    const payload = JSON.stringify(e);
    return deliver(world.server.url, payload, sign(payload));
  }));
  return { events, answers };
}

describe("fulfilment in batches", () => {
  it("fulfils payments arriving together in shared batches, each once", async () => {
    const sessions: PaidSession[] = [];
    for (let i = 0; i < 24; i++) sessions.push(await world.order([["sachet-de-graines", 1 + (i % 3)], ["poules", 1]], i % 4 === 0 ? 200 : 0));
    const queue = fulfilmentQueue(world.db());
    const before = { ...queue.stats };

    // Handed over together, as the webhook does when many requests are in: they share batches.
    const events = sessions.map((s) => stripeEvent("checkout.session.completed", sessionObject(s)));
    const results = await Promise.all(events.map((e) => processEvent(world.db(), e as unknown as Stripe.Event)));
    expect(results.map((r) => r.outcome)).toEqual(sessions.map(() => "fulfilled"));
    expect(queue.stats.payments - before.payments).toBe(24);
    expect(queue.stats.batches - before.batches).toBeLessThanOrEqual(2); // one per lane
    expect(results.every((r) => r.announcements.length === 1)).toBe(true);

    for (const s of sessions) {
      const [order] = await world.db().select().from(orders).where(eq(orders.id, s.orderId));
      expect(order!.status).toBe("paid");
    }
    // Delivered again over HTTP: each one a duplicate.
    const again = await deliverAll(sessions, events);
    expect(again.answers.map((a) => a.body.outcome)).toEqual(sessions.map(() => "duplicate:fulfilled"));
    expect(await checkLedger(world.db())).toEqual([]);
  });

  it("lets a payment that cannot be applied fail alone, stored for Stripe's retry", async () => {
    const sessions: PaidSession[] = [];
    for (let i = 0; i < 8; i++) sessions.push(await world.order([["chevre", 1]]));
    const bad = sessions[3]!;
    // A donation already posted for a pending order: applying the payment breaks a unique rule.
    await world.db().execute(sql`
      with t as (insert into ledger_transactions (kind, source_key, order_id, currency)
                 values ('donation', ${`donation:${bad.orderId}`}, ${bad.orderId}, 'eur') returning id)
      insert into ledger_entries (transaction_id, line, account, amount_cents, currency)
      select t.id, e.line, e.account, e.amount, 'eur' from t, (values (1, 'asset:test', 100), (2, 'liability:test', -100)) as e(line, account, amount)`);
    const itemsBefore = await world.db().$count(villageItems, eq(villageItems.orderLineId, sql`any(select id from order_lines where order_id = ${bad.orderId})`));

    const { events, answers } = await deliverAll(sessions);
    answers.forEach((answer, i) => {
      if (i === 3) expect(answer.status).toBe(500);
      else expect(answer.body.outcome).toBe("fulfilled");
    });
    const [badOrder] = await world.db().select().from(orders).where(eq(orders.id, bad.orderId));
    expect(badOrder!.status).toBe("pending");
    const [stored] = await world.db().select().from(stripeEvents).where(eq(stripeEvents.id, events[3]!.id));
    expect(stored).toMatchObject({ processedAt: null });
    expect(await world.db().$count(villageItems, eq(villageItems.orderLineId, sql`any(select id from order_lines where order_id = ${bad.orderId})`))).toBe(itemsBefore);
  });
});
