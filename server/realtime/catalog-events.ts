/**
 * "The catalog changed": published after a catalog write commits (an NGO
 * edits its gifts, or a checkout takes units of a limited stock). Every
 * village room, in whichever process it runs, hears it through Colyseus
 * presence (Redis pub/sub with REDIS_URL) and tells its clients to refetch
 * GET /api/catalog. The event carries ids only: the database stays the truth.
 *
 * One presence subscription per process fans the event out to its rooms.
 */
import type { Presence } from "@colyseus/core";
import type { CatalogChangedMessage } from "../../shared/messages.ts";

export const CATALOG_CHANNEL = "hameau:catalog-changed";

export async function publishCatalogChanged(presence: Presence, event: CatalogChangedMessage): Promise<void> {
  await presence.publish(CATALOG_CHANNEL, event);
}

function isCatalogChanged(value: unknown): value is CatalogChangedMessage {
  const v = value as Partial<CatalogChangedMessage> | null;
  return typeof v === "object" && v !== null && Array.isArray(v.giftIds) && v.giftIds.every((id) => typeof id === "string");
}

type Listener = (event: CatalogChangedMessage) => void;

/** Per presence (one per server): the rooms listening, and the one subscription that feeds them. */
const fanOuts = new WeakMap<Presence, { listeners: Set<Listener>; subscribed: Promise<unknown> }>();

/** Calls `listener` for every catalog change until the returned function is called. */
export async function watchCatalogChanges(presence: Presence, listener: Listener): Promise<() => void> {
  let fanOut = fanOuts.get(presence);
  if (!fanOut) {
    const listeners = new Set<Listener>();
    const subscribed = presence.subscribe(CATALOG_CHANNEL, (event: unknown) => {
      if (!isCatalogChanged(event)) return;
      for (const l of listeners) l({ giftIds: event.giftIds });
    }).catch((err: unknown) => {
      fanOuts.delete(presence); // the next room tries again
      throw err;
    });
    fanOut = { listeners, subscribed };
    fanOuts.set(presence, fanOut);
  }
  fanOut.listeners.add(listener);
  await fanOut.subscribed;
  const { listeners } = fanOut;
  return () => {
    listeners.delete(listener);
  };
}
