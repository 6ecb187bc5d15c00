/**
 * window.hameau: a small read-only window on the game for end-to-end tests
 * (and curious players in the console). `ready` turns true once the room's
 * state has arrived and the scene has drawn its items. `pointOf` tells where
 * on the page a spot of the village is (tile coordinates), so tests click
 * tiles rather than guess pixels; `connection` lets them visit a village.
 */
import type { OwnerViewMessage } from "../../shared/messages.ts";
import type { VillageConnection } from "../net/village-room.ts";
import type { AvatarView, ItemView, VillageModel } from "./village-model.ts";

export interface HameauHooks {
  ready: boolean;
  /** performance.now() when the village's first frame (after its state arrived) was drawn; null before. */
  firstFrameAt: number | null;
  itemCount(): number;
  state(): {
    villageId: string;
    ownerId: string;
    name: string;
    mySessionId: string;
    items: ItemView[];
    avatars: AvatarView[];
    ownerView: OwnerViewMessage | null;
  };
  /** Page coordinates (CSS px) of a spot in tile coordinates; null before the scene runs. */
  pointOf(x: number, y: number): { x: number; y: number } | null;
  /** Page coordinates (CSS px) of the middle of someone's figure, by session id; null when not drawn. */
  pointOfAvatar(sessionId: string): { x: number; y: number } | null;
  /** Page coordinates (CSS px) of the middle of someone's name tag, by session id; null when not drawn. */
  pointOfNameTag(sessionId: string): { x: number; y: number } | null;
  /** What the scene draws now (textures, crop bars, avatars, the label shown); null before it runs. */
  drawn(): unknown;
  connection?: VillageConnection;
  /** The sound (client/sound/sound.ts): on or off, the audio context's state ("none" before one), the effects played. */
  sound?: { readonly isOn: boolean; readonly audioState: string; readonly played: readonly string[] };
}

export interface SceneView {
  pagePoint(x: number, y: number): { x: number; y: number } | null;
  avatarPagePoint(sessionId: string): { x: number; y: number } | null;
  nameTagPagePoint(sessionId: string): { x: number; y: number } | null;
  inspect(): unknown;
}

export function installHooks(model: VillageModel, scene: () => SceneView | undefined = () => undefined): HameauHooks {
  const hooks: HameauHooks = {
    ready: false,
    firstFrameAt: null,
    itemCount: () => model.items.size,
    state: () => ({
      villageId: model.villageId,
      ownerId: model.ownerId,
      name: model.name,
      mySessionId: model.mySessionId,
      items: [...model.items.values()].map((item) => ({ ...item })),
      avatars: [...model.avatars.values()].map((avatar) => ({ ...avatar })),
      ownerView: model.ownerView,
    }),
    pointOf: (x, y) => scene()?.pagePoint(x, y) ?? null,
    pointOfAvatar: (sessionId) => scene()?.avatarPagePoint(sessionId) ?? null,
    pointOfNameTag: (sessionId) => scene()?.nameTagPagePoint(sessionId) ?? null,
    drawn: () => scene()?.inspect() ?? null,
  };
  // Assigned without a global declaration so tests may declare their own view of it.
  (window as Window & { hameau?: HameauHooks }).hameau = hooks;
  return hooks;
}
