import { describe, expect, it } from "vitest";
import { centsToDecimal, csvDocument, csvField, guardFormula, quoteField } from "../../shared/csv.ts";
import { receiptDeclaration, receiptSequence } from "../../shared/tax-declaration.ts";

describe("CSV for accounting", () => {
  it("writes cents as decimal amounts without floating point", () => {
    expect(centsToDecimal(0, ",")).toBe("0,00");
    expect(centsToDecimal(5, ",")).toBe("0,05");
    expect(centsToDecimal(-5, ".")).toBe("-0.05");
    expect(centsToDecimal(123456, ",")).toBe("1234,56");
    expect(centsToDecimal(Number.MAX_SAFE_INTEGER, ".")).toBe("90071992547409.91");
    expect(() => centsToDecimal(0.1, ",")).toThrow(RangeError);
  });

  it("quotes what RFC 4180 says, and only that", () => {
    expect(quoteField("plain", ";")).toBe("plain");
    expect(quoteField("a;b", ";")).toBe('"a;b"');
    expect(quoteField("a,b", ";")).toBe("a,b");
    expect(quoteField('say "hi"', ",")).toBe('"say ""hi"""');
    expect(quoteField("two\nlines", ",")).toBe('"two\nlines"');
    expect(quoteField("cr\r", ",")).toBe('"cr\r"');
  });

  it("defuses formulas in text cells, not in amounts", () => {
    for (const t of ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"]) expect(guardFormula(t)).toBe(`'${t}`);
    expect(guardFormula("a=b")).toBe("a=b");
    expect(csvField('=HYPERLINK("http://x";"y")', "excel-fr")).toBe(`"'=HYPERLINK(""http://x"";""y"")"`);
    expect(csvField({ cents: -250 }, "excel-fr")).toBe("-2,50");
    expect(csvField({ cents: -250 }, "rfc4180")).toBe("-2.50");
    expect(csvField({ count: 3 }, "rfc4180")).toBe("3");
  });

  it("writes a whole file: BOM and ; for French spreadsheets, plain RFC 4180 otherwise, CRLF after each record", () => {
    const doc = csvDocument(["Nom", "Montant"], [["Chèvre", { cents: 3500 }]], "excel-fr");
    expect(Buffer.from(doc, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(doc).toBe("\uFEFFNom;Montant\r\nChèvre;35,00\r\n");
    expect(csvDocument(["Name", "Amount"], [["Goat, big", { cents: 3500 }]], "rfc4180")).toBe('Name,Amount\r\n"Goat, big",35.00\r\n');
  });
});

describe("the tax-receipt declaration", () => {
  const receipt = (number: string, totalCents: number, playerId: string | null) =>
    ({ number, totalCents, playerId, issuedAt: new Date("2026-01-10T10:00:00Z"), donor: { firstName: "A", lastName: "B" } });

  it("counts receipts, their total and donors, and the numbers used", () => {
    expect(receiptSequence("SEMSOL-2025-000042")).toBe(42);
    expect(receiptSequence("nothing")).toBeNull();
    expect(receiptDeclaration([])).toEqual({ receipts: 0, cancelled: 0, totalCents: 0, donors: 0, numbers: null });
    expect(receiptDeclaration([receipt("X-2025-000002", 1500, "p2"), receipt("X-2025-000001", 5500, "p1"), receipt("X-2025-000003", 100, null)])).toEqual({
      receipts: 3, cancelled: 0, totalCents: 7100, donors: 3, numbers: { first: "X-2025-000001", last: "X-2025-000003", missingSequenceNumbers: [] },
    });
  });

  it("counts a cancelled receipt's number as used but not its amount; its replacement counts", () => {
    const d = receiptDeclaration([
      { ...receipt("X-2025-000001", 6500, "p1"), cancelled: true, replacedBy: "X-2025-000003" },
      receipt("X-2025-000002", 1000, "p2"),
      receipt("X-2025-000003", 5500, "p1"),
    ]);
    expect(d).toEqual({ receipts: 2, cancelled: 1, totalCents: 6500, donors: 2, numbers: { first: "X-2025-000001", last: "X-2025-000003", missingSequenceNumbers: [] } });
  });

  it("tells which numbers are missing from the sequence", () => {
    const d = receiptDeclaration([receipt("X-2025-000002", 100, "p2"), receipt("X-2025-000005", 100, "p5")]);
    expect(d.numbers).toEqual({ first: "X-2025-000002", last: "X-2025-000005", missingSequenceNumbers: [1, 3, 4] });
  });
});
