import { describe, expect, it } from "vitest";
import { donationStatus } from "../../shared/my-donations.ts";
import { annualReceiptRefusal, receivedFrom, TaxEligibilityRequest } from "../../shared/tax-eligibility.ts";

const DAY = 24 * 60 * 60 * 1000;
const now = new Date(Date.UTC(2027, 0, 10, 12));
const base = { eligibility: { status: "interet_general" as const }, windowDays: 30, year: 2026, currentYear: 2027, now };

describe("annual tax receipt rule", () => {
  it("refuses for an NGO with no declared status, before anything else", () => {
    expect(annualReceiptRefusal({ ...base, eligibility: { status: "none" }, year: 2027, donations: [] })?.code).toBe("ngo_not_eligible");
  });

  it("waits for the year to end, for open disputes, and for every donation's refund window", () => {
    expect(annualReceiptRefusal({ ...base, year: 2027, donations: [] })?.code).toBe("receipt_year_open");
    expect(annualReceiptRefusal({ ...base, donations: [{ paidAt: new Date(now.getTime() - 100 * DAY), disputeOpen: true }] })?.code).toBe("receipt_dispute_open");
    const late = new Date(now.getTime() - 20 * DAY);
    const refusal = annualReceiptRefusal({ ...base, donations: [{ paidAt: new Date(now.getTime() - 200 * DAY), disputeOpen: false }, { paidAt: late, disputeOpen: false }] });
    expect(refusal?.code).toBe("receipt_window_open");
    expect(refusal?.availableFrom).toEqual(receivedFrom(late, 30));
    expect(annualReceiptRefusal({ ...base, donations: [{ paidAt: new Date(now.getTime() - 30 * DAY), disputeOpen: false }] })).toBeNull();
    expect(annualReceiptRefusal({ ...base, windowDays: 0, donations: [{ paidAt: now, disputeOpen: false }] })).toBeNull();
  });

  it("takes a declaration with its evidence, or none at all", () => {
    expect(TaxEligibilityRequest.safeParse({ status: "none" }).success).toBe(true);
    expect(TaxEligibilityRequest.safeParse({ status: "none", reference: "x" }).success).toBe(false);
    expect(TaxEligibilityRequest.safeParse({ status: "interet_general", reference: "Rescrit 2024-12", date: "2024-02-30" }).success).toBe(false);
    expect(TaxEligibilityRequest.safeParse({ status: "interet_general", reference: "Rescrit\u0000", date: "2024-02-03" }).success).toBe(false);
    expect(TaxEligibilityRequest.safeParse({ status: "interet_general", reference: "Rescrit 2024-12", date: "2024-02-03", documentUrl: "http://x.org/a" }).success).toBe(false);
    expect(TaxEligibilityRequest.safeParse({ status: "interet_general", reference: "Rescrit 2024-12", date: "2024-02-03", documentUrl: "https://x.org/a\u0000b" }).success).toBe(false);
    const ok = TaxEligibilityRequest.parse({ status: "utilite_publique", reference: " Décret du 2 mars 1990 ", date: "1990-03-02", documentUrl: "" });
    expect(ok).toEqual({ status: "utilite_publique", reference: "Décret du 2 mars 1990", date: "1990-03-02", documentUrl: null });
  });
});

describe("a donation's status for its donor", () => {
  const paid = { status: "paid" as const, totalCents: 5000, refundedCents: 0, disputeStatus: null };
  it("says paid, refunded in part or in full, disputed, won or lost", () => {
    expect(donationStatus(paid)).toBe("paid");
    expect(donationStatus({ ...paid, refundedCents: 1000 })).toBe("refunded_partially");
    expect(donationStatus({ ...paid, refundedCents: 5000 })).toBe("refunded");
    expect(donationStatus({ ...paid, disputeStatus: "open" })).toBe("disputed");
    expect(donationStatus({ ...paid, disputeStatus: "lost" })).toBe("dispute_lost");
    expect(donationStatus({ ...paid, disputeStatus: "won" })).toBe("dispute_won");
    expect(donationStatus({ ...paid, status: "expired" })).toBe("expired");
  });
});
