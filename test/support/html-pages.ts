/**
 * Reading server-rendered pages in tests: html-validate's own parser for the
 * DOM (title, meta tags, links), html-validate's recommended rules for
 * validity, and a PNG's declared size from its IHDR chunk.
 */
import { HtmlValidate, type HtmlElement, Parser } from "html-validate";

/**
 * The recommended rules, with one allowance: the live goal bar's width is its data (the live markup
 * contract sets `style.width`), so an inline `width` is allowed and nothing else.
 */
const validator = new HtmlValidate({
  extends: ["html-validate:recommended"],
  rules: { "no-inline-style": ["error", { allowedProperties: ["width"] }] },
});

/** Every problem html-validate finds, as "rule line:column message" (empty: valid). */
export async function htmlProblems(source: string): Promise<string[]> {
  const report = await validator.validateString(source);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`));
}

/** Attribute values as the browser reads them (the parser keeps character references as written). */
export function decodeEntities(value: string): string {
  return value.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (m, e: string) => {
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (e[0] !== "#") return named[e.toLowerCase()] ?? m;
    return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

export interface ParsedPage {
  root: HtmlElement;
  lang: string | null;
  title: string;
  /** meta name= and property= → content (the first of each; `all` for repeated ones). */
  meta: Map<string, string>;
  all(name: string): string[];
  /** <link rel=…> hrefs, "canonical" or "alternate:<hreflang>". */
  links: Map<string, string>;
  /** Text of the element matching a selector ("" if none). */
  text(selector: string): string;
  attr(selector: string, name: string): string | null;
}

export async function parsePage(source: string): Promise<ParsedPage> {
  const root = new Parser(await validator.getConfigFor("page.html")).parseHtml(source);
  const value = (el: HtmlElement | null | undefined, name: string) => {
    const v = el?.getAttributeValue(name);
    return v === null || v === undefined ? null : decodeEntities(v);
  };
  const metas = root.querySelectorAll("meta").map((m) => [value(m, "property") ?? value(m, "name"), value(m, "content")] as const);
  const meta = new Map<string, string>();
  for (const [k, v] of metas) if (k && v !== null && !meta.has(k)) meta.set(k, v);
  const links = new Map<string, string>();
  for (const l of root.querySelectorAll("link")) {
    const rel = value(l, "rel");
    const href = value(l, "href");
    if (!rel || !href) continue;
    links.set(rel === "alternate" ? `alternate:${value(l, "hreflang")}` : rel, href);
  }
  return {
    root,
    lang: value(root.querySelector("html"), "lang"),
    title: decodeEntities(root.querySelector("title")?.textContent ?? ""),
    meta,
    all: (name) => metas.filter(([k]) => k === name).map(([, v]) => v ?? ""),
    links,
    text: (selector) => decodeEntities(root.querySelector(selector)?.textContent ?? "").replace(/\s+/g, " ").trim(),
    attr: (selector, name) => value(root.querySelector(selector), name),
  };
}

/** Width and height from a PNG's IHDR chunk; throws if the bytes are not a PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(signature)) throw new Error("not a PNG");
  if (bytes.subarray(12, 16).toString("latin1") !== "IHDR") throw new Error("PNG without IHDR first");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
