// @both-databases: monthly gifts through the Stripe SDK; account deletion cancels the subscriptions first.
/**
 * Monthly giving with Stripe keys, against the loopback Stripe stand-in: a
 * Checkout Session in mode subscription (card or SEPA Direct Debit, monthly
 * price, money routed to the NGO's connected account), then signed Billing
 * events — invoice paid (once; a replay is a duplicate), failed and needing
 * 3-D Secure (a mail with Stripe's hosted invoice link), subscription
 * updated and deleted — and the donor's changes through Stripe (amount,
 * cancel, Customer Portal).
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { MonthlyGiftsResponse, MonthlyGiftStartResponse } from "../../shared/monthly-gifts.ts";
import { monthlyGifts, ngoTransfers, orders } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { outboxFor, signUpAccount } from "../support/accounts.ts";
import { useMoneyWorld } from "../support/ngo-money-world.ts";
import { send, stripeEvent } from "../support/stripe-events.ts";

const world = useMoneyWorld();
type AnyType = Parameters<typeof stripeEvent>[0];
const event = (type: string, object: Record<string, unknown>) => stripeEvent(type as AnyType, object);

function invoice(sub: string, giftRowId: string, amount: number, paid: boolean) {
  return {
    id: `in_${randomBytes(8).toString("hex")}`, object: "invoice", status: paid ? "paid" : "open", amount_due: amount, amount_paid: paid ? amount : 0,
    currency: "eur", customer: "cus_monthly", hosted_invoice_url: paid ? null : `https://invoice.stripe.com/i/acct_x/test_${randomBytes(6).toString("hex")}`,
    parent: { type: "subscription_details", subscription_details: { subscription: sub, metadata: { monthlyGiftId: giftRowId } } },
    payments: { object: "list", data: [{ payment: { type: "payment_intent", payment_intent: `pi_${randomBytes(8).toString("hex")}` } }] },
    lines: { object: "list", data: [{ period: { start: Math.floor(Date.now() / 1000), end: Math.floor(Date.now() / 1000) + 31 * 86400 } }] },
  };
}

describe("monthly gifts with Stripe keys", () => {
  it("sets up, fulfils each invoice once, mails payment problems, follows Stripe, and changes and cancels through Stripe", async () => {
    const { server, stripe } = world;
    const donor = await signUpAccount(server, "Monthly");
    const res = await server.api<MonthlyGiftStartResponse>("/api/me/monthly-gifts", { token: donor.token, body: { giftId: world.other.giftId, amountCents: 1000, locale: "fr" } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.testMode).toBe(false);
    expect(res.body.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    const id = res.body.monthlyGiftId;
    const created = stripe.requests.find((r) => r.path === "/v1/checkout/sessions" && r.form["metadata[monthlyGiftId]"] === id)!;
    expect(created.form).toMatchObject({
      mode: "subscription", "allowed_payment_method_types[0]": "card", "allowed_payment_method_types[1]": "sepa_debit",
      "line_items[0][price_data][unit_amount]": "1000", "line_items[0][price_data][recurring][interval]": "month", "line_items[0][price_data][currency]": "eur",
      "subscription_data[metadata][monthlyGiftId]": id,
      "subscription_data[transfer_data][destination]": world.other.account, "subscription_data[on_behalf_of]": world.other.account,
    });
    expect(created.headers["idempotency-key"]).toBe(`hameau-monthly-${id}`);
    const [row] = await world.db().select().from(monthlyGifts).where(eq(monthlyGifts.id, id));
    expect(row).toMatchObject({ status: "incomplete", chargeMode: "destination", provider: "stripe" });

    // Stripe made the subscription; the invoice may arrive before the session's completion.
    const sub = stripe.addSubscription({ customer: "cus_monthly", amount: 1000, metadata: { monthlyGiftId: id } });
    const first = invoice(String(sub.id), id, 1000, true);
    const paidEvent = event("invoice.paid", first);
    expect((await send(server.url, paidEvent)).body.outcome).toBe("fulfilled");
    expect((await send(server.url, event("checkout.session.completed", {
      id: row!.checkoutSessionId, object: "checkout.session", mode: "subscription", status: "complete", payment_status: "paid",
      subscription: sub.id, customer: "cus_monthly", metadata: { monthlyGiftId: id },
    }))).body, "session completed").toMatchObject({ outcome: "monthly_checkout_completed" });
    expect((await send(server.url, paidEvent)).body.outcome).toBe("duplicate:fulfilled");
    const [order] = await world.db().select().from(orders).where(eq(orders.checkoutSessionId, first.id));
    expect(order).toMatchObject({ status: "paid", totalCents: 1000, supportCents: 200, chargeMode: "destination", monthlyGiftId: id });
    await world.settle();
    const owed = await world.db().select().from(ngoTransfers).where(eq(ngoTransfers.orderId, order!.id));
    expect(owed.map((t) => [t.ngoId, t.amountCents])).toEqual([[world.other.id, 1000]]);

    // A second month: fulfilled, no second item.
    expect((await send(server.url, event("invoice.paid", invoice(String(sub.id), id, 1000, true)))).body.outcome).toBe("fulfilled");
    const listed = (await server.api<MonthlyGiftsResponse>("/api/me/monthly-gifts", { token: donor.token })).body;
    expect(listed.portal).toBe(true);
    expect(listed.monthlyGifts[0]).toMatchObject({ id, status: "active", monthsGiven: 2, stage: 1, testMode: false });

    // Failed, then needing 3-D Secure: each a mail with Stripe's hosted invoice page.
    const failed = invoice(String(sub.id), id, 1000, false);
    expect((await send(server.url, event("invoice.payment_failed", failed))).body.outcome).toBe("monthly_payment_failed");
    const sca = invoice(String(sub.id), id, 1000, false);
    expect((await send(server.url, event("invoice.payment_action_required", sca))).body.outcome).toBe("monthly_action_required");
    let mails: Awaited<ReturnType<typeof outboxFor>> = [];
    for (let i = 0; i < 100 && mails.length < 2; i++) {
      mails = (await outboxFor(server.url, donor.email)).filter((m) => m.subject.includes("mensuel"));
      if (mails.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(mails.map((m) => m.text).join("\n")).toContain(failed.hosted_invoice_url!);
    expect(mails.map((m) => m.text).join("\n")).toContain(sca.hosted_invoice_url!);
    expect((await world.db().select().from(monthlyGifts).where(eq(monthlyGifts.id, id)))[0]!.status).toBe("action_required");

    // Stripe says the amount changed (the Customer Portal, say).
    expect((await send(server.url, event("customer.subscription.updated", {
      ...sub, items: { object: "list", data: [{ quantity: 1, current_period_end: 1_900_000_000, price: { unit_amount: 1500 } }] },
    }))).body.outcome).toBe("monthly_gift_updated");
    expect((await world.db().select().from(monthlyGifts).where(eq(monthlyGifts.id, id)))[0]).toMatchObject({ amountCents: 1500, status: "active" });

    // The donor changes the amount: Stripe's subscription item gets a new monthly price of the same product.
    expect((await server.api(`/api/me/monthly-gifts/${id}/amount`, { token: donor.token, body: { amountCents: 2000 } })).status).toBe(200);
    const update = stripe.requests.find((r) => r.method === "POST" && r.path === `/v1/subscriptions/${sub.id}`)!;
    expect(update.form).toMatchObject({ "items[0][price_data][unit_amount]": "2000", "items[0][price_data][recurring][interval]": "month", proration_behavior: "none" });
    const portal = await server.api<{ url: string }>("/api/me/monthly-gifts/portal", { token: donor.token, body: {} });
    expect(portal.body.url).toMatch(/^https:\/\/billing\.stripe\.com\//);
    expect(stripe.requests.find((r) => r.path === "/v1/billing_portal/sessions")?.form.customer).toBe("cus_monthly");

    // Cancelled through Stripe; Stripe's deletion event then changes nothing more.
    expect((await server.api(`/api/me/monthly-gifts/${id}/cancel`, { token: donor.token, body: {} })).status).toBe(200);
    expect(stripe.requests.some((r) => r.method === "DELETE" && r.path === `/v1/subscriptions/${sub.id}`)).toBe(true);
    expect((await send(server.url, event("customer.subscription.deleted", { ...sub, status: "canceled" }))).body.outcome).toBe("monthly_gift_cancelled");
    expect((await world.db().select().from(monthlyGifts).where(eq(monthlyGifts.id, id)))[0]!.status).toBe("cancelled");
    expect(await checkLedger(world.db())).toEqual([]);
  });

  it("an invoice naming no monthly gift fulfils nothing", async () => {
    const outcome = (await send(world.server.url, event("invoice.paid", invoice("sub_unknown", "00000000-0000-4000-8000-000000000000", 500, true)))).body.outcome;
    expect(outcome).toBe("unknown_monthly_gift");
  });

  it("deleting the account cancels its Stripe subscriptions first and expires a checkout left open", async () => {
    const { server, stripe } = world;
    const leaving = await signUpAccount(server, "Leaving");
    const start = async () => {
      const res = await server.api<MonthlyGiftStartResponse>("/api/me/monthly-gifts", { token: leaving.token, body: { giftId: world.other.giftId, locale: "en" } });
      expect(res.status).toBe(201);
      return res.body.monthlyGiftId;
    };
    const live = await start();
    const sub = stripe.addSubscription({ customer: "cus_leaving", amount: 800, metadata: { monthlyGiftId: live } });
    expect((await send(server.url, event("invoice.paid", invoice(String(sub.id), live, 800, true)))).body.outcome).toBe("fulfilled");
    // One whose subscription Stripe no longer knows (deleted there already): counts as stopped.
    const gone = await start();
    const goneSub = stripe.addSubscription({ customer: "cus_leaving", amount: 800, metadata: { monthlyGiftId: gone } });
    expect((await send(server.url, event("invoice.paid", invoice(String(goneSub.id), gone, 800, true)))).body.outcome).toBe("fulfilled");
    stripe.subscriptions.delete(String(goneSub.id));
    const left = await start();
    const [leftRow] = await world.db().select().from(monthlyGifts).where(eq(monthlyGifts.id, left));

    const deleted = await server.api("/api/me", { method: "DELETE", token: leaving.token, body: { confirm: "DELETE", password: leaving.password } });
    expect(deleted.status).toBe(204);
    expect(stripe.requests.some((r) => r.method === "DELETE" && r.path === `/v1/subscriptions/${sub.id}`)).toBe(true);
    expect(stripe.subscriptions.get(String(sub.id))?.status).toBe("canceled");
    expect(stripe.requests.some((r) => r.method === "POST" && r.path === `/v1/checkout/sessions/${leftRow!.checkoutSessionId}/expire`)).toBe(true);
    const rows = await world.db().select().from(monthlyGifts).where(eq(monthlyGifts.playerId, leaving.player.id));
    expect(rows.map((r) => r.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(await checkLedger(world.db())).toEqual([]);
  });
});
