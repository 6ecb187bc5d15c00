/** The village room's clients: who is behind a connection, and the connections of one player. */
import type { Client } from "@colyseus/core";
import type { MeResponse } from "../../shared/api.ts";

export type VillageClient = Client<{ auth: MeResponse }>;

export function playerOf(client: VillageClient): MeResponse {
  if (!client.auth) throw new Error("client joined without onAuth");
  return client.auth;
}

/** Every connection of one player in the room (a player may have several tabs open). */
export function clientsOf(clients: Iterable<Client>, playerId: string): VillageClient[] {
  return [...clients].filter((c) => playerOf(c as VillageClient).player.id === playerId) as VillageClient[];
}
