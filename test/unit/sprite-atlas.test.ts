import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { packAtlas, type PackedAtlas } from "../../client/build/sprite-atlas.ts";
import {
  ATLAS_RASTER, ATLAS_SPRITES, ATLAS_TILES, KNOWN_SPRITES, MEADOW_TILE, TILE_TEXTURES, spriteKey, tileKey,
} from "../../client/scenes/art.ts";

const assets = fileURLToPath(new URL("../../assets/", import.meta.url));
let atlas: PackedAtlas;
let pixels: Buffer;

beforeAll(async () => {
  atlas = await packAtlas(assets);
  pixels = await sharp(atlas.image).raw().ensureAlpha().toBuffer();
}, 60_000);

const alphaAt = (x: number, y: number) => pixels[(y * atlas.width + x) * 4 + 3]!;
const rgbaAt = (x: number, y: number) => [...pixels.subarray((y * atlas.width + x) * 4, (y * atlas.width + x) * 4 + 4)];

describe("the boot art's atlas", () => {
  it("holds every known sprite and every tile but the meadow's, under the keys the game uses, at twice their display size", async () => {
    expect(ATLAS_SPRITES).toEqual(KNOWN_SPRITES);
    expect([...ATLAS_TILES, MEADOW_TILE].sort()).toEqual([...TILE_TEXTURES].sort());
    const keys = [...ATLAS_SPRITES.map(spriteKey), ...ATLAS_TILES.map(tileKey)];
    expect(Object.keys(atlas.frames).sort()).toEqual(keys.sort());
    for (const f of Object.values(atlas.frames)) expect([f.w, f.h]).toEqual([ATLAS_RASTER, ATLAS_RASTER]);
    const meta = await sharp(atlas.image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", atlas.width, atlas.height]);
    expect(Math.max(atlas.width, atlas.height)).toBeLessThanOrEqual(2048);
  });

  it("keeps frames apart and inside the image", () => {
    const frames = Object.values(atlas.frames);
    for (const [i, a] of frames.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(1);
      expect(a.y).toBeGreaterThanOrEqual(1);
      expect(a.x + a.w).toBeLessThanOrEqual(atlas.width - 1);
      expect(a.y + a.h).toBeLessThanOrEqual(atlas.height - 1);
      for (const b of frames.slice(i + 1)) {
        const apart = a.x + a.w < b.x || b.x + b.w < a.x || a.y + a.h < b.y || b.y + b.h < a.y;
        expect(apart).toBe(true);
      }
    }
  });

  it("draws each picture in its frame: a sprite with clear edges around it, a tile whose edges repeat outward", () => {
    const house = atlas.frames[spriteKey("house")]!;
    expect(alphaAt(house.x + house.w / 2, house.y + house.h / 2)).toBe(255);
    expect(alphaAt(house.x - 1, house.y - 1)).toBe(0);
    const soil = atlas.frames[tileKey("soil")]!;
    expect(alphaAt(soil.x + 5, soil.y + 5)).toBe(255);
    for (const [inside, outside] of [
      [[soil.x, soil.y + 40], [soil.x - 1, soil.y + 40]],
      [[soil.x + soil.w - 1, soil.y + 40], [soil.x + soil.w, soil.y + 40]],
      [[soil.x + 40, soil.y + soil.h - 1], [soil.x + 40, soil.y + soil.h]],
    ] as const) expect(rgbaAt(outside[0], outside[1])).toEqual(rgbaAt(inside[0], inside[1]));
  });
});
