/**
 * The village room's farming messages: take, plant, water, harvest and buy a
 * decoration. Each one goes to the farming service (one transaction under the
 * village lock, pure rules re-checked there) and then to the synchronised
 * state. What is the owner's alone (coins, the names of the players who
 * helped) goes to the owner's connections only, never to visitors; what an
 * action earned (XP, quests, a help reward) goes to each earner's own
 * connections as a "progress" message. A message carrying a `ref` is answered
 * to its sender: `done` once the action is saved and in the state, or an
 * error with that `ref`.
 */
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import type {
  BuyDecorationMessage, ClientMessages, FarmingAction, CropWateredMessage, HarvestMessage, HarvestedMessage, OwnerViewMessage, PlantMessage,
  RoomErrorMessage, TakeMessage, WaterMessage,
} from "../../shared/messages.ts";
import type { VillageState } from "../../shared/state.ts";
import type { Db } from "../db/connect.ts";
import * as farming from "../services/farming.ts";
import { publishPlayerEvent } from "../realtime/player-events.ts";
import { type ProgressUpdate, progressOf } from "../services/progression.ts";
import type { ProgressMessage } from "../../shared/progress-api.ts";
import { type VillageClient, clientsOf, playerOf } from "./room-clients.ts";
import { applyCrop, toStateItem } from "./village-state.ts";

/** What the farming messages need from their room. */
export interface FarmRoom {
  services(): { db: Db; logger: Logger; now(): number };
  presence(): Presence;
  villageId(): string;
  state(): VillageState;
  clients(): Iterable<VillageClient>;
  refuse(client: VillageClient, error: { code: RoomErrorMessage["code"]; message: string }, about: keyof typeof ClientMessages, ref?: number): void;
  /** Tells the sender its action (with this ref) is done; nothing without a ref. */
  done(client: VillageClient, about: FarmingAction, ref: number | undefined): void;
}

export class FarmingMessages {
  private readonly room: FarmRoom;

  constructor(room: FarmRoom) {
    this.room = room;
  }

  private get db() {
    return this.room.services().db;
  }

  private ownerClients(): VillageClient[] {
    return clientsOf(this.room.clients(), this.room.state().ownerId);
  }

  /** The owner puts an item back in the barn. */
  async take(client: VillageClient, msg: TakeMessage) {
    const result = await farming.takeItem(this.db, { villageId: this.room.villageId(), by: playerOf(client).player.id, itemId: msg.itemId });
    if (!result.ok) return this.room.refuse(client, result, "take", msg.ref);
    const item = this.room.state().items.get(msg.itemId);
    if (item) {
      item.x = -1;
      item.y = -1;
    }
    this.room.done(client, "take", msg.ref);
  }

  /** The owner plants a free crop on an empty tile. */
  async plant(client: VillageClient, msg: PlantMessage) {
    const now = this.room.services().now();
    const result = await farming.plant(this.db, { villageId: this.room.villageId(), by: playerOf(client).player.id, kind: msg.crop, x: msg.x, y: msg.y, now, starter: msg.starter === true });
    if (!result.ok) return this.room.refuse(client, result, "plant", msg.ref);
    const state = this.room.state();
    state.items.set(result.item.id, toStateItem(result.item, state.ownerId));
    this.room.done(client, "plant", msg.ref);
    await this.sendOwnerView();
    await this.sendProgress(result.progress);
  }

  /** The owner or a visitor waters a crop; the owner learns who helped, the waterer sees it worked. */
  async water(client: VillageClient, msg: WaterMessage) {
    const by = playerOf(client).player.id;
    const now = this.room.services().now();
    const result = await farming.water(this.db, { villageId: this.room.villageId(), by, itemId: msg.itemId, now });
    if (!result.ok) return this.room.refuse(client, result, "water", msg.ref);
    const state = this.room.state();
    const item = state.items.get(msg.itemId);
    if (item) applyCrop(item, result.item, state.ownerId);
    const watered: CropWateredMessage = { itemId: msg.itemId, byName: result.byName, byPlayerId: by, bonusMs: result.bonusMs };
    const told = new Set([...this.ownerClients(), ...clientsOf(this.room.clients(), by)]);
    for (const c of told) c.send("cropWatered", watered);
    this.room.done(client, "water", msg.ref);
    if (by !== state.ownerId) await this.sendOwnerView();
    await this.sendProgress(result.progress);
    // The owner's bell rings wherever they are (stored already: a failed push only waits for the next read).
    if (result.told) {
      await publishPlayerEvent(this.room.presence(), result.told.playerId, { kind: "notification", notificationId: result.told.notificationId })
        .catch((err: unknown) => this.room.services().logger.warn({ err }, "live help notice failed"));
    }
  }

  /** The owner harvests a ripe crop: it leaves the tile and its coins go to the owner. */
  async harvest(client: VillageClient, msg: HarvestMessage) {
    const now = this.room.services().now();
    const result = await farming.harvest(this.db, { villageId: this.room.villageId(), by: playerOf(client).player.id, itemId: msg.itemId, now });
    if (!result.ok) return this.room.refuse(client, result, "harvest", msg.ref);
    const harvested: HarvestedMessage = { itemId: result.itemId, cropKind: result.cropKind, coins: result.coins, balance: result.balance };
    // Before the item leaves the state, so the client can show it being picked.
    for (const c of this.ownerClients()) c.send("harvested", harvested);
    this.room.state().items.delete(result.itemId);
    this.room.done(client, "harvest", msg.ref);
    await this.sendOwnerView();
    await this.sendProgress(result.progress);
  }

  /** The owner buys a decoration with coins; it lands on the free tile nearest the centre, or in the barn. */
  async buyDecoration(client: VillageClient, msg: BuyDecorationMessage) {
    const result = await farming.buyDecoration(this.db, {
      villageId: this.room.villageId(), by: playerOf(client).player.id, decorationId: msg.decorationId, now: this.room.services().now(),
    });
    if (!result.ok) return this.room.refuse(client, result, "buyDecoration", msg.ref);
    const state = this.room.state();
    state.items.set(result.item.id, toStateItem(result.item, state.ownerId));
    this.room.done(client, "buyDecoration", msg.ref);
    await this.sendOwnerView();
  }

  /** Tells each player who earned something here what changed, with their view after it (their own connections only). */
  private async sendProgress(updates: ProgressUpdate[]) {
    const now = this.room.services().now();
    for (const update of updates) {
      const recipients = clientsOf(this.room.clients(), update.playerId);
      if (recipients.length === 0) continue;
      const { view } = await progressOf(this.db, update.playerId, now);
      const message: ProgressMessage = { view, gain: update.gain, reason: update.reason, balance: update.balance };
      for (const c of recipients) c.send("progress", message);
    }
  }

  /** Sends the owner's private view (coins, helpers' names) to the owner's connections, or to the one given. */
  async sendOwnerView(only?: VillageClient) {
    const recipients = only ? [only] : this.ownerClients();
    if (recipients.length === 0) return;
    const view: OwnerViewMessage | null = await farming.ownerView(this.db, this.room.villageId());
    if (!view) return;
    const ownerId = this.room.state().ownerId;
    for (const c of recipients) if (playerOf(c).player.id === ownerId) c.send("ownerView", view);
  }
}
