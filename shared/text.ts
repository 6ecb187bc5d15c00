/**
 * What text typed into Hameau may hold, checked at every door (request
 * bodies, query strings, room messages) and by the zod schemas of each form.
 *
 * - Never a NUL (the database cannot store it) nor a broken character (a lone
 *   UTF-16 surrogate, which is what invalid UTF-8 or a stray `\ud800` escape
 *   decodes to).
 * - Never a bidirectional control (U+202A–U+202E embeddings and overrides,
 *   U+2066–U+2069 isolates, U+200E/U+200F/U+061C marks) in a name or text
 *   other people read: a right-to-left override makes "gpj.exe" look like
 *   "exe.jpg", a name spoof the same way. Arabic and Hebrew need none of them.
 * - Other control characters: never in a line; in a paragraph, only line
 *   breaks and tabs.
 */
export const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Control characters except tab, line feed and carriage return (C0, DEL and C1). */
export const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
/** Every control character, line breaks included (C0, DEL and C1). */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** Invisible characters a player name may not hold: controls, format characters (bidi controls among them), private use, lone surrogates, line and paragraph separators. */
export const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Whether a string can be stored and read back as it is: no NUL, no lone surrogate. */
export function isStorableText(s: string): boolean {
  return !s.includes("\u0000") && !LONE_SURROGATE.test(s);
}
/** In a `u` regular expression, \p{Cs} matches only a surrogate that is not half of a pair. */
const LONE_SURROGATE = /\p{Cs}/u;

export type TextProblem = "control_characters" | "bidi_controls";

/** Why a text a person typed cannot be used (null when it can): a one-line text, or a paragraph with line breaks. */
export function textProblem(s: string, kind: "line" | "paragraph"): TextProblem | null {
  if (!isStorableText(s) || (kind === "line" ? CONTROL : CONTROL_EXCEPT_LINE_BREAKS).test(s)) return "control_characters";
  if (BIDI_CONTROL.test(s)) return "bidi_controls";
  return null;
}

/** How deep a JSON request body may nest: no form of Hameau needs more than a few levels. */
export const MAX_JSON_DEPTH = 16;

/**
 * The first problem of a parsed JSON value, walked without recursion: a key or string that cannot
 * be stored, or nesting deeper than maxDepth. Null when it is fine.
 */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): { path: string; problem: "text_not_storable" | "too_deep" } | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === "string") {
      if (!isStorableText(v)) return { path: path || "(root)", problem: "text_not_storable" };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth >= maxDepth) return { path: path || "(root)", problem: "too_deep" };
    for (const [k, child] of Object.entries(v)) {
      const childPath = path ? `${path}.${k}` : k;
      if (!isStorableText(k)) return { path: childPath.replace(/[^\x20-\x7e]/g, "?"), problem: "text_not_storable" };
      stack.push({ v: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

/** A zod superRefine check for a text field labelled for people ("the French title cannot hold …"). */
export const checkText = (label: string, kind: "line" | "paragraph") =>
  (s: string, ctx: { addIssue(issue: { code: "custom"; message: string }): void }): void => {
    const problem = textProblem(s, kind);
    if (problem === "control_characters") ctx.addIssue({ code: "custom", message: `${label} cannot hold control characters` });
    if (problem === "bidi_controls") ctx.addIssue({ code: "custom", message: `${label} cannot hold bidirectional control characters (like a right-to-left override)` });
  };
