/**
 * The NGO console's texts, in French and English, from
 * assets/i18n/console.{fr,en}.json. The language itself (and its switch) is
 * the game's (client/i18n.ts), and so are the error codes' translations.
 */
import en from "../../assets/i18n/console.en.json" with { type: "json" };
import fr from "../../assets/i18n/console.fr.json" with { type: "json" };
import { formatMoney, type Currency, type Locale } from "../../shared/money.ts";
import { locale } from "../i18n.ts";

export type ConsoleKey = keyof typeof en;

/** Both files hold every key (compile-time check). */
const CATALOGS: Record<Locale, Record<ConsoleKey, string>> = { en, fr };

/** The console text for `key`, with `{name}` placeholders filled from `params`. */
export function ct(key: ConsoleKey, params: Record<string, string | number> = {}): string {
  const text = CATALOGS[locale()][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function isConsoleKey(key: string): key is ConsoleKey & string {
  return Object.hasOwn(en, key);
}

/** Money in the console's language: 1250 → "12,50 €" / "€12.50". */
export function euros(cents: number, currency: Currency = "EUR"): string {
  return formatMoney({ cents, currency }, locale());
}

/** A date (and time) in the console's language. */
export function when(iso: string | null | undefined, withTime = false): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale() === "fr" ? "fr-FR" : "en-GB", withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" }).format(d);
}
