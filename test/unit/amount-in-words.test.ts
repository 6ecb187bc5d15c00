import { describe, expect, it } from "vitest";
import {
  amountInEnglishWords,
  amountInFrenchWords,
  integerInEnglishWords,
  integerInFrenchWords,
  MAX_AMOUNT_IN_WORDS_CENTS,
} from "../../shared/amount-in-words.ts";

describe("amountInFrenchWords", () => {
  it.each<[number, string]>([
    // The examples of the specification.
    [100, "un euro"],
    [3500, "trente-cinq euros"],
    [15050, "cent cinquante euros et cinquante centimes"],
    [80, "quatre-vingts centimes"],
    [100000, "mille euros"],
    [200000, "deux mille euros"],
    [121, "un euro et vingt et un centimes"],
    [7100, "soixante et onze euros"],
    [8000, "quatre-vingts euros"],
    [8100, "quatre-vingt-un euros"],
    [20000, "deux cents euros"],
    [20100, "deux cent un euros"],
    [100000000, "un million d'euros"],
    [200000000, "deux millions d'euros"],
    // Edge cases.
    [0, "zéro euro"],
    [1, "un centime"],
    [2, "deux centimes"],
    [99, "quatre-vingt-dix-neuf centimes"],
    [101, "un euro et un centime"],
    [1000000, "dix mille euros"],
    [1_000_100, "dix mille un euros"],
  ])("%i cents → %s", (cents, words) => {
    expect(amountInFrenchWords(cents)).toBe(words);
  });

  it.each<[number, string]>([
    [10, "dix"], [11, "onze"], [16, "seize"], [17, "dix-sept"], [19, "dix-neuf"],
    [20, "vingt"], [21, "vingt et un"], [22, "vingt-deux"], [31, "trente et un"],
    [41, "quarante et un"], [51, "cinquante et un"], [61, "soixante et un"],
    [69, "soixante-neuf"], [70, "soixante-dix"], [71, "soixante et onze"],
    [72, "soixante-douze"], [77, "soixante-dix-sept"], [79, "soixante-dix-neuf"],
    [80, "quatre-vingts"], [81, "quatre-vingt-un"], [88, "quatre-vingt-huit"],
    [90, "quatre-vingt-dix"], [91, "quatre-vingt-onze"], [99, "quatre-vingt-dix-neuf"],
    [100, "cent"], [101, "cent un"], [121, "cent vingt et un"], [180, "cent quatre-vingts"],
    [200, "deux cents"], [201, "deux cent un"], [280, "deux cent quatre-vingts"],
    [999, "neuf cent quatre-vingt-dix-neuf"],
    [1000, "mille"], [1001, "mille un"], [1100, "mille cent"], [2000, "deux mille"],
    [21000, "vingt et un mille"], [80000, "quatre-vingt mille"], [80080, "quatre-vingt mille quatre-vingts"],
    [200000, "deux cent mille"], [280000, "deux cent quatre-vingt mille"],
    [300200, "trois cent mille deux cents"], [999999, "neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf"],
    [1_000_000, "un million"], [2_000_000, "deux millions"], [1_001_000, "un million mille"],
    [21_000_000, "vingt et un millions"], [80_000_000, "quatre-vingts millions"],
    [200_000_000, "deux cents millions"], [280_080_000, "deux cent quatre-vingts millions quatre-vingt mille"],
    [
      999_999_999,
      "neuf cent quatre-vingt-dix-neuf millions neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf",
    ],
  ])("integer %i → %s", (n, words) => {
    expect(integerInFrenchWords(n)).toBe(words);
  });

  it.each<[number, string]>([
    [2100, "vingt et un euros"],
    [8080, "quatre-vingts euros et quatre-vingts centimes"],
    [8_000_000, "quatre-vingt mille euros"],
    [20_000_000, "deux cent mille euros"],
    [123_456_789, "un million deux cent trente-quatre mille cinq cent soixante-sept euros et quatre-vingt-neuf centimes"],
    [100_000_100, "un million un euros"],
    [100_000_050, "un million d'euros et cinquante centimes"],
    [8_000_000_000, "quatre-vingts millions d'euros"],
    [20_000_000_000, "deux cents millions d'euros"],
    [
      MAX_AMOUNT_IN_WORDS_CENTS,
      "neuf cent quatre-vingt-dix-neuf millions neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes",
    ],
  ])("%i cents → %s (agreement before nouns)", (cents, words) => {
    expect(amountInFrenchWords(cents)).toBe(words);
  });

  it("never leaves double spaces or stray hyphens", () => {
    for (let cents = 0; cents < 200_000; cents += 37) {
      const words = amountInFrenchWords(cents);
      expect(words).not.toMatch(/ {2}|^ | $|--|- | -/);
      expect(words).toMatch(/(euros?|centimes?)$/);
    }
  });
});

describe("amountInEnglishWords", () => {
  it.each<[number, string]>([
    [0, "zero euros"],
    [1, "one cent"],
    [99, "ninety-nine cents"],
    [100, "one euro"],
    [121, "one euro and twenty-one cents"],
    [3500, "thirty-five euros"],
    [15050, "one hundred fifty euros and fifty cents"],
    [20100, "two hundred one euros"],
    [100000, "one thousand euros"],
    [1_000_100, "ten thousand one euros"],
    [100000000, "one million euros"],
    [123_456_789, "one million two hundred thirty-four thousand five hundred sixty-seven euros and eighty-nine cents"],
    [
      MAX_AMOUNT_IN_WORDS_CENTS,
      "nine hundred ninety-nine million nine hundred ninety-nine thousand nine hundred ninety-nine euros and ninety-nine cents",
    ],
  ])("%i cents → %s", (cents, words) => {
    expect(amountInEnglishWords(cents)).toBe(words);
  });

  it("spells integers", () => {
    expect(integerInEnglishWords(0)).toBe("zero");
    expect(integerInEnglishWords(40)).toBe("forty");
    expect(integerInEnglishWords(2_000_019)).toBe("two million nineteen");
  });
});

describe("invalid input", () => {
  const invalid = [-1, -100, 0.5, 100.01, Number.NaN, Number.POSITIVE_INFINITY, MAX_AMOUNT_IN_WORDS_CENTS + 1, 2 ** 60];
  it.each(invalid)("amountInFrenchWords(%s) throws a RangeError", (value) => {
    expect(() => amountInFrenchWords(value)).toThrow(RangeError);
  });
  it.each(invalid)("amountInEnglishWords(%s) throws a RangeError", (value) => {
    expect(() => amountInEnglishWords(value)).toThrow(RangeError);
  });
  it("refuses values that are not numbers at all", () => {
    expect(() => amountInFrenchWords("100" as unknown as number)).toThrow(RangeError);
    expect(() => amountInFrenchWords(null as unknown as number)).toThrow(RangeError);
    expect(() => integerInFrenchWords(1_000_000_000)).toThrow(RangeError);
    expect(() => integerInEnglishWords(-1)).toThrow(RangeError);
  });
});
