import { describe, expect, it } from "vitest";
import { addOneMonth, monthlySplit, monthlyStage, stageScale } from "../../shared/monthly-gifts.ts";

describe("monthly gifts rules", () => {
  it("grows by stages with the months given", () => {
    expect([0, 1, 2, 3, 5, 6, 11, 12, 40].map(monthlyStage)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(stageScale(1)).toBe(1);
    expect(stageScale(4)).toBeGreaterThan(stageScale(3));
  });
  it("bills on the same day next month, clamped to the month's end", () => {
    expect(new Date(addOneMonth(Date.UTC(2026, 0, 31, 10))).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(new Date(addOneMonth(Date.UTC(2026, 11, 5))).toISOString()).toBe("2027-01-05T00:00:00.000Z");
    expect(new Date(addOneMonth(Date.UTC(2028, 0, 30))).toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });
  it("splits a month into the gift's price and extra support", () => {
    expect(monthlySplit(1500, 1000)).toEqual({ giftCents: 1000, supportCents: 500 });
    expect(monthlySplit(800, 1000)).toEqual({ giftCents: 800, supportCents: 0 });
  });
});
