/**
 * What a village room does with one player's own event (player-events.ts):
 * reads it for that player and sends it to that player's clients here only,
 * never to anyone else present. Also the owner-only "visitorArrived" notice.
 */
import { SERVER_MESSAGES, type OrderPaidMessage } from "../../shared/messages.ts";
import type { VisitorArrivedMessage } from "../../shared/neighbours.ts";
import type { Db } from "../db/connect.ts";
import type { PlayerEvent } from "../realtime/player-events.ts";
import { notificationMessage } from "../services/notifications.ts";
import { myReferrals } from "../services/referrals.ts";
import { type VillageClient, clientsOf } from "./room-clients.ts";

export async function deliverPlayerEvent(db: Db, clients: Iterable<VillageClient>, playerId: string, event: PlayerEvent): Promise<void> {
  const theirs = clientsOf(clients, playerId);
  if (theirs.length === 0) return;
  if (event.kind === "referrals") {
    const counts = await myReferrals(db, playerId);
    for (const client of theirs) client.send(SERVER_MESSAGES.referrals, counts);
    return;
  }
  if (event.kind === "orderPaid") {
    const paid: OrderPaidMessage = { orderId: event.orderId };
    for (const client of theirs) client.send(SERVER_MESSAGES.orderPaid, paid);
    return;
  }
  const message = await notificationMessage(db, playerId, event.notificationId);
  if (!message) return;
  for (const client of theirs) client.send(SERVER_MESSAGES.notification, message);
}

/** "Bob arrived": told to the owner's clients in the room only (the name is the one on Bob's avatar). */
export function tellOwnerOfArrival(clients: Iterable<VillageClient>, ownerId: string, visitorName: string): void {
  const message: VisitorArrivedMessage = { name: visitorName };
  for (const client of clientsOf(clients, ownerId)) client.send(SERVER_MESSAGES.visitorArrived, message);
}
