/**
 * Money is always an integer number of cents plus an ISO 4217 currency code.
 * Floating point never touches an amount: parsing, adding and formatting all
 * work on integers, and every helper refuses anything that is not one.
 */
export const CURRENCIES = ["EUR"] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface Money {
  readonly cents: number;
  readonly currency: Currency;
}

/** The largest amount Hameau accepts in one order: 10,000.00. */
export const MAX_ORDER_CENTS = 1_000_000;

export function isCents(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

export function assertCents(value: unknown, what = "amount"): number {
  if (!isCents(value)) throw new RangeError(`${what} must be an integer number of cents, got ${String(value)}`);
  return value;
}

export function money(cents: number, currency: Currency = "EUR"): Money {
  return { cents: assertCents(cents), currency };
}

/** Adds amounts of one currency; mixing currencies is a programming error. */
export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new RangeError(`cannot add ${a.currency} and ${b.currency}`);
  const cents = a.cents + b.cents;
  return money(cents, a.currency);
}

export function multiplyMoney(a: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new RangeError(`quantity must be an integer, got ${quantity}`);
  return money(a.cents * quantity, a.currency);
}

export function sumCents(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += assertCents(v);
  return assertCents(total, "sum");
}

/**
 * Parses a user-typed decimal amount ("12", "12.5", "12,50") into cents
 * without floating point. Returns null when the text is not an amount.
 */
export function parseAmountToCents(text: string): number | null {
  const m = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const units = Number(m[1]);
  const fraction = (m[2] ?? "").padEnd(2, "0");
  return units * 100 + Number(fraction);
}

export type Locale = "fr" | "en";

/** "12,50 €" in French, "€12.50" in English; whole amounts drop the decimals ("3 €"). */
export function formatMoney(value: Money, locale: Locale): string {
  assertCents(value.cents);
  const whole = value.cents % 100 === 0;
  const formatter = new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-IE", {
    style: "currency",
    currency: value.currency,
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  });
  // Intl works on numbers; dividing a safe integer by 100 is exact enough for display only.
  return formatter.format(value.cents / 100).replace(/\u202f|\u00a0/g, " ");
}

/**
 * Splits an amount over weights without losing or inventing a cent
 * (largest remainder). allocate(100, [1, 1, 1]) → [34, 33, 33].
 */
export function allocate(cents: number, weights: readonly number[]): number[] {
  assertCents(cents);
  const total = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0 || total <= 0 || weights.some((w) => w < 0 || !Number.isFinite(w))) {
    throw new RangeError("allocate needs non-negative weights with a positive sum");
  }
  const sign = cents < 0 ? -1 : 1;
  const abs = Math.abs(cents);
  const exact = weights.map((w) => (abs * w) / total);
  const parts = exact.map(Math.floor);
  let rest = abs - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (rest === 0) break;
    parts[i]! += 1;
    rest -= 1;
  }
  return parts.map((p) => p * sign);
}
