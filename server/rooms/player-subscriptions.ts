/**
 * A village room's subscriptions to the channels of the players it holds
 * clients of (realtime/player-events.ts): one per player however many tabs
 * they have open here, dropped when their last client leaves.
 */
import type { Presence } from "@colyseus/core";
import { playerChannel, type PlayerEvent } from "../realtime/player-events.ts";

export class PlayerSubscriptions {
  private readonly presence: Presence;
  private readonly onEvent: (playerId: string, event: PlayerEvent) => void;
  /** Player id → (clients here, its listener). */
  private readonly subscribed = new Map<string, { clients: number; listener: (event: PlayerEvent) => void }>();

  constructor(presence: Presence, onEvent: (playerId: string, event: PlayerEvent) => void) {
    this.presence = presence;
    this.onEvent = onEvent;
  }

  async add(playerId: string): Promise<void> {
    const existing = this.subscribed.get(playerId);
    if (existing) {
      existing.clients++;
      return;
    }
    const listener = (event: PlayerEvent) => this.onEvent(playerId, event);
    this.subscribed.set(playerId, { clients: 1, listener });
    await this.presence.subscribe(playerChannel(playerId), listener);
  }

  async remove(playerId: string): Promise<void> {
    const existing = this.subscribed.get(playerId);
    if (!existing) return;
    if (--existing.clients > 0) return;
    this.subscribed.delete(playerId);
    await this.presence.unsubscribe(playerChannel(playerId), existing.listener);
  }

  async clear(): Promise<void> {
    const all = [...this.subscribed];
    this.subscribed.clear();
    await Promise.all(all.map(([playerId, s]) => this.presence.unsubscribe(playerChannel(playerId), s.listener)));
  }
}
