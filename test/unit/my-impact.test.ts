import { describe, expect, it } from "vitest";
import { digestDue, digestMonth, monthRange, parisMidnight, projectStage } from "../../shared/my-impact.ts";

describe("a project's stage on the fund trail", () => {
  it("is the furthest stage any unit reached, with the progress of all units", () => {
    expect(projectStage({ funded: 2, sentToField: 0, inUse: 0 })).toEqual({ stage: "funded", progress: 0 });
    expect(projectStage({ funded: 1, sentToField: 1, inUse: 0 })).toEqual({ stage: "sent_to_field", progress: 25 });
    expect(projectStage({ funded: 0, sentToField: 1, inUse: 1 })).toEqual({ stage: "in_use", progress: 75 });
    expect(projectStage({ funded: 0, sentToField: 0, inUse: 3 })).toEqual({ stage: "in_use", progress: 100 });
    expect(projectStage({ funded: 0, sentToField: 0, inUse: 0 })).toEqual({ stage: "funded", progress: 0 });
  });
});

describe("the monthly digest's month", () => {
  it("is the last whole month in Paris, across years and at midnight", () => {
    expect(digestMonth(Date.parse("2026-12-05T10:00:00Z"))).toBe("2026-11");
    expect(digestMonth(Date.parse("2027-01-01T00:30:00+01:00"))).toBe("2026-12");
    // 31 Dec 23:30 UTC is already 1 January in Paris.
    expect(digestMonth(Date.parse("2026-12-31T23:30:00Z"))).toBe("2026-12");
    expect(digestMonth(Date.parse("2026-12-31T22:30:00Z"))).toBe("2026-11");
  });

  it("covers the month's instants in Paris time, summer time included", () => {
    expect(new Date(parisMidnight("2026-01-01")).toISOString()).toBe("2025-12-31T23:00:00.000Z");
    expect(new Date(parisMidnight("2026-07-01")).toISOString()).toBe("2026-06-30T22:00:00.000Z");
    const march = monthRange("2026-03");
    expect(new Date(march.from).toISOString()).toBe("2026-02-28T23:00:00.000Z");
    expect(new Date(march.to).toISOString()).toBe("2026-03-31T22:00:00.000Z");
    const december = monthRange("2026-12");
    expect(new Date(december.to).toISOString()).toBe("2026-12-31T23:00:00.000Z");
  });

  it("is due only for an opted-in account not yet served that month", () => {
    expect(digestDue({ optedIn: true, hasAccount: true, alreadyDone: false })).toBe(true);
    expect(digestDue({ optedIn: false, hasAccount: true, alreadyDone: false })).toBe(false);
    expect(digestDue({ optedIn: true, hasAccount: false, alreadyDone: false })).toBe(false);
    expect(digestDue({ optedIn: true, hasAccount: true, alreadyDone: true })).toBe(false);
  });
});
