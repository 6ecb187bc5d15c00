/**
 * The books follow the money sent to the NGOs' own Stripe accounts: payouts
 * reported by Stripe for a connected account are booked (once, in any order),
 * GET /api/ngos/:ngoId/money answers what the NGO was given, what reached its
 * account and what was paid out (to its members only), reconciliation finds a
 * transfer missing at Stripe or not made, and ledger:check proves the new
 * invariants. The ledger invariants hold after each test.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { NgoMoneyResponse } from "../../shared/ngo-money.ts";
import { loadConfig } from "../../server/config.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { reconcile } from "../../server/payments/reconciliation.ts";
import { createStripe } from "../../server/payments/stripe.ts";
import { addNgoMember } from "../support/ngo.ts";
import { useMoneyWorld } from "../support/ngo-money-world.ts";
import { send, sendConnect, stripeEvent } from "../support/stripe-events.ts";
import { TEST_CONNECT_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET } from "../support/server.ts";

const world = useMoneyWorld();
const db = () => world.db();
afterEach(async () => {
  expect(await checkLedger(db())).toEqual([]);
});

let t0: Date;
beforeAll(() => {
  t0 = new Date(Date.now() - 1000);
});

function payoutEvent(type: "payout.paid" | "payout.failed", account: string | undefined, payout: Record<string, unknown>) {
  return { ...stripeEvent("charge.refunded", {}), type, ...(account ? { account } : {}), data: { object: payout } };
}
const deliverPayout = async (...args: Parameters<typeof payoutEvent>) => (await sendConnect(world.server.url, payoutEvent(...args))).body;
const money = (ngoId: string, token?: string) => world.server.api<NgoMoneyResponse>(`/api/ngos/${ngoId}/money`, token ? { token } : {});

describe("payouts of an NGO's Stripe account", () => {
  it("are booked once on the NGO's memo accounts; a failed one is booked and returned", async () => {
    const paid = world.stripe.addPayout(world.demo.account, 4200, "paid");
    const event = payoutEvent("payout.paid", world.demo.account, paid);
    expect((await sendConnect(world.server.url, event)).body.outcome).toBe("payout_booked");
    expect((await sendConnect(world.server.url, event)).body.outcome).toBe("duplicate:payout_booked");
    const failed = world.stripe.addPayout(world.demo.account, 1300, "failed");
    expect((await deliverPayout("payout.failed", world.demo.account, failed)).outcome).toBe("payout_failed_booked");
    // Stripe may tell "paid" after "failed": it adds nothing.
    expect((await deliverPayout("payout.paid", world.demo.account, failed)).outcome).toBe("already_applied");
    expect((await deliverPayout("payout.paid", `acct_${randomBytes(6).toString("hex")}`, { ...paid, id: "po_other" })).outcome).toBe("unknown_account");
    expect((await deliverPayout("payout.paid", undefined, { ...paid, id: "po_platform" })).outcome).toBe("not_a_connected_account");
    expect((await deliverPayout("payout.paid", world.demo.account, { ...paid, id: "po_bad", amount: -5 })).outcome).toBe("invalid_payload");
  });
});

describe("GET /api/ngos/:ngoId/money", () => {
  it("answers what the NGO was given, what reached its account and what was paid out", async () => {
    const member = await world.server.guest();
    await addNgoMember(world.server, world.other.id, member.player.id, "viewer");
    const before = (await money(world.other.id, member.token)).body.currencies.find((c) => c.currency === "EUR");
    const s = await world.order([[world.giftId("chevre"), 1], [world.other.giftId, 3]]);
    await world.pay(s);
    // Most of it back: the refund split (shared/refund-split.ts) then takes from both NGOs' gifts.
    await world.refund(s, s.totalCents - 100);
    const rows = await world.rows(s);
    const reversed = rows.find((r) => r.ngoId === world.other.id && r.kind === "transfer_reversal")!.amountCents;
    const payout = world.stripe.addPayout(world.other.account, 1500, "paid");
    await deliverPayout("payout.paid", world.other.account, payout);

    const res = await money(world.other.id, member.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const eur = res.body.currencies.find((c) => c.currency === "EUR")!;
    const base = before ?? { givenCents: 0, transferredCents: 0, paidOutCents: 0 };
    expect(eur.givenCents - base.givenCents).toBe(2400 - reversed);
    expect(eur.transferredCents - base.transferredCents).toBe(2400 - reversed);
    expect(eur.owedCents).toBe(0);
    expect(eur.paidOutCents - base.paidOutCents).toBe(1500);
    expect(eur.pending).toEqual({ transfers: 0, transferCents: 0, reversals: 0, reversalCents: 0 });
    expect(res.body.stripeAccountId).toBe(world.other.account);
  });

  it("is for the NGO's members only", async () => {
    expect((await money(world.other.id)).status).toBe(401);
    const stranger = await world.server.guest();
    const res = await money(world.other.id, stranger.token);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: "not_found" } });
    const member = await world.server.guest();
    await addNgoMember(world.server, world.demo.id, member.player.id, "viewer");
    expect((await money(world.other.id, member.token)).status).toBe(404); // another NGO's money
    expect((await money("not-a-uuid%00", member.token)).status).toBe(400);
    const many = await Promise.all(Array.from({ length: 20 }, () => money(world.demo.id, member.token)));
    expect(many.map((r) => r.status)).toEqual(Array(20).fill(200));
  });
});

describe("reconciliation and ledger:check", () => {
  const stripeClient = () => createStripe(loadConfig({ NODE_ENV: "test", STRIPE_SECRET_KEY: "sk_test_hameau_standin", STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: TEST_CONNECT_WEBHOOK_SECRET, STRIPE_API_BASE: world.stripe.url }))!;
  const period = () => ({ from: t0, to: new Date(Date.now() + 2000) });

  it("agree with Stripe after payments, refunds and payouts", async () => {
    const s = await world.order([[world.giftId("ruche"), 1], [world.other.giftId, 1]], 100);
    await world.pay(s);
    await world.refund(s, 500);
    const report = await reconcile({ db: db(), stripe: stripeClient(), ...period() });
    expect(report.differences).toEqual([]);
    expect(report.connect.EUR!.stripeTransfers).toBe(report.connect.EUR!.hameauTransfers);
    expect(report.connect.EUR!.stripeTransferReversals).toBe(report.connect.EUR!.hameauTransferReversals);
    expect(report.connect.EUR!.stripePayouts).toBe(report.connect.EUR!.ledgerPayouts);
  });

  it("find a transfer missing at Stripe, and one not made", async () => {
    const lost = await world.order([[world.giftId("poules"), 1], [world.other.giftId, 1]]);
    await world.pay(lost);
    const gone = (await world.rows(lost)).find((r) => r.ngoId === world.other.id)!;
    world.stripe.transfers.delete(gone.stripeTransferId!);
    world.stripe.objects.delete(gone.stripeTransferId!);
    const stuck = await world.order([[world.giftId("chevre"), 1], [world.other.giftId, 1]]);
    world.stripe.failTransfers(1_000_000);
    try {
      await world.pay(stuck);
      const report = await reconcile({ db: db(), stripe: stripeClient(), ...period() });
      expect(report.differences.map((d) => [d.kind, d.orderId]).sort()).toEqual([
        ["transfer_missing_at_stripe", lost.orderId],
        ["transfer_not_made", stuck.orderId],
        ["transfer_not_made", stuck.orderId],
      ]);
      const strict = await checkLedger(db(), { transferGraceMs: 0 });
      expect(strict.map((p) => p.rule)).toEqual([
        "every paid order sent to the NGOs' accounts has each NGO's transfer made (past a grace period)",
        "every paid order sent to the NGOs' accounts has each NGO's transfer made (past a grace period)",
      ]);
      if (inject("dbKind") === "postgres") {
        const target = world.server.database.target;
        const run = await runReconcile(["--from", period().from.toISOString(), "--to", period().to.toISOString()], {
          DATABASE_URL: target.kind === "postgres" ? target.url : "", STRIPE_SECRET_KEY: "sk_test_hameau_standin", STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: TEST_CONNECT_WEBHOOK_SECRET, STRIPE_API_BASE: world.stripe.url,
        });
        expect(run.code).toBe(1);
        expect(run.stdout).toContain("transfer_missing_at_stripe");
        expect(run.stdout).toContain("transfer_not_made");
      }
    } finally {
      world.stripe.failTransfers(0);
    }
    // The sweeper makes the stuck transfers once Stripe answers again.
    await expect.poll(async () => (await world.rows(stuck)).every((r) => r.status === "done"), { timeout: 5000, interval: 50 }).toBe(true);
    expect(await checkLedger(db(), { transferGraceMs: 0 })).toEqual([]);
  });
});

const REPO = path.resolve(import.meta.dirname, "../..");
function runReconcile(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["server/cli/reconcile.ts", ...args], { cwd: REPO, env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", ...env } });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}
