/**
 * The guest session: a bearer token kept in localStorage so the same player
 * and village come back after a reload. An unknown or expired token gives
 * way to a fresh guest.
 */
import type { PlayerView } from "../../shared/api.ts";
import { storageGet, storageSet } from "../storage.ts";
import { ApiError, api } from "./api.ts";

export const TOKEN_KEY = "hameau.token";

export interface Session {
  token: string;
  player: PlayerView;
  villageId: string;
}

export async function openSession(): Promise<Session> {
  const saved = storageGet(TOKEN_KEY);
  if (saved) {
    try {
      const me = await api.me(saved);
      return { token: saved, player: me.player, villageId: me.villageId };
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      storageSet(TOKEN_KEY, null);
    }
  }
  const created = await api.createGuest();
  storageSet(TOKEN_KEY, created.token);
  return { token: created.token, player: created.player, villageId: created.villageId };
}
