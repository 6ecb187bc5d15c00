/**
 * Translations: every UI string and every error code, in French and English,
 * from assets/i18n. The language is chosen from ?lang=, then the last choice
 * (localStorage), then the browser; switching it notifies the UI, no reload.
 * Only the language played is loaded before the game starts (a top-level
 * await, so `t` answers at once everywhere); the other one on its switch.
 */
import type { ErrorCode } from "../shared/errors.ts";
import type { FieldErrorCode } from "../shared/ngo-catalog.ts";
import type { Locale } from "../shared/money.ts";
import { storageGet, storageSet } from "./storage.ts";

type Catalog = typeof import("../assets/i18n/en.json");
export type MessageKey = keyof Catalog;
type Messages = Record<MessageKey, string>;

/** Both files hold every key (fr is checked against en's keys here). */
const LOADERS: Record<Locale, () => Promise<Messages>> = {
  en: () => import("../assets/i18n/en.json").then((m) => m.default),
  fr: () => import("../assets/i18n/fr.json").then((m) => m.default),
};
/** Every error code and every field error code of the NGO console's forms (shared/ngo-catalog.ts) has a translation (compile-time checks). */
export type ErrorsTranslated = Catalog extends Record<`error.${ErrorCode}` | `field.${FieldErrorCode}`, string> ? true : never;
const ALL_TRANSLATED: ErrorsTranslated = true;
void ALL_TRANSLATED;
const CATALOGS: Partial<Record<Locale, Messages>> = {};

const STORAGE_KEY = "hameau.lang";

function pickInitialLocale(): Locale {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl === "fr" || fromUrl === "en") {
    storageSet(STORAGE_KEY, fromUrl);
    return fromUrl;
  }
  const stored = storageGet(STORAGE_KEY);
  if (stored === "fr" || stored === "en") return stored;
  return navigator.language.toLowerCase().startsWith("fr") ? "fr" : "en";
}

let current: Locale = pickInitialLocale();
CATALOGS[current] = await LOADERS[current]();
/** The language last asked for (a switch waits for its strings; the last one asked wins). */
let wanted: Locale = current;
const listeners = new Set<(locale: Locale) => void>();

export function locale(): Locale {
  return current;
}

export function setLocale(next: Locale): void {
  storageSet(STORAGE_KEY, next);
  wanted = next;
  if (next === current) return;
  if (!CATALOGS[next]) {
    void LOADERS[next]().then((messages) => {
      CATALOGS[next] = messages;
      if (wanted === next) setLocale(next);
    }, () => undefined);
    return;
  }
  current = next;
  document.documentElement.lang = next;
  // A ?lang= left in the address would undo the choice on reload.
  const url = new URL(location.href);
  if (url.searchParams.has("lang")) {
    url.searchParams.delete("lang");
    history.replaceState(history.state, "", url);
  }
  for (const listener of listeners) listener(next);
}

/** Calls `listener` on every language switch; returns the unsubscribe function. */
export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The translation of `key`, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = CATALOGS[current]![key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The translated message for an error code; unknown codes fall back to "internal". */
export function errorText(code: string): string {
  const key = `error.${code}`;
  return isMessageKey(key) ? t(key) : t("error.internal");
}

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(CATALOGS[current]!, key);
}

/** A catalog text in the current language. */
export function pick(text: { fr: string; en: string }): string {
  return text[current];
}

document.documentElement.lang = current;
