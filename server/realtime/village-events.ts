/**
 * How fulfilment tells a village room that something changed. It goes through
 * Colyseus presence (in-process by default, Redis pub/sub with REDIS_URL), so
 * the room hears it whichever process hosts it. The message only says "look
 * again": the room reloads from the database, the single source of truth.
 */
import type { Presence } from "@colyseus/core";

export function villageChannel(villageId: string): string {
  return `hameau:village:${villageId}`;
}

export type VillageEvent =
  | { kind: "gifts-granted"; orderId: string; itemIds: string[] }
  | { kind: "gifts-withdrawn"; orderId: string; reason: "refunded" | "dispute_lost"; items: Array<{ itemId: string; giftId: string }> }
  | { kind: "gifts-restored"; orderId: string; items: Array<{ itemId: string; giftId: string }> }
  /** Items given by the game itself (a campaign milestone's decorations): reload, nothing to announce. */
  | { kind: "items-added"; itemIds: string[] };

export async function publishVillageEvent(presence: Presence, villageId: string, event: VillageEvent & { villageId?: string }): Promise<void> {
  const { villageId: _omit, ...message } = event;
  await presence.publish(villageChannel(villageId), message);
}
