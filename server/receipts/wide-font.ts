/**
 * Names in any script on receipts. The standard Helvetica fonts only know
 * WinAnsi (Western European letters); a donor called Наталья or 王小明 would
 * come out as question marks. A text holding other letters is printed with
 * an embedded Noto Sans (the CJK "Hans" cut, package @embedpdf/fonts-sc,
 * SIL Open Font License): Latin with every accent, Vietnamese, Greek,
 * Cyrillic, Chinese and Japanese kana (not all of Latin Extended: "Ł" still
 * prints as "L"). pdfkit embeds only the glyphs used,
 * with a ToUnicode map, so the text stays searchable and copyable. A letter
 * that font lacks loses its accent ("έ" → "ε": it has no Greek with tonos);
 * what it lacks entirely (Arabic, Hebrew, Korean Hangul, Devanagari…) falls
 * back to winAnsi() like before. Texts in WinAnsi keep Helvetica, byte for
 * byte.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const WIDE = "NotoSansHans";
export const WIDE_BOLD = "NotoSansHans-Bold";

const fontsDir = path.join(path.dirname(createRequire(import.meta.url).resolve("@embedpdf/fonts-sc")), "..", "fonts");
let files: { regular: Buffer; bold: Buffer } | undefined;

/** Registers the wide fonts with a document (read from disk once per process, parsed only if used). */
export function registerWideFonts(doc: PDFKit.PDFDocument): void {
  files ??= { regular: readFileSync(path.join(fontsDir, "NotoSansHans-Regular.otf")), bold: readFileSync(path.join(fontsDir, "NotoSansHans-Bold.otf")) };
  doc.registerFont(WIDE, files.regular);
  doc.registerFont(WIDE_BOLD, files.bold);
}

/** The wide font standing in for a standard one (bold stays bold). */
export function wideFontFor(font: string): string {
  return /bold/i.test(font) ? WIDE_BOLD : WIDE;
}

/** Whether the document's current font has a glyph for this character (pdfkit's embedded fontkit font). */
export function currentFontHas(doc: PDFKit.PDFDocument, char: string): boolean {
  const font = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (code: number) => boolean } } })._font?.font;
  return Boolean(font?.hasGlyphForCodePoint?.(char.codePointAt(0) ?? 0));
}
