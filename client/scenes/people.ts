/**
 * The people in the village as the scene handles them: their figures (the
 * AvatarLayer) and taps on someone else's figure. A tap on a visitor opens
 * the owner's visitor menu, anchored to the figure wherever it walks; a tap
 * that is not for them walks there, like a tap on the ground.
 */
import * as Phaser from "phaser";
import type { AvatarView, VillageModel } from "../game/village-model.ts";
import type { AvatarAnchor } from "../ui/visitor-menu.ts";
import { AvatarLayer } from "./avatars.ts";
import { pressedOnPage, worldToPage } from "./page-point.ts";

export interface PeopleDeps {
  model: VillageModel;
  canShowOut(avatar: AvatarView): boolean;
  tapAvatar(avatar: AvatarView, locate: AvatarAnchor): boolean;
  /** Something is being dragged (the cursor is the drag's). */
  dragging(): boolean;
}

/** A press that moves less than this (CSS px of the game) is a tap. */
const TAP_SLOP = 10;

export class People {
  private readonly scene: Phaser.Scene;
  private readonly deps: PeopleDeps;
  private readonly layer: AvatarLayer;
  /** Where the pointer went down on someone's figure. */
  private down: { sessionId: string; x: number; y: number } | null = null;

  constructor(scene: Phaser.Scene, deps: PeopleDeps) {
    this.scene = scene;
    this.deps = deps;
    const canvas = () => scene.input.manager.canvas;
    this.layer = new AvatarLayer(scene, deps.model, {
      down: (sprite, pointer) => {
        if (pressedOnPage(pointer, scene)) return;
        this.down = { sessionId: sprite.avatar.sessionId, x: pointer.x, y: pointer.y };
      },
      over: (sprite) => {
        if (deps.canShowOut(sprite.avatar)) canvas().style.cursor = "pointer";
      },
      out: () => {
        if (!deps.dragging()) canvas().style.cursor = "";
      },
    });
  }

  /**
   * The pointer went up: true when the press began on someone's figure (then
   * handled here: their menu, or `walk` when the tap is not for them).
   */
  pointerUp(pointer: Phaser.Input.Pointer, walk: () => void): boolean {
    const down = this.down;
    this.down = null;
    if (!down) return false;
    if (Phaser.Math.Distance.Between(down.x, down.y, pointer.x, pointer.y) >= TAP_SLOP) return true;
    const avatar = this.deps.model.avatars.get(down.sessionId);
    if (!avatar || !this.deps.tapAvatar(avatar, this.anchor(down.sessionId))) walk();
    return true;
  }

  /** Where on the page the middle of someone's figure shows now; null when they are not here. */
  pagePoint(sessionId: string): { x: number; y: number } | null {
    const sprite = this.layer.get(sessionId);
    if (!sprite) return null;
    const at = sprite.anchor();
    return worldToPage(this.scene, at.x, at.middle);
  }

  /** Where on the page the middle of someone's name tag shows now; null when they are not here. */
  tagPagePoint(sessionId: string): { x: number; y: number } | null {
    const sprite = this.layer.get(sessionId);
    if (!sprite) return null;
    const at = sprite.anchor();
    return worldToPage(this.scene, at.x, at.tag);
  }

  inspect(): ReturnType<AvatarLayer["inspect"]> {
    return this.layer.inspect();
  }

  /** Where someone's figure shows on the page, for as long as they are here (the visitor menu follows it). */
  private anchor(sessionId: string): AvatarAnchor {
    return () => {
      const sprite = this.layer.get(sessionId);
      if (!sprite || !this.deps.model.avatars.has(sessionId)) return null;
      const at = sprite.anchor();
      const head = worldToPage(this.scene, at.x, at.head);
      const feet = worldToPage(this.scene, at.x, at.feet);
      return {
        x: head.x, head: head.y, feet: feet.y,
        left: worldToPage(this.scene, at.x - at.halfWidth, at.middle).x, right: worldToPage(this.scene, at.x + at.halfWidth, at.middle).x,
      };
    };
  }
}
