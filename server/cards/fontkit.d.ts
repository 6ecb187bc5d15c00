/** The small part of fontkit 2 the share cards use (the package ships no types). */
declare module "fontkit" {
  export interface FontPath {
    scale(sx: number, sy?: number): FontPath;
    translate(x: number, y: number): FontPath;
    toSVG(): string;
  }
  export interface Glyph {
    id: number;
    path: FontPath;
    advanceWidth: number;
  }
  export interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }
  export interface GlyphRun {
    glyphs: Glyph[];
    positions: GlyphPosition[];
    advanceWidth: number;
  }
  export interface Font {
    unitsPerEm: number;
    ascent: number;
    descent: number;
    layout(text: string, features?: string[]): GlyphRun;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Buffer | Uint8Array): Font;
}
