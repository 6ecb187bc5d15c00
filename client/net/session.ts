/**
 * The session: a bearer token kept in localStorage so the same player and
 * village come back after a reload. An unknown or expired token gives way to
 * a fresh guest. Signing up, in or out changes the stored token and reloads
 * the page (see client/ui/account.ts), so everything starts again from here.
 */
import type { PlayerView } from "../../shared/api.ts";
import { storageGet, storageSet } from "../storage.ts";
import { ApiError, api } from "./api.ts";

export const TOKEN_KEY = "hameau.token";

export interface Session {
  token: string;
  player: PlayerView;
  villageId: string;
  /** Null for a guest (a token on this device only). */
  account: { email: string } | null;
}

export async function openSession(): Promise<Session> {
  const saved = storageGet(TOKEN_KEY);
  if (saved) {
    try {
      const me = await api.me(saved);
      return { token: saved, player: me.player, villageId: me.villageId, account: me.account };
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      storageSet(TOKEN_KEY, null);
    }
  }
  const created = await api.createGuest();
  storageSet(TOKEN_KEY, created.token);
  return { token: created.token, player: created.player, villageId: created.villageId, account: null };
}

/** Keeps a new token for the next start (after sign-up or sign-in); null forgets it (sign-out). */
export function storeToken(token: string | null): void {
  storageSet(TOKEN_KEY, token);
}
