/**
 * The receipts' new mentions, read back from uncompressed PDFs: an "annule et
 * remplace" tax receipt names the one it replaces, a cancelled one is stamped
 * so, and a payment receipt states its refunds per line and every NGO's share.
 */
import { describe, expect, it } from "vitest";
import type { DonationReceipt, TaxReceipt } from "../../shared/receipts.ts";
import { renderDonationReceiptPdf, validateDonationReceipt } from "../../server/receipts/donation-receipt-pdf.ts";
import { renderTaxReceiptPdf } from "../../server/receipts/tax-receipt-pdf.ts";
import { pdfText } from "../support/pdf-text.ts";

const address = { addressLines: ["12 rue des Jardins"], postalCode: "75011", city: "Paris", country: "France" };
const receipt: TaxReceipt = {
  number: "SEMSOL-2026-000043", year: 2026, issuedAt: new Date("2027-02-20T09:00:00Z"),
  ngo: { name: "Semences Solidaires", legalName: "Association Semences Solidaires", address, purpose: "Agriculture familiale", legalStatus: "Association loi 1901 reconnue d'intérêt général" },
  donor: { firstName: "Élodie", lastName: "Lefèvre", ...address },
  donations: [{ date: new Date("2026-03-12T10:00:00Z"), amountCents: 2500, method: "Carte bancaire (Stripe)", form: "Don manuel", nature: "Numéraire" }],
  totalCents: 2500,
  signatory: { name: "Françoise Martin", title: "Présidente" },
  replaces: { number: "SEMSOL-2026-000042", issuedAt: new Date("2027-01-15T09:00:00Z") },
};

describe("tax receipt corrections on paper", () => {
  it("a replacement names the receipt it cancels and replaces", async () => {
    const text = pdfText(await renderTaxReceiptPdf(receipt, { compress: false }));
    expect(text).toContain("Annule et remplace le reçu n° SEMSOL-2026-000042 du 15 janvier 2027.");
    expect(text).not.toContain("REÇU ANNULÉ");
  });

  it("a cancelled receipt is re-printed as it was, stamped cancelled with its replacement", async () => {
    const { replaces: _none, ...original } = receipt;
    const text = pdfText(await renderTaxReceiptPdf({ ...original, number: "SEMSOL-2026-000042" }, { compress: false }, { cancelledAt: new Date("2027-02-20T09:00:00Z"), reason: "refunded", replacedBy: "SEMSOL-2026-000043" }));
    expect(text).toContain("REÇU ANNULÉ le 20 février 2027 à la suite d'un remboursement. Il est remplacé par le reçu n° SEMSOL-2026-000043.");
    expect(text).toContain("SEMSOL-2026-000042");
    const alone = pdfText(await renderTaxReceiptPdf(original, { compress: false }, { cancelledAt: new Date("2027-02-20T09:00:00Z"), reason: "dispute_lost", replacedBy: null }));
    expect(alone).toContain("contestation bancaire perdue");
    expect(alone).toContain("il n'est pas remplacé");
  });
});

const payment: DonationReceipt = {
  locale: "en", orderId: "6f1c2b9e-2a7d-4c51-9d4e-0b7a3f2c8e11", paidAt: new Date("2026-03-12T14:05:00Z"), paymentMethod: "Card (Stripe)",
  ngo: { name: "Semences Solidaires", legalName: "Association Semences Solidaires" },
  lines: [
    { giftName: "A goat", projectName: "Family livestock", ngoName: "Semences Solidaires", quantity: 1, unitPriceCents: 3500, amountCents: 3500, refundedCents: 700 },
    { giftName: "Well share", projectName: "Clean water", ngoName: "Puits Partagés", quantity: 2, unitPriceCents: 500, amountCents: 1000, refundedCents: 200 },
  ],
  totalCents: 4500,
  refundedCents: 900,
  ngos: [
    { name: "Semences Solidaires", legalName: "Association Semences Solidaires", paidCents: 3500, refundedCents: 700 },
    { name: "Puits Partagés", legalName: "Association Puits Partagés", paidCents: 1000, refundedCents: 200 },
  ],
};

describe("payment receipt with refunds", () => {
  it("states each line's refund, the amount kept and every NGO's share", async () => {
    const text = pdfText(await renderDonationReceiptPdf(payment, { compress: false }));
    expect(text).toContain("refunded -€7.00");
    expect(text).toContain("refunded -€2.00");
    expect(text).toContain("WHAT EACH ORGANISATION RECEIVED");
    expect(text).toContain("Association Puits Partagés");
    expect(text).toContain("€36.00");
    expect(text).toContain("This document is not a tax receipt.");
  });

  it("refuses refunds that do not add up or exceed their line", () => {
    expect(() => validateDonationReceipt({ ...payment, refundedCents: 800 })).toThrow(RangeError);
    expect(() => validateDonationReceipt({ ...payment, lines: [{ ...payment.lines[0]!, refundedCents: 3600 }, payment.lines[1]!], refundedCents: 3800 })).toThrow(RangeError);
  });
});
