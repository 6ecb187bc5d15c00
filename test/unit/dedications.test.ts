import { describe, expect, it } from "vitest";
import { checkDeliveryDate, cleanMessage, dedicationDue, DedicationInput, latestDeliveryDate } from "../../shared/dedications.ts";

// 2026-03-10 23:30 UTC is already 2026-03-11 in Paris.
const NOW = Date.parse("2026-03-10T23:30:00Z");
const paid = { status: "paid" as const, totalCents: 3500, refundedCents: 0, disputeStatus: null };

describe("a dedication's delivery date", () => {
  it("is today in Paris up to a year ahead", () => {
    expect(checkDeliveryDate("2026-03-11", NOW)).toBeNull();
    expect(checkDeliveryDate("2026-03-10", NOW)?.code).toBe("dedication_date_invalid");
    expect(latestDeliveryDate(NOW)).toBe("2027-03-12");
    expect(checkDeliveryDate("2027-03-12", NOW)).toBeNull();
    expect(checkDeliveryDate("2027-03-13", NOW)?.code).toBe("dedication_date_invalid");
    expect(checkDeliveryDate("2026-02-30", NOW)?.code).toBe("dedication_date_invalid");
  });
});

describe("what to do with a scheduled dedication", () => {
  it("waits for its date and for the payment, then delivers", () => {
    expect(dedicationDue("2026-03-12", paid, NOW)).toBe("wait");
    expect(dedicationDue("2026-03-11", { ...paid, status: "pending" }, NOW)).toBe("wait");
    expect(dedicationDue("2026-03-11", paid, NOW)).toBe("deliver");
    expect(dedicationDue("2026-03-01", paid, NOW)).toBe("deliver");
  });

  it("is cancelled by an unpaid end, a refund (even partial) or a lost dispute, even before its date", () => {
    expect(dedicationDue("2026-04-01", { ...paid, status: "expired" }, NOW)).toBe("cancel");
    expect(dedicationDue("2026-04-01", { ...paid, status: "failed" }, NOW)).toBe("cancel");
    expect(dedicationDue("2026-03-11", { ...paid, refundedCents: 100 }, NOW)).toBe("cancel");
    expect(dedicationDue("2026-03-11", { ...paid, disputeStatus: "lost" }, NOW)).toBe("cancel");
    expect(dedicationDue("2026-03-11", { ...paid, disputeStatus: "open" }, NOW)).toBe("deliver");
  });
});

describe("the dedication's text", () => {
  it("keeps the message's lines, trims it and refuses control and direction characters", () => {
    expect(cleanMessage("  Hi\r\n\r\n\r\n\r\n\r\nyou  \t")).toBe("Hi\n\n\nyou");
    const base = { honoreeName: " Rose ", deliverOn: "2026-03-11", to: { kind: "email", email: " Rose@Example.org " } };
    expect(DedicationInput.parse(base)).toMatchObject({ honoreeName: "Rose", message: "", showGiverName: false, to: { email: "rose@example.org" } });
    expect(DedicationInput.safeParse({ ...base, message: "a\u202eb" }).success).toBe(false);
    expect(DedicationInput.safeParse({ ...base, honoreeName: "a\nb" }).success).toBe(false);
    expect(DedicationInput.safeParse({ ...base, message: "é".repeat(300) }).success).toBe(true);
    expect(DedicationInput.safeParse({ ...base, message: "é".repeat(301) }).success).toBe(false);
    expect(DedicationInput.safeParse({ ...base, to: { kind: "village", villageId: "nope" } }).success).toBe(false);
  });
});
