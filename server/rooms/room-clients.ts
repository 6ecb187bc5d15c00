/** The village room's clients: who is behind a connection, and the connections of one player. */
import type { Client } from "@colyseus/core";
import type { SeatHolder } from "../services/room-tickets.ts";

export type VillageClient = Client<{ auth: SeatHolder }>;

export function playerOf(client: VillageClient): SeatHolder {
  if (!client.auth) throw new Error("client joined without onAuth");
  return client.auth;
}

/** Every connection of one player in the room (a player may have several tabs open). */
export function clientsOf(clients: Iterable<Client>, playerId: string): VillageClient[] {
  return [...clients].filter((c) => playerOf(c as VillageClient).player.id === playerId) as VillageClient[];
}
