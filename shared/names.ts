/**
 * Player names, as typed by people: trimmed, spaces collapsed, no control or
 * invisible characters, 3 to 24 characters (letters of any script, digits,
 * spaces and - ' . _). Names of accounts are unique by their case-folded key.
 */
import { type RuleResult, refuse } from "./errors.ts";
import { INVISIBLE } from "./text.ts";

export const NAME_MIN = 3;
export const NAME_MAX = 24;

const ALLOWED = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} '._-]*$/u;

/** Cleans a name typed by a player, or says why it cannot be used. */
export function cleanName(raw: unknown): RuleResult<{ name: string; key: string }> {
  if (typeof raw !== "string") return refuse("name_invalid", "A name must be text");
  if (INVISIBLE.test(raw)) return refuse("name_invalid", "A name cannot hold control or invisible characters");
  const name = raw.normalize("NFC").trim().replace(/\s+/gu, " ");
  const length = [...name].length;
  if (length < NAME_MIN || length > NAME_MAX) return refuse("name_invalid", `A name has ${NAME_MIN} to ${NAME_MAX} characters`);
  if (!ALLOWED.test(name)) return refuse("name_invalid", "A name holds letters, digits, spaces and - ' . _ only, and starts with a letter or digit");
  return { ok: true, name, key: nameKey(name) };
}

/** The key two names are compared by: "Élodie", "ÉLODIE" and "élodie" are one name. */
export function nameKey(name: string): string {
  return name.normalize("NFKC").toLocaleLowerCase("fr").normalize("NFC");
}
