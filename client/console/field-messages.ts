/**
 * The API's field messages in the console's language. Some routes send a
 * field error code (translated as `field.<code>` in assets/i18n, e.g. the
 * catalog's), others an English zod message (matched below). A message
 * neither knows is shown as the server sent it.
 */
import gameEn from "../../assets/i18n/en.json" with { type: "json" };
import { t, type MessageKey } from "../i18n.ts";
import { ct, type ConsoleKey } from "./i18n.ts";

const PATTERNS: Array<[RegExp, ConsoleKey]> = [
  [/\bwhole percent\b|\bratioPercent is at (least|most)\b/i, "fieldmsg.ratio"],
  [/\bis already past\b/i, "fieldmsg.past"],
  [/\bpledge must (start|end)\b/i, "fieldmsg.pledgeWindow"],
  [/\b(at least|minimum( is)?) (1 €|€1|100 cents?)\b/i, "fieldmsg.priceMin"],
  [/\bat least (\d+) characters?/i, "fieldmsg.tooShort"],
  [/\bat most (\d+) characters?/i, "fieldmsg.tooLong"],
  [/\b(is )?(required|missing|empty)\b/i, "fieldmsg.required"],
  [/\b(must be|is not) an? (whole number|integer)\b/i, "fieldmsg.integer"],
  [/\b(must be|is not) an? (number|amount)\b/i, "fieldmsg.number"],
  [/\b(must be|is not) an? (e-?mail)/i, "fieldmsg.email"],
  [/\b(must be|is not) an? (url|web address)/i, "fieldmsg.url"],
  [/\b(must be|is not) an? (date|instant|time)/i, "fieldmsg.date"],
  [/\b(after|later than) (the )?start/i, "fieldmsg.endAfterStart"],
  [/\b(must be|is not) an? .*\bid\b/i, "fieldmsg.choose"],
  [/\bcontrol characters?\b/i, "fieldmsg.control"],
  [/\bhttp\(s\) address/i, "fieldmsg.url"],
  [/\bnot a postal code\b/i, "fieldmsg.postalCode"],
  [/\bat least one\b/i, "fieldmsg.required"],
];

/** `kind` is the field's input: an amount typed in euros is never told about cents. */
export function fieldMessage(message: string, kind?: string): string {
  if (kind === "euros" && /^price_not_cents$|\b(must be|is not) an? (whole )?number\b/i.test(message)) return ct("fieldmsg.amount");
  const coded = `field.${message}`;
  if (/^[a-z_]+$/.test(message) && Object.hasOwn(gameEn, coded)) return t(coded as MessageKey);
  for (const [pattern, key] of PATTERNS) {
    const m = pattern.exec(message);
    if (!m) continue;
    const count = /(\d+)/.exec(m[0])?.[1] ?? "";
    return ct(key, { count });
  }
  return message;
}
