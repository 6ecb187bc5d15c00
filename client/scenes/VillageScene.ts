/**
 * The village: ground, things standing on it, and the owner's hands (hover
 * a tile, drag a thing to another). Reads the VillageModel; never talks to
 * the network itself — moves go out through `deps.place`.
 */
import * as Phaser from "phaser";
import type { ErrorCode } from "../../shared/errors.ts";
import { TILE_SIZE, VILLAGE_HEIGHT, VILLAGE_WIDTH, placeItem } from "../../shared/village.ts";
import { t } from "../i18n.ts";
import type { ItemView, VillageModel } from "../game/village-model.ts";
import { FALLBACK_SPRITE, SPRITE_RASTER, spriteKey, spriteUrl } from "./art.ts";
import { startAmbientLife } from "./ambient.ts";
import { playArrival } from "./celebration.ts";
import { drawGround, tileAtWorld } from "./ground.ts";
import { ItemSprite } from "./ItemSprite.ts";
import { TileCursor } from "./tile-cursor.ts";

export interface VillageSceneDeps {
  model: VillageModel;
  /** True when this player may move things (the village's owner). */
  canArrange(): boolean;
  /** Sends a move to the server. */
  place(itemId: string, x: number, y: number): void;
  /** Refused on the spot by the shared rule (no round trip). */
  refused(code: ErrorCode): void;
  /** The gift's name for donated items (labels), null for decor. */
  describe(item: ItemView): string | null;
  /** The first state has been drawn. */
  rendered(): void;
}

interface Drag {
  sprite: ItemSprite;
  downX: number;
  downY: number;
  active: boolean;
}

/** Room to keep around the plot when fitting it on screen (fence + tall sprites). */
const VIEW = { width: (VILLAGE_WIDTH + 2) * TILE_SIZE + 24, height: (VILLAGE_HEIGHT + 2) * TILE_SIZE + 40 };
const VIEW_NARROW = { width: VILLAGE_WIDTH * TILE_SIZE + 16, height: VILLAGE_HEIGHT * TILE_SIZE + 72 };

export class VillageScene extends Phaser.Scene {
  private readonly deps: VillageSceneDeps;
  private readonly sprites = new Map<string, ItemSprite>();
  /** Moves sent and not yet confirmed, oldest first: itemId → target tile. */
  private readonly pending = new Map<string, { x: number; y: number }>();
  private readonly celebrated = new Set<string>();
  private celebrateQueue: string[] = [];
  private cursor!: TileCursor;
  private drag: Drag | null = null;
  private waiting: Phaser.GameObjects.Text | undefined;
  private tooltip: Phaser.GameObjects.Text | undefined;
  private created = false;
  private reported = false;

  constructor(deps: VillageSceneDeps) {
    super("village");
    this.deps = deps;
  }

  create(): void {
    drawGround(this);
    startAmbientLife(this);
    this.cursor = new TileCursor(this);
    this.fit();
    this.scale.on(Phaser.Scale.Events.RESIZE, this.fit, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.scale.off(Phaser.Scale.Events.RESIZE, this.fit, this));
    this.input.on(Phaser.Input.Events.POINTER_MOVE, this.onPointerMove, this);
    this.input.on(Phaser.Input.Events.POINTER_UP, this.onPointerUp, this);
    this.input.on(Phaser.Input.Events.POINTER_UP_OUTSIDE, this.onPointerUp, this);
    this.input.on(Phaser.Input.Events.GAME_OUT, () => this.cursor.hide());

    const { model } = this.deps;
    const unsubscribe = model.subscribe({
      reset: () => this.clearItems(),
      add: (item) => this.addItem(item),
      update: (item) => this.updateItem(item),
      remove: (item) => this.removeItem(item.id),
      synced: () => this.onSynced(),
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, unsubscribe);
    for (const item of model.items.values()) this.addItem(item);
    this.created = true;
    if (model.isSynced) this.onSynced();
    else this.showWaiting();
  }

  /** Plays the arrival animation on these items (now, or as soon as they are drawn). */
  celebrate(itemIds: string[]): void {
    const fresh = itemIds.filter((id) => !this.celebrated.has(id));
    if (!this.created) {
      this.celebrateQueue.push(...fresh);
      return;
    }
    let delay = 0;
    for (const id of fresh) {
      const sprite = this.sprites.get(id);
      if (!sprite) {
        this.celebrateQueue.push(id);
        continue;
      }
      this.celebrated.add(id);
      if (sprite.item.x < 0) continue;
      playArrival(this, sprite, this.deps.describe(sprite.item), delay);
      delay += 280;
    }
  }

  /** The server refused a move: put the oldest pending one back where the state says. */
  undoPendingMove(): void {
    const [itemId] = this.pending.keys();
    if (itemId === undefined) return;
    this.pending.delete(itemId);
    this.sprites.get(itemId)?.moveToTile(true);
  }

  private fit(): void {
    const { width, height } = this.scale.gameSize;
    const cam = this.cameras.main;
    cam.setSize(width, height);
    // Phones: the plot alone fills the width; the fence may be cut.
    const view = width < 600 ? VIEW_NARROW : VIEW;
    const zoom = Phaser.Math.Clamp(Math.min(width / view.width, height / view.height), 0.25, 1.75);
    cam.setZoom(zoom);
    cam.centerOn((VILLAGE_WIDTH * TILE_SIZE) / 2, (VILLAGE_HEIGHT * TILE_SIZE) / 2 - 10);
  }

  private showWaiting(): void {
    this.waiting = this.add
      .text((VILLAGE_WIDTH * TILE_SIZE) / 2, (VILLAGE_HEIGHT * TILE_SIZE) / 2, t("loading.joining"), {
        fontFamily: "system-ui, sans-serif", fontSize: "26px", fontStyle: "bold", color: "#ffffff",
        stroke: "#3f7d2a", strokeThickness: 6,
      })
      .setOrigin(0.5)
      .setDepth(200_000);
    this.tweens.add({ targets: this.waiting, alpha: 0.55, duration: 700, yoyo: true, repeat: -1 });
  }

  private onSynced(): void {
    this.waiting?.destroy();
    this.waiting = undefined;
    if (!this.reported) {
      this.reported = true;
      this.deps.rendered();
    }
  }

  private textureFor(sprite: string, onLoaded: (key: string) => void): string {
    const key = spriteKey(sprite);
    if (this.textures.exists(key)) return key;
    // A sprite the boot list did not know: fetch it now, show a coin meanwhile.
    this.load.svg(key, spriteUrl(sprite), { width: SPRITE_RASTER, height: SPRITE_RASTER });
    this.load.once(`filecomplete-svg-${key}`, () => onLoaded(key));
    this.load.start();
    return spriteKey(FALLBACK_SPRITE);
  }

  private addItem(item: ItemView): void {
    if (this.sprites.has(item.id)) return this.updateItem(item);
    const texture = this.textureFor(item.sprite, (key) => this.sprites.get(item.id)?.setTexture(key));
    const sprite = new ItemSprite(this, item, texture);
    this.sprites.set(item.id, sprite);
    this.makeInteractive(sprite);
    const queued = this.celebrateQueue.indexOf(item.id);
    if (queued >= 0) {
      this.celebrateQueue.splice(queued, 1);
      this.celebrate([item.id]);
    }
  }

  private updateItem(item: ItemView): void {
    const sprite = this.sprites.get(item.id);
    if (!sprite) return this.addItem(item);
    sprite.setItem(item);
    const target = this.pending.get(item.id);
    if (target && target.x === item.x && target.y === item.y) this.pending.delete(item.id);
    if (this.drag?.sprite !== sprite) sprite.moveToTile(true);
  }

  private removeItem(id: string): void {
    const sprite = this.sprites.get(id);
    if (!sprite) return;
    if (this.drag?.sprite === sprite) this.drag = null;
    this.pending.delete(id);
    this.sprites.delete(id);
    this.tweens.add({ targets: sprite.container, alpha: 0, scale: 0.4, duration: 250, onComplete: () => sprite.destroy() });
  }

  private clearItems(): void {
    for (const sprite of this.sprites.values()) sprite.destroy();
    this.sprites.clear();
    this.pending.clear();
    this.drag = null;
  }

  private makeInteractive(sprite: ItemSprite): void {
    const owner = this.deps.canArrange();
    sprite.image.setInteractive({ useHandCursor: false, cursor: owner ? "grab" : "pointer", pixelPerfect: false });
    sprite.image.on(Phaser.Input.Events.GAMEOBJECT_POINTER_DOWN, (pointer: Phaser.Input.Pointer) => {
      this.drag = { sprite, downX: pointer.x, downY: pointer.y, active: false };
    });
    sprite.image.on(Phaser.Input.Events.GAMEOBJECT_POINTER_OVER, () => this.showTooltip(sprite));
    sprite.image.on(Phaser.Input.Events.GAMEOBJECT_POINTER_OUT, () => this.hideTooltip());
  }

  private onPointerMove(pointer: Phaser.Input.Pointer): void {
    const tile = tileAtWorld(pointer.worldX, pointer.worldY);
    const drag = this.drag;
    if (drag && this.deps.canArrange()) {
      if (!drag.active && Phaser.Math.Distance.Between(drag.downX, drag.downY, pointer.x, pointer.y) > 6) {
        drag.active = true;
        drag.sprite.lift(true);
        this.hideTooltip();
        this.input.manager.canvas.style.cursor = "grabbing";
      }
      if (drag.active) {
        drag.sprite.dragTo(pointer.worldX, pointer.worldY);
        this.cursor.show(tile.x, tile.y, this.check(drag.sprite, tile.x, tile.y) === null);
        return;
      }
    }
    this.cursor.show(tile.x, tile.y);
  }

  private onPointerUp(pointer: Phaser.Input.Pointer): void {
    const drag = this.drag;
    this.drag = null;
    if (!drag) return;
    if (!drag.active) {
      drag.sprite.boop();
      return;
    }
    this.input.manager.canvas.style.cursor = "";
    drag.sprite.lift(false);
    const tile = tileAtWorld(pointer.worldX, pointer.worldY);
    const item = drag.sprite.item;
    if (tile.x === item.x && tile.y === item.y) {
      drag.sprite.moveToTile(true);
      return;
    }
    const refusal = this.check(drag.sprite, tile.x, tile.y);
    if (refusal) {
      drag.sprite.moveToTile(true);
      this.deps.refused(refusal);
      return;
    }
    // Optimistic: it stands there now; the server confirms with a patch or refuses with an "error".
    drag.sprite.moveToTile(true, tile);
    this.pending.delete(item.id);
    this.pending.set(item.id, tile);
    this.deps.place(item.id, tile.x, tile.y);
    this.cursor.show(tile.x, tile.y);
  }

  /** The shared placement rule, against what this client currently shows. */
  private check(sprite: ItemSprite, x: number, y: number): ErrorCode | null {
    const shown = [...this.sprites.values()].map((s) => {
      const at = this.pending.get(s.item.id) ?? s.item;
      return { id: s.item.id, x: at.x < 0 ? null : at.x, y: at.y < 0 ? null : at.y };
    });
    const owner = this.deps.model.ownerId;
    const rule = placeItem({ items: shown, ownerId: owner, by: owner, itemId: sprite.item.id, x, y });
    return rule.ok ? null : rule.code;
  }

  private showTooltip(sprite: ItemSprite): void {
    const label = this.deps.describe(sprite.item);
    if (!label || this.drag?.active) return;
    this.hideTooltip();
    const c = sprite.container;
    this.tooltip = this.add
      .text(c.x, c.y - sprite.size - 10, label, {
        fontFamily: "system-ui, sans-serif", fontSize: "15px", fontStyle: "bold", color: "#4b3418",
        backgroundColor: "#fff6e0", padding: { x: 8, y: 4 },
      })
      .setOrigin(0.5, 1)
      .setDepth(150_000)
      .setScale(Math.max(1, 0.75 / this.cameras.main.zoom));
  }

  private hideTooltip(): void {
    this.tooltip?.destroy();
    this.tooltip = undefined;
  }
}
