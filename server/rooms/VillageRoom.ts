/**
 * One room per village. Thin by design: validate the message, call the pure
 * rule, persist through a service, apply to the synchronised state.
 */
import { type AuthContext, type Client, Room, ServerError } from "@colyseus/core";
import type { Logger } from "pino";
import type { z } from "zod";
import type { MeResponse } from "../../shared/api.ts";
import { JoinVillageOptions, PlaceMessage, type GiftArrivedMessage, type GiftWithdrawnMessage, type RoomErrorMessage, ClientMessages } from "../../shared/messages.ts";
import { VillageItem, VillagePresence, VillageState } from "../../shared/state.ts";
import { VILLAGE_HEIGHT, VILLAGE_WIDTH, placeItem } from "../../shared/village.ts";
import type { Db } from "../db/connect.ts";
import { villageChannel, type VillageEvent } from "../realtime/village-events.ts";
import { authenticate } from "../services/players.ts";
import { loadVillage, moveItem, type VillageItemRow } from "../services/villages.ts";

export interface VillageRoomServices {
  db: Db;
  logger: Logger;
}

type VillageClient = Client<{ auth: MeResponse }>;

export class VillageRoom extends Room<{ state: VillageState }> {
  declare protected services: VillageRoomServices;
  override maxClients = 16;
  override state = new VillageState();
  private villageId = "";
  private readonly onVillageEvent = (event: VillageEvent) => {
    this.reloadItems(event).catch((err) => this.services.logger.error({ err, villageId: this.villageId }, "village reload failed"));
  };

  /** Binds the room class to this process's services (no globals). */
  static withServices(services: VillageRoomServices): typeof VillageRoom {
    return class BoundVillageRoom extends VillageRoom {
      protected override services = services;
    };
  }

  override messages = {
    place: this.validated("place", PlaceMessage, async (client, msg) => {
      const by = playerOf(client).player.id;
      const rule = placeItem({ items: this.placedItems(), ownerId: this.state.ownerId, by, itemId: msg.itemId, x: msg.x, y: msg.y });
      if (!rule.ok) return this.refuse(client, rule, "place");
      const saved = await moveItem(this.services.db, { villageId: this.villageId, by, itemId: msg.itemId, x: msg.x, y: msg.y });
      if (!saved.ok) return this.refuse(client, saved, "place");
      const item = this.state.items.get(msg.itemId);
      if (item) {
        item.x = msg.x;
        item.y = msg.y;
      }
    }),
  };

  override async onCreate(options: unknown) {
    const parsed = JoinVillageOptions.safeParse(options);
    if (!parsed.success) throw new ServerError(400, "villageId must be a village id");
    const village = await loadVillage(this.services.db, parsed.data.villageId);
    if (!village) throw new ServerError(404, "No such village");
    this.villageId = village.id;
    this.state.villageId = village.id;
    this.state.ownerId = village.ownerId;
    this.state.name = village.name;
    this.state.width = VILLAGE_WIDTH;
    this.state.height = VILLAGE_HEIGHT;
    for (const row of village.items) this.state.items.set(row.id, toStateItem(row));
    await this.presence.subscribe(villageChannel(village.id), this.onVillageEvent);
  }

  override async onAuth(_client: Client, options: unknown, context: AuthContext) {
    const me = await authenticate(this.services.db, context.token);
    if (!me) throw new ServerError(401, "Sign in first: no valid session token");
    const parsed = JoinVillageOptions.safeParse(options);
    if (!parsed.success || parsed.data.villageId !== this.villageId) throw new ServerError(400, "villageId must be a village id");
    // Private by default: only the owner may enter until visits exist.
    if (me.player.id !== this.state.ownerId) throw new ServerError(403, "This village is private");
    return me;
  }

  override onJoin(client: VillageClient) {
    const me = playerOf(client);
    this.state.players.set(client.sessionId, new VillagePresence({ playerId: me.player.id, name: me.player.name, isOwner: me.player.id === this.state.ownerId }));
  }

  override onLeave(client: VillageClient) {
    this.state.players.delete(client.sessionId);
  }

  override async onDispose() {
    await this.presence.unsubscribe(villageChannel(this.villageId), this.onVillageEvent);
  }

  /** Re-reads the village after a payment event and announces what changed. */
  private async reloadItems(event: VillageEvent) {
    const village = await loadVillage(this.services.db, this.villageId);
    if (!village) return;
    const seen = new Set<string>();
    for (const row of village.items) {
      seen.add(row.id);
      const existing = this.state.items.get(row.id);
      if (!existing) this.state.items.set(row.id, toStateItem(row));
      else {
        existing.x = row.x ?? -1;
        existing.y = row.y ?? -1;
      }
    }
    for (const id of [...this.state.items.keys()]) if (!seen.has(id)) this.state.items.delete(id);
    if (event.kind === "gifts-withdrawn") {
      const withdrawn: GiftWithdrawnMessage = { orderId: event.orderId, reason: event.reason, items: event.items };
      this.broadcast("giftWithdrawn", withdrawn);
      return;
    }
    const arrived: GiftArrivedMessage = {
      orderId: event.orderId,
      items: event.itemIds.flatMap((itemId) => {
        const item = this.state.items.get(itemId);
        return item ? [{ itemId, giftId: item.giftId }] : [];
      }),
    };
    // After the next patch, so clients already hold the items the message names.
    this.broadcast("giftArrived", arrived, { afterNextPatch: true });
  }

  private placedItems() {
    return [...this.state.items.values()].map((i) => ({ id: i.id, x: i.x < 0 ? null : i.x, y: i.y < 0 ? null : i.y }));
  }

  private refuse(client: Client, error: { code: RoomErrorMessage["code"]; message: string }, about?: RoomErrorMessage["about"]) {
    const message: RoomErrorMessage = { code: error.code, message: error.message, about };
    client.send("error", message);
  }

  /** Validates a message with its shared zod schema; a bad one gets an error message, never a crash. */
  private validated<S extends z.ZodType>(
    name: keyof typeof ClientMessages,
    schema: S,
    handler: (client: VillageClient, message: z.output<S>) => Promise<void> | void,
  ) {
    return async (client: VillageClient, payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "message"}: ${i.message}`).join("; ");
        return this.refuse(client, { code: "bad_request", message: `Invalid ${name} message: ${detail}` }, name);
      }
      try {
        await handler(client, parsed.data);
      } catch (err) {
        this.services.logger.error({ err, villageId: this.villageId, message: name }, "room message failed");
        this.refuse(client, { code: "internal", message: "Something went wrong; nothing was changed" }, name);
      }
    };
  }
}

function toStateItem(row: VillageItemRow) {
  return new VillageItem({ id: row.id, giftId: row.giftId ?? "", sprite: row.sprite, x: row.x ?? -1, y: row.y ?? -1, donated: row.giftId !== null });
}

function playerOf(client: VillageClient): MeResponse {
  if (!client.auth) throw new Error("client joined without onAuth");
  return client.auth;
}
