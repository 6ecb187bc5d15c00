/**
 * The text of a PDF as served (compressed content streams), for integration
 * tests: every Flate stream is inflated, then pdfkit's standard-font text
 * operators (`[<hex> kerning <hex> …] TJ`, WinAnsiEncoding) are decoded, as
 * test/unit/receipts-pdf.test.ts does for uncompressed ones.
 */
import { inflateSync } from "node:zlib";

const WIN_ANSI_HIGH: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021, 0x88: 0x02c6,
  0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c,
  0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a,
  0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

function decodeHex(hex: string): string {
  let out = "";
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const byte = Number.parseInt(hex.slice(i, i + 2), 16);
    out += String.fromCodePoint(WIN_ANSI_HIGH[byte] ?? byte);
  }
  return out;
}

/** The whole text on one line, spaces normalised. */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  const parts: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf("endstream", start);
    if (end < 0) continue;
    const bytes = pdf.subarray(start, end);
    try {
      parts.push(inflateSync(bytes).toString("latin1"));
    } catch {
      parts.push(bytes.toString("latin1"));
    }
  }
  const runs: string[] = [];
  for (const m of parts.join("\n").matchAll(/\[((?:<[0-9a-fA-F]*>|-?[\d.]+|\s)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
    const body = m[1] ?? `<${m[2] ?? ""}>`;
    runs.push([...body.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decodeHex(h[1] ?? "")).join(""));
  }
  return runs.join(" ").replace(/[\s\u00a0\u202f]+/g, " ");
}
