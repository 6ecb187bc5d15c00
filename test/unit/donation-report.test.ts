import { describe, expect, it } from "vitest";
import { aggregateDonations, type DonationCredit, type ProjectMovement, type ReportOrderLine } from "../../shared/donation-report.ts";

const at = (iso: string) => new Date(iso);
// Order A: 2 × goat (35 €) + 1 × hens (15 €) on project P, 5 € support booked to P, and a 12 € tree on project Q.
const lines: ReportOrderLine[] = [
  { orderId: "A", projectId: "P", giftId: "goat", quantity: 2, lineTotalCents: 7000 },
  { orderId: "A", projectId: "P", giftId: "hens", quantity: 1, lineTotalCents: 1500 },
  { orderId: "A", projectId: "Q", giftId: "tree", quantity: 1, lineTotalCents: 1200 },
  { orderId: "B", projectId: "P", giftId: "hens", quantity: 3, lineTotalCents: 4500 },
];
const credits: DonationCredit[] = [
  { orderId: "A", projectId: "P", cents: 9000 },
  { orderId: "A", projectId: "Q", cents: 1200 },
  { orderId: "B", projectId: "P", cents: 4500 },
];
const m = (orderId: string, kind: ProjectMovement["kind"], projectId: string, amountCents: number, iso: string): ProjectMovement =>
  ({ orderId, kind, projectId, currency: "EUR", amountCents, bookedAt: at(iso) });
const movements: ProjectMovement[] = [
  m("A", "donation", "P", -9000, "2026-03-28T22:30:00Z"), // 23:30 in Paris, 28 March
  m("A", "donation", "Q", -1200, "2026-03-28T22:30:00Z"),
  m("B", "donation", "P", -4500, "2026-03-28T23:10:00Z"), // 00:10 in Paris, 29 March
  m("A", "refund", "P", 1001, "2026-03-29T08:00:00Z"),
  m("A", "refund", "Q", 133, "2026-03-29T08:00:00Z"),
  m("B", "dispute", "P", 4500, "2026-04-02T10:00:00Z"),
  m("B", "dispute_reversal", "P", -4500, "2026-04-10T10:00:00Z"),
  m("B", "dispute", "P", 1500, "2026-04-12T10:00:00Z"),
];
const input = { movements, lines, credits };
const total = { currency: "EUR", grossCents: 14700, refundedCents: 1134, disputedCents: 1500, netCents: 12066, units: 7, orders: 2 };

describe("the donations report", () => {
  it("totals every movement once: net is minus the sum of the entries", () => {
    const report = aggregateDonations(input, "project");
    expect(report.totals).toEqual([total]);
    expect(total.netCents).toBe(-movements.reduce((s, x) => s + x.amountCents, 0));
  });

  it("groups by project", () => {
    const rows = aggregateDonations(input, "project").rows;
    expect(rows).toEqual([
      { currency: "EUR", projectId: "P", grossCents: 13500, refundedCents: 1001, disputedCents: 1500, netCents: 10999, units: 6, orders: 2 },
      { currency: "EUR", projectId: "Q", grossCents: 1200, refundedCents: 133, disputedCents: 0, netCents: 1067, units: 1, orders: 1 },
    ]);
  });

  it("groups by day in Paris time", () => {
    const rows = aggregateDonations(input, "day").rows;
    expect(rows.map((r) => [r.day, r.grossCents, r.refundedCents, r.disputedCents, r.units, r.orders])).toEqual([
      ["2026-03-28", 10200, 0, 0, 4, 1],
      ["2026-03-29", 4500, 1134, 0, 3, 1],
      ["2026-04-02", 0, 0, 4500, 0, 0],
      ["2026-04-10", 0, 0, -4500, 0, 0],
      ["2026-04-12", 0, 0, 1500, 0, 0],
    ]);
    // In UTC, B (00:10 in Paris on the 29th) is still the 28th.
    expect(aggregateDonations(input, "day", "UTC").rows[0]).toMatchObject({ day: "2026-03-28", grossCents: 14700, orders: 2 });
  });

  it("splits a project's movements among its gifts and the support, to the cent", () => {
    const rows = aggregateDonations(input, "gift").rows;
    const row = (projectId: string, giftId: string | null) => rows.find((r) => r.projectId === projectId && r.giftId === giftId)!;
    // The 10.01 € refund of P's 90 € is shared 70 : 15 : 5 → 778.56 / 166.83 / 55.61 cents: 778 + 166 + 55, and the
    // two cents left go to the largest remainders (hens, support).
    expect([row("P", "goat").refundedCents, row("P", "hens").refundedCents, row("P", null).refundedCents]).toEqual([778, 167, 56]);
    expect(row("P", "goat")).toMatchObject({ grossCents: 7000, units: 2, orders: 1 });
    expect(row("P", null)).toMatchObject({ grossCents: 500, units: 0, orders: 1 });
    // B's hens carry B's disputes; A's hens and B's hens are one row.
    expect(row("P", "hens")).toMatchObject({ grossCents: 6000, disputedCents: 1500, units: 4, orders: 2 });
    expect(row("Q", "tree")).toMatchObject({ grossCents: 1200, refundedCents: 133, units: 1 });
    for (const key of ["grossCents", "refundedCents", "disputedCents", "netCents", "units"] as const) {
      expect(rows.reduce((s, r) => s + r[key], 0)).toBe(total[key]);
    }
  });

  it("leaves out a gift a tiny refund does not reach", () => {
    const tiny = aggregateDonations({ movements: [m("A", "refund", "P", 1, "2026-05-01T10:00:00Z")], lines, credits }, "gift");
    expect(tiny.rows).toEqual([{ currency: "EUR", projectId: "P", giftId: "goat", grossCents: 0, refundedCents: 1, disputedCents: 0, netCents: -1, units: 0, orders: 0 }]);
  });

  it("keeps currencies apart and reports nothing for an empty period", () => {
    expect(aggregateDonations({ movements: [], lines: [] }, "day")).toEqual({ rows: [], totals: [] });
    const two = aggregateDonations({ movements: [m("A", "donation", "Q", -1200, "2026-01-01T10:00:00Z"), { ...m("C", "donation", "Q", -300, "2026-01-01T10:00:00Z"), currency: "CHF" }], lines }, "project");
    expect(two.totals.map((t) => [t.currency, t.grossCents])).toEqual([["EUR", 1200], ["CHF", 300]]);
  });
});
