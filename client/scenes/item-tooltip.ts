/**
 * The label over a thing of the village (its name, a crop's time left, who
 * helped): on hover, on a tap for a while, or on the tile the keyboard chose.
 * Kept current while shown (a crop's time left changes).
 */
import * as Phaser from "phaser";
import type { ItemView } from "../game/village-model.ts";
import type { ItemSprite } from "./ItemSprite.ts";

export class ItemTooltip {
  private readonly scene: Phaser.Scene;
  private readonly describe: (item: ItemView) => string | null;
  private readonly dragging: () => boolean;
  private text: Phaser.GameObjects.Text | undefined;
  private shownFor: ItemSprite | undefined;
  private timer: Phaser.Time.TimerEvent | undefined;

  constructor(scene: Phaser.Scene, describe: (item: ItemView) => string | null, dragging: () => boolean) {
    this.scene = scene;
    this.describe = describe;
    this.dragging = dragging;
    scene.time.addEvent({ delay: 500, loop: true, callback: () => this.refresh() });
  }

  /** The words shown now, null when none. */
  get label(): string | null {
    return this.text?.text ?? null;
  }

  /** Shows the label over a thing; `ms` hides it after a while (taps on touch screens). */
  show(sprite: ItemSprite, ms?: number): void {
    const label = this.describe(sprite.item);
    if (!label || this.dragging()) return;
    this.hide();
    const c = sprite.container;
    this.shownFor = sprite;
    this.text = this.scene.add
      .text(c.x, c.y - sprite.size - 10, label, {
        fontFamily: "system-ui, sans-serif", fontSize: "15px", fontStyle: "bold", color: "#4b3418", align: "center",
        backgroundColor: "#fff6e0", padding: { x: 10, y: 6 }, wordWrap: { width: 260 }, lineSpacing: 3, resolution: 2,
      })
      .setOrigin(0.5, 1)
      .setDepth(150_000)
      .setScale(Math.max(1, 0.75 / this.scene.cameras.main.zoom));
    if (ms) this.timer = this.scene.time.delayedCall(ms, () => this.shownFor === sprite && this.hide());
  }

  /** Hides the label if it is this thing's (it leaves). */
  forget(sprite: ItemSprite): void {
    if (this.shownFor === sprite) this.hide();
  }

  hide(): void {
    this.timer?.remove();
    this.timer = undefined;
    this.text?.destroy();
    this.text = undefined;
    this.shownFor = undefined;
  }

  private refresh(): void {
    const sprite = this.shownFor;
    if (!sprite || !this.text) return;
    const label = this.describe(sprite.item);
    if (!label) return this.hide();
    if (label !== this.text.text) this.text.setText(label);
  }
}
