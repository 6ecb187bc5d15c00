/**
 * The text of an uncompressed pdfkit PDF, as a reader would extract it:
 * standard fonts (WinAnsi bytes) and embedded fonts (glyph codes mapped back
 * to Unicode through their ToUnicode CMap), in drawing order.
 */

const WIN_ANSI_HIGH: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021, 0x88: 0x02c6,
  0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c,
  0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a,
  0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

type Cmap = Map<number, string>;

function objects(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of raw.matchAll(/(?:^|\n)(\d+) 0 obj\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    out.set(m[1]!, raw.slice(start, raw.indexOf("\nendobj", start)));
  }
  return out;
}

const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));

function parseCmap(stream: string): Cmap {
  const map: Cmap = new Map();
  for (const block of stream.matchAll(/beginbfrange\n([\s\S]*?)endbfrange/g)) {
    for (const line of block[1]!.split("\n")) {
      const m = /<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f]+>)/i.exec(line);
      if (!m) continue;
      const lo = Number.parseInt(m[1]!, 16);
      const hi = Number.parseInt(m[2]!, 16);
      if (m[3]!.startsWith("[")) [...m[3]!.matchAll(/<([0-9a-f]+)>/gi)].forEach((d, i) => map.set(lo + i, utf16(d[1]!)));
      else for (let c = lo; c <= hi; c++) map.set(c, String.fromCharCode(Number.parseInt(m[3]!.slice(1, -1), 16) + (c - lo)));
    }
  }
  for (const block of stream.matchAll(/beginbfchar\n([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) map.set(Number.parseInt(m[1]!, 16), utf16(m[2]!));
  }
  return map;
}

/** Every text-showing operator, in drawing order, decoded with the font it was drawn in. */
export function pdfRuns(pdf: Buffer): string[] {
  const raw = pdf.toString("latin1");
  const objs = objects(raw);
  const fonts = new Map<string, Cmap | null>();
  for (const m of raw.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const body = objs.get(m[2]!) ?? "";
    const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(body);
    fonts.set(m[1]!, toUnicode ? parseCmap(objs.get(toUnicode[1]!) ?? "") : null);
  }
  const runs: string[] = [];
  for (const stream of raw.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    const content = stream[1]!;
    if (!/\bBT\n/.test(content) || !/ Tf\n/.test(content)) continue;
    let cmap: Cmap | null = null;
    for (const m of content.matchAll(/\/(F\d+) [\d.]+ Tf|\[((?:<[0-9a-fA-F]*>|-?[\d.]+| )*)\] TJ|<([0-9a-fA-F]*)> Tj/g)) {
      if (m[1]) {
        cmap = fonts.get(m[1]) ?? null;
        continue;
      }
      const hexes = m[2] !== undefined ? [...m[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : [m[3]!];
      runs.push(hexes.map((hex) => decode(hex, cmap)).join(""));
    }
  }
  return runs;
}

function decode(hex: string, cmap: Cmap | null): string {
  let out = "";
  if (cmap) {
    for (let i = 0; i < hex.length; i += 4) out += cmap.get(Number.parseInt(hex.slice(i, i + 4), 16)) ?? "\ufffd";
    return out;
  }
  for (let i = 0; i < hex.length; i += 2) {
    const byte = Number.parseInt(hex.slice(i, i + 2), 16);
    out += String.fromCodePoint(WIN_ANSI_HIGH[byte] ?? byte);
  }
  return out;
}

/** The whole text on one line, spaces normalised. */
export function pdfPlainText(pdf: Buffer): string {
  return pdfRuns(pdf).join(" ").replace(/[\s\u00a0]+/g, " ");
}
