/** The pure fundraiser rules: status, progress from the campaign's counted lines, the checkout check, the sign, the request schemas. */
import { describe, expect, it } from "vitest";
import { type ProgressLine, countedLines } from "../../shared/campaign-progress.ts";
import {
  CreateFundraiserRequest, FUNDRAISER_GOAL_MAX_CENTS, FUNDRAISER_GOAL_MIN_CENTS, UpdateFundraiserRequest, barFill, checkoutThrough,
  fundraiserProgress, fundraiserStatus, signOf,
} from "../../shared/fundraisers.ts";

const campaign = { giftIds: ["goat", "hens"], startsAt: 1_000, endsAt: 10_000, goalCents: 100_000 };

function line(over: Partial<ProgressLine> & { orderId: string; lineId: string }): ProgressLine {
  return {
    giftId: "goat", quantity: 1, lineTotalCents: 3500, orderTotalCents: 3500, supportCents: 0, refundedCents: 0, disputeStatus: null,
    paidAt: 2_000, withdrawnUnits: 0, donorId: "bob", village: { id: "v-bob", name: "Bob", named: false }, ...over,
  };
}

describe("fundraiserStatus", () => {
  it("hidden before closed before the campaign's phase", () => {
    expect(fundraiserStatus({ closedAt: null, hiddenAt: null }, "running")).toBe("active");
    expect(fundraiserStatus({ closedAt: null, hiddenAt: null }, "ended")).toBe("ended");
    expect(fundraiserStatus({ closedAt: null, hiddenAt: null }, "upcoming")).toBe("ended");
    expect(fundraiserStatus({ closedAt: 5, hiddenAt: null }, "running")).toBe("closed");
    expect(fundraiserStatus({ closedAt: 5, hiddenAt: 6 }, "running")).toBe("hidden");
  });
});

describe("fundraiserProgress", () => {
  const lines = [
    line({ orderId: "o1", lineId: "l1" }),
    // The same order's seed bag is not the campaign's: it never counts.
    line({ orderId: "o1", lineId: "l2", giftId: "seeds", lineTotalCents: 100, orderTotalCents: 3600 }),
    line({ orderId: "o2", lineId: "l3", giftId: "hens", quantity: 2, lineTotalCents: 3000, orderTotalCents: 3000, donorId: "carol" }),
    // Not through the fundraiser: counts for the campaign only.
    line({ orderId: "o3", lineId: "l4", donorId: "dave" }),
    line({ orderId: "o4", lineId: "l5", donorId: "bob" }),
  ];
  const through = new Set(["o1", "o2", "o4"]);

  it("counts only the fundraiser's orders, only the campaign's gifts, donors once", () => {
    const counted = countedLines(lines, campaign, 5_000);
    expect(fundraiserProgress(counted, through, 10_000)).toEqual({ raisedCents: 10_000, donors: 2, units: 4, percent: 100 });
    expect(fundraiserProgress(counted, new Set(), 10_000)).toEqual({ raisedCents: 0, donors: 0, units: 0, percent: 0 });
  });

  it("a refund lowers it by the one refund split, a lost dispute takes the order out", () => {
    const refunded = lines.map((l) => (l.orderId === "o2" ? { ...l, refundedCents: 1500, withdrawnUnits: 1 } : l));
    const lost = refunded.map((l) => (l.orderId === "o4" ? { ...l, disputeStatus: "lost" as const } : l));
    expect(fundraiserProgress(countedLines(lost, campaign, 5_000), through, 10_000)).toEqual({ raisedCents: 5000, donors: 2, units: 2, percent: 50 });
  });

  it("gifts paid outside the campaign's window do not count", () => {
    const late = lines.map((l) => ({ ...l, paidAt: 11_000 }));
    expect(fundraiserProgress(countedLines(late, campaign, 20_000), through, 10_000).raisedCents).toBe(0);
  });
});

describe("checkoutThrough", () => {
  it("an active fundraiser with at least one of its campaign's gifts", () => {
    expect(checkoutThrough({ status: "active", campaignGiftIds: ["goat"] }, ["goat", "seeds"])).toEqual({ ok: true, countedGiftIds: ["goat"] });
    expect(checkoutThrough({ status: "active", campaignGiftIds: ["goat"] }, ["seeds"])).toEqual({ ok: false, code: "fundraiser_campaign_mismatch" });
    for (const status of ["closed", "hidden", "ended"] as const) {
      expect(checkoutThrough({ status, campaignGiftIds: ["goat"] }, ["goat"])).toEqual({ ok: false, code: "fundraiser_closed" });
    }
  });
});

describe("the sign", () => {
  it("shows the newest active fundraiser, none otherwise", () => {
    const a = { id: "a", status: "active" as const, createdAt: 1 };
    const b = { id: "b", status: "active" as const, createdAt: 2 };
    const c = { id: "c", status: "closed" as const, createdAt: 3 };
    expect(signOf([a, b, c])?.id).toBe("b");
    expect(signOf([c, { ...a, status: "hidden" as const }])).toBeNull();
    expect(signOf([])).toBeNull();
  });

  it("fills the bar from 0 to 1", () => {
    expect(barFill({ raisedCents: 0 }, 1000)).toBe(0);
    expect(barFill({ raisedCents: 250 }, 1000)).toBe(0.25);
    expect(barFill({ raisedCents: 5000 }, 1000)).toBe(1);
    expect(barFill({ raisedCents: 5 }, 0)).toBe(0);
  });
});

describe("request schemas", () => {
  const id = "0b7a3f0e-6d2c-4c1a-9d8e-2f1a3b4c5d6e";
  it("trims, defaults to unlisted and unnamed, bounds the goal", () => {
    expect(CreateFundraiserRequest.parse({ campaignId: id, title: "  Mes chèvres ", goalCents: FUNDRAISER_GOAL_MIN_CENTS })).toEqual({
      campaignId: id, title: "Mes chèvres", goalCents: FUNDRAISER_GOAL_MIN_CENTS, message: "", listed: false, showName: false,
    });
    for (const goalCents of [FUNDRAISER_GOAL_MIN_CENTS - 1, FUNDRAISER_GOAL_MAX_CENTS + 1, 1500.5, "1500"]) {
      expect(CreateFundraiserRequest.safeParse({ campaignId: id, title: "Titre", goalCents }).success).toBe(false);
    }
  });

  it("refuses controls and bidi overrides, keeps line breaks in the message", () => {
    expect(CreateFundraiserRequest.safeParse({ campaignId: id, title: "a\u202Eb c", goalCents: 5000 }).success).toBe(false);
    expect(CreateFundraiserRequest.safeParse({ campaignId: id, title: "a\nb c", goalCents: 5000 }).success).toBe(false);
    expect(CreateFundraiserRequest.safeParse({ campaignId: id, title: "Titre", goalCents: 5000, message: "Bonjour\nà tous" }).success).toBe(true);
    expect(CreateFundraiserRequest.safeParse({ campaignId: id, title: "Titre", goalCents: 5000, message: "x\u0000" }).success).toBe(false);
  });

  it("an update changes something; closing is one way", () => {
    expect(UpdateFundraiserRequest.safeParse({}).success).toBe(false);
    expect(UpdateFundraiserRequest.safeParse({ closed: false }).success).toBe(false);
    expect(UpdateFundraiserRequest.safeParse({ closed: true }).success).toBe(true);
    expect(UpdateFundraiserRequest.safeParse({ campaignId: id }).success).toBe(false);
  });
});
