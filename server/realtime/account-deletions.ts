/**
 * After an account is deleted (and committed), everything live about it
 * goes: every village room, in whichever process it runs, hears it through
 * Colyseus presence (Redis pub/sub with REDIS_URL). A room closes the deleted
 * player's connections, and the deleted player's own village room closes
 * everyone's and disposes. The player's online entry goes too, so nobody
 * sees them online.
 *
 * One presence subscription per process fans the event out to its rooms
 * (a subscription per room would pile listeners on one channel).
 */
import type { Presence } from "@colyseus/core";
import { watchChannel } from "./fan-out.ts";
import { clearOnline } from "./online.ts";

export const ACCOUNT_DELETIONS_CHANNEL = "hameau:account-deleted";

export interface AccountDeletedEvent {
  playerId: string;
  villageId: string;
}

export async function announceAccountDeleted(presence: Presence, event: AccountDeletedEvent): Promise<void> {
  await clearOnline(presence, event.playerId);
  await presence.publish(ACCOUNT_DELETIONS_CHANNEL, event);
}

export function isAccountDeletedEvent(value: unknown): value is AccountDeletedEvent {
  const v = value as Partial<AccountDeletedEvent> | null;
  return typeof v === "object" && v !== null && typeof v.playerId === "string" && typeof v.villageId === "string";
}

/** Calls `listener` for every account deletion until the returned function is called. */
export function watchAccountDeletions(presence: Presence, listener: (event: AccountDeletedEvent) => void): Promise<() => void> {
  return watchChannel(presence, ACCOUNT_DELETIONS_CHANNEL, isAccountDeletedEvent, listener);
}
