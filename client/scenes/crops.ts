/**
 * Crops as they grow: each crop's picture follows its stage, computed from
 * the time with the shared rules (shared/farming.ts), over a patch of tilled
 * soil, with a small progress bar while it grows and a twinkle once ripe.
 * Watering rains droplets on it (for everyone present: the state says when);
 * a harvest throws "+N coins" up from where it stood.
 */
import * as Phaser from "phaser";
import { CROPS, cropProgress, cropSprite, msUntilRipe } from "../../shared/farming.ts";
import type { CropWateredMessage, HarvestedMessage } from "../../shared/messages.ts";
import type { ItemView, VillageModel } from "../game/village-model.ts";
import { spriteKey } from "./art.ts";
import type { ItemSprite } from "./ItemSprite.ts";

const BAR_WIDTH = 40;
const TICK_MS = 500;

interface CropDecor {
  soil: Phaser.GameObjects.Graphics;
  bar: Phaser.GameObjects.Graphics;
  twinkle: Phaser.Tweens.Tween | undefined;
  sprite: string;
  progress: number;
  ripe: boolean;
}

export interface CropLayerDeps {
  model: VillageModel;
  /** The scene's sprite for an item, if drawn. */
  spriteOf(id: string): ItemSprite | undefined;
  /** Text for the floating "+N coins" (translated by the caller). */
  coinsText(coins: number): string;
  /** Text floating over a crop someone watered (translated by the caller). */
  wateredText(message: CropWateredMessage): string;
}

export class CropLayer {
  private readonly scene: Phaser.Scene;
  private readonly deps: CropLayerDeps;
  private readonly decor = new Map<string, CropDecor>();
  /** Where crops last stood, so a harvest can be shown after the crop left the state. */
  private readonly lastSeen = new Map<string, { x: number; y: number }>();

  constructor(scene: Phaser.Scene, deps: CropLayerDeps) {
    this.scene = scene;
    this.deps = deps;
    makeDropTexture(scene);
    const unsubscribe = deps.model.subscribe({
      reset: () => this.clear(),
      update: (item, previous) => {
        if (item.kind === "crop" && item.lastWateredAt > previous.lastWateredAt) this.rain(item.id);
      },
      remove: (item) => this.forget(item.id),
      watered: (message) => this.floatOver(message.itemId, this.deps.wateredText(message), "#1f6fb2"),
      harvested: (message) => this.harvested(message),
    });
    const timer = scene.time.addEvent({ delay: TICK_MS, loop: true, callback: () => this.tick() });
    scene.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      unsubscribe();
      timer.remove();
    });
  }

  /** Draws a crop that just got its sprite (on add), then keeps it current. */
  attach(item: ItemView): void {
    if (item.kind !== "crop") return;
    this.refresh(item);
  }

  /** The picture a crop shows at this instant (the stored sprite is only a hint). */
  spriteFor(item: ItemView): string {
    const crop = this.deps.model.cropOf(item);
    return crop ? cropSprite(crop, this.deps.model.now()) : item.sprite;
  }

  /** What a crop's bar shows (0..1), or null when there is none (ripe, or not drawn). */
  barOf(id: string): number | null {
    const decor = this.decor.get(id);
    return decor && !decor.ripe ? decor.progress : null;
  }

  private tick(): void {
    for (const item of this.deps.model.items.values()) if (item.kind === "crop") this.refresh(item);
  }

  private refresh(item: ItemView): void {
    const sprite = this.deps.spriteOf(item.id);
    const crop = this.deps.model.cropOf(item);
    if (!sprite || !crop) return;
    if (item.x >= 0) this.lastSeen.set(item.id, { x: sprite.container.x, y: sprite.container.y });
    const now = this.deps.model.now();
    let decor = this.decor.get(item.id);
    if (!decor) {
      const soil = this.scene.add.graphics();
      soil.fillStyle(0x6b4524, 0.55).fillEllipse(0, -4, 52, 22);
      soil.fillStyle(0x8a5a30, 0.9).fillEllipse(0, -6, 46, 17);
      soil.fillStyle(0x5e3b1c, 0.8).fillRect(-14, -8, 8, 2).fillRect(2, -5, 10, 2).fillRect(-4, -10, 7, 2);
      sprite.container.addAt(soil, 0);
      const bar = this.scene.add.graphics();
      sprite.container.add(bar);
      decor = { soil, bar, twinkle: undefined, sprite: "", progress: -1, ripe: false };
      this.decor.set(item.id, decor);
    }
    const picture = cropSprite(crop, now);
    if (picture !== decor.sprite) {
      const grew = decor.sprite !== "";
      decor.sprite = picture;
      if (this.scene.textures.exists(spriteKey(picture))) sprite.setTexture(spriteKey(picture));
      if (grew) this.scene.tweens.add({ targets: sprite.image, scaleY: { from: sprite.image.scaleY * 0.6, to: sprite.image.scaleY }, duration: 380, ease: "Back.easeOut" });
    }
    const ripe = msUntilRipe(crop, now) === 0;
    const progress = cropProgress(crop, now);
    if (ripe !== decor.ripe) {
      decor.ripe = ripe;
      decor.twinkle?.remove();
      decor.twinkle = ripe
        ? this.scene.tweens.add({ targets: sprite.image, y: { from: 2, to: -4 }, duration: 420, yoyo: true, repeat: -1, repeatDelay: 900, ease: "Quad.easeOut" })
        : undefined;
    }
    if (Math.abs(progress - decor.progress) > 0.002 || ripe) {
      decor.progress = progress;
      drawBar(decor.bar, ripe ? 1 : progress, ripe);
    }
  }

  private harvested(message: HarvestedMessage): void {
    this.floatOver(message.itemId, this.deps.coinsText(message.coins), "#b7791f", "coin");
  }

  /** Droplets falling on a crop, and a little bounce as it drinks. */
  private rain(itemId: string): void {
    const sprite = this.deps.spriteOf(itemId);
    if (!sprite || sprite.item.x < 0) return;
    const c = sprite.container;
    const can = this.scene.add.image(c.x + 26, c.y - 70, spriteKey("droplets")).setDisplaySize(30, 30).setDepth(120_000).setAngle(-20);
    this.scene.tweens.add({ targets: can, angle: 20, duration: 260, yoyo: true, repeat: 2, onComplete: () => can.destroy() });
    const drops = this.scene.add.particles(c.x, c.y - 64, "drop", {
      x: { min: -22, max: 22 }, speedY: { min: 140, max: 220 }, speedX: { min: -10, max: 10 }, gravityY: 300,
      lifespan: 420, quantity: 2, frequency: 40, scale: { start: 0.9, end: 0.5 }, alpha: { start: 1, end: 0.4 },
      duration: 800,
    }).setDepth(119_000);
    this.scene.time.delayedCall(1400, () => drops.destroy());
    this.scene.tweens.add({ targets: sprite.image, scaleX: sprite.image.scaleX * 1.12, scaleY: sprite.image.scaleY * 0.9, duration: 160, yoyo: true, repeat: 1, delay: 300 });
    const splash = this.scene.add.ellipse(c.x, c.y - 4, 30, 10).setStrokeStyle(2, 0x4aa6e0, 0.9).setDepth(c.depth - 0.5);
    this.scene.tweens.add({ targets: splash, scale: 2, alpha: 0, duration: 700, delay: 350, onComplete: () => splash.destroy() });
  }

  /** Text floating up from a crop (or from where it stood). */
  private floatOver(itemId: string, label: string, color: string, icon?: string): void {
    const sprite = this.deps.spriteOf(itemId);
    const at = sprite && sprite.item.x >= 0 ? { x: sprite.container.x, y: sprite.container.y } : this.lastSeen.get(itemId);
    if (!at) return;
    const text = this.scene.add
      .text(0, 0, label, { fontFamily: "system-ui, sans-serif", fontSize: "20px", fontStyle: "bold", color, stroke: "#ffffff", strokeThickness: 5, resolution: 2 })
      .setOrigin(0, 0.5);
    const parts: Phaser.GameObjects.GameObject[] = [text];
    if (icon) {
      parts.unshift(this.scene.add.image(0, 0, spriteKey(icon)).setDisplaySize(24, 24));
      text.setX(16);
    }
    const width = text.width + (icon ? 16 : 0);
    // Above the label a hover shows (it sits just over the crop).
    const float = this.scene.add.container(at.x - width / 2 + (icon ? 12 : 0), at.y - 104, parts).setDepth(160_000).setScale(0.5);
    this.scene.tweens.add({ targets: float, scale: 1, duration: 220, ease: "Back.easeOut" });
    this.scene.tweens.add({ targets: float, y: at.y - 160, alpha: { from: 1, to: 0 }, duration: 1800, delay: 400, ease: "Quad.easeIn", onComplete: () => float.destroy() });
  }

  private forget(id: string): void {
    const decor = this.decor.get(id);
    decor?.twinkle?.remove();
    this.decor.delete(id);
    setTimeout(() => this.lastSeen.delete(id), 5000);
  }

  private clear(): void {
    for (const decor of this.decor.values()) decor.twinkle?.remove();
    this.decor.clear();
    this.lastSeen.clear();
  }
}

/** A rounded progress bar under the crop: green as it grows, gold when ripe. */
function drawBar(g: Phaser.GameObjects.Graphics, progress: number, ripe: boolean): void {
  g.clear();
  if (ripe) return;
  const y = 8;
  g.fillStyle(0x3b2a17, 0.55).fillRoundedRect(-BAR_WIDTH / 2 - 2, y - 2, BAR_WIDTH + 4, 10, 5);
  g.fillStyle(0xfffaf0, 1).fillRoundedRect(-BAR_WIDTH / 2, y, BAR_WIDTH, 6, 3);
  const fill = Math.max(6, BAR_WIDTH * progress);
  g.fillStyle(progress > 0.85 ? 0xf2b634 : 0x6cc04a, 1).fillRoundedRect(-BAR_WIDTH / 2, y, fill, 6, 3);
}

/** Time left before a crop is ripe, for labels: "1 min 20 s", "45 s". */
export function timeLeft(item: ItemView, model: VillageModel): number {
  const crop = model.cropOf(item);
  return crop ? msUntilRipe(crop, model.now()) : 0;
}

export function cropCoins(item: ItemView): number {
  return item.cropKind in CROPS ? CROPS[item.cropKind as keyof typeof CROPS].coins : 0;
}

/** A small blue raindrop, drawn once. */
function makeDropTexture(scene: Phaser.Scene): void {
  if (scene.textures.exists("drop")) return;
  const g = scene.make.graphics({}, false);
  g.fillStyle(0x4aa6e0, 1).fillCircle(6, 12, 5);
  g.fillTriangle(1.6, 10, 10.4, 10, 6, 1);
  g.fillStyle(0xffffff, 0.8).fillCircle(4.5, 11, 1.6);
  g.generateTexture("drop", 12, 18);
  g.destroy();
}
