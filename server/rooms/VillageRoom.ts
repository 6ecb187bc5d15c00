/**
 * One room per village. Thin by design: validate the message, call the pure
 * rule, persist through a service, apply to the synchronised state.
 *
 * Who may enter: the owner, their friends, and anyone when the village is
 * public; never someone blocked either way, nor a visitor the owner sent
 * away in the last 10 minutes. Visitors walk, wave and help; only the owner
 * moves things. A dropped connection keeps its place for 20 seconds.
 */
import { type AuthContext, type Client, Room, ServerError } from "@colyseus/core";
import type { Logger } from "pino";
import type { z } from "zod";
import {
  BuyDecorationMessage, CLOSE_SENT_AWAY, ClientMessages, EmoteMessage, HarvestMessage, JOIN_REFUSALS, JoinVillageOptions, MoveMessage, PlaceMessage,
  PlantMessage, RECONNECT_SECONDS, SERVER_MESSAGES, SendAwayMessage, TakeMessage, WaterMessage, isJoinRefusal,
  type CatalogChangedMessage, type GiftArrivedMessage, type GiftRestoredMessage, type GiftWithdrawnMessage, type JoinRefusal, type RoomErrorMessage,
} from "../../shared/messages.ts";
import { VillagePresence, VillageState } from "../../shared/state.ts";
import { CLOSE_ACCOUNT_DELETED } from "../../shared/privacy.ts";
import { VILLAGE_HEIGHT, VILLAGE_WIDTH, placeItem } from "../../shared/village.ts";
import type { Db } from "../db/connect.ts";
import { type AccountDeletedEvent, watchAccountDeletions } from "../realtime/account-deletions.ts";
import { watchCatalogChanges } from "../realtime/catalog-events.ts";
import { villageChannel, type VillageEvent } from "../realtime/village-events.ts";
import { markOffline, markOnline } from "../realtime/online.ts";
import { blockPlayer, mayVisit } from "../services/friends.ts";
import { authenticate } from "../services/players.ts";
import { FarmingMessages } from "./farming-messages.ts";
import { DeletedAccounts } from "./deleted-accounts.ts";
import { MessageLimits } from "./message-limits.ts";
import { type VillageClient, playerOf } from "./room-clients.ts";
import { toStateItem } from "./village-state.ts";
import { loadVillage, moveItem } from "../services/villages.ts";
import { PlayerSubscriptions } from "./player-subscriptions.ts";
import { payerOf } from "../services/gift-recipients.ts";
import { notificationMessage } from "../services/notifications.ts";
import type { PlayerEvent } from "../realtime/player-events.ts";
import { watchEmergencies } from "../realtime/campaign-events.ts";
import { runningEmergencies } from "../services/campaign-progress.ts";

export interface VillageRoomServices {
  db: Db;
  logger: Logger;
  /** The clock (epoch ms) for every rule and limit in the room: Date.now, or a test clock. */
  now: () => number;
}

/** A visitor sent away may not come back for 10 minutes. */
const SENT_AWAY_MS = 10 * 60_000;
/** Per client and message type: sustained rate and burst. Anything else (unknown types): the fallback. */
const RATES = {
  move: { perSecond: 15, burst: 30 }, emote: { perSecond: 1, burst: 3 }, place: { perSecond: 5, burst: 10 }, sendAway: { perSecond: 1, burst: 3 },
  take: { perSecond: 5, burst: 10 }, plant: { perSecond: 5, burst: 10 }, water: { perSecond: 3, burst: 6 }, harvest: { perSecond: 5, burst: 10 },
  buyDecoration: { perSecond: 2, burst: 4 },
};
const FALLBACK_RATE = { perSecond: 2, burst: 5 };

/** A join refused, with the shared code the client reads (JOIN_REFUSALS); the message is for logs and API users. */
function refusedJoin(reason: JoinRefusal, message: string): ServerError {
  return new ServerError(JOIN_REFUSALS[reason], message);
}

export class VillageRoom extends Room<{ state: VillageState }> {
  declare protected services: VillageRoomServices;
  override maxClients = 16;
  override state = new VillageState();
  private villageId = "";
  /** Visitors the owner sent away: player id → until when they stay out. */
  private readonly sentAway = new Map<string, number>();
  private readonly limits = new MessageLimits(RATES, FALLBACK_RATE);
  private readonly farming = new FarmingMessages({
    services: () => this.services,
    villageId: () => this.villageId,
    state: () => this.state,
    clients: () => this.clients as Iterable<VillageClient>,
    refuse: (client, error, about) => this.refuse(client, error, about),
  });
  /** The channels of the players here: what is theirs alone (a notification) reaches only their clients. */
  private playerEvents?: PlayerSubscriptions;
  private readonly onVillageEvent = (event: VillageEvent) => {
    this.reloadItems(event).catch((err) => this.services.logger.error({ err, villageId: this.villageId }, "village reload failed"));
  };
  private readonly deletedAccounts = new DeletedAccounts();
  private unwatchDeletions = () => {};
  private unwatchCatalog = () => {};
  private unwatchEmergencies = () => {};
  /** An account was deleted (any process): its connections close; its own village closes for everyone. */
  private readonly onAccountDeleted = (event: AccountDeletedEvent) => {
    if (event.villageId === this.villageId || event.playerId === this.state.ownerId) {
      this.disconnect(CLOSE_ACCOUNT_DELETED).catch((err) => this.services.logger.error({ err, villageId: this.villageId }, "closing a deleted village failed"));
      return;
    }
    this.deletedAccounts.deleted(event.playerId, this.services.now());
    for (const client of this.clients) {
      if (playerOf(client as VillageClient).player.id === event.playerId) client.leave(CLOSE_ACCOUNT_DELETED);
    }
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
    move: this.validated("move", MoveMessage, (client, msg) => {
      const avatar = this.state.players.get(client.sessionId);
      if (!avatar) return;
      avatar.x = msg.x;
      avatar.y = msg.y;
    }),
    emote: this.validated("emote", EmoteMessage, (client, msg) => {
      const avatar = this.state.players.get(client.sessionId);
      if (!avatar) return;
      avatar.emote = msg.emote;
      avatar.emoteSeq = (avatar.emoteSeq + 1) % 65_536;
    }),
    sendAway: this.validated("sendAway", SendAwayMessage, async (client, msg) => {
      if (playerOf(client).player.id !== this.state.ownerId) {
        return this.refuse(client, { code: "visitor_forbidden", message: "Only the owner can send visitors away" }, "sendAway");
      }
      if (msg.playerId === this.state.ownerId) return this.refuse(client, { code: "bad_request", message: "You cannot send yourself away" }, "sendAway");
      this.sentAway.set(msg.playerId, this.services.now() + SENT_AWAY_MS);
      if (msg.block) {
        const blocked = await blockPlayer(this.services.db, this.state.ownerId, msg.playerId);
        if (!blocked.ok) return this.refuse(client, blocked, "sendAway");
      }
      for (const visitor of this.clients) {
        if (playerOf(visitor as VillageClient).player.id === msg.playerId) visitor.leave(CLOSE_SENT_AWAY);
      }
      // A connection of theirs that dropped and waits to come back does not: its avatar leaves now.
      this.deletedAccounts.endReconnections(msg.playerId, "sent away");
    }),
    take: this.validated("take", TakeMessage, (client, msg) => this.farming.take(client, msg)),
    plant: this.validated("plant", PlantMessage, (client, msg) => this.farming.plant(client, msg)),
    water: this.validated("water", WaterMessage, (client, msg) => this.farming.water(client, msg)),
    harvest: this.validated("harvest", HarvestMessage, (client, msg) => this.farming.harvest(client, msg)),
    buyDecoration: this.validated("buyDecoration", BuyDecorationMessage, (client, msg) => this.farming.buyDecoration(client, msg)),
    _: (client: VillageClient, type: string | number) => {
      if (!this.limits.take(client.sessionId, "*", this.services.now())) return;
      this.refuse(client, { code: "bad_request", message: `Unknown message type ${String(type).slice(0, 40)}` }, "unknown");
    },
  };

  override async onCreate(options: unknown) {
    const parsed = JoinVillageOptions.safeParse(options);
    if (!parsed.success) throw refusedJoin("village_unknown", "No such village: villageId must be a village id");
    const village = await loadVillage(this.services.db, parsed.data.villageId);
    if (!village) throw refusedJoin("village_unknown", "No such village");
    this.villageId = village.id;
    this.state.villageId = village.id;
    this.state.ownerId = village.ownerId;
    this.state.name = village.name;
    this.state.width = VILLAGE_WIDTH;
    this.state.height = VILLAGE_HEIGHT;
    for (const row of village.items) this.state.items.set(row.id, toStateItem(row, village.ownerId));
    await this.presence.subscribe(villageChannel(village.id), this.onVillageEvent);
    this.playerEvents = new PlayerSubscriptions(this.presence, (playerId, event) => {
      this.sendToPlayer(playerId, event).catch((err) => this.services.logger.error({ err, villageId: this.villageId }, "player event failed"));
    });
    this.unwatchDeletions = await watchAccountDeletions(this.presence, this.onAccountDeleted);
    // An NGO changed the catalog (any process): every client here refetches the shop.
    this.unwatchCatalog = await watchCatalogChanges(this.presence, (event: CatalogChangedMessage) => this.broadcast(SERVER_MESSAGES.catalogChanged, event));
    // An emergency campaign just published (any process): everyone here is told at once.
    this.unwatchEmergencies = await watchEmergencies(this.presence, (message) => this.broadcast(SERVER_MESSAGES.emergency, message));
  }

  override async onAuth(_client: Client, options: unknown, context: AuthContext) {
    const me = await authenticate(this.services.db, context.token);
    if (!me) throw refusedJoin("unauthorized", "Sign in first: no valid session token");
    const parsed = JoinVillageOptions.safeParse(options);
    if (!parsed.success || parsed.data.villageId !== this.villageId) throw refusedJoin("village_unknown", "No such village: villageId must be a village id");
    const allowed = await mayVisit(this.services.db, me.player.id, this.villageId);
    if (!allowed.ok) throw refusedJoin(isJoinRefusal(allowed.code) ? allowed.code : "village_private", allowed.message);
    if ((this.sentAway.get(me.player.id) ?? 0) > this.services.now()) throw refusedJoin("sent_away", "The owner sent you away; come back later");
    return me;
  }

  override async onJoin(client: VillageClient) {
    const me = playerOf(client);
    if (this.deletedAccounts.isDeleted(me.player.id, this.services.now())) throw refusedJoin("account_deleted", "This account was deleted");
    const isOwner = me.player.id === this.state.ownerId;
    // The owner appears by the house, visitors at the gate.
    const at = isOwner ? { x: (VILLAGE_WIDTH - 1) / 2, y: (VILLAGE_HEIGHT - 1) / 2 + 1 } : { x: (VILLAGE_WIDTH - 1) / 2, y: VILLAGE_HEIGHT - 1 };
    this.state.players.set(
      client.sessionId,
      new VillagePresence({ playerId: me.player.id, name: me.player.name, isOwner, ...at, emote: "", emoteSeq: 0, connected: true }),
    );
    await markOnline(this.presence, me.player.id, client.sessionId, this.villageId);
    if (isOwner) await this.sendOwnerViewSafely(client);
    await this.playerEvents?.add(me.player.id);
    await this.sendEmergenciesSafely(client);
  }

  /** A player arriving while an emergency campaign runs is told on joining; a failure must not keep them out. */
  private async sendEmergenciesSafely(client: VillageClient) {
    try {
      for (const message of await runningEmergencies(this.services.db, this.services.now())) client.send(SERVER_MESSAGES.emergency, message);
    } catch (err) {
      this.services.logger.error({ err, villageId: this.villageId }, "emergencies on join failed");
    }
  }

  override async onDrop(client: VillageClient, code?: number) {
    const avatar = this.state.players.get(client.sessionId);
    if (code === CLOSE_SENT_AWAY || code === CLOSE_ACCOUNT_DELETED || !avatar) return;
    avatar.connected = false;
    const reconnection = this.allowReconnection(client, RECONNECT_SECONDS);
    this.deletedAccounts.reconnecting(client.sessionId, playerOf(client).player.id, reconnection);
    try {
      await reconnection;
    } finally {
      this.deletedAccounts.settled(client.sessionId);
    }
  }

  override async onReconnect(client: VillageClient) {
    if ((this.sentAway.get(playerOf(client).player.id) ?? 0) > this.services.now()) {
      client.leave(CLOSE_SENT_AWAY);
      return;
    }
    const avatar = this.state.players.get(client.sessionId);
    if (avatar) avatar.connected = true;
    if (playerOf(client).player.id === this.state.ownerId) await this.sendOwnerViewSafely(client);
  }

  /** The owner's private view on (re)joining; a failure to read it must not keep the owner out. */
  private async sendOwnerViewSafely(client: VillageClient) {
    try {
      await this.farming.sendOwnerView(client);
    } catch (err) {
      this.services.logger.error({ err, villageId: this.villageId }, "owner view failed");
    }
  }

  override async onLeave(client: VillageClient) {
    this.state.players.delete(client.sessionId);
    this.limits.forget(client.sessionId);
    await markOffline(this.presence, playerOf(client).player.id, client.sessionId);
    await this.playerEvents?.remove(playerOf(client).player.id);
  }

  override async onDispose() {
    await this.presence.unsubscribe(villageChannel(this.villageId), this.onVillageEvent);
    await this.playerEvents?.clear();
    this.unwatchDeletions();
    this.unwatchCatalog();
    this.unwatchEmergencies();
  }

  /** A player's own event (a notification for them): read for that player, sent to their clients here only. */
  private async sendToPlayer(playerId: string, event: PlayerEvent) {
    if (event.kind !== "notification") return;
    const message = await notificationMessage(this.services.db, playerId, event.notificationId);
    if (!message) return;
    for (const client of this.clients) if (playerOf(client as VillageClient).player.id === playerId) client.send("notification", message);
  }

  /** Re-reads the village after a payment event and announces what changed. */
  private async reloadItems(event: VillageEvent) {
    const village = await loadVillage(this.services.db, this.villageId);
    if (!village) return;
    const seen = new Set<string>();
    for (const row of village.items) {
      seen.add(row.id);
      const existing = this.state.items.get(row.id);
      if (!existing) this.state.items.set(row.id, toStateItem(row, village.ownerId));
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
    if (event.kind === "gifts-restored") {
      const restored: GiftRestoredMessage = { orderId: event.orderId, items: event.items };
      this.broadcast("giftRestored", restored, { afterNextPatch: true });
      return;
    }
    const items = event.itemIds.flatMap((itemId) => {
      const item = this.state.items.get(itemId);
      return item ? [item] : [];
    });
    // The giver's name only when they allowed it (loadVillage leaves fromName empty otherwise); never an amount.
    const fromName = items.find((i) => i.fromName !== "")?.fromName;
    const payer = await payerOf(this.services.db, event.orderId);
    const arrived = (yours: boolean): GiftArrivedMessage => ({
      orderId: event.orderId,
      items: items.map((item) => ({ itemId: item.id, giftId: item.giftId })),
      ...(fromName ? { fromName } : {}),
      yours,
    });
    // After the next patch, so clients already hold the items the message names. The payer's own
    // clients are thanked; everyone else just sees the gift arrive (who paid is not said to them).
    for (const client of this.clients) {
      client.send("giftArrived", arrived(playerOf(client as VillageClient).player.id === payer), { afterNextPatch: true });
    }
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
      const now = this.services.now();
      if (!this.limits.take(client.sessionId, name, now)) {
        if (this.limits.shouldWarn(client.sessionId, now)) this.refuse(client, { code: "rate_limited", message: `Too many ${name} messages; slow down` }, name);
        return;
      }
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
