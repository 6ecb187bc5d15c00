/** The live feed's shared rules: the page language, the bar's width and the texts the markup shows. */
import { describe, expect, it } from "vitest";
import { barPercent, type CampaignLiveSnapshot, isLiveSnapshot, liveLocale, livePath, liveTexts, percentText } from "../../shared/campaign-live.ts";

const snapshot: CampaignLiveSnapshot = {
  campaignId: "11111111-2222-4333-8444-555555555555", currency: "EUR", raisedCents: 123_450, goalCents: 500_000, percent: 24, donors: 1234,
  phase: "running", startsAt: "2026-12-01T00:00:00.000Z", endsAt: "2026-12-31T00:00:00.000Z",
};

describe("the live feed's texts", () => {
  it("reads the page's language: any fr tag is French, anything else English", () => {
    expect(liveLocale("fr")).toBe("fr");
    expect(liveLocale("fr-BE")).toBe("fr");
    expect(liveLocale(" FR-fr ")).toBe("fr");
    expect(liveLocale("en-GB")).toBe("en");
    expect(liveLocale("de")).toBe("en");
    expect(liveLocale("")).toBe("en");
    expect(liveLocale(null)).toBe("en");
  });

  it("formats money, percent and donors in French and English", () => {
    expect(liveTexts(snapshot, "fr")).toEqual({ raised: "1 234,50 €", goal: "5 000 €", percent: "24 %", donors: "1 234", matched: "0 €" });
    expect(liveTexts(snapshot, "en")).toEqual({ raised: "€1,234.50", goal: "€5,000", percent: "24%", donors: "1,234", matched: "€0" });
    expect(liveTexts({ ...snapshot, matchedCents: 2500 }, "fr").matched).toBe("25 €");
    expect(percentText(140, "fr")).toBe("140 %");
  });

  it("caps the bar at 100 and never goes below 0", () => {
    expect(barPercent({ percent: 24 })).toBe(24);
    expect(barPercent({ percent: 140 })).toBe(100);
    expect(barPercent({ percent: -3 })).toBe(0);
  });

  it("accepts only a well-formed snapshot", () => {
    expect(isLiveSnapshot(snapshot)).toBe(true);
    expect(isLiveSnapshot({ ...snapshot, matchedCents: 10 })).toBe(true);
    expect(isLiveSnapshot({ ...snapshot, raisedCents: 1.5 })).toBe(false);
    expect(isLiveSnapshot({ ...snapshot, donors: -1 })).toBe(false);
    expect(isLiveSnapshot({ ...snapshot, matchedCents: "10" })).toBe(false);
    expect(isLiveSnapshot({ ...snapshot, phase: "draft" })).toBe(false);
    expect(isLiveSnapshot({ ...snapshot, currency: "USD" })).toBe(false);
    expect(isLiveSnapshot(null)).toBe(false);
    expect(isLiveSnapshot("x")).toBe(false);
  });

  it("names the feed of a campaign", () => {
    expect(livePath(snapshot.campaignId)).toBe(`/api/campaigns/${snapshot.campaignId}/live`);
  });
});
