/** Typed access to @colyseus/sdk state callbacks for a village room, in tests. */
import { getStateCallbacks, type Room } from "@colyseus/sdk";
import type { VillageItem, VillageState } from "../../shared/state.ts";

interface Listenable<T> {
  listen<K extends keyof T>(key: K, cb: (value: T[K]) => void): () => void;
}

type Proxy = ((state: VillageState) => { items: { onAdd(cb: (item: VillageItem) => void): () => void } }) &
  ((item: VillageItem) => Listenable<VillageItem>);

const callbacks = (room: Room<any, VillageState>) => getStateCallbacks(room) as unknown as Proxy;

export function onItemAdded(room: Room<any, VillageState>, cb: (item: VillageItem) => void): () => void {
  return callbacks(room)(room.state).items.onAdd(cb);
}

export function listenItem<K extends keyof VillageItem>(room: Room<any, VillageState>, item: VillageItem, key: K, cb: (value: VillageItem[K]) => void): () => void {
  return callbacks(room)(item).listen(key, cb);
}
