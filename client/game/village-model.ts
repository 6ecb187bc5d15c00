/**
 * A plain mirror of the village room's state for the scene, the DOM panels
 * and the test hooks. The network layer writes it; the others subscribe.
 * Keeping Colyseus out of the scene keeps the scene about drawing.
 */
import type { GiftArrivedMessage } from "../../shared/messages.ts";

export interface ItemView {
  id: string;
  giftId: string;
  sprite: string;
  /** -1 while the item waits in the barn. */
  x: number;
  y: number;
  donated: boolean;
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
}

export class VillageModel {
  readonly items = new Map<string, ItemView>();
  ownerId = "";
  name = "";
  width = 0;
  height = 0;
  isSynced = false;
  private readonly listeners = new Set<VillageListener>();

  subscribe(listener: VillageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reset(): void {
    this.items.clear();
    this.isSynced = false;
    this.emit((l) => l.reset?.());
  }

  upsert(next: ItemView): void {
    const previous = this.items.get(next.id);
    const copy = { ...next };
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

  markSynced(): void {
    if (this.isSynced) return;
    this.isSynced = true;
    this.emit((l) => l.synced?.());
  }

  announceArrival(message: GiftArrivedMessage): void {
    this.emit((l) => l.arrived?.(message));
  }

  placed(): ItemView[] {
    return [...this.items.values()].filter((i) => i.x >= 0 && i.y >= 0);
  }

  inBarn(): ItemView[] {
    return [...this.items.values()].filter((i) => i.x < 0 || i.y < 0);
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
  return a.x === b.x && a.y === b.y && a.sprite === b.sprite && a.giftId === b.giftId && a.donated === b.donated;
}
