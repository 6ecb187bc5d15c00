/**
 * One thing standing in the village: its shadow, its picture and, for
 * donated gifts, a warm halo and a heart badge. A monthly gift's item is
 * drawn bigger at each growth stage (stageScale), with a pop when it grows. The picture idles gently
 * (animals hop, plants sway); the container moves between tiles.
 */
import * as Phaser from "phaser";
import { stageScale } from "../../shared/monthly-gifts.ts";
import { TILE_SIZE } from "../../shared/village.ts";
import type { ItemView } from "../game/village-model.ts";
import { idleMotion, spriteKey, spriteSize } from "./art.ts";
import { tileCentre } from "./ground.ts";

/** How far below the tile centre things stand (their feet). */
const FOOT = TILE_SIZE / 2 - 8;

export class ItemSprite {
  readonly container: Phaser.GameObjects.Container;
  readonly image: Phaser.GameObjects.Image;
  readonly shadow: Phaser.GameObjects.Image;
  private glow: Phaser.GameObjects.Image | undefined;
  private badge: Phaser.GameObjects.Image | undefined;
  private idle: Phaser.Tweens.Tween | undefined;
  private readonly scene: Phaser.Scene;
  item: ItemView;
  /** The drawn size (px): the sprite's, times its monthly growth. */
  size: number;

  constructor(scene: Phaser.Scene, item: ItemView, textureKey: string) {
    this.scene = scene;
    this.item = item;
    this.size = spriteSize(item.sprite) * stageScale(item.monthlyStage);
    const s = this.size;
    this.shadow = scene.add.image(0, 0, "shadow").setDisplaySize(s * 0.9, s * 0.26);
    this.image = scene.add.image(0, 2, textureKey).setOrigin(0.5, 1).setDisplaySize(s, s);
    this.container = scene.add.container(0, 0, [this.shadow, this.image]);
    this.container.setSize(s, s);
    if (item.donated) this.addGiftMarks();
    this.moveToTile(false);
    this.startIdle();
  }

  /** Where the item's feet go on its tile. */
  static footOf(x: number, y: number): { x: number; y: number } {
    const c = tileCentre(x, y);
    return { x: c.x, y: c.y + FOOT };
  }

  setTexture(key: string): void {
    this.image.setTexture(key).setDisplaySize(this.size, this.size);
  }

  setItem(item: ItemView): void {
    const spriteChanged = item.sprite !== this.item.sprite;
    this.item = item;
    // A crop's picture follows its growth (scenes/crops.ts), not the stored sprite.
    if (spriteChanged && item.kind !== "crop" && this.scene.textures.exists(spriteKey(item.sprite))) this.setTexture(spriteKey(item.sprite));
    if (item.donated && !this.glow) this.addGiftMarks();
    this.grow();
  }

  /** Follows a monthly gift's stage: bigger picture, shadow and marks, and a little pop. */
  private grow(): void {
    const s = spriteSize(this.item.sprite) * stageScale(this.item.monthlyStage);
    if (s === this.size) return;
    this.size = s;
    this.idle?.remove();
    this.idle = undefined;
    this.scene.tweens.killTweensOf(this.image);
    this.image.setAngle(0).setY(2).setDisplaySize(s, s);
    this.shadow.setDisplaySize(s * 0.9, s * 0.26);
    this.container.setSize(s, s);
    if (this.glow) {
      this.scene.tweens.killTweensOf([this.glow, ...(this.badge ? [this.badge] : [])]);
      this.glow.destroy();
      this.badge?.destroy();
      this.glow = undefined;
      this.badge = undefined;
      this.addGiftMarks();
    }
    this.startIdle();
    this.container.setScale(0.7);
    this.scene.tweens.add({ targets: this.container, scale: 1, duration: 520, ease: "Back.easeOut" });
  }

  /** Puts the container on the item's tile, sliding there when `animate`. */
  moveToTile(animate: boolean, to: { x: number; y: number } = this.item): void {
    if (to.x < 0 || to.y < 0) {
      this.container.setVisible(false);
      return;
    }
    this.container.setVisible(true);
    const foot = ItemSprite.footOf(to.x, to.y);
    this.scene.tweens.killTweensOf(this.container);
    if (!animate) {
      this.container.setPosition(foot.x, foot.y).setScale(1);
      this.container.setDepth(foot.y);
      return;
    }
    this.container.setDepth(Math.max(this.container.depth, foot.y));
    this.scene.tweens.add({
      targets: this.container, x: foot.x, y: foot.y, scale: 1, duration: 260, ease: "Back.easeOut",
      onComplete: () => this.container.setDepth(foot.y),
    });
  }

  /** Follows the pointer while dragged, lifted above everything. */
  dragTo(wx: number, wy: number): void {
    this.container.setPosition(wx, wy + this.size * 0.35).setDepth(100_000);
  }

  lift(lifted: boolean): void {
    this.scene.tweens.add({ targets: this.container, scale: lifted ? 1.12 : 1, duration: 140, ease: "Quad.easeOut" });
    this.shadow.setAlpha(lifted ? 0.5 : 1);
  }

  /** A happy little squash when clicked. */
  boop(): void {
    this.scene.tweens.add({ targets: this.container, scaleY: 0.86, scaleX: 1.1, duration: 90, yoyo: true, ease: "Quad.easeOut" });
  }

  destroy(): void {
    this.idle?.remove();
    this.scene.tweens.killTweensOf([this.container, this.image]);
    if (this.glow) this.scene.tweens.killTweensOf(this.glow);
    if (this.badge) this.scene.tweens.killTweensOf(this.badge);
    this.container.destroy();
  }

  private addGiftMarks(): void {
    const s = this.size;
    this.glow = this.scene.add.image(0, -s * 0.42, "glow").setDisplaySize(s * 1.7, s * 1.7).setAlpha(0.8);
    this.container.addAt(this.glow, 0);
    this.scene.tweens.add({
      targets: this.glow, alpha: { from: 0.55, to: 1 }, scale: this.glow.scale * 1.08,
      duration: 1400, yoyo: true, repeat: -1, ease: "Sine.easeInOut",
    });
    this.badge = this.scene.add.image(s * 0.42, -s * 0.86, spriteKey("heart")).setDisplaySize(20, 20);
    this.container.add(this.badge);
    this.scene.tweens.add({
      targets: this.badge, scale: this.badge.scale * 1.18, duration: 420, yoyo: true, repeat: -1,
      repeatDelay: 900, ease: "Quad.easeOut",
    });
  }

  private startIdle(): void {
    const r = Math.random();
    const img = this.image;
    const base = { scaleX: img.scaleX, scaleY: img.scaleY };
    switch (idleMotion(this.item.sprite)) {
      case "hop":
        this.idle = this.scene.tweens.add({
          targets: img, y: { from: 2, to: -5 }, scaleY: base.scaleY * 1.04, duration: 220, yoyo: true,
          ease: "Quad.easeOut", repeat: -1, repeatDelay: 1400 + r * 2600, delay: r * 2000,
          onRepeat: () => {
            if (Math.random() < 0.35) img.setFlipX(!img.flipX);
          },
        });
        break;
      case "sway":
        this.idle = this.scene.tweens.add({
          targets: img, angle: { from: -2, to: 2 }, duration: 1800 + r * 1400, yoyo: true, repeat: -1,
          ease: "Sine.easeInOut", delay: r * 1500,
        });
        break;
      case "breathe":
        this.idle = this.scene.tweens.add({
          targets: img, scaleY: base.scaleY * 1.035, scaleX: base.scaleX * 0.985, duration: 1300 + r * 900,
          yoyo: true, repeat: -1, ease: "Sine.easeInOut", delay: r * 1200,
        });
        break;
      case "buzz":
        this.idle = this.scene.tweens.add({
          targets: img, angle: { from: -3, to: 3 }, duration: 120, yoyo: true, repeat: 5,
          ease: "Sine.easeInOut", delay: r * 2500, loop: -1, loopDelay: 1800 + r * 1500,
        });
        break;
      case "none":
        break;
    }
  }
}
