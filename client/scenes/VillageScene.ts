/**
 * The village: ground, things standing on it, the people present and the
 * player's hands: hover a tile, drag a thing to another (owner, Arrange),
 * drop it outside the fence to put it in the barn, tap a thing to use it,
 * tap someone (the owner's visitor menu, people.ts), tap free ground to walk
 * there. Reads the VillageModel; never talks to the network itself — actions
 * go out through `deps`.
 */
import * as Phaser from "phaser";
import type { ErrorCode } from "../../shared/errors.ts";
import type { CropWateredMessage } from "../../shared/messages.ts";
import { TILE_SIZE, VILLAGE_HEIGHT, VILLAGE_WIDTH, isInBounds, placeItem } from "../../shared/village.ts";
import { t } from "../i18n.ts";
import type { AvatarView, ItemView, VillageModel } from "../game/village-model.ts";
import type { AvatarAnchor } from "../ui/visitor-menu.ts";
import { FALLBACK_SPRITE, SPRITE_RASTER, spriteKey, spriteUrl } from "./art.ts";
import { startAmbientLife } from "./ambient.ts";
import { avatarTileAt } from "./AvatarSprite.ts";
import { CropLayer } from "./crops.ts";
import { playArrival } from "./celebration.ts";
import { drawGround, tileAtWorld, tileCentre } from "./ground.ts";
import { ItemSprite } from "./ItemSprite.ts";
import { ItemTooltip } from "./item-tooltip.ts";
import { pressedOnPage, worldToPage } from "./page-point.ts";
import { People } from "./people.ts";
import { TileCursor } from "./tile-cursor.ts";
import { fitCamera } from "./camera-fit.ts";
import type { Insets } from "../game/overlay-insets.ts";
import { TileKeys } from "./tile-keys.ts";

export interface VillageSceneDeps {
  model: VillageModel;
  /** True when this player may move things (the village's owner, with the Arrange tool). */
  canArrange(): boolean;
  /** Sends a move to the server. */
  place(itemId: string, x: number, y: number): void;
  /** Puts an item back in the barn (dropped outside the fence). */
  take(itemId: string): void;
  /** A tap (no drag) on a thing standing in the village. */
  tapItem(item: ItemView): void;
  /** A tap on free ground: the tile, and the spot (tile coordinates, fractions) for my avatar's feet. */
  tapGround(tile: { x: number; y: number }, spot: { x: number; y: number }): void;
  /** Whether a tap on this person does something for me (the owner's visitor menu); otherwise it walks there. */
  canShowOut(avatar: AvatarView): boolean;
  /** A tap on someone else's avatar, with where it shows on the page; false when it is not for them (walk instead). */
  tapAvatar(avatar: AvatarView, locate: AvatarAnchor): boolean;
  /** Floating texts, translated by the caller. */
  coinsText(coins: number): string;
  wateredText(message: CropWateredMessage): string;
  /** Refused on the spot by the shared rule (no round trip). */
  refused(code: ErrorCode): void;
  /** What to say about a thing on hover or tap (may be several lines), null for nothing. */
  describe(item: ItemView): string | null;
  /** A thing's name alone (the arrival's floating label), null for plain decor. */
  nameOf(item: ItemView): string | null;
  /** The first state has been drawn. */
  rendered(): void;
}

interface Drag {
  sprite: ItemSprite;
  downX: number;
  downY: number;
  active: boolean;
}

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
  private tooltip!: ItemTooltip;
  private keys!: TileKeys;
  private crops!: CropLayer;
  private people!: People;
  /** Where the pointer went down on free ground (a tap walks there). */
  private groundDown: { x: number; y: number } | null = null;
  private created = false;
  private insets: Insets = { left: 0, bottom: 0 };
  private reported = false;

  constructor(deps: VillageSceneDeps) {
    super("village");
    this.deps = deps;
  }

  create(): void {
    drawGround(this);
    startAmbientLife(this);
    this.cursor = new TileCursor(this);
    this.crops = new CropLayer(this, {
      model: this.deps.model, spriteOf: (id) => this.sprites.get(id),
      coinsText: (n) => this.deps.coinsText(n), wateredText: (m) => this.deps.wateredText(m),
    });
    this.people = new People(this, {
      model: this.deps.model, canShowOut: (a) => this.deps.canShowOut(a), tapAvatar: (a, locate) => this.deps.tapAvatar(a, locate),
      dragging: () => this.drag?.active === true,
    });
    this.tooltip = new ItemTooltip(this, (item) => this.deps.describe(item), () => this.drag?.active === true);
    this.keys = new TileKeys({
      canvas: this.game.canvas, cursor: this.cursor, start: () => this.myTile(),
      itemAt: (x, y) => this.deps.model.itemAt(x, y), describe: (item) => this.deps.describe(item),
      label: (item) => {
        const sprite = item && this.sprites.get(item.id);
        if (sprite) this.tooltip.show(sprite);
        else this.tooltip.hide();
      },
      act: (tile, item) => this.tapTile(tile, item),
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.keys.dispose());
    this.fit();
    this.scale.on(Phaser.Scale.Events.RESIZE, this.fit, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.scale.off(Phaser.Scale.Events.RESIZE, this.fit, this));
    this.input.on(Phaser.Input.Events.POINTER_MOVE, this.onPointerMove, this);
    this.input.on(Phaser.Input.Events.POINTER_DOWN, this.onPointerDown, this);
    this.input.on(Phaser.Input.Events.POINTER_UP, this.onPointerUp, this);
    this.input.on(Phaser.Input.Events.POINTER_UP_OUTSIDE, this.onPointerUp, this);
    this.input.on(Phaser.Input.Events.GAME_OUT, () => this.cursor.hide());

    const { model } = this.deps;
    const unsubscribe = model.subscribe({
      reset: () => this.clearItems(),
      // The keyboard's tile is said again when what stands on it changes.
      add: (item) => (this.addItem(item), this.keys.changedAt(item.x, item.y)),
      update: (item, was) => (this.updateItem(item), this.keys.changedAt(item.x, item.y), this.keys.changedAt(was.x, was.y)),
      remove: (item) => (this.removeItem(item.id), this.keys.changedAt(item.x, item.y)),
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
      playArrival(this, sprite, this.deps.nameOf(sprite.item), delay);
      delay += 280;
    }
  }

  /** Where on the page (CSS px) the centre of a spot in tile coordinates shows, for tests and tooling. */
  pagePoint(x: number, y: number): { x: number; y: number } | null {
    if (!this.created) return null;
    const c = tileCentre(x, y);
    return worldToPage(this, c.x, c.y);
  }

  /** Where on the page (CSS px) the middle of someone's figure shows now; null when they are not here. */
  avatarPagePoint(sessionId: string): { x: number; y: number } | null {
    return this.created ? this.people.pagePoint(sessionId) : null;
  }

  /** Where on the page (CSS px) the middle of someone's name tag shows now; null when they are not here. */
  nameTagPagePoint(sessionId: string): { x: number; y: number } | null {
    return this.created ? this.people.tagPagePoint(sessionId) : null;
  }

  /** What is drawn now (test hooks): each item's texture and crop bar, each avatar's spot, fading and bubble. */
  inspect() {
    if (!this.created) return null;
    const items = [...this.sprites.values()].map((s) => ({
      id: s.item.id, texture: s.image.texture.key, visible: s.container.visible, bar: this.crops.barOf(s.item.id), size: s.size,
    }));
    return { items, avatars: this.people.inspect(), tooltip: this.tooltip.label, keyTile: this.keys.current };
  }

  /** The server refused a move: put the oldest pending one back where the state says. */
  undoPendingMove(): void {
    const [itemId] = this.pending.keys();
    if (itemId === undefined) return;
    this.pending.delete(itemId);
    this.sprites.get(itemId)?.moveToTile(true);
  }

  /** The overlays' room along the bottom and the left (CSS px, the game's size): the plot is fitted beside them. */
  setInsets(insets: Insets): void {
    this.insets = insets;
    if (this.created) this.fit();
  }

  private fit(): void {
    const { width, height } = this.scale.gameSize;
    const cam = this.cameras.main;
    cam.setSize(width, height);
    const view = fitCamera(width, height, this.insets);
    cam.setZoom(view.zoom);
    cam.centerOn(view.x, view.y);
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
    const picture = this.crops.spriteFor(item);
    const texture = this.textureFor(picture, (key) => this.sprites.get(item.id)?.setTexture(key));
    const sprite = new ItemSprite(this, item, texture);
    this.sprites.set(item.id, sprite);
    this.crops.attach(item);
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
    this.crops.attach(item);
    const target = this.pending.get(item.id);
    if (target && target.x === item.x && target.y === item.y) this.pending.delete(item.id);
    if (this.drag?.sprite !== sprite) sprite.moveToTile(true);
  }

  private removeItem(id: string): void {
    const sprite = this.sprites.get(id);
    if (!sprite) return;
    if (this.drag?.sprite === sprite) this.drag = null;
    this.tooltip.forget(sprite);
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
    sprite.image.setInteractive({ useHandCursor: false, cursor: "pointer", pixelPerfect: false });
    sprite.image.on(Phaser.Input.Events.GAMEOBJECT_POINTER_DOWN, (pointer: Phaser.Input.Pointer) => {
      if (pressedOnPage(pointer, this)) return;
      this.drag = { sprite, downX: pointer.x, downY: pointer.y, active: false };
    });
    sprite.image.on(Phaser.Input.Events.GAMEOBJECT_POINTER_OVER, () => {
      if (this.deps.canArrange()) this.input.manager.canvas.style.cursor = "grab";
      this.tooltip.show(sprite);
    });
    // A finger lifted is "out" too: a tap's label stays its while (show(…, ms)), a mouse's goes when it leaves.
    sprite.image.on(Phaser.Input.Events.GAMEOBJECT_POINTER_OUT, (pointer: Phaser.Input.Pointer) => pointer.wasTouch || this.tooltip.hide());
  }

  private onPointerMove(pointer: Phaser.Input.Pointer): void {
    const tile = tileAtWorld(pointer.worldX, pointer.worldY);
    const drag = this.drag;
    if (drag && this.deps.canArrange()) {
      if (!drag.active && Phaser.Math.Distance.Between(drag.downX, drag.downY, pointer.x, pointer.y) > 6) {
        drag.active = true;
        drag.sprite.lift(true);
        this.tooltip.hide();
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

  private onPointerDown(pointer: Phaser.Input.Pointer, over: Phaser.GameObjects.GameObject[]): void {
    this.groundDown = over.length === 0 && !pressedOnPage(pointer, this) ? { x: pointer.x, y: pointer.y } : null;
  }

  private onPointerUp(pointer: Phaser.Input.Pointer): void {
    const drag = this.drag;
    this.drag = null;
    const down = this.groundDown;
    this.groundDown = null;
    if (!drag && this.people.pointerUp(pointer, () => this.tapGround(pointer))) return;
    if (!drag) {
      if (down && Phaser.Math.Distance.Between(down.x, down.y, pointer.x, pointer.y) < 10) this.tapGround(pointer);
      return;
    }
    if (!drag.active) {
      drag.sprite.boop();
      this.tooltip.show(drag.sprite, 3500);
      this.deps.tapItem(drag.sprite.item);
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
    if (!isInBounds(tile.x, tile.y)) {
      // Dropped outside the fence: back to the barn (the server confirms by removing it from the plot).
      drag.sprite.moveToTile(true);
      this.deps.take(item.id);
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

  /** My avatar's tile (the keyboard's cursor starts there), else the middle of the village. */
  private myTile(): { x: number; y: number } {
    const me = this.deps.model.avatars.get(this.deps.model.mySessionId);
    if (!me) return { x: Math.floor(VILLAGE_WIDTH / 2), y: Math.floor(VILLAGE_HEIGHT / 2) };
    return { x: Phaser.Math.Clamp(Math.round(me.x), 0, VILLAGE_WIDTH - 1), y: Phaser.Math.Clamp(Math.round(me.y), 0, VILLAGE_HEIGHT - 1) };
  }

  /** Enter or Space on a tile: what a tap there does (the thing standing there, else the ground). */
  private tapTile(tile: { x: number; y: number }, item: ItemView | undefined): void {
    const sprite = item && this.sprites.get(item.id);
    if (!item || !sprite) return this.deps.tapGround(tile, tile);
    sprite.boop();
    this.deps.tapItem(item);
  }

  /** A tap on free ground: walk there (the caller decides, e.g. plant instead). */
  private tapGround(pointer: Phaser.Input.Pointer): void {
    const tile = tileAtWorld(pointer.worldX, pointer.worldY);
    const spot = avatarTileAt(pointer.worldX, pointer.worldY);
    const clamped = {
      x: Phaser.Math.Clamp(spot.x, 0, VILLAGE_WIDTH - 1), y: Phaser.Math.Clamp(spot.y, 0, VILLAGE_HEIGHT - 1),
    };
    this.deps.tapGround(tile, clamped);
  }
}

