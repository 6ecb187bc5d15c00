/**
 * The share cards (1200×630) as SVG: a campaign's goal bar, a public
 * village, a gift and an NGO. Each builder takes plain data and returns the
 * SVG; text is drawn as glyph outlines (card-text.ts) and sprites are the
 * game's own SVG art, embedded. Nothing here reads the database: what a card
 * may show (never an amount a person gave) is decided by what it is given.
 */
import { CARD_HEIGHT as H, CARD_WIDTH as W } from "../pages/page-document.ts";
import { type TextRun, type Weight, fitLine, measure, textPath, wrapLines } from "./card-text.ts";

/** Reads a sprite's SVG by name (null if there is none). */
export type SpriteSource = (name: string) => Buffer | null;

const INK = "#3b2a17";
const INK_SOFT = "#6b5433";
const GREEN = "#3f8f25";
const GREEN_DARK = "#2b6617";
const PAPER = "#fffaf0";
const LINE = "#efe2c2";
const RED = "#c0392b";
const PAD = 72;

function text(run: TextRun): string {
  return textPath(run);
}

function sprite(source: SpriteSource, name: string, x: number, y: number, size: number): string {
  const svg = source(name) ?? source("coin");
  if (!svg) return "";
  return `<image x="${x}" y="${y}" width="${size}" height="${size}" href="data:image/svg+xml;base64,${svg.toString("base64")}"/>`;
}

/** Background, the card panel and the brand in the top left corner. */
function frame(source: SpriteSource, inner: string, footer: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#cfe6b8"/><stop offset="1" stop-color="#f3ecd8"/></linearGradient></defs>
<rect width="${W}" height="${H}" fill="url(#sky)"/>
<rect x="24" y="24" width="${W - 48}" height="${H - 48}" rx="36" fill="${PAPER}" stroke="${LINE}" stroke-width="4"/>
${sprite(source, "house", PAD - 4, 52, 52)}
${text({ text: "Hameau", x: PAD + 58, y: 90, size: 34, weight: "bold", fill: GREEN_DARK })}
${text({ text: footer, x: W - PAD, y: 90, size: 24, weight: "regular", fill: INK_SOFT, anchor: "end" })}
${inner}
</svg>`;
}

function lines(texts: string[], x: number, y: number, size: number, weight: Weight, fill: string, leading = 1.2): string {
  return texts.map((t, i) => text({ text: t, x, y: y + i * size * leading, size, weight, fill })).join("");
}

function badge(label: string, xEnd: number, y: number): string {
  const size = 26;
  const w = measure(label, size, "bold") + 36;
  return `<rect x="${xEnd - w}" y="${y - 34}" width="${w}" height="46" rx="23" fill="${RED}"/>${text({ text: label, x: xEnd - 18, y: y - 2, size, weight: "bold", fill: "#ffffff", anchor: "end" })}`;
}

export interface CampaignCard {
  title: string;
  ngo: string;
  /** "1 234 € collectés sur 5 000 €" */
  raisedLine: string;
  /** "42 %" */
  percentText: string;
  /** Whole percent of the goal (the bar is capped at 100). */
  percent: number;
  /** "12 donateurs · Se termine le 12 décembre 2026" */
  detail: string;
  emergency: string | null;
  sprites: string[];
  footer: string;
}

export function campaignCardSvg(c: CampaignCard, source: SpriteSource): string {
  const width = W - 2 * PAD;
  const titleLines = wrapLines(c.title, 62, "bold", width, 2);
  const titleY = 232;
  // One title line or two, the bar stays where the eye expects it.
  const barY = titleLines.length > 1 ? 356 : 300;
  const fill = Math.max(0, Math.min(100, c.percent));
  const percentW = measure(c.percentText, 64, "bold");
  const spriteRow = c.sprites.slice(0, 4);
  const spritesW = spriteRow.length * 84;
  const inner = [
    c.emergency ? badge(c.emergency, W - PAD, 156) : "",
    text({ text: fitLine(c.ngo, 30, "regular", width - (c.emergency ? 260 : 0)), x: PAD, y: 156, size: 30, weight: "regular", fill: INK_SOFT }),
    lines(titleLines, PAD, titleY, 62, "bold", INK),
    `<rect x="${PAD}" y="${barY}" width="${width}" height="52" rx="26" fill="${LINE}"/>`,
    fill > 0 ? `<rect x="${PAD}" y="${barY}" width="${Math.max(52, (width * fill) / 100)}" height="52" rx="26" fill="${GREEN}"/>` : "",
    text({ text: c.percentText, x: W - PAD, y: barY + 124, size: 64, weight: "bold", fill: GREEN_DARK, anchor: "end" }),
    text({ text: fitLine(c.raisedLine, 40, "bold", width - percentW - 40), x: PAD, y: barY + 114, size: 40, weight: "bold", fill: INK }),
    text({ text: fitLine(c.detail, 28, "regular", width - spritesW - 24), x: PAD, y: H - 72, size: 28, weight: "regular", fill: INK_SOFT }),
    spriteRow.map((s, i) => sprite(source, s, W - PAD - spritesW + i * 84 + 6, H - 126, 72)).join(""),
  ];
  return frame(source, inner.join("\n"), c.footer);
}

export interface VillageCardItem {
  sprite: string;
  count: number;
}

export interface VillageCard {
  /** "Le village de Marie" */
  title: string;
  subtitle: string;
  /** What stands in it, most numerous first (never an amount). */
  items: VillageCardItem[];
  /** "5 cadeaux · 3 décorations" */
  detail: string;
  footer: string;
}

export function villageCardSvg(v: VillageCard, source: SpriteSource): string {
  const width = W - 2 * PAD;
  const shown = v.items.slice(0, 6);
  const tile = 140;
  const gap = 18;
  const top = 318;
  const tiles = shown.map((item, i) => {
    const x = PAD + i * (tile + gap);
    const label = `× ${item.count}`;
    return `<rect x="${x}" y="${top}" width="${tile}" height="${tile + 20}" rx="22" fill="#f6efd9"/>${sprite(source, item.sprite, x + 22, top + 14, tile - 44)}${
      text({ text: label, x: x + tile / 2 + measure(label, 28, "bold") / 2, y: top + tile + 2, size: 28, weight: "bold", fill: INK, anchor: "end" })
    }`;
  });
  const inner = [
    text({ text: fitLine(v.title, 64, "bold", width), x: PAD, y: 226, size: 64, weight: "bold", fill: INK }),
    text({ text: fitLine(v.subtitle, 30, "regular", width), x: PAD, y: 280, size: 30, weight: "regular", fill: INK_SOFT }),
    tiles.join(""),
    text({ text: fitLine(v.detail, 30, "bold", width), x: PAD, y: H - 66, size: 30, weight: "bold", fill: GREEN_DARK }),
  ];
  return frame(source, inner.join("\n"), v.footer);
}

export interface GiftCard {
  name: string;
  ngo: string;
  price: string;
  impact: string;
  sprite: string;
  footer: string;
}

export function giftCardSvg(g: GiftCard, source: SpriteSource): string {
  const art = 300;
  const width = W - 2 * PAD - art - 40;
  const nameLines = wrapLines(g.name, 60, "bold", width, 2);
  const nameY = 252;
  const priceY = nameY + (nameLines.length - 1) * 72 + 82;
  const inner = [
    text({ text: fitLine(g.ngo, 30, "regular", width), x: PAD, y: 172, size: 30, weight: "regular", fill: INK_SOFT }),
    lines(nameLines, PAD, nameY, 60, "bold", INK),
    text({ text: g.price, x: PAD, y: priceY, size: 48, weight: "bold", fill: GREEN_DARK }),
    lines(wrapLines(g.impact, 30, "regular", width, nameLines.length > 1 ? 2 : 3), PAD, priceY + 66, 30, "regular", INK),
    `<circle cx="${W - PAD - art / 2}" cy="${H / 2 + 30}" r="${art / 2 + 10}" fill="#f6efd9"/>`,
    sprite(source, g.sprite, W - PAD - art + 40, H / 2 + 30 - art / 2 + 40, art - 80),
  ];
  return frame(source, inner.join("\n"), g.footer);
}

export interface NgoCard {
  name: string;
  purpose: string;
  sprites: string[];
  detail: string;
  footer: string;
}

export function ngoCardSvg(n: NgoCard, source: SpriteSource): string {
  const width = W - 2 * PAD;
  const nameLines = wrapLines(n.name, 64, "bold", width, 2);
  const purposeY = 206 + (nameLines.length - 1) * 76 + 64;
  const row = n.sprites.slice(0, 6);
  const inner = [
    lines(nameLines, PAD, 206, 64, "bold", INK),
    lines(wrapLines(n.purpose, 32, "regular", width, 3), PAD, purposeY, 32, "regular", INK),
    row.map((s, i) => sprite(source, s, W - PAD - row.length * 92 + i * 92 + 8, H - 140, 80)).join(""),
    text({ text: fitLine(n.detail, 30, "bold", width - row.length * 92 - 24), x: PAD, y: H - 72, size: 30, weight: "bold", fill: GREEN_DARK }),
  ];
  return frame(source, inner.join("\n"), n.footer);
}
