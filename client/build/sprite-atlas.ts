/**
 * Build step: the SVG art the village draws at boot (client/scenes/art.ts's
 * ATLAS_SPRITES and ATLAS_TILES) rasterised with sharp and packed into one
 * lossless WebP atlas, so the first frame costs one image request instead of
 * one per SVG. Each picture gets a cell of ATLAS_RASTER px (twice its largest
 * display size at zoom 1: crisp on a 2x phone screen), with a gutter around it:
 * transparent around sprites, the tile's own edge pixels repeated around tiles
 * (they are drawn edge to edge, so filtering must not bleed in transparency).
 *
 * The client imports `virtual:sprite-atlas`: the atlas's URL (a hashed file in
 * /static in a build, a data: URL on the dev server) and its frames by name.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp, { type OverlayOptions } from "sharp";
import type { Plugin } from "vite";
import { ATLAS_RASTER, ATLAS_SPRITES, ATLAS_TILES, type AtlasFrames } from "../scenes/art.ts";

const GUTTER = 2;
const CELL = ATLAS_RASTER + 2 * GUTTER;
const MODULE_ID = "virtual:sprite-atlas";
const RESOLVED_ID = "\0" + MODULE_ID;

export interface PackedAtlas {
  image: Buffer;
  width: number;
  height: number;
  /** Frame key (as art.ts's spriteKey / tileKey) → its rectangle in the image. */
  frames: AtlasFrames;
}

/** One picture at ATLAS_RASTER × ATLAS_RASTER (aspect kept, centred), with its gutter. */
async function rasterise(file: string, edge: "clear" | "copy"): Promise<Buffer> {
  const svg = await readFile(file);
  const fitted = await sharp(svg, { density: 600 })
    .resize(ATLAS_RASTER, ATLAS_RASTER, { fit: "contain", background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png().toBuffer();
  return sharp(fitted)
    .extend({ top: GUTTER, bottom: GUTTER, left: GUTTER, right: GUTTER, extendWith: edge === "copy" ? "copy" : "background", background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png().toBuffer();
}

/** Packs the boot art of `assetsDir` (assets/) into one image, in a grid. */
export async function packAtlas(assetsDir: string): Promise<PackedAtlas> {
  const entries = [
    ...ATLAS_TILES.map((name) => ({ key: `tile:${name}`, file: path.join(assetsDir, "tiles", `${name}.svg`), edge: "copy" as const })),
    ...ATLAS_SPRITES.map((name) => ({ key: `sprite:${name}`, file: path.join(assetsDir, "sprites", `${name}.svg`), edge: "clear" as const })),
  ];
  const columns = Math.ceil(Math.sqrt(entries.length));
  const rows = Math.ceil(entries.length / columns);
  const width = columns * CELL;
  const height = rows * CELL;
  const frames: AtlasFrames = {};
  const composites: OverlayOptions[] = [];
  const cells = await Promise.all(entries.map((e) => rasterise(e.file, e.edge)));
  entries.forEach((entry, i) => {
    const left = (i % columns) * CELL;
    const top = Math.floor(i / columns) * CELL;
    composites.push({ input: cells[i]!, left, top });
    frames[entry.key] = { x: left + GUTTER, y: top + GUTTER, w: ATLAS_RASTER, h: ATLAS_RASTER };
  });
  const image = await sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite(composites)
    .webp({ lossless: true, effort: 6 })
    .toBuffer();
  return { image, width, height, frames };
}

export function spriteAtlas(assetsDir: string): Plugin {
  let building = false;
  return {
    name: "hameau-sprite-atlas",
    configResolved(config) {
      building = config.command === "build";
    },
    resolveId(id) {
      return id === MODULE_ID ? RESOLVED_ID : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const atlas = await packAtlas(assetsDir);
      for (const e of [...ATLAS_TILES.map((n) => path.join(assetsDir, "tiles", `${n}.svg`)), ...ATLAS_SPRITES.map((n) => path.join(assetsDir, "sprites", `${n}.svg`))]) this.addWatchFile(e);
      let url: string;
      if (building) {
        const hash = createHash("sha256").update(atlas.image).digest("base64url").slice(0, 10);
        const fileName = `static/sprites-${hash}.webp`;
        this.emitFile({ type: "asset", fileName, source: atlas.image });
        url = `/${fileName}`;
      } else {
        url = `data:image/webp;base64,${atlas.image.toString("base64")}`;
      }
      return `export default ${JSON.stringify({ url, width: atlas.width, height: atlas.height, frames: atlas.frames })};`;
    },
  };
}
