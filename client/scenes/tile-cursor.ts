/**
 * The tile highlight that follows the pointer: white over a free tile,
 * red when the dragged thing could not go there.
 */
import * as Phaser from "phaser";
import { TILE_SIZE, isInBounds } from "../../shared/village.ts";
import { tileKey } from "./art.ts";
import { tileCentre } from "./ground.ts";

export class TileCursor {
  private readonly image: Phaser.GameObjects.Image;
  private readonly scene: Phaser.Scene;
  private current: { x: number; y: number } | null = null;

  constructor(scene: Phaser.Scene) {
    this.scene = scene;
    this.image = scene.add.image(0, 0, tileKey("highlight")).setDisplaySize(TILE_SIZE, TILE_SIZE).setDepth(-10).setVisible(false);
    scene.tweens.add({ targets: this.image, alpha: { from: 0.75, to: 1 }, duration: 700, yoyo: true, repeat: -1, ease: "Sine.easeInOut" });
  }

  /** Shows the cursor over (x, y) when it is inside the village; `ok` false tints it red. */
  show(x: number, y: number, ok = true): void {
    if (!isInBounds(x, y)) {
      this.hide();
      return;
    }
    const c = tileCentre(x, y);
    const moved = !this.current || this.current.x !== x || this.current.y !== y;
    this.current = { x, y };
    this.image.setPosition(c.x, c.y).setVisible(true);
    if (ok) this.image.clearTint();
    else this.image.setTint(0xff5a5a);
    if (moved) {
      this.image.setScale((TILE_SIZE / this.image.width) * 0.9);
      this.scene.tweens.add({ targets: this.image, scale: TILE_SIZE / this.image.width, duration: 120, ease: "Back.easeOut" });
    }
  }

  hide(): void {
    this.current = null;
    this.image.setVisible(false);
  }
}
