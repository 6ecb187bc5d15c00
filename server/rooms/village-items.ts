/**
 * A village room's items after a payment event (in any process): re-read from
 * the database, the single source of truth, then announced — a gift that
 * arrived (the payer's own clients are thanked), gifts taken back, or gifts
 * given back after a refund failed or shrank.
 */
import type { Client } from "@colyseus/core";
import type { GiftArrivedMessage, GiftRestoredMessage, GiftWithdrawnMessage } from "../../shared/messages.ts";
import type { VillageState } from "../../shared/state.ts";
import type { Db } from "../db/connect.ts";
import type { VillageEvent } from "../realtime/village-events.ts";
import { payerOf } from "../services/gift-recipients.ts";
import { loadVillage } from "../services/villages.ts";
import { type VillageClient, playerOf } from "./room-clients.ts";
import { toStateItem } from "./village-state.ts";

export interface ItemsRoom {
  db: Db;
  villageId: string;
  state: VillageState;
  clients: Iterable<VillageClient & Client>;
  broadcast(type: string, message: unknown, options?: { afterNextPatch?: boolean }): void;
}

/** Re-reads the village after a payment event and announces what changed. */
export async function reloadVillageItems(room: ItemsRoom, event: VillageEvent): Promise<void> {
  const village = await loadVillage(room.db, room.villageId);
  if (!village) return;
  const seen = new Set<string>();
  for (const row of village.items) {
    seen.add(row.id);
    const existing = room.state.items.get(row.id);
    if (!existing) room.state.items.set(row.id, toStateItem(row, village.ownerId));
    else {
      existing.x = row.x ?? -1;
      existing.y = row.y ?? -1;
      // A monthly gift's next month grows its item (no new item).
      existing.monthlyStage = row.monthlyStage ?? 0;
    }
  }
  for (const id of [...room.state.items.keys()]) if (!seen.has(id)) room.state.items.delete(id);
  if (event.kind === "gifts-withdrawn") {
    const withdrawn: GiftWithdrawnMessage = { orderId: event.orderId, reason: event.reason, items: event.items };
    room.broadcast("giftWithdrawn", withdrawn);
    return;
  }
  if (event.kind === "items-added") return;
  if (event.kind === "gifts-restored") {
    const restored: GiftRestoredMessage = { orderId: event.orderId, items: event.items };
    room.broadcast("giftRestored", restored, { afterNextPatch: true });
    return;
  }
  const items = event.itemIds.flatMap((itemId) => {
    const item = room.state.items.get(itemId);
    return item ? [item] : [];
  });
  // The giver's name only when they allowed it (loadVillage leaves fromName empty otherwise); never an amount.
  const fromName = items.find((i) => i.fromName !== "")?.fromName;
  const payer = await payerOf(room.db, event.orderId);
  const arrived = (yours: boolean): GiftArrivedMessage => ({
    orderId: event.orderId,
    items: items.map((item) => ({ itemId: item.id, giftId: item.giftId })),
    ...(fromName ? { fromName } : {}),
    yours,
  });
  // After the next patch, so clients already hold the items the message names. The payer's own
  // clients are thanked; everyone else just sees the gift arrive (who paid is not said to them).
  for (const client of room.clients) {
    client.send("giftArrived", arrived(playerOf(client as VillageClient).player.id === payer), { afterNextPatch: true });
  }
}
