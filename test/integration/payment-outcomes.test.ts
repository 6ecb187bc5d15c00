// @both-databases: money: every payment outcome.
/**
 * Every Stripe outcome, in any order: delayed payments, failures, expiry,
 * refunds (full, partial, before their payment), disputes (duplicate, closed
 * before opened, won, lost). The ledger invariants hold after each.
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { GiftWithdrawnMessage } from "../../shared/messages.ts";
import { notifications, orders, villageItems } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { chargeObject, disputeObject, send, sessionObject, stripeEvent, type PaidSession } from "../support/stripe-events.ts";
import { useStripeMode } from "../support/stripe-mode.ts";
import { joinVillageRoom } from "../support/room-join.ts";

const world = useStripeMode();
afterEach(async () => {
  expect(await checkLedger(db())).toEqual([]);
});

const db = () => world.db();
const giftId = (slug: string) => world.giftId(slug);

const order = (lines: Array<[string, number]>) => world.order(lines);
const orderRow = async (s: PaidSession) => (await db().select().from(orders).where(eq(orders.id, s.orderId)))[0]!;
async function activeGifts(s: PaidSession) {
  const rows = await db().select().from(villageItems).where(and(eq(villageItems.villageId, world.guest.villageId), isNull(villageItems.removedAt)));
  const lines = new Set((await db().query.orderLines.findMany({ where: (l, { eq: e }) => e(l.orderId, s.orderId) })).map((l) => l.id));
  return rows.filter((r) => r.orderLineId && lines.has(r.orderLineId)).map((r) => r.sprite).sort();
}
const outcome = async (type: Parameters<typeof stripeEvent>[0], object: Record<string, unknown>) => (await send(world.server.url, stripeEvent(type, object))).body.outcome;

describe("delayed payment methods", () => {
  it("waits on a completed-but-unpaid session, then fulfils on async success", async () => {
    const s = await order([["chevre", 1]]);
    expect(await outcome("checkout.session.completed", sessionObject(s, "unpaid"))).toBe("awaiting_payment");
    expect((await orderRow(s)).status).toBe("pending");
    expect(await activeGifts(s)).toEqual([]);
    expect(await outcome("checkout.session.async_payment_succeeded", sessionObject(s))).toBe("fulfilled");
    expect(await activeGifts(s)).toEqual(["goat"]);
  });

  it("marks a failed delayed payment, grants nothing", async () => {
    const s = await order([["ruche", 1]]);
    expect(await outcome("checkout.session.async_payment_failed", sessionObject(s, "unpaid"))).toBe("payment_failed");
    expect((await orderRow(s)).status).toBe("failed");
    expect(await activeGifts(s)).toEqual([]);
  });

  it("expires an abandoned session; an expiry after payment changes nothing", async () => {
    const abandoned = await order([["poules", 1]]);
    expect(await outcome("checkout.session.expired", sessionObject(abandoned, "unpaid", "expired"))).toBe("order_expired");
    expect((await orderRow(abandoned)).status).toBe("expired");
    const paid = await order([["poules", 1]]);
    expect(await outcome("checkout.session.completed", sessionObject(paid))).toBe("fulfilled");
    expect(await outcome("checkout.session.expired", sessionObject(paid, "unpaid", "expired"))).toBe("order_paid");
    expect((await orderRow(paid)).status).toBe("paid");
  });

  it("fulfils an async success that arrives after the expiry event: money received wins", async () => {
    const s = await order([["arbre-fruitier", 2]]);
    await outcome("checkout.session.expired", sessionObject(s, "unpaid", "expired"));
    expect(await outcome("checkout.session.async_payment_succeeded", sessionObject(s))).toBe("fulfilled");
    expect((await orderRow(s)).status).toBe("paid");
    expect(await activeGifts(s)).toEqual(["fruit-tree", "fruit-tree"]);
  });
});

describe("support on top of the gifts", () => {
  it("books the extra support to the project, and a refund takes it back before any gift", async () => {
    const s = await world.order([["chevre", 1]], 500);
    expect(s.totalCents).toBe(4000);
    expect(await outcome("checkout.session.completed", sessionObject(s))).toBe("fulfilled");
    expect(await outcome("charge.refunded", chargeObject(s, 500))).toBe("refunded");
    expect(await activeGifts(s)).toEqual(["goat"]);
  });
});

describe("Stripe's fee", () => {
  it("is booked from the charge's balance transaction once the payment is fulfilled, once", async () => {
    const s = await order([["chevre", 1]]);
    world.stripe.markPaid(s.sessionId, s.paymentIntentId, { fee: 78 });
    expect(await outcome("checkout.session.completed", sessionObject(s))).toBe("fulfilled");
    const fees = async () =>
      (await db().execute(sql`select e.account, e.amount_cents from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
                              where t.order_id = ${s.orderId} and t.kind = 'fee' order by e.line`) as unknown as { rows: unknown[] }).rows;
    expect(await fees()).toEqual([{ account: "expense:stripe-fees", amount_cents: 78 }, { account: "asset:stripe-clearing", amount_cents: -78 }]);
    await outcome("checkout.session.completed", sessionObject(s));
    expect(await fees()).toHaveLength(2);
  });

  it("books a dispute's fee from the dispute's balance transactions, once each, and its return when Stripe gives it back", async () => {
    const s = await order([["chevre", 1]]);
    expect(await outcome("checkout.session.completed", sessionObject(s))).toBe("fulfilled");
    const feeTotal = async () =>
      Number(((await db().execute(sql`select coalesce(sum(e.amount_cents), 0) as total from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
                                       where t.order_id = ${s.orderId} and t.kind = 'fee' and e.account = 'expense:stripe-fees'`)) as unknown as { rows: Array<{ total: string }> }).rows[0]!.total);
    const dispute = `dp_${randomBytes(6).toString("hex")}`;
    const withdrawal = { id: `txn_${randomBytes(6).toString("hex")}`, fee: 1500, currency: "eur" };
    const opened = { ...disputeObject(s, dispute, "needs_response"), balance_transactions: [withdrawal] };
    expect(await outcome("charge.dispute.created", opened)).toBe("dispute_opened");
    expect(await feeTotal()).toBe(1500);
    expect(await outcome("charge.dispute.created", opened)).toBe("already_applied");
    expect(await feeTotal()).toBe(1500);
    const reinstatement = { id: `txn_${randomBytes(6).toString("hex")}`, fee: -1500, currency: "eur" };
    const won = { ...disputeObject(s, dispute, "won"), balance_transactions: [withdrawal, reinstatement] };
    expect(await outcome("charge.dispute.closed", won)).toBe("dispute_won");
    expect(await feeTotal()).toBe(0);
  });
});

describe("refunds", () => {
  it("takes back every gift on a full refund, with a notification", async () => {
    const s = await order([["chevre", 1], ["sachet-de-graines", 2]]);
    await outcome("checkout.session.completed", sessionObject(s));
    expect(await outcome("charge.refunded", chargeObject(s, s.totalCents))).toBe("refunded");
    expect(await activeGifts(s)).toEqual([]);
    expect((await orderRow(s)).refundedCents).toBe(s.totalCents);
    const notes = await db().select().from(notifications).where(eq(notifications.playerId, world.guest.player.id));
    expect(notes.some((n) => (n.payload as { orderId: string; reason: string }).orderId === s.orderId && (n.payload as { reason: string }).reason === "refunded")).toBe(true);
    expect(await outcome("charge.refunded", chargeObject(s, s.totalCents))).toBe("already_applied");
  });

  it("takes back only what a partial refund no longer pays for; a late smaller refund event (sent earlier by Stripe) adds nothing", async () => {
    const s = await order([["chevre", 1], ["sachet-de-graines", 1]]); // 35 € + 1 €
    await outcome("checkout.session.completed", sessionObject(s));
    const earlier = Math.floor(Date.now() / 1000) - 60;
    expect(await outcome("charge.refunded", chargeObject(s, 100))).toBe("refunded");
    expect(await activeGifts(s)).toEqual(["goat"]);
    expect(await outcome("charge.refunded", chargeObject(s, 3600))).toBe("refunded");
    expect(await activeGifts(s)).toEqual([]);
    expect((await send(world.server.url, stripeEvent("charge.refunded", chargeObject(s, 100), earlier))).body.outcome).toBe("already_applied");
    expect((await orderRow(s)).refundedCents).toBe(3600);
  });

  it("applies a refund that arrives before its payment once the payment is known", async () => {
    const s = await order([["poules", 2]]);
    expect(await outcome("charge.refunded", chargeObject(s, 1500))).toBe("waiting");
    expect(await outcome("checkout.session.completed", sessionObject(s))).toBe("fulfilled");
    expect((await orderRow(s)).refundedCents).toBe(1500);
    expect(await activeGifts(s)).toEqual(["chickens"]);
  });

  it("refuses a refund larger than the order", async () => {
    const s = await order([["sachet-de-graines", 1]]);
    await outcome("checkout.session.completed", sessionObject(s));
    expect(await outcome("charge.refunded", chargeObject(s, s.totalCents + 1))).toBe("amount_mismatch");
    expect((await orderRow(s)).refundedCents).toBe(0);
  });
});

describe("a refund seen from an open village", () => {
  it("takes the gift out of the room state and tells the player why", async () => {
    const s = await order([["chevre", 1]]);
    await outcome("checkout.session.completed", sessionObject(s));
    const room = await joinVillageRoom(world.server.url, world.guest.token, world.guest.villageId);
    try {
      await vi.waitFor(() => expect(room.state.items.size).toBeGreaterThan(0));
      const goats = () => [...room.state.items.values()].filter((i) => i.sprite === "goat" && i.donated).length;
      const before = goats();
      const told = new Promise<GiftWithdrawnMessage>((resolve) => room.onMessage("giftWithdrawn", resolve));
      expect(await outcome("charge.refunded", chargeObject(s, s.totalCents))).toBe("refunded");
      expect(await told).toMatchObject({ orderId: s.orderId, reason: "refunded", items: [{ giftId: giftId("chevre") }] });
      await vi.waitFor(() => expect(goats()).toBe(before - 1));
    } finally {
      await room.leave();
    }
  });
});

describe("disputes", () => {
  it("counts a duplicated dispute once, and takes the gifts back when it is lost", async () => {
    const s = await order([["vache", 1]]);
    await outcome("checkout.session.completed", sessionObject(s));
    const dispute = `dp_${randomBytes(6).toString("hex")}`;
    expect(await outcome("charge.dispute.created", disputeObject(s, dispute, "needs_response"))).toBe("dispute_opened");
    expect(await outcome("charge.dispute.created", disputeObject(s, dispute, "needs_response"))).toBe("already_applied");
    expect(await activeGifts(s)).toEqual(["cow"]);
    expect(await outcome("charge.dispute.closed", disputeObject(s, dispute, "lost"))).toBe("dispute_lost");
    expect(await activeGifts(s)).toEqual([]);
    expect((await orderRow(s)).disputeStatus).toBe("lost");
  });

  it("handles a dispute closed (won) before its opening event arrives", async () => {
    const s = await order([["puits", 1]]);
    await outcome("checkout.session.completed", sessionObject(s));
    const dispute = `dp_${randomBytes(6).toString("hex")}`;
    expect(await outcome("charge.dispute.closed", disputeObject(s, dispute, "won"))).toBe("dispute_won");
    expect(await outcome("charge.dispute.created", disputeObject(s, dispute, "needs_response"))).toBe("already_applied");
    expect(await activeGifts(s)).toEqual(["well"]);
    expect((await orderRow(s)).disputeStatus).toBe("won");
  });

  it("waits with a dispute about a payment not known yet", async () => {
    const s = await order([["ruche", 1]]);
    const dispute = `dp_${randomBytes(6).toString("hex")}`;
    expect(await outcome("charge.dispute.created", disputeObject(s, dispute, "needs_response"))).toBe("waiting");
    await outcome("checkout.session.completed", sessionObject(s));
    expect((await orderRow(s)).disputeStatus).toBe("open");
  });
});

describe("the ledger refuses edits", () => {
  it("rejects UPDATE and DELETE on posted entries", async () => {
    const failure = (query: string) => db().execute(sql.raw(query)).then(() => "accepted", (e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    expect(await failure("update ledger_entries set amount_cents = amount_cents + 1")).toMatch(/append-only/);
    expect(await failure("delete from ledger_entries")).toMatch(/append-only/);
    expect(await failure("delete from ledger_transactions")).toMatch(/append-only/);
  });
});
