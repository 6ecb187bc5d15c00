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
import { watchChannel } from "./fan-out.ts";
import type { CatalogChangedMessage } from "../../shared/messages.ts";

export const CATALOG_CHANNEL = "hameau:catalog-changed";

export async function publishCatalogChanged(presence: Presence, event: CatalogChangedMessage): Promise<void> {
  await presence.publish(CATALOG_CHANNEL, event);
}

function isCatalogChanged(value: unknown): value is CatalogChangedMessage {
  const v = value as Partial<CatalogChangedMessage> | null;
  return typeof v === "object" && v !== null && Array.isArray(v.giftIds) && v.giftIds.every((id) => typeof id === "string");
}

/** Calls `listener` for every catalog change until the returned function is called. */
export function watchCatalogChanges(presence: Presence, listener: (event: CatalogChangedMessage) => void): Promise<() => void> {
  return watchChannel(presence, CATALOG_CHANNEL, isCatalogChanged, (event) => listener({ giftIds: event.giftIds }));
}
