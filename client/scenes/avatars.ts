/**
 * Everyone present in the village, drawn from the VillageModel's avatars:
 * one AvatarSprite per person, created, moved and removed as the state says.
 * Other people's figures report taps and hovers to the scene.
 */
import type * as Phaser from "phaser";
import type { AvatarView, VillageModel } from "../game/village-model.ts";
import { AvatarSprite } from "./AvatarSprite.ts";

export interface AvatarHands {
  down(sprite: AvatarSprite, pointer: Phaser.Input.Pointer): void;
  over(sprite: AvatarSprite): void;
  out(): void;
}

export class AvatarLayer {
  private readonly sprites = new Map<string, AvatarSprite>();
  private readonly scene: Phaser.Scene;
  private readonly model: VillageModel;
  private readonly hands: AvatarHands;

  constructor(scene: Phaser.Scene, model: VillageModel, hands: AvatarHands) {
    this.scene = scene;
    this.model = model;
    this.hands = hands;
    const unsubscribe = model.subscribe({
      reset: () => this.clear(),
      avatarAdd: (a) => this.add(a),
      avatarUpdate: (a) => this.update(a),
      avatarRemove: (a) => this.remove(a.sessionId),
    });
    scene.events.once("shutdown", unsubscribe);
    for (const avatar of model.avatars.values()) this.add(avatar);
  }

  /** My avatar's sprite, once I am in. */
  mine(): AvatarSprite | undefined {
    return this.sprites.get(this.model.mySessionId);
  }

  /** The sprite drawn for a session, while that person is here. */
  get(sessionId: string): AvatarSprite | undefined {
    return this.sprites.get(sessionId);
  }

  /** What each avatar shows now, by session id (test hooks). */
  inspect(): Record<string, ReturnType<AvatarSprite["inspect"]>> {
    return Object.fromEntries([...this.sprites].map(([id, sprite]) => [id, sprite.inspect()]));
  }

  private add(avatar: AvatarView): void {
    if (this.sprites.has(avatar.sessionId)) return this.update(avatar);
    const isMine = avatar.sessionId === this.model.mySessionId;
    const sprite = new AvatarSprite(this.scene, avatar, isMine);
    if (!isMine) {
      sprite.makeTappable({ down: (pointer) => this.hands.down(sprite, pointer), over: () => this.hands.over(sprite), out: () => this.hands.out() });
    }
    this.sprites.set(avatar.sessionId, sprite);
  }

  private update(avatar: AvatarView): void {
    const sprite = this.sprites.get(avatar.sessionId);
    if (!sprite) return this.add(avatar);
    sprite.update(avatar);
  }

  private remove(sessionId: string): void {
    this.sprites.get(sessionId)?.leave();
    this.sprites.delete(sessionId);
  }

  private clear(): void {
    for (const sprite of this.sprites.values()) sprite.destroy();
    this.sprites.clear();
  }
}
