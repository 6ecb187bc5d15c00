/**
 * One person in the village: their figure, a name tag under the feet (gold
 * with a little house for the village's owner), a soft ring under my own
 * avatar, and emote bubbles. The avatar glides to where the state says it
 * stands, bobbing as it walks; a dropped connection shows faded. Someone
 * else's figure can be tapped (the owner's visitor menu).
 */
import * as Phaser from "phaser";
import { TILE_SIZE } from "../../shared/village.ts";
import type { AvatarView } from "../game/village-model.ts";
import { avatarSprite, emoteSprite, spriteKey } from "./art.ts";

const SIZE = 50;
/** Walking speed, in pixels per second at zoom 1 (about three tiles a second). */
const SPEED = 190;
/** How far below the tile centre the feet stand, so an avatar looks "in" its tile. */
const FEET = 14;
const BUBBLE_MS = 3200;

/** World position of an avatar's feet for tile coordinates (fractions allowed). */
export function avatarFoot(x: number, y: number): { x: number; y: number } {
  return { x: (x + 0.5) * TILE_SIZE, y: (y + 0.5) * TILE_SIZE + FEET };
}

/** Tile coordinates (fractions) whose feet land on a world point. */
export function avatarTileAt(wx: number, wy: number): { x: number; y: number } {
  return { x: wx / TILE_SIZE - 0.5, y: (wy - FEET) / TILE_SIZE - 0.5 };
}

export class AvatarSprite {
  readonly container: Phaser.GameObjects.Container;
  private readonly body: Phaser.GameObjects.Container;
  private readonly image: Phaser.GameObjects.Image;
  private readonly tag: Phaser.GameObjects.Container;
  private readonly scene: Phaser.Scene;
  private bubble: Phaser.GameObjects.Container | undefined;
  /** The emote in the bubble now shown, "" when none. */
  bubbleEmote = "";
  private bubbleTimer: Phaser.Time.TimerEvent | undefined;
  private walk: Phaser.Tweens.Tween | undefined;
  private bob: Phaser.Tweens.Tween | undefined;
  avatar: AvatarView;

  constructor(scene: Phaser.Scene, avatar: AvatarView, isMine: boolean) {
    this.scene = scene;
    this.avatar = avatar;
    const parts: Phaser.GameObjects.GameObject[] = [];
    if (isMine) {
      const ring = scene.add.ellipse(0, 0, SIZE * 1.05, SIZE * 0.36).setStrokeStyle(3, 0xffffff, 0.9).setFillStyle(0xffffff, 0.22);
      scene.tweens.add({ targets: ring, scale: 1.12, alpha: 0.6, duration: 900, yoyo: true, repeat: -1, ease: "Sine.easeInOut" });
      parts.push(ring);
    }
    parts.push(scene.add.image(0, 0, "shadow").setDisplaySize(SIZE * 0.8, SIZE * 0.24));
    this.image = scene.add.image(0, 2, spriteKey(avatarSprite(avatar.playerId, avatar.isOwner))).setOrigin(0.5, 1).setDisplaySize(SIZE, SIZE);
    this.body = scene.add.container(0, 0, [this.image]);
    parts.push(this.body);
    this.tag = this.makeTag(avatar, isMine);
    parts.push(this.tag);
    const at = avatarFoot(avatar.x, avatar.y);
    this.container = scene.add.container(at.x, at.y, parts).setDepth(at.y + 1);
    this.setConnected(avatar.connected);
    // A little hop on arrival.
    this.container.setScale(0.2).setAlpha(0);
    scene.tweens.add({ targets: this.container, scale: 1, alpha: avatar.connected ? 1 : 0.45, duration: 320, ease: "Back.easeOut" });
  }

  update(next: AvatarView): void {
    const previous = this.avatar;
    this.avatar = next;
    if (next.x !== previous.x || next.y !== previous.y) this.walkTo(next.x, next.y);
    if (next.connected !== previous.connected) this.setConnected(next.connected);
    if (next.emoteSeq !== previous.emoteSeq && next.emote) this.showEmote(next.emote);
  }

  /** Lets the figure be tapped and hovered (someone else's avatar; mine stays out of the way of taps on the ground). */
  makeTappable(on: { down(pointer: Phaser.Input.Pointer): void; over(): void; out(): void }): void {
    this.image.setInteractive({ pixelPerfect: false });
    this.image.on(Phaser.Input.Events.GAMEOBJECT_POINTER_DOWN, on.down);
    this.image.on(Phaser.Input.Events.GAMEOBJECT_POINTER_OVER, on.over);
    this.image.on(Phaser.Input.Events.GAMEOBJECT_POINTER_OUT, on.out);
  }

  /** World points of the figure where it is drawn now: the middle, the top of the head, the name tag's middle and bottom, half its width. */
  anchor(): { x: number; middle: number; head: number; tag: number; feet: number; halfWidth: number } {
    const c = this.container;
    return { x: c.x, middle: c.y - SIZE / 2, head: c.y - SIZE - 2, tag: c.y + this.tag.y, feet: c.y + 30, halfWidth: SIZE / 2 };
  }

  /** Glides to a spot at walking speed, facing the way it goes. */
  walkTo(x: number, y: number): void {
    const to = avatarFoot(x, y);
    const c = this.container;
    const distance = Phaser.Math.Distance.Between(c.x, c.y, to.x, to.y);
    this.walk?.remove();
    if (distance < 1) return;
    if (Math.abs(to.x - c.x) > 2) this.image.setFlipX(to.x < c.x);
    this.startBob();
    this.walk = this.scene.tweens.add({
      targets: c, x: to.x, y: to.y, duration: Math.max(120, (distance / SPEED) * 1000), ease: "Sine.easeInOut",
      onUpdate: () => c.setDepth(c.y + 1),
      onComplete: () => this.stopBob(),
    });
  }

  /** A bubble above the head with the emote, for a few seconds. */
  showEmote(emote: string): void {
    this.bubble?.destroy();
    this.bubbleTimer?.remove();
    const g = this.scene.add.graphics();
    g.fillStyle(0x000000, 0.12).fillRoundedRect(-25, -21, 50, 46, 18);
    g.fillStyle(0xffffff, 1).fillRoundedRect(-25, -25, 50, 46, 18);
    g.fillTriangle(-7, 19, 7, 19, 0, 30);
    g.lineStyle(2.5, 0x8a5a30, 0.35).strokeRoundedRect(-25, -25, 50, 46, 18);
    const icon = this.scene.add.image(0, -2, spriteKey(emoteSprite(emote))).setDisplaySize(34, 34);
    const bubble = this.scene.add.container(0, -SIZE - 36, [g, icon]).setScale(0.2);
    this.bubble = bubble;
    this.bubbleEmote = emote;
    this.container.add(bubble);
    this.scene.tweens.add({ targets: bubble, scale: 1, duration: 260, ease: "Back.easeOut" });
    this.scene.tweens.add({ targets: icon, angle: { from: -10, to: 10 }, duration: 260, yoyo: true, repeat: 4, ease: "Sine.easeInOut" });
    this.bubbleTimer = this.scene.time.delayedCall(BUBBLE_MS, () => {
      this.scene.tweens.add({
        targets: bubble, alpha: 0, y: bubble.y - 14, duration: 300, onComplete: () => {
          bubble.destroy();
          if (this.bubble === bubble) {
            this.bubble = undefined;
            this.bubbleEmote = "";
          }
        },
      });
    });
  }

  /** What is drawn, for the test hooks: where the feet are (tile coordinates), how faded, which bubble. */
  inspect(): { x: number; y: number; alpha: number; faded: boolean; bubble: string } {
    const at = avatarTileAt(this.container.x, this.container.y);
    return { x: at.x, y: at.y, alpha: this.container.alpha, faded: !this.avatar.connected, bubble: this.bubbleEmote };
  }

  setConnected(connected: boolean): void {
    this.scene.tweens.add({ targets: this.container, alpha: connected ? 1 : 0.45, duration: 300 });
    this.image.setTint(connected ? 0xffffff : 0xb8b8b8);
  }

  /** Leaves with a little shrink. */
  leave(): void {
    this.walk?.remove();
    this.scene.tweens.add({ targets: this.container, alpha: 0, scale: 0.3, duration: 260, onComplete: () => this.destroy() });
  }

  destroy(): void {
    this.bubbleTimer?.remove();
    this.walk?.remove();
    this.bob?.remove();
    this.scene.tweens.killTweensOf(this.container);
    this.container.destroy();
  }

  private startBob(): void {
    if (this.bob?.isPlaying()) return;
    this.bob = this.scene.tweens.add({ targets: this.body, y: -5, duration: 140, yoyo: true, repeat: -1, ease: "Quad.easeOut" });
  }

  private stopBob(): void {
    this.bob?.remove();
    this.bob = undefined;
    this.scene.tweens.add({ targets: this.body, y: 0, duration: 100 });
  }

  /** The name under the feet: gold with a house for the owner, white with a green edge for me. */
  private makeTag(avatar: AvatarView, isMine: boolean): Phaser.GameObjects.Container {
    const text = this.scene.add
      .text(0, 0, avatar.name, {
        fontFamily: "system-ui, sans-serif", fontSize: "13px", fontStyle: "bold", color: avatar.isOwner ? "#5e3b1c" : "#3b2a17",
        resolution: 2,
      })
      .setOrigin(0, 0.5);
    const icon = avatar.isOwner ? this.scene.add.image(0, 0, spriteKey("house")).setDisplaySize(15, 15) : undefined;
    const iconWidth = icon ? 18 : 0;
    const width = text.width + iconWidth + 16;
    const g = this.scene.add.graphics();
    g.fillStyle(0x000000, 0.16).fillRoundedRect(-width / 2, -9, width, 22, 11);
    g.fillStyle(avatar.isOwner ? 0xffd86b : 0xfffaf0, 0.96).fillRoundedRect(-width / 2, -11, width, 22, 11);
    if (isMine) g.lineStyle(2, 0x4e9a2f, 1).strokeRoundedRect(-width / 2, -11, width, 22, 11);
    text.setX(-width / 2 + 8 + iconWidth);
    icon?.setPosition(-width / 2 + 8 + 7, 0);
    return this.scene.add.container(0, 18, icon ? [g, icon, text] : [g, text]);
  }
}
