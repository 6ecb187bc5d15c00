/**
 * Shared layout for Hameau's PDF receipts (pdfkit, A4, the standard
 * Helvetica fonts). pdfkit writes standard-font text in WinAnsiEncoding:
 * French accents, "œ" and "€" are in it, but a character outside it (a
 * Polish "ł", an emoji) would be written as garbage. Every string therefore
 * goes through winAnsi() first, which keeps what the font can show and
 * replaces the rest with its closest plain letter, unless the text holds
 * letters of other scripts: printable() then prints it with the embedded wide
 * font (wide-font.ts).
 */
import PDFDocument from "pdfkit";
import type { Locale } from "../../shared/money.ts";
import { currentFontHas, registerWideFonts, wideFontFor } from "./wide-font.ts";

export const COLORS = {
  brand: "#2F5D3A",
  brandDark: "#1E3F27",
  brandLight: "#EEF4EE",
  accent: "#C9A227",
  ink: "#1F2328",
  muted: "#6B7280",
  rule: "#D5DAD5",
  zebra: "#F7F9F7",
  white: "#FFFFFF",
} as const;

export const FONT = "Helvetica";
export const BOLD = "Helvetica-Bold";
export const ITALIC = "Helvetica-Oblique";
export const MARGIN = 50;
/** Space kept free at the bottom of each page for the footer. */
const FOOTER_SPACE = 62;

export interface PdfRenderOptions {
  /** Compress content streams (default true). Tests turn it off to read the text back. */
  compress?: boolean;
}

export interface DocumentMeta {
  title: string;
  subject: string;
  author: string;
  createdAt: Date;
  locale: Locale;
}

// WinAnsiEncoding's 0x80–0x9F block, by Unicode code point.
const WIN_ANSI_EXTRA = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);
const FALLBACKS: Record<string, string> = {
  "\u202f": "\u00a0", "\u2009": " ", "\u2002": " ", "\u2003": " ", "\u2007": "\u00a0", "\u2011": "-", "\u2010": "-",
  "\u2212": "-", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "\u2032": "'", "\u2033": '"',
};

function isWinAnsi(code: number): boolean {
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(code);
}

/**
 * The text as it will be printed, and the font to print it with: a text winAnsi() can print keeps
 * the standard font; one with letters of other scripts (Cyrillic, Chinese…) gets the embedded wide font
 * (wide-font.ts), each character that font lacks going through winAnsi(). Selects the font.
 */
export function printable(doc: PDFKit.PDFDocument, text: string, font: string): { text: string; font: string } {
  // A letter (or accent) outside WinAnsi: "ř", "ễ", "Н", "王". Spaces and dashes have WinAnsi stand-ins.
  const needsWide = [...text].some((c) => !isWinAnsi(c.codePointAt(0) ?? 0) && /[\p{L}\p{M}]/u.test(c));
  if (!needsWide) {
    doc.font(font);
    return { text: winAnsi(text), font };
  }
  const wide = wideFontFor(font);
  doc.font(wide);
  let out = "";
  for (const char of text.normalize("NFC").replace(/\r\n?|\t/g, (m) => (m === "\t" ? " " : "\n"))) {
    if (char === "\n" || currentFontHas(doc, char)) {
      out += char;
      continue;
    }
    // "έ" where the font has only "ε": the letter without its accent, as winAnsi() does.
    const base = char.normalize("NFD").replace(/\p{M}/gu, "");
    out += base.length > 0 && [...base].every((c) => currentFontHas(doc, c)) ? base : winAnsi(char);
  }
  // Nothing gained ("Łukasz Dvořák" comes out "Lukasz Dvorák" either way): keep the standard font.
  const standard = winAnsi(text);
  if (out === standard) {
    doc.font(font);
    return { text: standard, font };
  }
  return { text: out, font: wide };
}

/** Makes any text printable with the standard fonts: see the module comment. */
export function winAnsi(text: string): string {
  let out = "";
  for (const char of text.replace(/\r\n?|\t/g, (m) => (m === "\t" ? " " : "\n"))) {
    const code = char.codePointAt(0) ?? 0x3f;
    if (isWinAnsi(code)) {
      out += char;
      continue;
    }
    const fallback = FALLBACKS[char];
    if (fallback !== undefined) {
      out += fallback;
      continue;
    }
    // "ř" → "r", "ș" → "s": drop the accents the font lacks, keep the letter.
    const base = char.normalize("NFD").replace(/\p{M}/gu, "");
    out += base.length > 0 && [...base].every((c) => isWinAnsi(c.codePointAt(0) ?? 0)) ? base : "?";
  }
  return out;
}

/** Whether the current font can draw "€" (pdfkit maps it to WinAnsi 0x80 since 0.x; older builds drew nothing). */
export function canDrawEuroSign(doc: PDFKit.PDFDocument): boolean {
  return doc.widthOfString("€") > 0;
}

/**
 * "1 234,50 €" (fr) or "€1,234.50" (en), always with cents, with a
 * non-breaking space so the sign never wraps away; "1 234,50 euros" when the
 * font has no "€".
 */
export function formatEuros(cents: number, locale: Locale, euroSign: boolean): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be an integer number of cents, got ${cents}`);
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const units = new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 0 })
    .format(Math.floor(abs / 100))
    .replace(/[\u202f\u00a0]/g, "\u00a0");
  const fraction = String(abs % 100).padStart(2, "0");
  if (locale === "fr") return `${sign}${units},${fraction}\u00a0${euroSign ? "€" : "euros"}`;
  return euroSign ? `${sign}€${units}.${fraction}` : `${sign}${units}.${fraction}\u00a0euros`;
}

const DATE_LOCALES: Record<Locale, string> = { fr: "fr-FR", en: "en-GB" };

/** Dates are shown in French time: a payment at 23:30 UTC on 31 December belongs to the next year. */
export const RECEIPT_TIME_ZONE = "Europe/Paris";

export function formatDate(date: Date, locale: Locale, style: "long" | "short"): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("invalid date");
  const options: Intl.DateTimeFormatOptions =
    style === "long"
      ? { day: "numeric", month: "long", year: "numeric", timeZone: RECEIPT_TIME_ZONE }
      : { day: "2-digit", month: "2-digit", year: "numeric", timeZone: RECEIPT_TIME_ZONE };
  return new Intl.DateTimeFormat(DATE_LOCALES[locale], options).format(date);
}

export function yearInFrance(date: Date): number {
  return Number(new Intl.DateTimeFormat("en-GB", { year: "numeric", timeZone: RECEIPT_TIME_ZONE }).format(date));
}

export function createDocument(meta: DocumentMeta, options: PdfRenderOptions = {}): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: FOOTER_SPACE },
    bufferPages: true,
    compress: options.compress ?? true,
    lang: meta.locale === "fr" ? "fr-FR" : "en-GB",
    displayTitle: true,
    info: {
      Title: winAnsi(meta.title),
      Subject: winAnsi(meta.subject),
      Author: winAnsi(meta.author),
      Creator: "Hameau",
      Producer: "Hameau (pdfkit)",
      // Fixed dates make the same receipt render to the same bytes.
      CreationDate: meta.createdAt,
      ModDate: meta.createdAt,
    },
  });
  registerWideFonts(doc);
  return doc;
}

/** Ends the document and resolves with its bytes. */
export function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}

export function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Bottom of the writable area of the current page. */
export function bottomLimit(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page when fewer than `height` points are left. */
export function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > bottomLimit(doc)) {
    doc.addPage();
    doc.y = doc.page.margins.top;
  }
}

/** A block of text lines, measured before drawing so boxes can be filled behind it. */
export interface TextItem {
  text: string;
  font?: string;
  size?: number;
  color?: string;
  /** Extra space above. */
  gap?: number;
}

function itemOptions(width: number): PDFKit.Mixins.TextOptions {
  return { width, lineGap: 1.5 };
}

export function measureItems(doc: PDFKit.PDFDocument, items: readonly TextItem[], width: number): number {
  let height = 0;
  for (const item of items) {
    const { text } = printable(doc, item.text, item.font ?? FONT);
    doc.fontSize(item.size ?? 9.5);
    height += (item.gap ?? 0) + doc.heightOfString(text, itemOptions(width));
  }
  return height;
}

export function drawItems(doc: PDFKit.PDFDocument, items: readonly TextItem[], x: number, y: number, width: number): number {
  let cursor = y;
  for (const item of items) {
    cursor += item.gap ?? 0;
    const { text } = printable(doc, item.text, item.font ?? FONT);
    doc.fontSize(item.size ?? 9.5).fillColor(item.color ?? COLORS.ink);
    doc.text(text, x, cursor, itemOptions(width));
    cursor += doc.heightOfString(text, itemOptions(width));
  }
  return cursor;
}

/** Full-width coloured band at the top of the first page. */
export function drawHeaderBand(
  doc: PDFKit.PDFDocument,
  band: { title: string; subtitle: string; rightLabel: string; rightValue: string; rightNote?: string },
): void {
  const width = doc.page.width;
  const height = 84;
  doc.save().rect(0, 0, width, height).fill(COLORS.brand).restore();
  doc.save().rect(0, height, width, 3).fill(COLORS.accent).restore();
  const half = (width - 2 * MARGIN) / 2;
  drawItems(doc, [
    { text: band.title, font: BOLD, size: 17, color: COLORS.white },
    { text: band.subtitle, size: 9, color: "#D8E6D8", gap: 4 },
  ], MARGIN, 25, half + 40);
  const right = MARGIN + half + 50;
  const rightWidth = half - 50;
  doc.font(FONT).fontSize(8.5).fillColor("#D8E6D8")
    .text(winAnsi(band.rightLabel), right, 24, { width: rightWidth, align: "right" });
  // A long value (an order UUID) shrinks to stay on one line.
  const value = winAnsi(band.rightValue);
  let size = 12;
  while (size > 7 && doc.font(BOLD).fontSize(size).widthOfString(value) > rightWidth) size -= 0.5;
  doc.font(BOLD).fontSize(size).fillColor(COLORS.white)
    .text(value, right, 37 + (12 - size) / 2, { width: rightWidth, align: "right", lineBreak: false });
  if (band.rightNote !== undefined) {
    doc.font(FONT).fontSize(8.5).fillColor("#D8E6D8")
      .text(winAnsi(band.rightNote), right, 56, { width: rightWidth, align: "right" });
  }
  doc.x = MARGIN;
  doc.y = height + 24;
}

/** Small capitals-like section heading with a rule under it. */
export function sectionTitle(doc: PDFKit.PDFDocument, text: string): void {
  ensureSpace(doc, 60);
  const y = doc.y;
  doc.font(BOLD).fontSize(8.5).fillColor(COLORS.brand)
    .text(winAnsi(text.toUpperCase()), MARGIN, y, { characterSpacing: 0.8, width: contentWidth(doc) });
  const ruleY = y + 13;
  doc.save().moveTo(MARGIN, ruleY).lineTo(MARGIN + contentWidth(doc), ruleY).lineWidth(0.6)
    .strokeColor(COLORS.rule).stroke().restore();
  doc.x = MARGIN;
  doc.y = ruleY + 8;
}

/**
 * Grey footer on every page: a rule, a note and "page n/N"; from the second
 * page on, `continuation` is written at the top. Call once, just before finish().
 */
export function drawFooters(doc: PDFKit.PDFDocument, note: string, pageWord: string, continuation?: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the margin must not open a page
    const y = doc.page.height - 52;
    const width = contentWidth(doc);
    doc.save().moveTo(MARGIN, y).lineTo(MARGIN + width, y).lineWidth(0.5).strokeColor(COLORS.rule).stroke().restore();
    doc.font(FONT).fontSize(7).fillColor(COLORS.muted)
      .text(winAnsi(note), MARGIN, y + 7, { width: width - 70, lineGap: 1 });
    doc.text(winAnsi(`${pageWord} ${i - range.start + 1}/${range.count}`), MARGIN + width - 60, y + 7, {
      width: 60,
      align: "right",
    });
    if (continuation !== undefined && i > range.start) {
      doc.text(winAnsi(continuation), MARGIN, 26, { width, align: "right", lineBreak: false });
    }
    doc.page.margins.bottom = bottom;
  }
}
