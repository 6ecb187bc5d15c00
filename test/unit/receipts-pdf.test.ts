/**
 * Renders both receipts and reads their text back with Node alone: with
 * `compress: false`, pdfkit writes each line of standard-font text as a
 * `[<hex> kerning <hex> …] TJ` operator whose bytes are WinAnsiEncoding, so
 * decoding those operators gives the text as a reader would see it.
 */
import { describe, expect, it } from "vitest";
import type { DonationReceipt, TaxReceipt, TaxReceiptDonation } from "../../shared/receipts.ts";
import { NOT_A_TAX_RECEIPT } from "../../server/receipts/donation-receipt-pdf.ts";
import { formatEuros, winAnsi } from "../../server/receipts/pdf-layout.ts";
import {
  renderDonationReceiptPdf,
  renderTaxReceiptPdf,
  TAX_RECEIPT_ARTICLES,
  TAX_RECEIPT_CERTIFICATION,
  TAX_RECEIPT_TITLE,
} from "../../server/receipts/tax-receipt-pdf.ts";

// WinAnsiEncoding bytes 0x80–0x9F that differ from Latin-1.
const WIN_ANSI_HIGH: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021, 0x88: 0x02c6,
  0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c,
  0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a,
  0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

function decodeHex(hex: string): string {
  expect(hex.length % 2, `odd hex string <${hex}>: a character outside WinAnsi leaked`).toBe(0);
  let out = "";
  for (let i = 0; i < hex.length; i += 2) {
    const byte = Number.parseInt(hex.slice(i, i + 2), 16);
    out += String.fromCodePoint(WIN_ANSI_HIGH[byte] ?? byte);
  }
  return out;
}

/** Every text-showing operator, in drawing order, decoded. */
function textRuns(pdf: Buffer): string[] {
  const raw = pdf.toString("latin1");
  const runs: string[] = [];
  for (const m of raw.matchAll(/\[((?:<[0-9a-fA-F]*>|-?[\d.]+|\s)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
    const body = m[1] ?? `<${m[2] ?? ""}>`;
    runs.push([...body.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decodeHex(h[1] ?? "")).join(""));
  }
  return runs;
}

/** The whole text on one line, spaces normalised, so wrapped sentences can be searched. */
function pdfText(pdf: Buffer): string {
  return textRuns(pdf).join(" ").replace(/[\s\u00a0]+/g, " ");
}

function pageCount(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

const ngo = {
  name: "Semences Solidaires",
  legalName: "Association Semences Solidaires",
  address: { addressLines: ["12 rue des Jardins", "Bâtiment B"], postalCode: "75011", city: "Paris", country: "France" },
  purpose: "Soutenir l'agriculture familiale et l'accès à l'eau : œuvres, formations, équipements.",
  legalStatus: "Association loi 1901 reconnue d'intérêt général",
  registrationNumber: "RNA W751234567",
};

function donation(month: number, day: number, amountCents: number): TaxReceiptDonation {
  return { date: new Date(Date.UTC(2026, month - 1, day, 10)), amountCents, method: "Carte bancaire (Stripe)", form: "Don manuel", nature: "Numéraire" };
}

function taxReceipt(donations: TaxReceiptDonation[]): TaxReceipt {
  return {
    number: "SEMSOL-2026-000042",
    year: 2026,
    issuedAt: new Date("2027-01-15T09:00:00Z"),
    ngo,
    donor: {
      firstName: "Élodie", lastName: "Lefèvre", addressLines: ["3 allée des Cerisiers"],
      postalCode: "69003", city: "Lyon", country: "France",
    },
    donations,
    totalCents: donations.reduce((sum, d) => sum + d.amountCents, 0),
    signatory: { name: "Françoise Martin", title: "Présidente" },
  };
}

const orderLines = [
  { giftName: "Une chèvre", projectName: "Élevage familial au Burkina Faso", quantity: 1, unitPriceCents: 3500, amountCents: 3500 },
  { giftName: "Trois poules", projectName: "Élevage familial au Burkina Faso", quantity: 2, unitPriceCents: 1500, amountCents: 3000 },
  { giftName: "Part d'un puits", projectName: "Eau potable à Madagascar", quantity: 1, unitPriceCents: 25000, amountCents: 25000 },
];

function donationReceipt(locale: "fr" | "en"): DonationReceipt {
  return {
    locale,
    orderId: "6f1c2b9e-2a7d-4c51-9d4e-0b7a3f2c8e11",
    paidAt: new Date("2026-03-12T14:05:00Z"),
    paymentMethod: locale === "fr" ? "Carte bancaire (Stripe)" : "Card (Stripe)",
    ngo,
    donor: { name: "Élodie Lefèvre", email: "elodie@example.org" },
    lines: orderLines,
    totalCents: 31500,
  };
}

describe("renderTaxReceiptPdf", () => {
  it("carries every mention of the Cerfa n° 11580 model for one donation", async () => {
    const pdf = await renderTaxReceiptPdf(taxReceipt([donation(3, 12, 15050)]), { compress: false });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pageCount(pdf)).toBe(1);
    const text = pdfText(pdf);
    for (const expected of [
      TAX_RECEIPT_TITLE,
      "Reçu au titre des dons à certains organismes d'intérêt général",
      "Articles 200, 238 bis et 978 du code général des impôts",
      TAX_RECEIPT_ARTICLES,
      "SEMSOL-2026-000042",
      // The beneficiary: name, legal name, address, purpose, status.
      "Semences Solidaires", "Association Semences Solidaires", "RNA W751234567",
      "12 rue des Jardins", "Bâtiment B", "75011 Paris", ngo.purpose, ngo.legalStatus,
      // The donor.
      "Élodie LEFÈVRE", "3 allée des Cerisiers", "69003 Lyon",
      // The amount, in figures and in words.
      "150,50 €", "cent cinquante euros et cinquante centimes",
      // Date, form, nature and method of the payment.
      "Date du versement", "12 mars 2026", "Forme du don", "Don manuel", "Nature du don", "Numéraire",
      "Mode de versement", "Carte bancaire (Stripe)",
      TAX_RECEIPT_CERTIFICATION,
      "Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent droit à la réduction d'impôt prévue à l'article 200 du CGI",
      // Place, date and signature.
      "Fait à Paris, le 15 janvier 2027", "Date et signature", "Françoise Martin", "Présidente",
    ]) {
      expect(text, expected).toContain(expected);
    }
  });

  it("draws French accents, œ and the euro sign with the standard font", async () => {
    const pdf = await renderTaxReceiptPdf(taxReceipt([donation(3, 12, 15050)]), { compress: false });
    const text = pdfText(pdf);
    for (const char of ["é", "è", "à", "ç", "œ", "€", "É", "È", "â"]) expect(text, char).toContain(char);
    // "€" is WinAnsi byte 0x80 in the Helvetica font: "150,50 €" → 3135302c3530 a0 80.
    expect(pdf.toString("latin1")).toMatch(/3135302c3530a080/);
    expect(pdf.toString("latin1")).toContain("/Encoding /WinAnsiEncoding");
  });

  it("lists every payment of an annual receipt in a table, with the total", async () => {
    const receipt = taxReceipt([donation(11, 5, 2000), donation(1, 3, 1500), donation(6, 21, 1750)]);
    const pdf = await renderTaxReceiptPdf(receipt, { compress: false });
    expect(pageCount(pdf)).toBe(1);
    const text = pdfText(pdf);
    expect(text).toContain("VERSEMENTS (3)");
    expect(text).toContain("Dates des versements : du 3 janvier 2026 au 5 novembre 2026");
    // Sorted by date, each with its amount.
    expect(text).toMatch(/03\/01\/2026 Don manuel Numéraire Carte bancaire \(Stripe\) 15,00 €.*21\/06\/2026.*17,50 €.*05\/11\/2026.*20,00 €/);
    expect(text).toContain("Total 52,50 €");
    expect(text).toContain("cinquante-deux euros et cinquante centimes");
  });

  it("continues a long receipt on further pages and still signs it", async () => {
    const donations = Array.from({ length: 60 }, (_, i) => donation((i % 12) + 1, (i % 27) + 1, 1000 + i));
    const pdf = await renderTaxReceiptPdf(taxReceipt(donations), { compress: false });
    expect(pageCount(pdf)).toBeGreaterThan(1);
    const text = pdfText(pdf);
    expect(text.match(/Carte bancaire \(Stripe\)/g)?.length).toBe(60);
    expect(text).toContain("Reçu fiscal n° SEMSOL-2026-000042 (suite)");
    expect(text).toContain(`Page ${pageCount(pdf)}/${pageCount(pdf)}`);
    expect(text).toContain(TAX_RECEIPT_CERTIFICATION);
    expect(text).toContain("Françoise Martin");
  });

  it("replaces characters the font cannot encode instead of writing garbage", async () => {
    const receipt = taxReceipt([donation(3, 12, 100)]);
    receipt.donor = { ...receipt.donor, firstName: "Łukasz", lastName: "Dvořák" };
    const pdf = await renderTaxReceiptPdf(receipt, { compress: false });
    expect(pdfText(pdf)).toContain("Lukasz DVORÁK");
    expect(winAnsi("Ștefan\u202f🐐 Œuvre — 12\u00a0€")).toBe("Stefan\u00a0? Œuvre — 12\u00a0€");
  });

  it("compresses by default and renders the same bytes twice", async () => {
    const receipt = taxReceipt([donation(3, 12, 15050)]);
    const a = await renderTaxReceiptPdf(receipt);
    const b = await renderTaxReceiptPdf(receipt);
    expect(a.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(a.toString("latin1")).toContain("/FlateDecode");
    expect(a.equals(b)).toBe(true);
  });

  it("refuses a receipt that would be wrong on paper", async () => {
    const good = taxReceipt([donation(3, 12, 100)]);
    await expect(renderTaxReceiptPdf({ ...good, totalCents: 200 })).rejects.toThrow(/not the sum/);
    await expect(renderTaxReceiptPdf({ ...good, donations: [], totalCents: 0 })).rejects.toThrow(/at least one/);
    await expect(renderTaxReceiptPdf({ ...good, year: 2025 })).rejects.toThrow(/not in 2025/);
    await expect(renderTaxReceiptPdf({ ...good, number: " " })).rejects.toThrow(/number/);
    // 31 December 23:30 UTC is already 1 January in Paris.
    const newYear = { ...donation(1, 1, 100), date: new Date("2025-12-31T23:30:00Z") };
    await expect(renderTaxReceiptPdf({ ...good, donations: [newYear] })).resolves.toBeInstanceOf(Buffer);
  });
});

describe("renderDonationReceiptPdf", () => {
  it("shows the order in French and says it is not a tax receipt", async () => {
    const pdf = await renderDonationReceiptPdf(donationReceipt("fr"), { compress: false });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pageCount(pdf)).toBe(1);
    const text = pdfText(pdf);
    for (const expected of [
      "Reçu de paiement", "Commande n°", "6f1c2b9e-2a7d-4c51-9d4e-0b7a3f2c8e11", "12 mars 2026",
      "Carte bancaire (Stripe)", "Élodie Lefèvre", "elodie@example.org",
      "Cadeau Projet Qté Prix unitaire Montant",
      "Une chèvre Élevage familial au Burkina Faso 1 35,00 € 35,00 €",
      "Trois poules Élevage familial au Burkina Faso 2 15,00 € 30,00 €",
      "Part d'un puits Eau potable à Madagascar 1 250,00 € 250,00 €",
      "Total payé 315,00 €", "Association Semences Solidaires", "75011 Paris",
      NOT_A_TAX_RECEIPT.fr, "Ce document n'est pas un reçu fiscal.",
    ]) {
      expect(text, expected).toContain(expected);
    }
  });

  it("shows the order in English", async () => {
    const pdf = await renderDonationReceiptPdf(donationReceipt("en"), { compress: false });
    const text = pdfText(pdf);
    for (const expected of [
      "Payment receipt", "Order no.", "12 March 2026", "Card (Stripe)", "Gift Project Qty Unit price Amount",
      "Trois poules Élevage familial au Burkina Faso 2 €15.00 €30.00", "Total paid €315.00",
      "This document is not a tax receipt.",
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain("reçu fiscal");
  });

  it("prints the NGO of a line when an order mixes NGOs", async () => {
    const receipt = donationReceipt("fr");
    receipt.lines = [{ ...orderLines[0]!, ngoName: "Les Puits du Sahel" }];
    receipt.totalCents = 3500;
    expect(pdfText(await renderDonationReceiptPdf(receipt, { compress: false }))).toContain("Les Puits du Sahel");
  });

  it("refuses inconsistent amounts", async () => {
    const receipt = donationReceipt("fr");
    await expect(renderDonationReceiptPdf({ ...receipt, totalCents: 1 })).rejects.toThrow(/not the sum/);
    await expect(renderDonationReceiptPdf({ ...receipt, lines: [{ ...orderLines[1]!, amountCents: 1500 }], totalCents: 1500 }))
      .rejects.toThrow(/is not 2 × 1500/);
    await expect(renderDonationReceiptPdf({ ...receipt, lines: [], totalCents: 0 })).rejects.toThrow(/at least one line/);
  });
});

describe("formatEuros", () => {
  it("writes amounts with cents, a non-breaking space, and words when there is no euro sign", () => {
    expect(formatEuros(123456, "fr", true)).toBe("1\u00a0234,56\u00a0€");
    expect(formatEuros(5, "fr", true)).toBe("0,05\u00a0€");
    expect(formatEuros(123456, "en", true)).toBe("€1,234.56");
    expect(formatEuros(3500, "fr", false)).toBe("35,00\u00a0euros");
    expect(formatEuros(3500, "en", false)).toBe("35.00\u00a0euros");
    expect(() => formatEuros(1.5, "fr", true)).toThrow(RangeError);
  });
});

describe("sponsors' matches on receipts", () => {
  it("a tax receipt certifies the donor's own gifts only and says the sponsor's match is the sponsor's", async () => {
    const receipt = { ...taxReceipt([donation(3, 12, 3500)]), sponsorMatches: [{ sponsor: "Boulangerie Martin", matchedCents: 3500 }] };
    const text = pdfText(await renderTaxReceiptPdf(receipt, { compress: false }));
    const euros = (cents: number) => formatEuros(cents, "fr", true).replace(/[\s\u00a0]+/g, " ");
    expect(text).toContain(`MONTANT ${euros(3500)}`);
    expect(text).not.toContain(euros(7000));
    expect(text).toContain("Ces dons ont été abondés par Boulangerie Martin");
    expect(text).toContain("n'est pas compris dans la somme attestée");
  });

  it("a payment receipt names the sponsor's match as theirs, outside the total paid", async () => {
    for (const locale of ["fr", "en"] as const) {
      const text = pdfText(await renderDonationReceiptPdf({ ...donationReceipt(locale), sponsorMatches: [{ sponsor: "Acme", matchedCents: 31500 }] }, { compress: false }));
      expect(text).toContain(locale === "fr" ? "Abondé par Acme" : "Matched by Acme");
      expect(text).toContain(locale === "fr" ? "ni de votre reçu fiscal" : "nor your tax receipt");
      expect(text).not.toContain(formatEuros(63000, locale, true).replace(/[\s\u00a0]+/g, " "));
    }
  });
});
