/**
 * Text on the share cards, drawn as glyph outlines: the card's SVG holds
 * <path>s, never <text>, so the PNG looks the same on any machine, with or
 * without fonts installed. The outlines come from Noto Sans (the CJK "Hans"
 * cut shipped by @embedpdf/fonts-sc, SIL Open Font License: Latin with every
 * accent, Greek, Cyrillic, Chinese, Japanese kana), laid out by fontkit
 * (kerning and ligatures), measured for wrapping and cut with "…" to fit.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as fontkit from "fontkit";

export type Weight = "regular" | "bold";

/**
 * The CJK cut draws quotes and apostrophes full-width by default ("80’ s"); proportional widths
 * (`pwid`) give Latin text its usual punctuation.
 */
const FEATURES = ["pwid"];

const fontsDir = path.join(path.dirname(createRequire(import.meta.url).resolve("@embedpdf/fonts-sc")), "..", "fonts");
const FILES: Record<Weight, string> = { regular: "NotoSansHans-Regular.otf", bold: "NotoSansHans-Bold.otf" };
const loaded: Partial<Record<Weight, fontkit.Font>> = {};

/** The font of a weight, read from disk once per process. */
export function cardFont(weight: Weight): fontkit.Font {
  return (loaded[weight] ??= fontkit.create(readFileSync(path.join(fontsDir, FILES[weight]))));
}

/** Control characters and bidi overrides never reach a card; runs of spaces become one. */
export function cleanText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, " ").replace(/\s+/g, " ").trim();
}

/** Width in pixels of a text at a size. */
export function measure(text: string, size: number, weight: Weight): number {
  const font = cardFont(weight);
  return (font.layout(text, FEATURES).advanceWidth * size) / font.unitsPerEm;
}

/** The longest start of `text` that fits `maxWidth` with "…" after it (the whole text when it fits). */
export function fitLine(text: string, size: number, weight: Weight, maxWidth: number): string {
  if (measure(text, size, weight) <= maxWidth) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${chars.slice(0, mid).join("").trimEnd()}…`, size, weight) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join("").trimEnd()}…`;
}

/**
 * The text broken into at most `maxLines` lines of `maxWidth`, at spaces (a word longer than a
 * line is cut); the last line ends with "…" when text is left over.
 */
export function wrapLines(text: string, size: number, weight: Weight, maxWidth: number, maxLines: number): string[] {
  const words = cleanText(text).split(" ").filter(Boolean);
  const lines: string[] = [];
  let current = "";
  let next = 0;
  while (next < words.length && lines.length < maxLines) {
    const candidate = current ? `${current} ${words[next]}` : words[next]!;
    if (measure(candidate, size, weight) <= maxWidth) {
      current = candidate;
      next++;
    } else if (current) {
      lines.push(current);
      current = "";
    } else {
      // One word wider than a line: cut it.
      lines.push(fitLine(words[next]!, size, weight, maxWidth));
      next++;
    }
  }
  if (current) lines.push(current);
  if (next < words.length && lines.length > 0) {
    const last = lines.length - 1;
    const line = lines[last]!;
    if (!line.endsWith("…")) {
      lines[last] = measure(`${line}…`, size, weight) <= maxWidth ? `${line}…` : fitLine(`${line} ${words[next]}`, size, weight, maxWidth);
    }
  }
  return lines;
}

export interface TextRun {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  size: number;
  weight: Weight;
  fill: string;
  /** "end": x is where the text ends (right-aligned). */
  anchor?: "start" | "end";
}

/** A text as one SVG <path> of its glyph outlines. */
export function textPath(run: TextRun): string {
  const font = cardFont(run.weight);
  const glyphs = font.layout(cleanText(run.text), FEATURES);
  const scale = run.size / font.unitsPerEm;
  const width = glyphs.advanceWidth * scale;
  let x = run.anchor === "end" ? run.x - width : run.x;
  let d = "";
  glyphs.glyphs.forEach((glyph, i) => {
    const p = glyphs.positions[i]!;
    d += glyph.path.scale(scale, -scale).translate(x + p.xOffset * scale, run.y - p.yOffset * scale).toSVG();
    x += p.xAdvance * scale;
  });
  return d ? `<path fill="${run.fill}" d="${d}"/>` : "";
}
