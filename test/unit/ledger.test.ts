import { describe, expect, it } from "vitest";
import { ACCOUNT_STRIPE_CLEARING, donationEntries, projectAccount } from "../../server/payments/ledger.ts";

describe("donation ledger entries", () => {
  it("balances a basket spread over two projects", () => {
    const entries = donationEntries(5100, [
      { ngoId: "n", projectId: "p1", lineTotalCents: 300 },
      { ngoId: "n", projectId: "p2", lineTotalCents: 3500 },
      { ngoId: "n", projectId: "p1", lineTotalCents: 1300 },
    ]);
    expect(entries).toEqual([
      { account: ACCOUNT_STRIPE_CLEARING, amountCents: 5100 },
      { account: projectAccount("n", "p1"), amountCents: -1600 },
      { account: projectAccount("n", "p2"), amountCents: -3500 },
    ]);
    expect(entries.reduce((s, e) => s + e.amountCents, 0)).toBe(0);
  });
});
