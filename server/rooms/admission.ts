/**
 * Who may hold a seat in a village room, checked by the matchmaking door
 * before any room is looked up or created, and again by the room itself when
 * a connection arrives, comes back after a drop, or when something changed
 * (a block, a friendship removed, a village made private, a session ended).
 *
 * The door hands the room what it admitted through the auth context it
 * builds itself; a room's static onAuth accepts nothing else, so no request
 * that did not pass the door can reserve a seat.
 */
import type { AuthContext, Presence } from "@colyseus/core";
import { type JoinRefusal, isJoinRefusal } from "../../shared/messages.ts";
import type { Db } from "../db/connect.ts";
import { isSentAway } from "../realtime/room-access.ts";
import { mayVisit } from "../services/friends.ts";
import type { SeatHolder } from "../services/room-tickets.ts";

export type Admission = { ok: true; owner: boolean } | { ok: false; reason: JoinRefusal; message: string };

export interface AdmissionDeps {
  db: Db;
  presence: Presence;
  now: () => number;
}

/** May this player be in this village now? (owner, friend, anyone if public; not blocked; not sent away) */
export async function admitToVillage(deps: AdmissionDeps, playerId: string, villageId: string): Promise<Admission> {
  const allowed = await mayVisit(deps.db, playerId, villageId);
  if (!allowed.ok) return { ok: false, reason: isJoinRefusal(allowed.code) ? allowed.code : "village_private", message: allowed.message };
  if (!allowed.owner && (await isSentAway(deps.presence, villageId, playerId, deps.now()))) {
    return { ok: false, reason: "sent_away", message: "The owner sent you away; come back later" };
  }
  return { ok: true, owner: allowed.owner };
}

const ADMITTED = Symbol("hameau.admitted");

/** What the door admitted: the seat holder (a player, or nobody for a public campaign's watcher). */
export interface Admitted {
  holder: SeatHolder | null;
}

/** The auth context the door passes to the matchmaker for a seat it admitted. */
export function admittedContext(admitted: Admitted, ip: string | undefined): AuthContext {
  const context = { token: undefined, ip, headers: new Headers() } as unknown as AuthContext & { [ADMITTED]?: Admitted };
  context[ADMITTED] = admitted;
  return context;
}

/** What the door admitted, or undefined for any context it did not build. */
export function admittedBy(context: AuthContext | undefined): Admitted | undefined {
  return (context as (AuthContext & { [ADMITTED]?: Admitted }) | undefined)?.[ADMITTED];
}
