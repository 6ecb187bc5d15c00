/**
 * What may change who is allowed in a room while it runs, told to every
 * process through Colyseus presence (Redis pub/sub with REDIS_URL):
 *
 * - a session ended (signed out): every connection opened with it closes,
 *   wherever it is, and a dropped one of it may not come back;
 * - who may visit some villages changed (a block, a friendship removed, a
 *   village made private): those villages' rooms check their visitors again
 *   and show out whoever may not be there any more;
 * - a visitor was sent away: stored with its expiry (not in one room), so the
 *   matchmaking door and every room of every process refuse them until then.
 */
import type { Presence } from "@colyseus/core";
import { watchChannel } from "./fan-out.ts";

export const SESSIONS_ENDED_CHANNEL = "hameau:sessions-ended";
export const VISITS_CHANGED_CHANNEL = "hameau:visits-changed";

export interface SessionsEndedEvent {
  /** SHA-256 of the ended sessions' tokens (never the tokens). */
  sessions: string[];
}

export interface VisitsChangedEvent {
  /** Owners whose village may have visitors who are no longer allowed in. */
  owners: string[];
}

export async function announceSessionsEnded(presence: Presence, sessions: string[]): Promise<void> {
  if (sessions.length > 0) await presence.publish(SESSIONS_ENDED_CHANNEL, { sessions } satisfies SessionsEndedEvent);
}

export async function announceVisitsChanged(presence: Presence, owners: string[]): Promise<void> {
  if (owners.length > 0) await presence.publish(VISITS_CHANGED_CHANNEL, { owners } satisfies VisitsChangedEvent);
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

export function watchSessionsEnded(presence: Presence, listener: (event: SessionsEndedEvent) => void): Promise<() => void> {
  const accepts = (e: unknown): e is SessionsEndedEvent => typeof e === "object" && e !== null && isStringList((e as SessionsEndedEvent).sessions);
  return watchChannel(presence, SESSIONS_ENDED_CHANNEL, accepts, listener);
}

export function watchVisitsChanged(presence: Presence, listener: (event: VisitsChangedEvent) => void): Promise<() => void> {
  const accepts = (e: unknown): e is VisitsChangedEvent => typeof e === "object" && e !== null && isStringList((e as VisitsChangedEvent).owners);
  return watchChannel(presence, VISITS_CHANGED_CHANNEL, accepts, listener);
}

const sentAwayKey = (villageId: string, playerId: string) => `sent-away:${villageId}:${playerId}`;

/** Remembers that the owner sent this player away until `until` (epoch ms on the rooms' clock). */
export async function rememberSentAway(presence: Presence, villageId: string, playerId: string, until: number, seconds: number): Promise<void> {
  await presence.setex(sentAwayKey(villageId, playerId), String(until), Math.max(1, Math.ceil(seconds)));
}

/** Whether this player was sent away from this village and may not come back yet. */
export async function isSentAway(presence: Presence, villageId: string, playerId: string, now: number): Promise<boolean> {
  const until = Number(await presence.get(sentAwayKey(villageId, playerId)));
  return Number.isFinite(until) && until > now;
}

const roomClaimKey = (villageId: string) => `village-room:${villageId}`;

/**
 * Claims the one room a village may have, across every process. The claim
 * expires unless its room renews it (a process that dies frees it after
 * `seconds`, or sooner through takeOverVillageRoom). Returns the room id and
 * process that hold it when it is someone else's.
 */
export async function claimVillageRoom(
  presence: Presence, villageId: string, roomId: string, processId: string, seconds: number,
): Promise<{ ok: true } | { ok: false; holder: string | null; processId: string | null }> {
  const key = roomClaimKey(villageId);
  const claims = await presence.hincrbyex(key, "claims", 1, seconds);
  if (claims === 1) {
    await presence.hset(key, "roomId", roomId);
    await presence.hset(key, "processId", processId);
    return { ok: true };
  }
  const [holder, holderProcess] = await Promise.all([presence.hget(key, "roomId"), presence.hget(key, "processId")]);
  return { ok: false, holder, processId: holderProcess };
}

/**
 * The claim's process is gone (killed: it answered no health check, and its rooms were swept):
 * one process, the first to ask, takes the claim over for its new room without waiting for the
 * claim to expire. Any other asking for the same dead room is told no and finds the new room.
 */
export async function takeOverVillageRoom(
  presence: Presence, villageId: string, deadRoomId: string, roomId: string, processId: string, seconds: number,
): Promise<boolean> {
  const first = await presence.hincrbyex(`village-room-takeover:${villageId}:${deadRoomId}`, "n", 1, seconds);
  if (first !== 1) return false;
  const key = roomClaimKey(villageId);
  if ((await presence.hget(key, "roomId")) !== deadRoomId) return false;
  await presence.del(key);
  return (await claimVillageRoom(presence, villageId, roomId, processId, seconds)).ok;
}

/** Keeps the claim alive while the room runs. */
export async function renewVillageRoom(presence: Presence, villageId: string, seconds: number): Promise<void> {
  await presence.expire(roomClaimKey(villageId), seconds);
}

/** The room is gone: the village may have a new one. Only the holder releases. */
export async function releaseVillageRoom(presence: Presence, villageId: string, roomId: string): Promise<void> {
  const key = roomClaimKey(villageId);
  if ((await presence.hget(key, "roomId")) === roomId) await presence.del(key);
}

const seatsPendingKey = (villageId: string, playerId: string) => `seats-pending:${villageId}:${playerId}`;

/**
 * Counts a seat this player was given in this village and has not taken yet (the count lasts as
 * long as a seat reservation, `seconds`). Returns how many are pending with this one.
 */
export async function seatReserved(presence: Presence, villageId: string, playerId: string, seconds: number): Promise<number> {
  const key = seatsPendingKey(villageId, playerId);
  const pending = await presence.incr(key);
  if (pending === 1) await presence.expire(key, seconds);
  return pending;
}

/** A pending seat was taken (the connection arrived) or not given after all. */
export async function seatSettled(presence: Presence, villageId: string, playerId: string): Promise<void> {
  const key = seatsPendingKey(villageId, playerId);
  if ((await presence.decr(key)) <= 0) await presence.del(key);
}
