/**
 * Build step: a /favicon.ico for every page the server renders (the game
 * and the TEST MODE checkout, which browsers ask for /favicon.ico), drawn
 * in code — a little red-roofed house on a green tile — as a 32×32 ICO.
 */
import type { Plugin } from "vite";

const SIZE = 32;
type Rgba = [number, number, number, number];

const GREEN: Rgba = [78, 154, 47, 255];
const ROOF: Rgba = [217, 67, 79, 255];
const WALL: Rgba = [255, 246, 224, 255];
const DOOR: Rgba = [138, 90, 48, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

function pixel(x: number, y: number): Rgba {
  // Rounded green tile.
  const r = 6;
  const cx = Math.min(Math.max(x, r), SIZE - 1 - r);
  const cy = Math.min(Math.max(y, r), SIZE - 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return CLEAR;
  // Roof: a triangle from (16, 5) down to y = 15.
  if (y >= 5 && y <= 15 && Math.abs(x - 15.5) <= (y - 4) * 1.1) return ROOF;
  // Walls with a door.
  if (y > 15 && y <= 26 && x >= 8 && x <= 23) return x >= 14 && x <= 17 && y >= 20 ? DOOR : WALL;
  return GREEN;
}

/** A 32-bit BMP-in-ICO: header, directory entry, BITMAPINFOHEADER, BGRA rows bottom-up, AND mask. */
export function drawFavicon(): Uint8Array {
  const pixels = SIZE * SIZE * 4;
  const mask = (SIZE / 8) * SIZE;
  const image = 40 + pixels + mask;
  const out = new Uint8Array(6 + 16 + image);
  const view = new DataView(out.buffer);
  view.setUint16(2, 1, true); // type: icon
  view.setUint16(4, 1, true); // one image
  out[6] = SIZE;
  out[7] = SIZE;
  view.setUint16(10, 1, true); // colour planes
  view.setUint16(12, 32, true); // bits per pixel
  view.setUint32(14, image, true);
  view.setUint32(18, 22, true); // offset of the image
  const bmp = 22;
  view.setUint32(bmp, 40, true);
  view.setInt32(bmp + 4, SIZE, true);
  view.setInt32(bmp + 8, SIZE * 2, true); // XOR + AND halves
  view.setUint16(bmp + 12, 1, true);
  view.setUint16(bmp + 14, 32, true);
  view.setUint32(bmp + 20, pixels + mask, true);
  let at = bmp + 40;
  for (let y = SIZE - 1; y >= 0; y--) {
    for (let x = 0; x < SIZE; x++) {
      const [r, g, b, a] = pixel(x, y);
      out.set([b, g, r, a], at);
      at += 4;
    }
  }
  return out; // the AND mask stays zero: alpha decides.
}

export function favicon(): Plugin {
  return {
    name: "hameau-favicon",
    apply: "build",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "favicon.ico", source: drawFavicon() });
    },
  };
}
