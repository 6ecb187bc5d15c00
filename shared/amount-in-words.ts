/**
 * Amounts in words, as a receipt needs them ("somme en toutes lettres").
 *
 * French follows the traditional spelling (before the 1990 reform), the one
 * tax receipts and cheques use: hyphens only between tens and units below a
 * hundred ("trente-cinq", "deux cent un"), "et" in 21, 31, 41, 51, 61 and 71,
 * "vingt" and "cent" plural when multiplied and ending the number or followed
 * by a noun ("quatre-vingts euros", "deux cents millions") but not before
 * "mille" ("quatre-vingt mille"), "mille" invariable, and "d'euros" after a
 * round number of millions ("un million d'euros").
 *
 * Input is an integer number of cents, 0 to 99 999 999 999 (just under a
 * billion euros); anything else throws a RangeError.
 */

/** The largest amount, in cents, that can be written in words. */
export const MAX_AMOUNT_IN_WORDS_CENTS = 99_999_999_999;

function checkCents(cents: number): void {
  if (!Number.isInteger(cents) || cents < 0 || cents > MAX_AMOUNT_IN_WORDS_CENTS) {
    throw new RangeError(
      `amount must be an integer number of cents from 0 to ${MAX_AMOUNT_IN_WORDS_CENTS}, got ${String(cents)}`,
    );
  }
}

// ── French ──────────────────────────────────────────────────────────────────

const FR_UNITS = [
  "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
  "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
  "dix-sept", "dix-huit", "dix-neuf",
] as const;

const FR_TENS = ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"] as const;

function frUnit(n: number): string {
  const word = FR_UNITS[n];
  if (word === undefined) throw new RangeError(`no French word for ${n}`);
  return word;
}

/**
 * 0..99. `plural` says whether a final "quatre-vingt" takes its "s", which it
 * does unless "mille" follows.
 */
function frBelow100(n: number, plural: boolean): string {
  if (n < 20) return frUnit(n);
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  if (tens <= 6) {
    const ten = FR_TENS[tens] ?? "";
    if (unit === 0) return ten;
    if (unit === 1) return `${ten} et un`;
    return `${ten}-${frUnit(unit)}`;
  }
  if (tens === 7) return n === 71 ? "soixante et onze" : `soixante-${frUnit(n - 60)}`;
  // 80..99: "quatre-vingt-un" has no "et", and only a bare 80 takes the "s".
  if (n === 80) return plural ? "quatre-vingts" : "quatre-vingt";
  return `quatre-vingt-${frUnit(n - 80)}`;
}

/** 0..999 (0 gives "zéro"; callers skip empty groups). */
function frBelow1000(n: number, plural: boolean): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0) return frBelow100(rest, plural);
  const cent = hundreds === 1 ? "cent" : `${frUnit(hundreds)} cent`;
  if (rest === 0) return hundreds > 1 && plural ? `${cent}s` : cent;
  return `${cent} ${frBelow100(rest, plural)}`;
}

/** Spells an integer 0..999 999 999 in French. */
export function integerInFrenchWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999_999_999) {
    throw new RangeError(`integer must be from 0 to 999 999 999, got ${String(n)}`);
  }
  if (n === 0) return "zéro";
  const millions = Math.floor(n / 1_000_000);
  const thousands = Math.floor(n / 1000) % 1000;
  const rest = n % 1000;
  const parts: string[] = [];
  // "million" is a noun: the number before it agrees ("deux cents millions").
  if (millions > 0) parts.push(`${frBelow1000(millions, true)} ${millions > 1 ? "millions" : "million"}`);
  // "mille" is invariable and never preceded by "un"; "vingt"/"cent" before it stay singular.
  if (thousands > 0) parts.push(thousands === 1 ? "mille" : `${frBelow1000(thousands, false)} mille`);
  if (rest > 0) parts.push(frBelow1000(rest, true));
  return parts.join(" ");
}

/**
 * 3500 → "trente-cinq euros", 121 → "un euro et vingt et un centimes",
 * 100000000 → "un million d'euros", 0 → "zéro euro".
 */
export function amountInFrenchWords(cents: number): string {
  checkCents(cents);
  const euros = Math.floor(cents / 100);
  const centimes = cents % 100;
  if (euros === 0 && centimes === 0) return "zéro euro";
  const parts: string[] = [];
  if (euros > 0) {
    const words = integerInFrenchWords(euros);
    const roundMillions = euros >= 1_000_000 && euros % 1_000_000 === 0;
    const unit = roundMillions ? "d'euros" : euros === 1 ? "euro" : "euros";
    parts.push(`${words} ${unit}`);
  }
  if (centimes > 0) parts.push(`${integerInFrenchWords(centimes)} ${centimes === 1 ? "centime" : "centimes"}`);
  return parts.join(" et ");
}

// ── English ─────────────────────────────────────────────────────────────────

const EN_UNITS = [
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
  "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
  "seventeen", "eighteen", "nineteen",
] as const;

const EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"] as const;

function enUnit(n: number): string {
  const word = EN_UNITS[n];
  if (word === undefined) throw new RangeError(`no English word for ${n}`);
  return word;
}

function enBelow1000(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds > 0) parts.push(`${enUnit(hundreds)} hundred`);
  if (rest > 0 || hundreds === 0) {
    if (rest < 20) parts.push(enUnit(rest));
    else {
      const ten = EN_TENS[Math.floor(rest / 10)] ?? "";
      parts.push(rest % 10 === 0 ? ten : `${ten}-${enUnit(rest % 10)}`);
    }
  }
  return parts.join(" ");
}

/** Spells an integer 0..999 999 999 in English, without "and" ("one hundred five"). */
export function integerInEnglishWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999_999_999) {
    throw new RangeError(`integer must be from 0 to 999 999 999, got ${String(n)}`);
  }
  if (n === 0) return "zero";
  const groups: Array<[number, string]> = [
    [Math.floor(n / 1_000_000), " million"],
    [Math.floor(n / 1000) % 1000, " thousand"],
    [n % 1000, ""],
  ];
  return groups
    .filter(([value]) => value > 0)
    .map(([value, scale]) => `${enBelow1000(value)}${scale}`)
    .join(" ");
}

/** 3500 → "thirty-five euros", 121 → "one euro and twenty-one cents", 0 → "zero euros". */
export function amountInEnglishWords(cents: number): string {
  checkCents(cents);
  const euros = Math.floor(cents / 100);
  const rest = cents % 100;
  if (euros === 0 && rest === 0) return "zero euros";
  const parts: string[] = [];
  if (euros > 0) parts.push(`${integerInEnglishWords(euros)} ${euros === 1 ? "euro" : "euros"}`);
  if (rest > 0) parts.push(`${integerInEnglishWords(rest)} ${rest === 1 ? "cent" : "cents"}`);
  return parts.join(" and ");
}
