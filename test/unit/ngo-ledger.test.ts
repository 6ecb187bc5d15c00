/** The entries of the money sent to the NGOs' own Stripe accounts: shares, transfers, payouts. */
import { describe, expect, it } from "vitest";
import { ACCOUNT_STRIPE_CLEARING, donationEntries, projectAccount } from "../../server/payments/ledger.ts";
import { ngoShares, payoutEntries, transferEntries } from "../../server/payments/ngo-ledger.ts";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const sum = (lines: Array<{ amountCents: number }>) => lines.reduce((a, l) => a + l.amountCents, 0);

describe("ngoShares", () => {
  it("gives each NGO its lines and the support booked to its project, all of the donation", () => {
    const donation = donationEntries(
      3300,
      [{ ngoId: A, projectId: "p1", lineTotalCents: 2000 }, { ngoId: A, projectId: "p2", lineTotalCents: 500 }, { ngoId: B, projectId: "q1", lineTotalCents: 500 }],
      { ngoId: A, projectId: "p1", cents: 300 },
    );
    expect(ngoShares(donation)).toEqual(new Map([[A, 2800], [B, 500]]));
  });

  it("splits a refund per NGO exactly as the ledger split it, to the cent", () => {
    // A refund's entries give back each project's share (shared/refund-split.ts decides it).
    const refund = [
      { account: projectAccount(A, "p"), amountCents: 200 }, { account: projectAccount(A, "p2"), amountCents: 22 },
      { account: projectAccount(B, "q"), amountCents: 111 }, { account: ACCOUNT_STRIPE_CLEARING, amountCents: -333 },
    ];
    const shares = ngoShares(refund);
    expect([...shares.values()].reduce((a, b) => a + b, 0)).toBe(333);
    expect(shares).toEqual(new Map([[A, 222], [B, 111]]));
  });
});

describe("transfer and payout entries", () => {
  it("balance, and a reversal or a failed payout is the exact opposite", () => {
    const transfer = transferEntries(A, 1234, "transfer");
    const reversal = transferEntries(A, 1234, "transfer_reversal");
    expect(sum(transfer)).toBe(0);
    expect(transfer.map((l) => l.amountCents)).toEqual(reversal.map((l) => -l.amountCents));
    expect(transfer).toContainEqual({ account: `liability:ngo-transferred:${A}`, amountCents: 1234 });
    expect(transfer).toContainEqual({ account: "asset:stripe-clearing", amountCents: -1234 });
    const payout = payoutEntries(A, 500, false);
    expect(sum(payout)).toBe(0);
    expect(payout.every((l) => l.account.startsWith(`ngo-account:${A}:`))).toBe(true);
    expect(payoutEntries(A, 500, true).map((l) => l.amountCents)).toEqual(payout.map((l) => -l.amountCents));
  });
});
