/**
 * Receipts print names in other scripts: Cyrillic, Greek, Chinese, Japanese
 * and Vietnamese names come out as themselves (an embedded Noto Sans with a
 * ToUnicode map, so a reader can search and copy them), Western text keeps
 * the standard fonts, and what the embedded font lacks too falls back to a
 * plain letter or "?" instead of garbage.
 */
import { describe, expect, it } from "vitest";
import type { DonationReceipt, TaxReceipt } from "../../shared/receipts.ts";
import { renderDonationReceiptPdf, renderTaxReceiptPdf } from "../../server/receipts/tax-receipt-pdf.ts";
import { pdfPlainText } from "../support/pdf-runs.ts";

const address = { addressLines: ["12 rue des Jardins"], postalCode: "75011", city: "Paris", country: "France" };

function taxReceipt(donor: { firstName: string; lastName: string; city?: string }): TaxReceipt {
  return {
    number: "SEMSOL-2026-000042", year: 2026, issuedAt: new Date("2027-01-15T09:00:00Z"), placeOfIssue: "Paris",
    ngo: { name: "Semences Solidaires", legalName: "Association Semences Solidaires", address, purpose: "Agriculture familiale", legalStatus: "Association loi 1901" },
    donor: { firstName: donor.firstName, lastName: donor.lastName, addressLines: ["3 allée des Cerisiers"], postalCode: "69003", city: donor.city ?? "Lyon", country: "France" },
    donations: [{ date: new Date(Date.UTC(2026, 2, 12, 10)), amountCents: 1500, method: "Carte bancaire (Stripe)", form: "Don manuel", nature: "Numéraire" }],
    totalCents: 1500,
    signatory: { name: "Françoise Martin", title: "Présidente" },
  };
}

describe("names in other scripts on receipts", () => {
  it.each([
    ["Cyrillic", "Наталья", "Иванова", "ИВАНОВА"],
    ["Greek", "Ελπίδα", "Παπαδοπούλου", "ΠΑΠΑΔΟΠΟΎΛΟΥ"],
    ["Chinese", "小明", "王", "王"],
    ["Japanese", "さくら", "山田", "山田"],
    ["Vietnamese", "Thị Hồng", "Nguyễn", "NGUYỄN"],
  ])("prints a %s donor's name as itself, extractable", async (_script, firstName, lastName, printedLast) => {
    const pdf = await renderTaxReceiptPdf(taxReceipt({ firstName, lastName }), { compress: false });
    const text = pdfPlainText(pdf);
    // The font has no Greek with tonos: "ί" prints as "ι", "Ύ" as "Υ" (accent dropped, letter kept).
    expect(text).toContain(`${firstName} ${printedLast}`.normalize("NFD").replace(/(?<=[\u0370-\u03ff])\u0301/gu, "").normalize("NFC"));
    // The rest of the receipt keeps its standard fonts and text.
    expect(text).toContain("Association Semences Solidaires");
    expect(text).toContain("3 allée des Cerisiers");
  });

  it("prints several scripts on one receipt (names, city and gifts)", async () => {
    const receipt = taxReceipt({ firstName: "Анна-Мария", lastName: "李", city: "Θεσσαλονίκη" });
    const text = pdfPlainText(await renderTaxReceiptPdf(receipt, { compress: false }));
    expect(text).toContain("Анна-Мария 李");
    expect(text).toContain("Θεσσαλονικη");
    const order: DonationReceipt = {
      locale: "en", orderId: "6f1c2b9e-2a7d-4c51-9d4e-0b7a3f2c8e11", paidAt: new Date("2026-03-12T14:05:00Z"), paymentMethod: "Card (Stripe)",
      ngo: { name: "Семена", legalName: "Ассоциация Семена", address },
      donor: { name: "王小明", email: "wang@example.org" },
      lines: [{ giftName: "山羊 (goat)", projectName: "Животноводство", quantity: 1, unitPriceCents: 3500, amountCents: 3500 }],
      totalCents: 3500,
    };
    const orderText = pdfPlainText(await renderDonationReceiptPdf(order, { compress: false }));
    for (const expected of ["Ассоциация Семена", "山羊 (goat)", "Животноводство"]) expect(orderText).toContain(expected);
  });

  it("falls back to plain letters where no font has the glyph, never garbage", async () => {
    const text = pdfPlainText(await renderTaxReceiptPdf(taxReceipt({ firstName: "Łukasz 🐐", lastName: "김 Иванов" }), { compress: false }));
    // The embedded font has no "Ł" (nor emoji, nor Hangul): "L", and "?" where nothing comes close.
    expect(text).toContain("Lukasz ? ? ИВАНОВ");
    expect(text).not.toContain("\ufffd");
  });
});
