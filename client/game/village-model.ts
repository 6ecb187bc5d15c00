/**
 * A plain mirror of the village room's state for the scene, the DOM panels
 * and the test hooks. The network layer writes it; the others subscribe.
 * Keeping Colyseus out of the scene keeps the scene about drawing.
 */
import type { Crop } from "../../shared/farming.ts";
import { isCropKind } from "../../shared/farming.ts";
import type { CropWateredMessage, GiftArrivedMessage, HarvestedMessage, OwnerViewMessage } from "../../shared/messages.ts";
import type { SignFacts } from "../../shared/fundraisers.ts";
import type { ItemKind } from "../../shared/state.ts";

export interface ItemView {
  id: string;
  /** decor | gift | decoration | crop (shared/state.ts ITEM_KINDS). */
  kind: ItemKind | string;
  giftId: string;
  decorationId: string;
  sprite: string;
  /** -1 while the item waits in the barn. */
  x: number;
  y: number;
  donated: boolean;
  /** The giver's name for a gift from someone else who allowed it, "" otherwise. */
  fromName: string;
  /** Crops only ("" / 0 otherwise). */
  cropKind: string;
  plantedAt: number;
  growthMs: number;
  lastWateredAt: number;
  helperCount: number;
  /** A monthly gift's item: its growth stage, 1..4 (0 for anything else); drawn bigger at each stage. */
  monthlyStage: number;
}

/** Someone present in the village, by their room session id. */
export interface AvatarView {
  sessionId: string;
  playerId: string;
  name: string;
  isOwner: boolean;
  x: number;
  y: number;
  emote: string;
  emoteSeq: number;
  connected: boolean;
}

export interface VillageListener {
  /** The room was (re)joined: forget everything, items follow. */
  reset?(): void;
  /** `initial` is true for items of the first state sync, false for later arrivals. */
  add?(item: ItemView, initial: boolean): void;
  update?(item: ItemView, previous: ItemView): void;
  remove?(item: ItemView): void;
  /** The first full state has been received. */
  synced?(): void;
  /** A paid gift arrived ("giftArrived" from the room). */
  arrived?(message: GiftArrivedMessage): void;
  avatarAdd?(avatar: AvatarView): void;
  avatarUpdate?(avatar: AvatarView, previous: AvatarView): void;
  avatarRemove?(avatar: AvatarView): void;
  /** The owner's own view changed (coins, helpers): owner's clients only. */
  ownerView?(view: OwnerViewMessage): void;
  watered?(message: CropWateredMessage): void;
  harvested?(message: HarvestedMessage, item: ItemView | undefined): void;
  /** The owner's fundraiser sign changed (null: none). */
  sign?(sign: SignFacts | null): void;
}

export class VillageModel {
  readonly items = new Map<string, ItemView>();
  readonly avatars = new Map<string, AvatarView>();
  villageId = "";
  ownerId = "";
  name = "";
  width = 0;
  height = 0;
  isSynced = false;
  /** My room session id: which avatar is mine. */
  mySessionId = "";
  /** The owner's view, when I am the owner (null for visitors and before it arrives). */
  ownerView: OwnerViewMessage | null = null;
  /** The owner's fundraiser sign (shared/state.ts FundraiserSign), null when there is none. */
  sign: SignFacts | null = null;
  /** How far the server's clock is ahead of this one, as far as the state tells (ms, never negative). */
  private clockSkew = 0;
  private readonly listeners = new Set<VillageListener>();

  subscribe(listener: VillageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Mirrors the room's sign; listeners hear only real changes. */
  setSign(sign: SignFacts | null): void {
    if (JSON.stringify(sign) === JSON.stringify(this.sign)) return;
    this.sign = sign;
    this.emit((l) => l.sign?.(sign));
  }

  reset(): void {
    this.items.clear();
    this.avatars.clear();
    this.ownerView = null;
    this.isSynced = false;
    this.emit((l) => l.reset?.());
    this.setSign(null);
  }

  upsert(next: ItemView): void {
    const previous = this.items.get(next.id);
    const copy = { ...next };
    this.noteServerTime(copy.plantedAt);
    this.noteServerTime(copy.lastWateredAt);
    this.items.set(next.id, copy);
    if (!previous) this.emit((l) => l.add?.(copy, !this.isSynced));
    else if (!sameItem(previous, copy)) this.emit((l) => l.update?.(copy, previous));
  }

  remove(id: string): void {
    const item = this.items.get(id);
    if (!item) return;
    this.items.delete(id);
    this.emit((l) => l.remove?.(item));
  }

  upsertAvatar(next: AvatarView): void {
    const previous = this.avatars.get(next.sessionId);
    const copy = { ...next };
    this.avatars.set(next.sessionId, copy);
    if (!previous) this.emit((l) => l.avatarAdd?.(copy));
    else if (!sameAvatar(previous, copy)) this.emit((l) => l.avatarUpdate?.(copy, previous));
  }

  removeAvatar(sessionId: string): void {
    const avatar = this.avatars.get(sessionId);
    if (!avatar) return;
    this.avatars.delete(sessionId);
    this.emit((l) => l.avatarRemove?.(avatar));
  }

  /** My own avatar walks at once; the server's echo then confirms the same spot. */
  moveMine(x: number, y: number): void {
    const mine = this.avatars.get(this.mySessionId);
    if (mine) this.upsertAvatar({ ...mine, x, y });
  }

  markSynced(): void {
    if (this.isSynced) return;
    this.isSynced = true;
    this.emit((l) => l.synced?.());
  }

  announceArrival(message: GiftArrivedMessage): void {
    this.emit((l) => l.arrived?.(message));
  }

  setOwnerView(view: OwnerViewMessage): void {
    this.ownerView = view;
    this.emit((l) => l.ownerView?.(view));
  }

  announceWatered(message: CropWateredMessage): void {
    this.emit((l) => l.watered?.(message));
  }

  announceHarvested(message: HarvestedMessage): void {
    const item = this.items.get(message.itemId);
    if (this.ownerView) this.ownerView = { ...this.ownerView, coins: message.balance };
    this.emit((l) => l.harvested?.(message, item));
  }

  placed(): ItemView[] {
    return [...this.items.values()].filter((i) => i.x >= 0 && i.y >= 0);
  }

  inBarn(): ItemView[] {
    return [...this.items.values()].filter((i) => i.x < 0 || i.y < 0);
  }

  /** The item standing on a tile, if any. */
  itemAt(x: number, y: number): ItemView | undefined {
    for (const item of this.items.values()) if (item.x === x && item.y === y) return item;
    return undefined;
  }

  mine(): AvatarView | undefined {
    return this.avatars.get(this.mySessionId);
  }

  /** The current time on the server's clock, as well as this client can tell (whole ms). */
  now(): number {
    return Math.floor(Date.now() + this.clockSkew);
  }

  /** A crop item as the shared rules want it (waterings are not synced: the rules that draw do not need them). */
  cropOf(item: ItemView): Crop | null {
    if (item.kind !== "crop" || !isCropKind(item.cropKind)) return null;
    return { kind: item.cropKind, plantedAt: Math.floor(item.plantedAt), growthMs: Math.floor(item.growthMs), waterings: [] };
  }

  /** A server time from the future means this clock is behind: catch up. */
  private noteServerTime(at: number): void {
    if (at > 0) this.clockSkew = Math.max(this.clockSkew, at - Date.now());
  }

  private emit(call: (listener: VillageListener) => void): void {
    for (const listener of [...this.listeners]) {
      try {
        call(listener);
      } catch (err) {
        console.warn("village listener failed", err);
      }
    }
  }
}

function sameItem(a: ItemView, b: ItemView): boolean {
  return (Object.keys(a) as Array<keyof ItemView>).every((key) => a[key] === b[key]);
}

function sameAvatar(a: AvatarView, b: AvatarView): boolean {
  return (Object.keys(a) as Array<keyof AvatarView>).every((key) => a[key] === b[key]);
}
