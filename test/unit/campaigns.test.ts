/** The campaign progress and leaderboard rules, and the request schemas' field errors. */
import { describe, expect, it } from "vitest";
import { type CampaignWindow, type ProgressLine, campaignLeaderboard, campaignPhase, campaignProgress, countedLines, isListed } from "../../shared/campaign-progress.ts";
import { CreateCampaignRequest, UpdateCampaignRequest } from "../../shared/campaigns.ts";

const T0 = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;
const GOAT = "g-goat";
const HENS = "g-hens";
const COW = "g-cow";
const campaign: CampaignWindow = { giftIds: [GOAT, HENS], startsAt: T0, endsAt: T0 + 10 * DAY, goalCents: 10_000 };

let n = 0;
function line(over: Partial<ProgressLine> & { giftId: string; lineTotalCents: number }): ProgressLine {
  n += 1;
  return {
    lineId: `l${String(n).padStart(3, "0")}`, orderId: `o${n}`, quantity: 1, orderTotalCents: over.lineTotalCents, supportCents: 0, refundedCents: 0,
    disputeStatus: null, paidAt: T0 + DAY, withdrawnUnits: 0, donorId: `p${n}`, village: { id: `v${n}`, name: `Village ${n}`, named: false }, ...over,
  };
}
const now = T0 + 5 * DAY;

describe("campaignProgress", () => {
  it("adds up the campaign's gifts in paid orders within the window, with units, donors and percent", () => {
    const lines = [
      line({ giftId: GOAT, lineTotalCents: 3500, donorId: "alice" }),
      line({ giftId: HENS, lineTotalCents: 3000, quantity: 2, donorId: "alice" }),
      line({ giftId: COW, lineTotalCents: 25_000, donorId: "bob" }), // not in the campaign
      line({ giftId: GOAT, lineTotalCents: 3500, donorId: "carol", paidAt: T0 - 1 }), // before it started
      line({ giftId: GOAT, lineTotalCents: 3500, donorId: "dan", paidAt: T0 + 11 * DAY }), // after it ended
    ];
    expect(campaignProgress(lines, campaign, T0 + 20 * DAY)).toEqual({ raisedCents: 6500, units: 3, donors: 1, percent: 65 });
  });

  it("counts both ends of the window, and nothing paid after now", () => {
    const lines = [line({ giftId: GOAT, lineTotalCents: 100, paidAt: T0 }), line({ giftId: GOAT, lineTotalCents: 200, paidAt: T0 + 10 * DAY })];
    expect(campaignProgress(lines, campaign, T0 + 11 * DAY).raisedCents).toBe(300);
    expect(campaignProgress(lines, campaign, T0 + DAY).raisedCents).toBe(100);
  });

  it("takes a refund off the extra support first, then off the lines whose gifts leave (the ledger's and the village's split)", () => {
    // One order: a goat (in the campaign) 3500, a cow (not) 25000, support 500; 1500 refunded.
    const order = { orderId: "o-mixed", orderTotalCents: 29_000, supportCents: 500, refundedCents: 1500, donorId: "eve" };
    const lines = [line({ ...order, lineId: "a", giftId: GOAT, lineTotalCents: 3500 }), line({ ...order, lineId: "b", giftId: COW, lineTotalCents: 25_000 })];
    // 1000 comes off the gifts: the goat, the cheapest gift covering it, leaves and its line gives the 1000 back.
    const counted = countedLines(lines, campaign, now);
    expect(counted.map((c) => c.cents)).toEqual([2500]);
    expect(campaignProgress(lines, campaign, now)).toEqual({ raisedCents: 2500, units: 1, donors: 1, percent: 25 });
  });

  it("a refund of the support alone changes nothing", () => {
    const lines = [line({ giftId: GOAT, lineTotalCents: 3500, orderTotalCents: 4000, supportCents: 500, refundedCents: 500 })];
    expect(campaignProgress(lines, campaign, now).raisedCents).toBe(3500);
  });

  it("a full refund or a lost dispute counts nothing, units or donors; an open or won dispute still counts", () => {
    const refunded = line({ giftId: GOAT, lineTotalCents: 3500, refundedCents: 3500, withdrawnUnits: 1 });
    const lost = line({ giftId: GOAT, lineTotalCents: 3500, disputeStatus: "lost" });
    const open = line({ giftId: HENS, lineTotalCents: 1500, disputeStatus: "open" });
    const won = line({ giftId: HENS, lineTotalCents: 1500, disputeStatus: "won" });
    expect(campaignProgress([refunded, lost], campaign, now)).toEqual({ raisedCents: 0, units: 0, donors: 0, percent: 0 });
    expect(campaignProgress([open, won], campaign, now)).toEqual({ raisedCents: 3000, units: 2, donors: 2, percent: 30 });
  });

  it("units taken back from the village do not count, the money kept does", () => {
    // Two goats, 4000 refunded: one goat left the village; 3000 of the gifts' money is kept.
    const l = line({ giftId: GOAT, lineTotalCents: 7000, quantity: 2, refundedCents: 4000, withdrawnUnits: 1 });
    expect(campaignProgress([l], campaign, now)).toEqual({ raisedCents: 3000, units: 1, donors: 1, percent: 30 });
  });

  it("stays in integers and may pass 100 %", () => {
    const lines = [line({ giftId: GOAT, lineTotalCents: 3333 }), line({ giftId: GOAT, lineTotalCents: 9000 })];
    const p = campaignProgress(lines, campaign, now);
    expect(p).toEqual({ raisedCents: 12_333, units: 2, donors: 2, percent: 123 });
    expect(Number.isInteger(p.raisedCents)).toBe(true);
  });

  it("shares of one order always add up to what the order kept", () => {
    const order = { orderId: "o-three", orderTotalCents: 1000, supportCents: 0, refundedCents: 1, donorId: "z" };
    const all: CampaignWindow = { ...campaign, giftIds: [GOAT, HENS, COW] };
    const lines = [GOAT, HENS, COW].map((giftId, i) => line({ ...order, lineId: `x${i}`, giftId, lineTotalCents: i === 0 ? 334 : 333 }));
    const cents = countedLines(lines, all, now).map((c) => c.cents);
    expect(cents.reduce((a, b) => a + b, 0)).toBe(999);
    expect(cents.every(Number.isInteger)).toBe(true);
  });
});

describe("campaignLeaderboard", () => {
  it("ranks villages by units, names only those who opted in, counts the others anonymously, no amounts", () => {
    const lines = [
      line({ giftId: GOAT, lineTotalCents: 3500, quantity: 1, village: { id: "va", name: "Alice", named: true } }),
      line({ giftId: HENS, lineTotalCents: 4500, quantity: 3, village: { id: "vb", name: "Bruno", named: false } }),
      line({ giftId: GOAT, lineTotalCents: 7000, quantity: 2, village: { id: "vc", name: "Chloé", named: true } }),
      line({ giftId: GOAT, lineTotalCents: 3500, quantity: 1, village: { id: "va", name: "Alice", named: true } }),
      line({ giftId: GOAT, lineTotalCents: 3500, quantity: 1, village: { id: "vd", name: "Dora", named: false } }),
      line({ giftId: GOAT, lineTotalCents: 3500, quantity: 1, refundedCents: 3500, withdrawnUnits: 1, village: { id: "ve", name: "Eli", named: true } }),
    ];
    const board = campaignLeaderboard(countedLines(lines, campaign, now));
    expect(board).toEqual({
      entries: [{ rank: 2, name: "Alice", units: 2 }, { rank: 3, name: "Chloé", units: 2 }],
      others: { villages: 2, units: 4 },
    });
    expect(JSON.stringify(board)).not.toMatch(/cents|Bruno|Dora|Eli/i);
  });

  it("names at most `limit` villages; the rest join the others", () => {
    const lines = ["a", "b", "c"].map((id, i) => line({ giftId: GOAT, lineTotalCents: 3500 * (3 - i), quantity: 3 - i, village: { id, name: id, named: true } }));
    expect(campaignLeaderboard(countedLines(lines, campaign, now), 2)).toEqual({
      entries: [{ rank: 1, name: "a", units: 3 }, { rank: 2, name: "b", units: 2 }], others: { villages: 1, units: 1 },
    });
  });
});

describe("phases and listing", () => {
  it("upcoming, running, ended; listed while running and for a while after", () => {
    expect(campaignPhase(campaign, T0 - 1)).toBe("upcoming");
    expect(campaignPhase(campaign, T0)).toBe("running");
    expect(campaignPhase(campaign, T0 + 10 * DAY)).toBe("ended");
    expect(isListed(campaign, T0 - 1, DAY)).toBe(false);
    expect(isListed(campaign, T0 + 10 * DAY + DAY - 1, DAY)).toBe(true);
    expect(isListed(campaign, T0 + 11 * DAY, DAY)).toBe(false);
  });
});

describe("request schemas", () => {
  const valid = {
    titleFr: "Urgence sécheresse", titleEn: "Drought emergency", goalCents: 100_000,
    startsAt: "2026-12-01T00:00:00Z", endsAt: "2026-12-31T00:00:00Z", giftIds: ["0e4b2c7e-1f4e-4a57-9a53-2d0f5a1b7c11"],
  };
  const fieldsOf = (body: unknown) => {
    const r = CreateCampaignRequest.safeParse(body);
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("accepts a valid draft with defaults", () => {
    const r = CreateCampaignRequest.parse(valid);
    expect(r).toMatchObject({ descriptionFr: "", descriptionEn: "", emergency: false });
    expect(r.startsAt).toBeInstanceOf(Date);
  });

  it("names each bad field", () => {
    expect(fieldsOf({ ...valid, titleFr: " " })).toEqual({ titleFr: "the French title is missing" });
    expect(fieldsOf({ ...valid, goalCents: 10.5 })).toEqual({ goalCents: "goalCents must be a whole number of cents" });
    expect(fieldsOf({ ...valid, goalCents: 0 })).toEqual({ goalCents: "goalCents must be more than 0" });
    expect(fieldsOf({ ...valid, endsAt: valid.startsAt })).toEqual({ endsAt: "endsAt must be after startsAt" });
    expect(Object.keys(fieldsOf({ ...valid, startsAt: "tomorrow" }))).toEqual(["startsAt"]);
    expect(fieldsOf({ ...valid, giftIds: [] })).toEqual({ giftIds: "a campaign needs at least one gift" });
    expect(fieldsOf({ ...valid, giftIds: ["nope"] })).toEqual({ "giftIds.0": "each gift must be a gift id" });
    expect(fieldsOf({ ...valid, emergency: "yes" })).toEqual({ emergency: "emergency must be true or false" });
  });

  it("a correction may hold any subset, and checks the period when both ends are given", () => {
    expect(UpdateCampaignRequest.safeParse({ goalCents: 5000 }).success).toBe(true);
    expect(UpdateCampaignRequest.safeParse({ startsAt: valid.endsAt, endsAt: valid.startsAt }).success).toBe(false);
    expect(UpdateCampaignRequest.safeParse({ owner: "me" }).success).toBe(false);
  });
});
