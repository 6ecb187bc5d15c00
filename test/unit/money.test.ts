import { describe, expect, it } from "vitest";
import { addMoney, assertCents, formatMoney, money, multiplyMoney, parseAmountToCents, sumCents } from "../../shared/money.ts";

describe("money", () => {
  it("keeps amounts as integer cents", () => {
    expect(money(150).cents).toBe(150);
    expect(() => money(1.5)).toThrow(RangeError);
    expect(() => money(Number.NaN)).toThrow(RangeError);
    expect(() => assertCents(2 ** 60)).toThrow(RangeError);
  });

  it("adds and multiplies without floating point drift", () => {
    expect(addMoney(money(10), money(20)).cents).toBe(30);
    let total = money(0);
    for (let i = 0; i < 1000; i++) total = addMoney(total, money(10));
    expect(total.cents).toBe(10_000);
    expect(multiplyMoney(money(1500), 3).cents).toBe(4500);
    expect(() => multiplyMoney(money(100), 0.5)).toThrow(RangeError);
    expect(sumCents([100, 250, -350])).toBe(0);
    expect(() => sumCents([1, 0.1])).toThrow(RangeError);
  });

  it("refuses to add two currencies", () => {
    expect(() => addMoney(money(1, "EUR"), { cents: 1, currency: "USD" as "EUR" })).toThrow(/cannot add/);
  });

  it("parses typed amounts into cents", () => {
    expect(parseAmountToCents("12")).toBe(1200);
    expect(parseAmountToCents("12,5")).toBe(1250);
    expect(parseAmountToCents("0.07")).toBe(7);
    expect(parseAmountToCents(" 3.10 ")).toBe(310);
    expect(parseAmountToCents("-1")).toBeNull();
    expect(parseAmountToCents("1.234")).toBeNull();
    expect(parseAmountToCents("abc")).toBeNull();
  });

  it("formats in French and English", () => {
    expect(formatMoney(money(350), "fr")).toBe("3,50 €");
    expect(formatMoney(money(15000), "fr")).toBe("150 €");
    expect(formatMoney(money(350), "en")).toBe("€3.50");
    expect(formatMoney(money(100000), "en")).toBe("€1,000");
  });
});
