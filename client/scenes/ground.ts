/**
 * The ground the village stands on: a deterministic mix of grass tiles (no
 * flicker between reloads), a sandy path from the gate, a vegetable patch,
 * a fence around the plot and a meadow with a few trees beyond it.
 */
import * as Phaser from "phaser";
import { TILE_SIZE, VILLAGE_HEIGHT, VILLAGE_WIDTH } from "../../shared/village.ts";
import { TILE_RASTER, spriteKey, tileKey, type TileTexture } from "./art.ts";

const PATH = new Set([
  "1,2", "1,3", "1,4", "2,4", "3,4", "4,4", "5,4", "6,4", "7,4", "8,4", "9,4", "10,4", "11,4",
  "6,5", "6,6", "6,7", "6,8",
]);
const SOIL = new Set(["8,6", "9,6", "10,6", "8,7", "9,7", "10,7"]);
/** The gap in the bottom fence, where the path leaves the village. */
const GATE_X = 6;

/** A small stable hash of a tile, so the "random" grass is the same on every load. */
export function tileHash(x: number, y: number): number {
  let h = (x * 374761393 + y * 668265263) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

export function groundAt(x: number, y: number): TileTexture {
  const key = `${x},${y}`;
  if (PATH.has(key)) return "path";
  if (SOIL.has(key)) return "soil";
  const r = tileHash(x, y);
  return r < 0.55 ? "grass-1" : r < 0.8 ? "grass-3" : "grass-2";
}

/** Pixel centre of a tile in world coordinates (the grid starts at 0,0). */
export function tileCentre(x: number, y: number): { x: number; y: number } {
  return { x: x * TILE_SIZE + TILE_SIZE / 2, y: y * TILE_SIZE + TILE_SIZE / 2 };
}

/** The tile under a world point (may be outside the village). */
export function tileAtWorld(wx: number, wy: number): { x: number; y: number } {
  return { x: Math.floor(wx / TILE_SIZE), y: Math.floor(wy / TILE_SIZE) };
}

const WORLD_W = VILLAGE_WIDTH * TILE_SIZE;
const WORLD_H = VILLAGE_HEIGHT * TILE_SIZE;

export function drawGround(scene: Phaser.Scene): void {
  // The meadow: a large field of (slightly darker) grass around the plot.
  const meadow = scene.add.tileSprite(WORLD_W / 2, WORLD_H / 2, 64 * 60, 64 * 60, tileKey("grass-3"));
  meadow.setTileScale(0.5, 0.5).setTint(0xb4cf98).setDepth(-30);

  // The plot's tiles are baked into one texture (at twice the display
  // resolution): one draw call instead of a hundred, and no seams.
  const plot = scene.add.renderTexture(0, 0, VILLAGE_WIDTH * TILE_RASTER, VILLAGE_HEIGHT * TILE_RASTER);
  for (let y = 0; y < VILLAGE_HEIGHT; y++) {
    for (let x = 0; x < VILLAGE_WIDTH; x++) {
      plot.stamp(tileKey(groundAt(x, y)), undefined, x * TILE_RASTER + TILE_RASTER / 2, y * TILE_RASTER + TILE_RASTER / 2);
    }
  }
  plot.render();
  plot.setOrigin(0, 0).setDisplaySize(WORLD_W, WORLD_H).setDepth(-20);
  // The path continues out through the gate.
  for (let y = VILLAGE_HEIGHT; y < VILLAGE_HEIGHT + 4; y++) {
    const c = tileCentre(GATE_X, y);
    scene.add.image(c.x, c.y, tileKey("path")).setDisplaySize(TILE_SIZE + 0.5, TILE_SIZE + 0.5).setDepth(-20).setTint(0xeeeeee);
  }
  drawPlotEdge(scene);
  drawFence(scene);
  drawPond(scene);
  drawOuterTrees(scene);
}

/** A soft darker border that separates the plot from the meadow. */
function drawPlotEdge(scene: Phaser.Scene): void {
  const g = scene.add.graphics().setDepth(-19);
  g.lineStyle(6, 0x3f7d2a, 0.18).strokeRoundedRect(-3, -3, WORLD_W + 6, WORLD_H + 6, 10);
}

function drawFence(scene: Phaser.Scene): void {
  const rail = (x: number, y: number) => {
    const c = tileCentre(x, y);
    // Behind the top row of things, in front of the bottom row.
    scene.add.image(c.x, c.y - 20, tileKey("fence")).setDisplaySize(TILE_SIZE, TILE_SIZE).setDepth(y < 0 ? -5 : c.y + 40);
  };
  for (let x = -1; x <= VILLAGE_WIDTH; x++) {
    rail(x, -1);
    if (x !== GATE_X) rail(x, VILLAGE_HEIGHT);
  }
  for (let y = -1; y < VILLAGE_HEIGHT; y++) {
    for (const x of [-1, VILLAGE_WIDTH]) {
      const c = tileCentre(x, y);
      scene.add.image(c.x, c.y + TILE_SIZE / 2 + 14, "fence-side").setOrigin(0.5, 1).setDepth(c.y + TILE_SIZE / 2 + 14);
    }
  }
}

function drawPond(scene: Phaser.Scene): void {
  const cx = -3.5 * TILE_SIZE;
  const cy = 7.3 * TILE_SIZE;
  const g = scene.add.graphics().setDepth(-18);
  g.fillStyle(0xe8cb8e, 1).fillEllipse(cx, cy, 236, 150);
  g.fillStyle(0x3f95cf, 1).fillEllipse(cx, cy + 4, 214, 128);
  g.fillStyle(0x4aa6e0, 1).fillEllipse(cx, cy, 206, 118);
  g.fillStyle(0x6cbcea, 1).fillEllipse(cx - 30, cy - 16, 90, 30);
  g.lineStyle(3, 0xffffff, 0.85);
  g.beginPath().arc(cx + 30, cy + 22, 26, Math.PI * 1.15, Math.PI * 1.6).strokePath();
  g.beginPath().arc(cx - 50, cy + 10, 16, Math.PI * 1.2, Math.PI * 1.7).strokePath();
  // Lily pads.
  g.fillStyle(0x4f9e3a, 1).fillCircle(cx + 55, cy - 18, 11).fillCircle(cx - 10, cy + 30, 9);
  g.fillStyle(0xff9ec4, 1).fillCircle(cx + 58, cy - 20, 4);
}

/** Trees and flowers scattered beyond the fence, never on the path or the pond. */
function drawOuterTrees(scene: Phaser.Scene): void {
  const kinds = ["pine", "tree", "pine", "flower", "tree", "rock"] as const;
  for (let y = -6; y < VILLAGE_HEIGHT + 6; y++) {
    for (let x = -9; x < VILLAGE_WIDTH + 9; x++) {
      const inside = x >= -2 && x <= VILLAGE_WIDTH + 1 && y >= -2 && y <= VILLAGE_HEIGHT + 1;
      const onPath = x === GATE_X && y >= VILLAGE_HEIGHT;
      const nearPond = x >= -6 && x <= -2 && y >= 5 && y <= 9;
      if (inside || onPath || nearPond) continue;
      const r = tileHash(x + 101, y + 57);
      if (r > 0.22) continue;
      const kind = kinds[Math.floor(tileHash(x, y + 999) * kinds.length)] ?? "pine";
      const c = tileCentre(x, y);
      const jitterX = (tileHash(x + 7, y) - 0.5) * 24;
      const size = (kind === "flower" || kind === "rock" ? 40 : 64) * (0.85 + tileHash(x, y + 3) * 0.3);
      scene.add.image(c.x + jitterX, c.y + 20, "shadow").setDisplaySize(size * 0.8, size * 0.22).setDepth(c.y - 1).setAlpha(0.8);
      const tree = scene.add.image(c.x + jitterX, c.y + 22, spriteKey(kind)).setOrigin(0.5, 1).setDisplaySize(size, size).setDepth(c.y);
      if (kind !== "rock") {
        scene.tweens.add({
          targets: tree, angle: { from: -1.5, to: 1.5 }, duration: 2200 + r * 4000, yoyo: true, repeat: -1,
          ease: "Sine.easeInOut", delay: r * 3000,
        });
      }
    }
  }
}

export const WORLD_BOUNDS = { width: WORLD_W, height: WORLD_H };
