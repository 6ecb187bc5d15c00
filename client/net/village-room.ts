/**
 * The village room connection: joins with the session token, mirrors the
 * synchronised state into the VillageModel and relays server messages.
 * Rejoins by itself when the connection is lost for good.
 */
import { Client, getStateCallbacks, type Room } from "@colyseus/sdk";
import {
  ROOM_VILLAGE,
  SERVER_MESSAGES,
  type GiftArrivedMessage,
  type GiftWithdrawnMessage,
  type PlaceMessage,
  type RoomErrorMessage,
} from "../../shared/messages.ts";
import { VillageState, type VillageItem } from "../../shared/state.ts";
import type { VillageModel } from "../game/village-model.ts";
import type { Session } from "./session.ts";

export interface RoomEvents {
  /** The server refused something ("error" message). */
  error(message: RoomErrorMessage): void;
  /** Gifts taken back because their payment was refunded or lost in a dispute. */
  withdrawn(message: GiftWithdrawnMessage): void;
  /** Connection state for the UI: joined, lost (retrying), back. */
  status(status: "joined" | "lost" | "back"): void;
}

/** The game server: the page's own origin, or VITE_SERVER_URL on the Vite dev server. */
export function serverUrl(): string {
  return import.meta.env.VITE_SERVER_URL || location.origin;
}

export class VillageConnection {
  private readonly client: Client;
  private room: Room<unknown, VillageState> | undefined;
  private closed = false;
  private hasBeenLost = false;
  private readonly session: Session;
  private readonly model: VillageModel;
  private readonly events: RoomEvents;

  constructor(session: Session, model: VillageModel, events: RoomEvents) {
    this.session = session;
    this.model = model;
    this.events = events;
    this.client = new Client(serverUrl());
    this.client.auth.token = session.token;
  }

  /** Joins the player's village, retrying with a growing delay until it works. */
  async connect(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await this.join();
        return;
      } catch (err) {
        console.warn("joining the village failed", err);
        if (attempt === 0) this.events.status("lost");
        await sleep(Math.min(1000 * 2 ** attempt, 15_000));
      }
    }
  }

  send(message: PlaceMessage): void {
    this.room?.send("place", message);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.room?.leave(true);
  }

  private async join(): Promise<void> {
    const room = await this.client.joinOrCreate(ROOM_VILLAGE, { villageId: this.session.villageId }, VillageState);
    this.room = room;
    this.model.reset();
    this.bindState(room);
    room.onMessage(SERVER_MESSAGES.error, (message: RoomErrorMessage) => this.events.error(message));
    room.onMessage(SERVER_MESSAGES.giftArrived, (message: GiftArrivedMessage) => this.model.announceArrival(message));
    room.onMessage(SERVER_MESSAGES.giftWithdrawn, (message: GiftWithdrawnMessage) => this.events.withdrawn(message));
    room.onDrop(() => {
      this.hasBeenLost = true;
      this.events.status("lost");
    });
    room.onReconnect(() => this.events.status("back"));
    room.onLeave((code) => {
      if (this.closed || this.room !== room) return;
      console.warn("left the village room", code);
      this.hasBeenLost = true;
      this.events.status("lost");
      void this.connect();
    });
    this.events.status(this.hasBeenLost ? "back" : "joined");
  }

  private bindState(room: Room<unknown, VillageState>): void {
    const $ = getStateCallbacks(room);
    const mirror = (item: VillageItem) =>
      this.model.upsert({ id: item.id, giftId: item.giftId, sprite: item.sprite, x: item.x, y: item.y, donated: item.donated });
    $(room.state).items.onAdd((item) => {
      mirror(item);
      $(item).onChange(() => mirror(item));
    });
    $(room.state).items.onRemove((item) => this.model.remove(item.id));
    const sync = () => {
      const state = room.state;
      this.model.ownerId = state.ownerId;
      this.model.name = state.name;
      this.model.width = state.width;
      this.model.height = state.height;
      for (const item of state.items.values()) mirror(item);
      this.model.markSynced();
    };
    // The first full state may already be decoded by the time join resolves.
    if (room.state?.villageId) sync();
    else room.onStateChange.once(sync);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
