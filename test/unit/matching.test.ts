/** The matching rule (shared/matching-rule.ts): ratios, caps, windows, several pledges, refunds. */
import { describe, expect, it } from "vitest";
import { byCreation, keptBaseCents, matchDonation, type OpenPledge, pledgeApplies, pledgeLeft, rematchDelta, rematchTarget } from "../../shared/matching-rule.ts";
import { CreatePledgeRequest, ratioLabel } from "../../shared/matching.ts";

const NOW = Date.parse("2026-12-05T12:00:00Z");
const HOUR = 3_600_000;
const pledge = (over: Partial<OpenPledge> = {}): OpenPledge => ({
  id: "p1", ratioPercent: 100, capCents: 10_000, matchedCents: 0, startsAt: NOW - HOUR, endsAt: NOW + HOUR, createdAt: NOW - 2 * HOUR, status: "active", ...over,
});

describe("matchDonation", () => {
  it("matches 1:1 and 2:1 the donor's own gift", () => {
    expect(matchDonation([pledge()], 2500, NOW)).toEqual([{ pledgeId: "p1", matchedCents: 2500, coveredCents: 2500 }]);
    expect(matchDonation([pledge({ ratioPercent: 200 })], 2500, NOW)).toEqual([{ pledgeId: "p1", matchedCents: 5000, coveredCents: 2500 }]);
  });

  it("floors to the cent at odd ratios", () => {
    expect(matchDonation([pledge({ ratioPercent: 150 })], 333, NOW)).toEqual([{ pledgeId: "p1", matchedCents: 499, coveredCents: 333 }]);
    expect(matchDonation([pledge({ ratioPercent: 1 })], 99, NOW)).toEqual([]);
  });

  it("stops at the cap, exactly", () => {
    expect(matchDonation([pledge({ capCents: 10_000, matchedCents: 9000 })], 2500, NOW)).toEqual([{ pledgeId: "p1", matchedCents: 1000, coveredCents: 1000 }]);
    expect(matchDonation([pledge({ capCents: 10_000, matchedCents: 10_000 })], 2500, NOW)).toEqual([]);
  });

  it("applies only within the window, while active", () => {
    expect(matchDonation([pledge()], 1000, NOW - 2 * HOUR)).toEqual([]);
    expect(matchDonation([pledge()], 1000, NOW + HOUR)).toEqual([]);
    expect(matchDonation([pledge()], 1000, NOW - HOUR)).toHaveLength(1);
    expect(matchDonation([pledge({ status: "ended" })], 1000, NOW)).toEqual([]);
    expect(pledgeApplies(pledge({ status: "cancelled" }), NOW)).toBe(false);
  });

  it("applies several pledges one after the other, in order of creation, each cent matched once", () => {
    const first = pledge({ id: "b", createdAt: NOW - 3 * HOUR, capCents: 1000 });
    const second = pledge({ id: "a", createdAt: NOW - 2 * HOUR, ratioPercent: 200 });
    // The first matches 1000 of the 2500 at 1:1, the second the 1500 left at 2:1.
    expect(matchDonation([second, first], 2500, NOW)).toEqual([
      { pledgeId: "b", matchedCents: 1000, coveredCents: 1000 },
      { pledgeId: "a", matchedCents: 3000, coveredCents: 1500 },
    ]);
    // At 2:1 with 5 left, the first covers 3 cents of the gift (rounded up), the rest goes on.
    const tight = pledge({ id: "t", ratioPercent: 200, capCents: 5, createdAt: NOW - 9 * HOUR });
    expect(matchDonation([tight, pledge({ id: "z" })], 10, NOW)).toEqual([
      { pledgeId: "t", matchedCents: 5, coveredCents: 3 },
      { pledgeId: "z", matchedCents: 7, coveredCents: 7 },
    ]);
    expect(byCreation([pledge({ id: "y", createdAt: 1 }), pledge({ id: "x", createdAt: 1 })]).map((p) => p.id)).toEqual(["x", "y"]);
  });

  it("never passes a cap over any sequence of gifts", () => {
    let p = pledge({ capCents: 12_345, ratioPercent: 300 });
    let total = 0;
    for (let i = 0; i < 200; i++) {
      const m = matchDonation([p], 1 + ((i * 7919) % 2000), NOW)[0]?.matchedCents ?? 0;
      total += m;
      p = { ...p, matchedCents: p.matchedCents + m };
    }
    expect(total).toBe(12_345);
  });
});

describe("unmatching and what is left", () => {
  it("unmatches in proportion to what the gift keeps, and matches again up to the cap", () => {
    expect(rematchTarget({ originalCents: 300, baseCents: 1000 }, 500)).toBe(150);
    expect(rematchTarget({ originalCents: 333, baseCents: 1000 }, 0)).toBe(0);
    expect(rematchTarget({ originalCents: 333, baseCents: 1000 }, 1000)).toBe(333);
    expect(rematchDelta(300, 150, 0)).toBe(-150);
    expect(rematchDelta(150, 300, 100)).toBe(100);
    expect(rematchDelta(150, 300, 1000)).toBe(150);
  });

  it("reads what the campaign's lines keep by the refund split; nothing after a lost dispute", () => {
    const order = { lines: [{ lineId: "a", ngoId: "", projectId: "", unitPriceCents: 2500, quantity: 1 }, { lineId: "b", ngoId: "", projectId: "", unitPriceCents: 25_000, quantity: 1 }], supportCents: 200 };
    // 1000 refunded: the support goes first (200), then the goat's line (the cheapest covering 800) gives 800.
    expect(keptBaseCents(order, ["a"], 1000, false)).toBe(1700);
    expect(keptBaseCents(order, ["a", "b"], 0, false)).toBe(27_500);
    expect(keptBaseCents(order, ["a"], 1000, true)).toBe(0);
  });

  it("has nothing left once ended or past its end", () => {
    expect(pledgeLeft(pledge({ matchedCents: 4000 }), NOW)).toBe(6000);
    expect(pledgeLeft(pledge(), NOW + HOUR)).toBe(0);
    expect(pledgeLeft(pledge({ status: "ended" }), NOW)).toBe(0);
  });
});

describe("the request", () => {
  it("names each bad field", () => {
    const bad = CreatePledgeRequest.safeParse({ sponsorName: "", ratioPercent: 501, capCents: 1.5, endsAt: "soon", extra: 1 });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join(".") || "(root)").sort();
    expect(paths).toEqual(["(root)", "capCents", "endsAt", "ratioPercent", "sponsorName"]);
    expect(CreatePledgeRequest.safeParse({ sponsorName: "Acme", ratioPercent: 100, capCents: 100, startsAt: "2026-12-02T00:00:00Z", endsAt: "2026-12-01T00:00:00Z" }).error?.issues[0]?.path).toEqual(["endsAt"]);
    expect(CreatePledgeRequest.parse({ sponsorName: " Acme ", ratioPercent: 200, capCents: 50_000 })).toEqual({ sponsorName: "Acme", ratioPercent: 200, capCents: 50_000 });
    expect(CreatePledgeRequest.safeParse({ sponsorName: "A\u202eB", ratioPercent: 100, capCents: 1 }).success).toBe(false);
  });

  it("labels ratios as people say them", () => {
    expect([100, 200, 150, 50, 333].map(ratioLabel)).toEqual(["1:1", "2:1", "1.5:1", "0.5:1", "3.33:1"]);
  });
});
