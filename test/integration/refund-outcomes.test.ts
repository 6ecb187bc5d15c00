// @both-databases: money: refunds in any order.
/**
 * Refunds in both directions and disputes capped by them, through the real
 * webhook with signed events: a refund that fails (before or after it was
 * booked), shrinks or is canceled corrects the ledger with new entries and
 * gives the gifts back visibly; inquiries move nothing; a dispute never takes
 * more than refunds left; the split between projects is the same in the
 * ledger and in the village. The ledger invariants hold after each.
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { GiftRestoredMessage } from "../../shared/messages.ts";
import type { NotificationsResponse } from "../../shared/notifications.ts";
import { addDays, dayIn, type DonationReportResponse } from "../../shared/reports.ts";
import { splitTaken } from "../../shared/refund-split.ts";
import { orderLines, orders, villageItems } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { postTransaction, projectAccount } from "../../server/payments/ledger.ts";
import { chargeObject, disputeObject, refundObject, send, sessionObject, stripeEvent, type PaidSession } from "../support/stripe-events.ts";
import { useStripeMode } from "../support/stripe-mode.ts";
import { addNgoMember, demoNgoId } from "../support/ngo.ts";
import { joinVillageRoom } from "../support/room-join.ts";

const world = useStripeMode();
afterEach(async () => {
  expect(await checkLedger(db())).toEqual([]);
});

const db = () => world.db();
const now = () => Math.floor(Date.now() / 1000);
const refundId = () => `re_${randomBytes(8).toString("hex")}`;
type EventType = Parameters<typeof stripeEvent>[0];
const outcome = async (type: EventType, object: Record<string, unknown>, created?: number) =>
  (await send(world.server.url, stripeEvent(type, object, created))).body.outcome;

async function paid(lines: Array<[string, number]>, support = 0): Promise<PaidSession> {
  const s = await world.order(lines, support);
  expect(await outcome("checkout.session.completed", sessionObject(s))).toBe("fulfilled");
  return s;
}
const orderRow = async (s: PaidSession) => (await db().select().from(orders).where(eq(orders.id, s.orderId)))[0]!;
async function items(s: PaidSession) {
  return db()
    .select({ id: villageItems.id, sprite: villageItems.sprite, lineId: villageItems.orderLineId, removedAt: villageItems.removedAt, x: villageItems.x, y: villageItems.y })
    .from(villageItems)
    .innerJoin(orderLines, eq(orderLines.id, villageItems.orderLineId))
    .where(eq(orderLines.orderId, s.orderId))
    .orderBy(villageItems.id);
}
const standing = async (s: PaidSession) => (await items(s)).filter((i) => !i.removedAt).map((i) => i.sprite).sort();
/** Ledger sums of an order by kind and account. */
async function ledger(s: PaidSession, kinds: string[]) {
  const rows = (await db().execute(sql`select t.kind, e.account, sum(e.amount_cents)::int as cents from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
                                       where t.order_id = ${s.orderId} and t.kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)}) group by t.kind, e.account`)) as unknown as { rows: Array<{ kind: string; account: string; cents: number }> };
  return rows.rows;
}
const clearing = async (s: PaidSession, kinds: string[]) => (await ledger(s, kinds)).filter((r) => r.account === "asset:stripe-clearing").reduce((a, r) => a + r.cents, 0);
const kindsOf = async (s: PaidSession) =>
  ((await db().execute(sql`select kind from ledger_transactions where order_id = ${s.orderId} order by created_at, kind`)) as unknown as { rows: Array<{ kind: string }> }).rows.map((r) => r.kind);

describe("a refund that fails after it was booked", () => {
  it("posts a refund_correction (new entries), gives the gifts back and tells the owner; replays and the twin event change nothing", async () => {
    const s = await paid([["chevre", 1], ["poules", 1]]);
    const re = refundId();
    const t0 = now() - 30;
    expect(await outcome("charge.refunded", chargeObject(s, s.totalCents), t0)).toBe("refunded");
    expect(await standing(s)).toEqual([]);
    const failed = stripeEvent("refund.failed", refundObject(s, re, s.totalCents, "failed", t0), t0 + 10);
    expect((await send(world.server.url, failed)).body.outcome).toBe("refund_corrected");
    expect((await send(world.server.url, failed)).body.outcome).toBe("duplicate:refund_corrected");
    expect(await outcome("charge.refund.updated", refundObject(s, re, s.totalCents, "failed", t0), t0 + 10)).toBe("already_applied");
    expect(await standing(s)).toEqual(["chickens", "goat"]);
    expect((await orderRow(s)).refundedCents).toBe(0);
    expect(await kindsOf(s)).toEqual(["donation", "refund", "refund_correction"]);
    expect(await clearing(s, ["refund_correction"])).toBe(s.totalCents);
    const notes = await world.server.api<NotificationsResponse>("/api/notifications", { token: world.guest.token });
    expect(notes.body.notifications.find((n) => n.kind === "gift_restored" && n.payload.orderId === s.orderId)).toMatchObject({
      payload: { gifts: expect.arrayContaining([expect.objectContaining({ sprite: "goat", quantity: 1 })]) },
    });
  });

  it("ends the same when the failure arrives before the refund it undoes (the outcome commutes)", async () => {
    const s = await paid([["chevre", 1]]);
    const re = refundId();
    const t0 = now() - 30;
    expect(await outcome("refund.failed", refundObject(s, re, s.totalCents, "failed", t0), t0 + 10)).toBe("already_applied");
    expect(await outcome("charge.refunded", chargeObject(s, s.totalCents), t0)).toBe("already_applied");
    expect(await standing(s)).toEqual(["goat"]);
    expect((await orderRow(s)).refundedCents).toBe(0);
    expect(await kindsOf(s)).toEqual(["donation"]);
  });

  it("takes back a new refund made after the failed one (its own keys, no collision)", async () => {
    const s = await paid([["poules", 2]]);
    const t0 = now() - 60;
    const first = refundId();
    expect(await outcome("charge.refunded", chargeObject(s, 1500), t0)).toBe("refunded");
    expect(await outcome("charge.refund.updated", refundObject(s, first, 1500, "canceled", t0), t0 + 5)).toBe("refund_corrected");
    expect(await standing(s)).toEqual(["chickens", "chickens"]);
    expect(await outcome("charge.refunded", chargeObject(s, 1500), t0 + 20)).toBe("refunded");
    expect(await standing(s)).toEqual(["chickens"]);
    expect((await orderRow(s)).refundedCents).toBe(1500);
    expect(await kindsOf(s)).toEqual(["donation", "refund", "refund_correction", "refund"]);
  });

  it("waits with a failure about a payment not known yet, and applies it once the payment is", async () => {
    const s = await world.order([["poules", 1]]);
    const t0 = now() - 30;
    expect(await outcome("charge.refunded", chargeObject(s, 1500), t0)).toBe("waiting");
    expect(await outcome("refund.failed", refundObject(s, refundId(), 1500, "failed", t0), t0 + 5)).toBe("waiting");
    expect(await outcome("checkout.session.completed", sessionObject(s))).toBe("fulfilled");
    expect((await orderRow(s)).refundedCents).toBe(0);
    expect(await standing(s)).toEqual(["chickens"]);
  });

  it("ignores a refund update that did not fail", async () => {
    const s = await paid([["poules", 1]]);
    expect(await outcome("charge.refund.updated", refundObject(s, refundId(), 1500, "succeeded"))).toBe("ignored");
  });
});

describe("a refund that shrinks", () => {
  it("corrects down to a lower cumulative amount sent later, and gives back the gifts it pays for again", async () => {
    const s = await paid([["chevre", 1], ["sachet-de-graines", 2]]); // 35 € + 2 × 1 €
    const t0 = now() - 60;
    expect(await outcome("charge.refunded", chargeObject(s, 3600), t0)).toBe("refunded");
    expect(await standing(s)).toEqual(["seed-bag"]);
    expect(await outcome("charge.refunded", chargeObject(s, 100), t0 + 30)).toBe("refund_corrected");
    expect(await standing(s)).toEqual(["goat", "seed-bag"]);
    expect((await orderRow(s)).refundedCents).toBe(100);
    expect(await clearing(s, ["refund", "refund_correction"])).toBe(-100);
    // Stripe's older snapshot, delivered late, changes nothing.
    expect(await outcome("charge.refunded", chargeObject(s, 3600), t0)).toBe("already_applied");
  });

  it("puts a gift back on its tile when free, and tells an open village", async () => {
    const s = await paid([["ruche", 1]]);
    const [before] = await items(s);
    const room = await joinVillageRoom(world.server.url, world.guest.token, world.guest.villageId);
    try {
      await vi.waitFor(() => expect(room.state.items.has(before!.id)).toBe(true));
      const t0 = now() - 30;
      expect(await outcome("charge.refunded", chargeObject(s, s.totalCents), t0)).toBe("refunded");
      await vi.waitFor(() => expect(room.state.items.has(before!.id)).toBe(false));
      const told = new Promise<GiftRestoredMessage>((resolve) => room.onMessage("giftRestored", resolve));
      expect(await outcome("refund.failed", refundObject(s, refundId(), s.totalCents, "failed", t0), t0 + 5)).toBe("refund_corrected");
      expect(await told).toMatchObject({ orderId: s.orderId, items: [{ itemId: before!.id, giftId: world.giftId("ruche") }] });
      expect(room.state.items.get(before!.id)).toMatchObject({ x: before!.x, y: before!.y });
    } finally {
      await room.leave();
    }
  });
});

describe("a gift coming back to a village that changed", () => {
  it("takes another free tile when its own is taken now", async () => {
    const s = await paid([["arrosoir", 1]]);
    const [before] = await items(s);
    const t0 = now() - 30;
    expect(await outcome("charge.refunded", chargeObject(s, s.totalCents), t0)).toBe("refunded");
    // The owner put something else on that tile meanwhile.
    const [other] = await db().select().from(villageItems).where(and(eq(villageItems.villageId, world.guest.villageId), isNull(villageItems.removedAt), isNull(villageItems.orderLineId)));
    await db().update(villageItems).set({ x: before!.x, y: before!.y }).where(eq(villageItems.id, other!.id));
    expect(await outcome("refund.failed", refundObject(s, refundId(), s.totalCents, "failed", t0), t0 + 5)).toBe("refund_corrected");
    const [after] = await items(s);
    expect(after!.removedAt).toBeNull();
    expect(after!.x === before!.x && after!.y === before!.y).toBe(false);
    expect(after!.x).not.toBeNull();
  });
});

describe("the NGO's donations report", () => {
  it("counts a corrected refund as given back, and still answers", async () => {
    const s = await paid([["kit-scolaire", 2]]);
    const ngoId = await demoNgoId(world.server);
    await addNgoMember(world.server, ngoId, world.guest.player.id, "viewer");
    const t0 = now() - 30;
    expect(await outcome("charge.refunded", chargeObject(s, 800), t0)).toBe("refunded");
    expect(await outcome("charge.refunded", chargeObject(s, 300), t0 + 10)).toBe("refund_corrected");
    const today = dayIn(new Date());
    const report = await world.server.api<DonationReportResponse>(`/api/ngos/${ngoId}/reports/donations?from=${addDays(today, -1)}&to=${addDays(today, 1)}&by=gift`, { token: world.guest.token });
    expect(report.status).toBe(200);
    const kits = report.body.rows.find((r) => r.gift?.id === world.giftId("kit-scolaire"));
    expect(kits).toMatchObject({ refundedCents: 300 });
  });
});

describe("the ledger check", () => {
  it("flags a village that does not follow the refund split", async () => {
    const s = await paid([["poules", 2]]);
    expect(await outcome("charge.refunded", chargeObject(s, 1500))).toBe("refunded");
    const out = (await items(s)).find((i) => i.removedAt)!;
    await db().update(villageItems).set({ removedAt: null, removalReason: null, x: null, y: null }).where(eq(villageItems.id, out.id));
    expect((await checkLedger(db())).map((p) => p.rule)).toContainEqual(expect.stringMatching(/refund split/));
    await db().update(villageItems).set({ removedAt: out.removedAt, removalReason: "refunded" }).where(eq(villageItems.id, out.id));
  });

  it("flags a correction that gives back more than refunds took", async () => {
    const s = await paid([["poules", 1]]);
    const [order] = await db().select().from(orders).where(eq(orders.id, s.orderId));
    const lines = await db().select().from(orderLines).where(eq(orderLines.orderId, s.orderId));
    await db().transaction((tx) =>
      postTransaction(tx, {
        kind: "refund_correction", sourceKey: `refund_correction:test:${randomBytes(4).toString("hex")}`, orderId: s.orderId, stripeEventId: null, currency: order!.currency,
        lines: [{ account: "asset:stripe-clearing", amountCents: 100 }, { account: projectAccount(lines[0]!.ngoId, lines[0]!.projectId), amountCents: -100 }],
      }),
    );
    const rules = (await checkLedger(db())).map((p) => p.rule);
    expect(rules).toContainEqual(expect.stringMatching(/net refunded never negative/));
    // Put the books right again for the next checks: a refund of the same amount (new entries, never an edit).
    await db().transaction((tx) =>
      postTransaction(tx, {
        kind: "refund", sourceKey: `refund:test:${randomBytes(4).toString("hex")}`, orderId: s.orderId, stripeEventId: null, currency: order!.currency,
        lines: [{ account: "asset:stripe-clearing", amountCents: -100 }, { account: projectAccount(lines[0]!.ngoId, lines[0]!.projectId), amountCents: 100 }],
      }),
    );
  });
});

describe("the same split in the ledger and in the village", () => {
  it("takes a partial refund of a two-project basket from the projects of the gifts that leave", async () => {
    const s = await paid([["chevre", 1], ["sachet-de-graines", 1], ["puits", 1]], 500); // 35 + 1 + 150 + 5 support
    const lines = await db().select().from(orderLines).where(eq(orderLines.orderId, s.orderId)).orderBy(orderLines.id);
    const split = splitTaken({ lines: lines.map((l) => ({ ...l, lineId: l.id })), supportCents: 500 }, 4000);
    expect(await outcome("charge.refunded", chargeObject(s, 4000))).toBe("refunded");
    const byProject = (await ledger(s, ["refund"])).filter((r) => r.account !== "asset:stripe-clearing");
    expect(byProject.map((r) => ({ account: r.account, cents: r.cents })).sort((a, b) => a.account.localeCompare(b.account))).toEqual(
      split.byProject.map((p) => ({ account: projectAccount(p.ngoId, p.projectId), cents: p.cents })).sort((a, b) => a.account.localeCompare(b.account)),
    );
    const out = (await items(s)).filter((i) => i.removedAt);
    const outPerLine: Record<string, number> = {};
    for (const i of out) outPerLine[i.lineId!] = (outPerLine[i.lineId!] ?? 0) + 1;
    expect(outPerLine).toEqual(split.unitsOut);
    expect(await standing(s)).toEqual(["seed-bag", "well"]); // the support (5 €) and the goat (35 €) go back
  });
});

describe("disputes", () => {
  const dp = () => `dp_${randomBytes(6).toString("hex")}`;

  it("an inquiry moves no money and takes no gift, opened or closed", async () => {
    const s = await paid([["vache", 1]]);
    const id = dp();
    expect(await outcome("charge.dispute.created", { ...disputeObject(s, id, "warning_needs_response"), is_charge_refundable: true })).toBe("inquiry_opened");
    expect(await outcome("charge.dispute.updated", disputeObject(s, id, "warning_under_review"))).toBe("inquiry_opened");
    expect(await outcome("charge.dispute.closed", disputeObject(s, id, "warning_closed"))).toBe("inquiry_closed");
    expect(await kindsOf(s)).toEqual(["donation"]);
    expect(await standing(s)).toEqual(["cow"]);
    expect((await orderRow(s)).disputeStatus).toBeNull();
  });

  it("a refundable dispute with nothing withdrawn yet moves nothing until Stripe withdraws the funds", async () => {
    const s = await paid([["ruche", 1]]);
    const id = dp();
    expect(await outcome("charge.dispute.created", { ...disputeObject(s, id, "needs_response"), is_charge_refundable: true, balance_transactions: [] })).toBe("inquiry_opened");
    expect(await kindsOf(s)).toEqual(["donation"]);
    const withdrawal = { id: `txn_${randomBytes(6).toString("hex")}`, fee: 1500, currency: "eur" };
    const withdrawn = { ...disputeObject(s, id, "needs_response"), is_charge_refundable: false, balance_transactions: [withdrawal] };
    expect(await outcome("charge.dispute.funds_withdrawn", withdrawn)).toBe("dispute_opened");
    expect(await clearing(s, ["dispute"])).toBe(-s.totalCents);
    expect(await standing(s)).toEqual(["beehive"]);
  });

  it("an inquiry that becomes a dispute (charge.dispute.updated) withdraws the money then", async () => {
    const s = await paid([["puits", 1]]);
    const id = dp();
    expect(await outcome("charge.dispute.created", disputeObject(s, id, "warning_needs_response"))).toBe("inquiry_opened");
    expect(await outcome("charge.dispute.updated", disputeObject(s, id, "needs_response"))).toBe("dispute_opened");
    expect(await outcome("charge.dispute.updated", disputeObject(s, id, "under_review"))).toBe("already_applied");
    expect(await clearing(s, ["dispute"])).toBe(-s.totalCents);
    expect((await orderRow(s)).disputeStatus).toBe("open");
  });

  it("takes no more than refunds left, and a refund on a disputed charge cannot take twice", async () => {
    const s = await paid([["chevre", 2]]); // 70 €
    expect(await outcome("charge.refunded", chargeObject(s, 3500))).toBe("refunded");
    const id = dp();
    expect(await outcome("charge.dispute.created", disputeObject(s, id, "needs_response", s.totalCents))).toBe("dispute_opened");
    expect(await clearing(s, ["dispute"])).toBe(-3500);
    expect(await outcome("charge.refunded", chargeObject(s, s.totalCents))).toBe("already_applied");
    expect((await orderRow(s)).refundedCents).toBe(3500);
    expect(await outcome("charge.dispute.closed", disputeObject(s, id, "lost", s.totalCents))).toBe("dispute_lost");
    expect(await standing(s)).toEqual([]);
    expect(await clearing(s, ["refund", "refund_correction", "dispute", "dispute_reversal"])).toBe(-s.totalCents);
  });

  it("books the refund held back by a dispute once the dispute is won", async () => {
    const s = await paid([["poules", 2]]); // 30 €
    const id = dp();
    expect(await outcome("charge.dispute.created", disputeObject(s, id, "needs_response"))).toBe("dispute_opened");
    expect(await outcome("charge.refunded", chargeObject(s, 1500))).toBe("already_applied");
    expect(await outcome("charge.dispute.closed", disputeObject(s, id, "won"))).toBe("dispute_won");
    expect((await orderRow(s)).refundedCents).toBe(1500);
    expect(await standing(s)).toEqual(["chickens"]);
  });
});
