/**
 * Keeps a village room's company to those who may be in it, while it runs:
 * a connection whose session ended (signed out anywhere, or expired) closes;
 * a visitor who may not be here any more (blocked, unfriended, the village
 * made private, sent away) is shown out; and the same checks run again when
 * a dropped connection comes back, so a reconnection token alone never
 * resumes a seat its holder lost.
 */
import type { Client, Presence } from "@colyseus/core";
import type { Logger } from "pino";
import { CLOSE_SENT_AWAY, CLOSE_SESSION_ENDED, CLOSE_VISIT_ENDED } from "../../shared/messages.ts";
import type { Db } from "../db/connect.ts";
import type { SessionsEndedEvent, VisitsChangedEvent } from "../realtime/room-access.ts";
import { liveSessions } from "../services/room-tickets.ts";
import { type Admission, admitToVillage } from "./admission.ts";
import type { DeletedAccounts } from "./deleted-accounts.ts";
import { type VillageClient, playerOf } from "./room-clients.ts";

export interface VillageGuardDeps {
  /** The room's services (bound after construction, hence a function). */
  services: () => { db: Db; logger: Logger; now: () => number };
  presence: () => Presence;
  villageId: () => string;
  ownerId: () => string;
  clients: () => Iterable<Client>;
  deletedAccounts: DeletedAccounts;
}

/** Why a holder may not stay, and the close code their connections get. */
export type Stay = { ok: true } | { ok: false; close: number; refusal: Exclude<Admission, { ok: true }> | { ok: false; reason: "unauthorized"; message: string } };

export class VillageGuard {
  private readonly deps: VillageGuardDeps;

  constructor(deps: VillageGuardDeps) {
    this.deps = deps;
  }

  /** Session still valid, and still allowed in this village (not blocked, still a friend or public, not sent away). */
  async mayStay(client: VillageClient): Promise<Stay> {
    const holder = playerOf(client);
    const { db, now } = this.deps.services();
    if (!(await liveSessions(db, [holder.session])).has(holder.session)) {
      return { ok: false, close: CLOSE_SESSION_ENDED, refusal: { ok: false, reason: "unauthorized", message: "Your session ended; sign in again" } };
    }
    const admitted = await admitToVillage({ db, presence: this.deps.presence(), now }, holder.player.id, this.deps.villageId());
    if (admitted.ok) return { ok: true };
    return { ok: false, close: admitted.reason === "sent_away" ? CLOSE_SENT_AWAY : CLOSE_VISIT_ENDED, refusal: admitted };
  }

  /** Sessions ended somewhere: their connections here close, their dropped ones may not come back. */
  sessionsEnded(event: SessionsEndedEvent): void {
    const ended = new Set(event.sessions);
    this.deps.deletedAccounts.endReconnections((w) => ended.has(w.session), "session ended");
    for (const client of this.deps.clients()) {
      if (ended.has(playerOf(client as VillageClient).session)) client.leave(CLOSE_SESSION_ENDED);
    }
  }

  /** Who may visit this village may have changed: every visitor is checked again; who may not stay leaves. */
  async visitsChanged(event: VisitsChangedEvent): Promise<void> {
    if (!event.owners.includes(this.deps.ownerId())) return;
    const visitors = new Map<string, VillageClient[]>();
    for (const c of this.deps.clients()) {
      const client = c as VillageClient;
      const id = playerOf(client).player.id;
      if (id === this.deps.ownerId()) continue;
      visitors.set(id, [...(visitors.get(id) ?? []), client]);
    }
    const { db, now } = this.deps.services();
    for (const [playerId, clients] of visitors) {
      const admitted = await admitToVillage({ db, presence: this.deps.presence(), now }, playerId, this.deps.villageId());
      if (admitted.ok) continue;
      for (const client of clients) client.leave(admitted.reason === "sent_away" ? CLOSE_SENT_AWAY : CLOSE_VISIT_ENDED);
    }
    // A dropped connection of someone no longer allowed is checked when it comes back (onReconnect).
  }

  /** Closes the connections whose session expired or ended (run now and then: an expiry publishes nothing). */
  async checkSessions(): Promise<void> {
    const clients = [...this.deps.clients()] as VillageClient[];
    const live = await liveSessions(this.deps.services().db, [...new Set(clients.map((c) => playerOf(c).session))]);
    for (const client of clients) if (!live.has(playerOf(client).session)) client.leave(CLOSE_SESSION_ENDED);
  }

  /** Runs `check` every `ms` until the returned function is called; a failure is logged, never thrown. */
  every(ms: number, check: () => Promise<void>): () => void {
    const timer = setInterval(() => {
      check().catch((err: unknown) => this.deps.services().logger.error({ err, villageId: this.deps.villageId() }, "room check failed"));
    }, ms);
    timer.unref();
    return () => clearInterval(timer);
  }
}
