// @both-databases: money: the transfer outbox, exactly once.
/**
 * The money goes to each NGO's own Stripe account: a one-NGO basket is a
 * destination charge; a basket for several NGOs is one charge with a transfer
 * group, then one transfer per NGO made only once the payment is confirmed,
 * through the durable outbox (retried, exactly once); refunds and lost disputes
 * reverse each NGO's share to the cent. The ledger invariants hold after each.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ledgerEntries, ledgerTransactions, orders } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { persistentDatabase } from "../support/database.ts";
import { send, stripeEvent } from "../support/stripe-events.ts";
import { startMoneyWorld, useMoneyWorld } from "../support/ngo-money-world.ts";

const world = useMoneyWorld();
const db = () => world.db();
afterEach(async () => {
  expect(await checkLedger(db())).toEqual([]);
});

const sessionRequest = (orderId: string) => world.stripe.requests.find((r) => r.path === "/v1/checkout/sessions" && r.form["metadata[orderId]"] === orderId)!;
const transferRequests = (orderId: string) => world.stripe.requests.filter((r) => r.path === "/v1/transfers" && r.method === "POST" && r.form["metadata[orderId]"] === orderId);
const ledgerOf = async (orderId: string, kind: "transfer" | "transfer_reversal") =>
  db().select({ key: ledgerTransactions.sourceKey, account: ledgerEntries.account, cents: ledgerEntries.amountCents })
    .from(ledgerEntries).innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .where(and(eq(ledgerTransactions.orderId, orderId), eq(ledgerTransactions.kind, kind)));

describe("a basket for one NGO", () => {
  it("is a destination charge to the NGO's account; its transfer is the charge's, booked once", async () => {
    const s = await world.order([[world.giftId("chevre"), 1]], 200);
    const form = sessionRequest(s.orderId).form;
    expect(form["payment_intent_data[transfer_data][destination]"]).toBe(world.demo.account);
    expect(form["payment_intent_data[on_behalf_of]"]).toBe(world.demo.account);
    expect(form["payment_intent_data[transfer_group]"]).toBeUndefined();
    expect(form["payment_intent_data[application_fee_amount]"]).toBeUndefined(); // Hameau takes no cut
    expect((await db().select().from(orders).where(eq(orders.id, s.orderId)))[0]!.chargeMode).toBe("destination");

    expect(await world.pay(s)).toBe("fulfilled");
    const charge = [...world.stripe.objects.values()].find((o) => o.object === "charge" && o.payment_intent === s.paymentIntentId)!;
    const [row] = await world.rows(s);
    expect(row).toMatchObject({ kind: "transfer", status: "done", ngoId: world.demo.id, amountCents: s.totalCents, stripeTransferId: charge.transfer, chargeMode: "destination" });
    expect(transferRequests(s.orderId)).toEqual([]); // Stripe made the transfer with the charge
    expect((await db().select().from(orders).where(eq(orders.id, s.orderId)))[0]!.chargeId).toBe(charge.id);
    const booked = await ledgerOf(s.orderId, "transfer");
    expect(booked).toEqual(expect.arrayContaining([
      { key: `transfer:${s.orderId}:${world.demo.id}`, account: `liability:ngo-transferred:${world.demo.id}`, cents: s.totalCents },
      { key: `transfer:${s.orderId}:${world.demo.id}`, account: "asset:stripe-clearing", cents: -s.totalCents },
    ]));
    expect(booked).toHaveLength(4);
  });

  it("a refund reverses the charge's transfer by the refunded amount", async () => {
    const s = await world.order([[world.giftId("poules"), 2]]);
    await world.pay(s);
    expect(await world.refund(s, 700)).toBe("refunded");
    const reversal = (await world.rows(s)).find((r) => r.kind === "transfer_reversal")!;
    const charge = [...world.stripe.objects.values()].find((o) => o.object === "charge" && o.payment_intent === s.paymentIntentId)!;
    expect(reversal).toMatchObject({ status: "done", amountCents: 700, stripeTransferId: charge.transfer, reason: "refund" });
    expect(world.stripe.transfers.get(String(charge.transfer))!.amount_reversed).toBe(700);
    const request = world.stripe.requests.find((r) => r.path === `/v1/transfers/${String(charge.transfer)}/reversals`)!;
    expect(request.form.amount).toBe("700");
    expect(request.headers["idempotency-key"]).toBe(`hameau-transfer_reversal:refund:${s.orderId}:700:${world.demo.id}`);

    // Stripe's transfer.reversed: Hameau's own reversal matches; one made elsewhere (the Dashboard) is surfaced.
    const transfer = world.stripe.transfers.get(String(charge.transfer))!;
    const reversed = (object: Record<string, unknown>) => {
      const event = { ...stripeEvent("charge.refunded", {}), type: "transfer.reversed", data: { object } };
      return send(world.server.url, event);
    };
    expect((await reversed({ ...transfer })).body.outcome).toBe("transfer_reversals_match");
    expect((await reversed({ ...transfer, amount_reversed: 900 })).body.outcome).toBe("transfer_reversed_outside_hameau");
    expect((await reversed({ ...transfer, id: "tr_unknown" })).body.outcome).toBe("unknown_transfer");
  });
});

describe("a basket for several NGOs", () => {
  it("is one charge with a transfer group; one transfer per NGO, made only after the payment", async () => {
    const s = await world.order([[world.giftId("chevre"), 1], [world.other.giftId, 2]], 500);
    const form = sessionRequest(s.orderId).form;
    expect(form["payment_intent_data[transfer_group]"]).toBe(`order_${s.orderId}`);
    expect(form["payment_intent_data[transfer_data][destination]"]).toBeUndefined();
    expect(form["payment_intent_data[on_behalf_of]"]).toBeUndefined();
    await world.settle();
    expect(await world.rows(s)).toEqual([]);
    expect(transferRequests(s.orderId)).toEqual([]);

    expect(await world.pay(s)).toBe("fulfilled");
    const charge = [...world.stripe.objects.values()].find((o) => o.object === "charge" && o.payment_intent === s.paymentIntentId)!;
    const sent = transferRequests(s.orderId);
    // The goat (chevre) is the largest line: the 5 € support goes to its project, the demo NGO's.
    const demoShare = s.totalCents - 1600;
    const byNgo = new Map(sent.map((r) => [r.form.destination, r.form]));
    expect(byNgo.size).toBe(2);
    for (const [destination, amount] of [[world.demo.account, demoShare], [world.other.account, 1600]] as const) {
      expect(byNgo.get(destination)).toMatchObject({ amount: String(amount), currency: "eur", transfer_group: `order_${s.orderId}`, source_transaction: charge.id });
    }
    for (const r of sent) expect(r.headers["idempotency-key"]).toBe(`hameau-transfer:${s.orderId}:${r.form["metadata[ngoId]"]}`);
    const rows = await world.rows(s);
    expect(rows.every((r) => r.status === "done" && r.stripeTransferId?.startsWith("tr_"))).toBe(true);
    expect(rows.reduce((a, r) => a + r.amountCents, 0)).toBe(s.totalCents); // 100 % of the gift goes to the NGOs
  });

  it("a partial refund reverses each NGO's share to the cent, split as the ledger split it", async () => {
    const s = await world.order([[world.giftId("poules"), 1], [world.other.giftId, 1]]);
    await world.pay(s);
    // Most of it back, so the refund split (shared/refund-split.ts) takes from both NGOs' gifts.
    const refunded = s.totalCents - 1;
    expect(await world.refund(s, refunded)).toBe("refunded");
    const rows = (await world.rows(s)).filter((r) => r.kind === "transfer_reversal");
    const refundEntries = await db().select({ account: ledgerEntries.account, cents: ledgerEntries.amountCents })
      .from(ledgerEntries).innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
      .where(and(eq(ledgerTransactions.orderId, s.orderId), eq(ledgerTransactions.kind, "refund")));
    const ledgerShare = (ngoId: string) => refundEntries.filter((e) => e.account.startsWith(`liability:ngo:${ngoId}:`)).reduce((a, e) => a + e.cents, 0);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.status).toBe("done");
      expect(r.amountCents).toBe(ledgerShare(r.ngoId));
      expect(world.stripe.transfers.get(r.stripeTransferId!)!.amount_reversed).toBe(r.amountCents);
    }
    expect(ledgerShare(world.demo.id) + ledgerShare(world.other.id)).toBe(refunded);
    expect(rows.reduce((a, r) => a + r.amountCents, 0)).toBe(refunded);
    const booked = await ledgerOf(s.orderId, "transfer_reversal");
    expect(booked.filter((e) => e.account === "asset:stripe-clearing").reduce((a, e) => a + e.cents, 0)).toBe(refunded);
    // A replayed refund event reverses nothing more.
    expect(await world.refund(s, refunded)).toBe("already_applied");
    expect((await world.rows(s)).filter((r) => r.kind === "transfer_reversal")).toHaveLength(2);
  });

  it("a lost dispute recovers the disputed amount from each NGO", async () => {
    const s = await world.order([[world.giftId("chevre"), 1], [world.other.giftId, 1]]);
    await world.pay(s);
    expect(await world.loseDispute(s, s.totalCents)).toBe("dispute_lost");
    const rows = await world.rows(s);
    for (const ngo of [world.demo.id, world.other.id]) {
      const sent = rows.find((r) => r.ngoId === ngo && r.kind === "transfer")!;
      const back = rows.find((r) => r.ngoId === ngo && r.kind === "transfer_reversal")!;
      expect(back).toMatchObject({ status: "done", reason: "dispute", amountCents: sent.amountCents });
    }
  });
});

describe("the outbox", () => {
  it("retries a transfer whose answer was lost, and makes it exactly once", async () => {
    const s = await world.order([[world.giftId("ruche"), 1], [world.other.giftId, 1]]);
    world.stripe.failTransfers(1, { afterCreate: true });
    await world.pay(s);
    await vi.waitFor(async () => expect((await world.rows(s)).every((r) => r.status === "done")).toBe(true), { timeout: 5000, interval: 50 });
    const rows = await world.rows(s);
    expect(Math.max(...rows.map((r) => r.attempts))).toBe(2);
    const atStripe = [...world.stripe.transfers.values()].filter((t) => t.transfer_group === `order_${s.orderId}`);
    expect(atStripe).toHaveLength(2);
    expect(new Set(rows.map((r) => r.stripeTransferId))).toEqual(new Set(atStripe.map((t) => t.id)));
    expect((await ledgerOf(s.orderId, "transfer")).length).toBe(8);
  });
});

describe("a crash between the payment's commit and its transfers", () => {
  it("leaves them in the outbox; the next start makes them, once", async () => {
    const crashed = await startMoneyWorld({ database: await persistentDatabase() });
    try {
      const s = await crashed.order([[crashed.giftId("chevre"), 1], [crashed.other.giftId, 1]]);
      crashed.stripe.failTransfers(1000);
      expect(await crashed.pay(s)).toBe("fulfilled");
      expect((await crashed.rows(s)).map((r) => r.status)).toEqual(["pending", "pending"]);
      expect(crashed.stripe.transfers.size).toBe(0);
      crashed.stripe.failTransfers(0);
      await crashed.restart();
      await vi.waitFor(async () => expect((await crashed.rows(s)).every((r) => r.status === "done")).toBe(true), { timeout: 5000, interval: 50 });
      expect([...crashed.stripe.transfers.values()].filter((t) => t.transfer_group === `order_${s.orderId}`)).toHaveLength(2);
      expect(await checkLedger(crashed.db())).toEqual([]);
    } finally {
      await crashed.server.stop();
      await crashed.stripe.close();
    }
  });
});
