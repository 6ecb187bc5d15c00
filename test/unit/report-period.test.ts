import { describe, expect, it } from "vitest";
import { addDays, dayIn, daysInPeriod, DonationReportQuery, isCalendarDay, periodBounds, startOfDayIn, TaxReceiptReportQuery } from "../../shared/reports.ts";

const fieldErrors = (query: unknown) => {
  const r = DonationReportQuery.safeParse(query);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("calendar days in Paris", () => {
  it("knows real days", () => {
    expect(isCalendarDay("2024-02-29")).toBe(true);
    expect(isCalendarDay("2025-02-29")).toBe(false);
    expect(isCalendarDay("2025-13-01")).toBe(false);
    expect(isCalendarDay("2025-1-01")).toBe(false);
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(daysInPeriod("2025-01-01", "2025-01-01")).toBe(1);
    expect(daysInPeriod("2024-01-01", "2025-12-31")).toBe(731);
  });

  it("puts an instant on its Paris day, in winter and in summer time", () => {
    expect(dayIn(new Date("2026-01-15T22:59:59Z"))).toBe("2026-01-15");
    expect(dayIn(new Date("2026-01-15T23:00:00Z"))).toBe("2026-01-16"); // CET, UTC+1
    expect(dayIn(new Date("2026-07-14T21:59:59Z"))).toBe("2026-07-14");
    expect(dayIn(new Date("2026-07-14T22:00:00Z"))).toBe("2026-07-15"); // CEST, UTC+2
    expect(dayIn(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(dayIn(new Date("2026-01-15T23:00:00Z"), "UTC")).toBe("2026-01-15");
  });

  it("finds midnight in Paris across the summer-time changes", () => {
    expect(startOfDayIn("2026-01-16").toISOString()).toBe("2026-01-15T23:00:00.000Z");
    expect(startOfDayIn("2026-03-29").toISOString()).toBe("2026-03-28T23:00:00.000Z"); // clocks go forward at 02:00 that day
    expect(startOfDayIn("2026-03-30").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfDayIn("2026-10-25").toISOString()).toBe("2026-10-24T22:00:00.000Z"); // clocks go back at 03:00 that day
    expect(startOfDayIn("2026-10-26").toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  it("covers a period from its first midnight to the midnight after its last day", () => {
    const { start, end } = periodBounds("2026-03-29", "2026-03-29");
    expect(start.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(end.toISOString()).toBe("2026-03-29T22:00:00.000Z"); // a 23-hour day
    const year = periodBounds("2026-01-01", "2026-12-31");
    expect([year.start.toISOString(), year.end.toISOString()]).toEqual(["2025-12-31T23:00:00.000Z", "2026-12-31T23:00:00.000Z"]);
  });
});

describe("report queries", () => {
  it("takes a period and a grouping, with defaults", () => {
    expect(DonationReportQuery.parse({ from: "2026-01-01", to: "2026-01-31" })).toEqual({ from: "2026-01-01", to: "2026-01-31", by: "project", format: "excel-fr", lang: "fr" });
    expect(DonationReportQuery.parse({ from: "2026-01-01", to: "2026-01-01", by: "day", format: "rfc4180", lang: "en" }).by).toBe("day");
  });

  it("names every bad field", () => {
    expect(fieldErrors({})).toEqual({ from: "from is required, as YYYY-MM-DD", to: "to is required, as YYYY-MM-DD" });
    expect(fieldErrors({ from: "2026-02-30", to: "01/03/2026", by: "week", format: "xlsx", lang: "de" })).toEqual({
      from: "from must be a calendar day written YYYY-MM-DD", to: "to must be a calendar day written YYYY-MM-DD",
      by: "by must be project, gift or day", format: "format must be excel-fr or rfc4180", lang: "lang must be fr or en",
    });
    expect(fieldErrors({ from: "2026-02-01", to: "2026-01-31" })).toEqual({ to: "to must be the same day as from or later" });
    expect(fieldErrors({ from: "2024-01-01", to: "2026-01-01" })).toEqual({ to: "a report covers at most 731 days (two years)" });
    expect(fieldErrors({ from: "2024-01-01", to: "2025-12-31" })).toEqual({});
    expect(fieldErrors({ from: ["2026-01-01", "2026-01-02"], to: "2026-01-03" })).toEqual({ from: "from is required, as YYYY-MM-DD" });
  });

  it("takes a year for the tax receipts", () => {
    expect(TaxReceiptReportQuery.parse({ year: "2025" })).toEqual({ year: 2025, format: "excel-fr", lang: "fr" });
    const bad = TaxReceiptReportQuery.safeParse({ year: "25" });
    expect(bad.success ? null : bad.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["year", "year must be a year such as 2025"]]);
    expect(TaxReceiptReportQuery.safeParse({ year: "1999" }).success).toBe(false);
    expect(TaxReceiptReportQuery.safeParse({}).success).toBe(false);
  });
});
