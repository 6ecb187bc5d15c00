/**
 * Who is online, and in which village: one presence hash per player (room
 * session → village id), kept by the village rooms, shared by every process
 * through Colyseus presence (Redis when configured). Only read for friends
 * who chose to show it (see services/friends.ts).
 */
import type { Presence } from "@colyseus/core";

const key = (playerId: string) => `online:${playerId}`;

export async function markOnline(presence: Presence, playerId: string, roomSessionId: string, villageId: string): Promise<void> {
  await presence.hset(key(playerId), roomSessionId, villageId);
}

export async function markOffline(presence: Presence, playerId: string, roomSessionId: string): Promise<void> {
  await presence.hdel(key(playerId), roomSessionId);
}

/** The village each of these players is in now (one of them when several tabs are open), if online. */
export async function whereAre(presence: Presence, playerIds: readonly string[]): Promise<Map<string, string>> {
  const where = new Map<string, string>();
  await Promise.all(
    playerIds.map(async (id) => {
      const sessions = await presence.hgetall(key(id));
      const village = sessions ? Object.values(sessions)[0] : undefined;
      if (village) where.set(id, village);
    }),
  );
  return where;
}

/** Forgets every room session of a player (a deleted account): they are online nowhere. */
export async function clearOnline(presence: Presence, playerId: string): Promise<void> {
  await presence.del(key(playerId));
}
