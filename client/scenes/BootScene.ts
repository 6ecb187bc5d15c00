/**
 * Loads the art with a progress bar, draws the few textures made in code
 * (shadows, glows), then hands over to the village.
 */
import * as Phaser from "phaser";
import atlas from "virtual:sprite-atlas";
import { t } from "../i18n.ts";
import { MEADOW_TILE, TILE_RASTER, tileKey, tileUrl } from "./art.ts";

const ATLAS_KEY = "boot-atlas";

export const SCENE_BOOT = "boot";

export class BootScene extends Phaser.Scene {
  constructor() {
    super(SCENE_BOOT);
  }

  preload(): void {
    const bar = this.drawProgressBar();
    this.load.on(Phaser.Loader.Events.PROGRESS, (value: number) => bar.update(value));
    this.load.once(Phaser.Loader.Events.COMPLETE, () => bar.update(1));
    // The sprites and tiles in one image (client/build/sprite-atlas.ts); the meadow's repeating tile alone.
    this.load.image(ATLAS_KEY, atlas.url);
    this.load.svg(tileKey(MEADOW_TILE), tileUrl(MEADOW_TILE), { width: TILE_RASTER, height: TILE_RASTER });
  }

  create(): void {
    this.unpackAtlas();
    this.makeTextures();
    this.scene.start("village");
  }

  /** A rounded wooden progress bar with a percentage, centred in the view. */
  private drawProgressBar() {
    const { width, height } = this.scale;
    const cx = width / 2;
    const cy = height / 2;
    const barWidth = Math.min(360, width * 0.7);
    const frame = this.add.graphics();
    frame.fillStyle(0x000000, 0.18).fillRoundedRect(cx - barWidth / 2 - 6, cy - 12, barWidth + 12, 36, 18);
    frame.fillStyle(0xfff6e0, 1).fillRoundedRect(cx - barWidth / 2 - 6, cy - 16, barWidth + 12, 36, 18);
    frame.lineStyle(3, 0x8a5a30, 1).strokeRoundedRect(cx - barWidth / 2 - 6, cy - 16, barWidth + 12, 36, 18);
    const fill = this.add.graphics();
    const label = this.add
      .text(cx, cy + 42, "", { fontFamily: "system-ui, sans-serif", fontSize: "18px", color: "#4b3418", fontStyle: "bold" })
      .setOrigin(0.5, 0);
    const update = (value: number) => {
      const inner = Math.max(24, barWidth * value);
      fill.clear();
      fill.fillStyle(0x6cc04a, 1).fillRoundedRect(cx - barWidth / 2, cy - 10, inner, 24, 12);
      fill.fillStyle(0xffffff, 0.35).fillRoundedRect(cx - barWidth / 2 + 6, cy - 7, Math.max(0, inner - 12), 6, 3);
      label.setText(t("loading.assets", { percent: Math.round(value * 100) }));
    };
    update(0);
    return { update };
  }

  /**
   * One texture per picture under its usual key (sprite:house, tile:path…), each
   * a frame of the atlas on the same GPU texture: the game code keeps naming
   * textures as when each SVG was loaded alone, and nothing is uploaded twice.
   */
  private unpackAtlas(): void {
    const source = this.textures.get(ATLAS_KEY).source[0];
    if (!source?.glTexture) throw new Error("the sprite atlas did not load");
    for (const [key, f] of Object.entries(atlas.frames)) {
      this.textures.addGLTexture(key, source.glTexture)?.add("picture", 0, f.x, f.y, f.w, f.h);
    }
  }

  private makeTextures(): void {
    const g = this.make.graphics({}, false);
    // Soft ground shadow under things.
    for (let i = 0; i < 6; i++) {
      g.fillStyle(0x1d3a10, 0.07).fillEllipse(32, 12, 64 - i * 8, 24 - i * 3);
    }
    g.generateTexture("shadow", 64, 24);
    g.clear();
    // Warm halo behind donated gifts.
    for (let r = 48; r > 0; r -= 4) {
      g.fillStyle(0xffe27a, 0.05 + (48 - r) / 48 / 14).fillCircle(48, 48, r);
    }
    g.generateTexture("glow", 96, 96);
    g.clear();
    // A small round spark for particle trails.
    for (let r = 8; r > 0; r -= 2) g.fillStyle(0xfff3b0, 0.25).fillCircle(8, 8, r);
    g.generateTexture("spark", 16, 16);
    g.clear();
    // One tile of the side fences, seen from above: a rail running north-south and a post.
    g.fillStyle(0x000000, 0.12).fillEllipse(16, 64, 18, 6);
    g.fillStyle(0x7a4a22, 1).fillRect(11, 0, 10, 64);
    g.fillStyle(0xc98a4b, 1).fillRect(12.5, 0, 7, 64);
    g.fillStyle(0xe0a468, 1).fillRect(13.5, 0, 2, 64);
    g.fillStyle(0x7a4a22, 1).fillPoints(points(9, 64, 9, 30, 16, 22, 23, 30, 23, 64), true);
    g.fillStyle(0xb5773f, 1).fillPoints(points(10.5, 63, 10.5, 31, 16, 24.5, 21.5, 31, 21.5, 63), true);
    g.fillStyle(0xd29459, 1).fillPoints(points(12, 62, 12, 31.5, 16, 27, 16, 62), true);
    g.generateTexture("fence-side", 32, 68);
    g.clear();
    // A butterfly (white, tinted per butterfly): four wings and a body.
    g.fillStyle(0xffffff, 1).fillEllipse(6, 6, 11, 10).fillEllipse(16, 6, 11, 10);
    g.fillStyle(0xf2f2f2, 1).fillEllipse(7, 13, 8, 7).fillEllipse(15, 13, 8, 7);
    g.fillStyle(0x4b3418, 1).fillRoundedRect(10, 3, 2.5, 14, 1.2);
    g.generateTexture("butterfly", 22, 18);
    g.clear();
    // A cloud's shadow: soft overlapping puffs, darkest in the middle.
    const puffs = [[70, 70, 46], [120, 58, 56], [175, 72, 44], [125, 86, 42]] as const;
    for (let layer = 0; layer < 10; layer++) {
      for (const [x, y, r] of puffs) g.fillStyle(0x14300a, 0.022).fillCircle(x, y, r * (1 - layer * 0.07) + 10);
    }
    g.generateTexture("cloud", 250, 150);
    g.destroy();
  }
}

/** Polygon points from flat x, y pairs. */
function points(...xy: number[]): Phaser.Math.Vector2[] {
  const result: Phaser.Math.Vector2[] = [];
  for (let i = 0; i + 1 < xy.length; i += 2) result.push(new Phaser.Math.Vector2(xy[i], xy[i + 1]));
  return result;
}
