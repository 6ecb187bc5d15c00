/**
 * One room per village. Thin by design: validate the message, call the pure
 * rule, persist through a service, apply to the synchronised state.
 *
 * Who may enter: the owner, their friends, and anyone when the village is
 * public; never someone blocked either way, nor a visitor the owner sent
 * away in the last 10 minutes. The matchmaking door (matchmaking-door.ts)
 * checks that before a seat is reserved or the room created; the room checks
 * it again when the connection arrives, when it comes back after a drop, and
 * whenever a session ends or who may visit changes (village-guard.ts).
 * A village has one room across every process (a claim in presence).
 * Visitors walk, wave and help; only the owner moves things. A dropped
 * connection keeps its place for 20 seconds.
 */
import { type AuthContext, type Client, CloseCode, Room, ServerError, matchMaker } from "@colyseus/core";
import type { Logger } from "pino";
import type { z } from "zod";
import {
  BuyDecorationMessage, CLOSE_SENT_AWAY, CLOSE_SESSION_ENDED, CLOSE_VISIT_ENDED, ClientMessages, EmoteMessage, HarvestMessage, JOIN_REFUSALS, JoinVillageOptions, MoveMessage, PlaceMessage,
  PlantMessage, RECONNECT_SECONDS, SERVER_MESSAGES, SendAwayMessage, TakeMessage, WaterMessage,
  type ActionDoneMessage, type CatalogChangedMessage, type JoinRefusal, type RoomErrorMessage, refOf,
} from "../../shared/messages.ts";
import { VillagePresence, VillageState } from "../../shared/state.ts";
import { CLOSE_ACCOUNT_DELETED } from "../../shared/privacy.ts";
import { VILLAGE_HEIGHT, VILLAGE_WIDTH, placeItem } from "../../shared/village.ts";
import type { Db } from "../db/connect.ts";
import { type AccountDeletedEvent, watchAccountDeletions } from "../realtime/account-deletions.ts";
import { watchCatalogChanges } from "../realtime/catalog-events.ts";
import { villageChannel, type VillageEvent } from "../realtime/village-events.ts";
import { markOffline, markOnline } from "../realtime/online.ts";
import {
  announceVisitsChanged, claimVillageRoom, releaseVillageRoom, rememberSentAway, renewVillageRoom, seatSettled, takeOverVillageRoom, watchSessionsEnded,
  watchVisitsChanged,
} from "../realtime/room-access.ts";
import { blockPlayer } from "../services/friends.ts";
import { admittedBy } from "./admission.ts";
import { VillageGuard } from "./village-guard.ts";
import { FarmingMessages } from "./farming-messages.ts";
import { DeletedAccounts } from "./deleted-accounts.ts";
import { MessageLimits } from "./message-limits.ts";
import { type VillageClient, playerOf } from "./room-clients.ts";
import { toStateItem } from "./village-state.ts";
import { reloadVillageItems } from "./village-items.ts";
import { loadVillage, moveItem } from "../services/villages.ts";
import { PlayerSubscriptions } from "./player-subscriptions.ts";
import { deliverPlayerEvent, tellOwnerOfArrival } from "./player-delivery.ts";
import type { PlayerEvent } from "../realtime/player-events.ts";
import { watchEmergencies } from "../realtime/campaign-events.ts";
import { runningEmergencies } from "../services/campaign-progress.ts";
import { FundraiserSignKeeper } from "./fundraiser-sign.ts";

export interface VillageRoomServices {
  db: Db;
  logger: Logger;
  /** The clock (epoch ms) for every rule and limit in the room: Date.now, or a test clock. */
  now: () => number;
  /** How often the room checks that its connections' sessions have not expired (default a minute). */
  sessionCheckMs?: number;
}

/** The village's claim on its one room lasts this long unless renewed (a dead process frees it then). */
const CLAIM_SECONDS = 30;
/** Thrown by onCreate when another room of the village is being created: the door tries again. */
export const VILLAGE_ROOM_ELSEWHERE = 4409;

/** More than this many messages a second from one connection (any type) closes it. */
const MAX_MESSAGES_PER_SECOND = 100;
/** A visitor sent away may not come back for 10 minutes. */
const SENT_AWAY_MS = 10 * 60_000;
/** Per client and message type: sustained rate and burst. Anything else (unknown types): the fallback. */
const RATES = {
  move: { perSecond: 15, burst: 30 }, emote: { perSecond: 1, burst: 3 }, place: { perSecond: 5, burst: 10 }, sendAway: { perSecond: 1, burst: 3 },
  take: { perSecond: 5, burst: 10 }, plant: { perSecond: 5, burst: 10 }, water: { perSecond: 3, burst: 6 }, harvest: { perSecond: 5, burst: 10 },
  buyDecoration: { perSecond: 2, burst: 4 },
};
const FALLBACK_RATE = { perSecond: 2, burst: 5 };

/** Closes after which a connection may not come back to its place (WITH_ERROR: closed for flooding, or a broken frame). */
const NO_COMING_BACK = new Set<number>([CLOSE_SENT_AWAY, CLOSE_ACCOUNT_DELETED, CLOSE_SESSION_ENDED, CLOSE_VISIT_ENDED, CloseCode.WITH_ERROR]);

/** A join refused, with the shared code the client reads (JOIN_REFUSALS); the message is for logs and API users. */
function refusedJoin(reason: JoinRefusal, message: string): ServerError {
  return new ServerError(JOIN_REFUSALS[reason], message);
}

export class VillageRoom extends Room<{ state: VillageState }> {
  declare protected services: VillageRoomServices;
  override maxClients = 16;
  override maxMessagesPerSecond = MAX_MESSAGES_PER_SECOND;
  override state = new VillageState();
  private villageId = "";
  private readonly limits = new MessageLimits(RATES, FALLBACK_RATE);
  private readonly farming = new FarmingMessages({
    services: () => this.services,
    presence: () => this.presence,
    villageId: () => this.villageId,
    state: () => this.state,
    clients: () => this.clients as Iterable<VillageClient>,
    refuse: (client, error, about, ref) => this.refuse(client, error, about, ref),
    done: (client, about, ref) => {
      if (ref !== undefined) client.send(SERVER_MESSAGES.done, { ref, about } satisfies ActionDoneMessage);
    },
  });
  /** The channels of the players here: what is theirs alone (a notification) reaches only their clients. */
  private playerEvents?: PlayerSubscriptions;
  private readonly onVillageEvent = (event: VillageEvent) => {
    reloadVillageItems({ db: this.services.db, villageId: this.villageId, state: this.state, clients: this.clients as Iterable<VillageClient>, broadcast: (type, message, options) => this.broadcast(type, message, options) }, event).catch((err) => this.services.logger.error({ err, villageId: this.villageId }, "village reload failed"));
  };
  private readonly deletedAccounts = new DeletedAccounts();
  /** The owner's fundraiser sign, kept in the state (fundraiser-sign.ts). */
  private readonly sign = new FundraiserSignKeeper(() => ({ ...this.services, presence: this.presence, state: this.state }));
  private unwatchDeletions = () => {};
  private unwatchCatalog = () => {};
  private unwatchEmergencies = () => {};
  private unwatchSessions = () => {};
  private unwatchVisits = () => {};
  private stopTimers = () => {};
  private readonly guard = new VillageGuard({
    services: () => this.services, presence: () => this.presence,
    villageId: () => this.villageId, ownerId: () => this.state.ownerId, clients: () => this.clients, deletedAccounts: this.deletedAccounts,
  });
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
      // Stored in presence, not in this room: the door and every room of every process refuse them until then.
      await rememberSentAway(this.presence, this.villageId, msg.playerId, this.services.now() + SENT_AWAY_MS, SENT_AWAY_MS / 1000);
      if (msg.block) {
        const blocked = await blockPlayer(this.services.db, this.state.ownerId, msg.playerId);
        if (!blocked.ok) return this.refuse(client, blocked, "sendAway");
        // The owner may be visiting the blocked player's village in another tab: that room checks again too.
        await announceVisitsChanged(this.presence, [this.state.ownerId, msg.playerId]);
      }
      for (const visitor of this.clients) {
        if (playerOf(visitor as VillageClient).player.id === msg.playerId) visitor.leave(CLOSE_SENT_AWAY);
      }
      // A connection of theirs that dropped and waits to come back does not: its avatar leaves now.
      this.deletedAccounts.endReconnections((w) => w.playerId === msg.playerId, "sent away");
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
    await this.claimTheVillage(village.id);
    this.villageId = village.id;
    this.state.villageId = village.id;
    this.state.ownerId = village.ownerId;
    this.state.name = village.name;
    this.state.width = VILLAGE_WIDTH;
    this.state.height = VILLAGE_HEIGHT;
    for (const row of village.items) this.state.items.set(row.id, toStateItem(row, village.ownerId));
    await this.presence.subscribe(villageChannel(village.id), this.onVillageEvent);
    await this.sign.start(village.ownerId);
    this.playerEvents = new PlayerSubscriptions(this.presence, (playerId, event) => {
      this.sendToPlayer(playerId, event).catch((err) => this.services.logger.error({ err, villageId: this.villageId }, "player event failed"));
    });
    this.unwatchDeletions = await watchAccountDeletions(this.presence, this.onAccountDeleted);
    // An NGO changed the catalog (any process): every client here refetches the shop.
    this.unwatchCatalog = await watchCatalogChanges(this.presence, (event: CatalogChangedMessage) => this.broadcast(SERVER_MESSAGES.catalogChanged, event));
    // An emergency campaign just published (any process): everyone here is told at once.
    this.unwatchEmergencies = await watchEmergencies(this.presence, (message) => this.broadcast(SERVER_MESSAGES.emergency, message));
    // A session that ends, or who may visit that changes (any process): who may not stay leaves.
    this.unwatchSessions = await watchSessionsEnded(this.presence, (event) => this.guard.sessionsEnded(event));
    this.unwatchVisits = await watchVisitsChanged(this.presence, (event) => {
      this.guard.visitsChanged(event).catch((err) => this.services.logger.error({ err, villageId: this.villageId }, "visitors check failed"));
    });
    const stopRenewing = this.guard.every(CLAIM_SECONDS * 1000 / 3, () => renewVillageRoom(this.presence, this.villageId, CLAIM_SECONDS));
    const stopChecking = this.guard.every(this.services.sessionCheckMs ?? 60_000, () => this.guard.checkSessions());
    this.stopTimers = () => {
      stopRenewing();
      stopChecking();
    };
  }

  /**
   * Claims the village's one room (across processes). Another room holds it: full, the join is
   * refused as such; still being created, the door tries again and finds it.
   */
  private async claimTheVillage(villageId: string): Promise<void> {
    const claim = await claimVillageRoom(this.presence, villageId, this.roomId, matchMaker.processId, CLAIM_SECONDS);
    if (claim.ok) {
      this.villageId = villageId;
      return;
    }
    const holder = claim.holder ? await matchMaker.driver.findOne({ roomId: claim.holder }) : undefined;
    // Held by a room no longer listed, of another process that does not answer: that process was
    // killed. The village opens here now rather than when the claim expires.
    if (!holder && claim.holder && claim.processId && claim.processId !== matchMaker.processId
      && !(await matchMaker.healthCheckProcessId(claim.processId))
      && (await takeOverVillageRoom(this.presence, villageId, claim.holder, this.roomId, matchMaker.processId, CLAIM_SECONDS))) {
      this.services.logger.warn({ villageId, deadProcess: claim.processId, deadRoom: claim.holder }, "village room taken over from a process that stopped answering");
      this.villageId = villageId;
      return;
    }
    if (holder && (holder.locked || holder.clients >= holder.maxClients)) throw refusedJoin("village_full", "This village is full right now");
    throw new ServerError(VILLAGE_ROOM_ELSEWHERE, "This village's room is open elsewhere");
  }

  /**
   * Only what the matchmaking door admitted (a redeemed room ticket, checked against the visit
   * rules) reserves a seat: called by the matchmaker before any room is found or created.
   */
  static override async onAuth(_token: string, _options: unknown, context: AuthContext) {
    const admitted = admittedBy(context);
    if (!admitted?.holder) throw refusedJoin("unauthorized", "Join with a room ticket: POST /api/room-tickets");
    return admitted.holder;
  }

  override async onJoin(client: VillageClient) {
    const me = playerOf(client);
    // The seat the door counted as waiting is taken now (whatever follows).
    await seatSettled(this.presence, this.villageId, me.player.id).catch((err: unknown) => this.services.logger.warn({ err }, "pending seat not settled"));
    if (this.deletedAccounts.isDeleted(me.player.id, this.services.now())) throw refusedJoin("account_deleted", "This account was deleted");
    // Checked again on arrival: a session may have ended, or a block come, since the seat was reserved.
    const stay = await this.guard.mayStay(client);
    if (!stay.ok) throw refusedJoin(stay.refusal.reason, stay.refusal.message);
    const isOwner = me.player.id === this.state.ownerId;
    // The owner appears by the house, visitors at the gate.
    const at = isOwner ? { x: (VILLAGE_WIDTH - 1) / 2, y: (VILLAGE_HEIGHT - 1) / 2 + 1 } : { x: (VILLAGE_WIDTH - 1) / 2, y: VILLAGE_HEIGHT - 1 };
    this.state.players.set(
      client.sessionId,
      new VillagePresence({ playerId: me.player.id, name: me.player.name, isOwner, ...at, emote: "", emoteSeq: 0, connected: true }),
    );
    await markOnline(this.presence, me.player.id, client.sessionId, this.villageId);
    if (isOwner) await this.sendOwnerViewSafely(client);
    else tellOwnerOfArrival(this.clients as Iterable<VillageClient>, this.state.ownerId, me.player.name);
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
    if (NO_COMING_BACK.has(code ?? 0) || !avatar) return;
    avatar.connected = false;
    const reconnection = this.allowReconnection(client, RECONNECT_SECONDS);
    const holder = playerOf(client);
    this.deletedAccounts.reconnecting(client.sessionId, { playerId: holder.player.id, session: holder.session }, reconnection);
    try {
      await reconnection;
    } finally {
      this.deletedAccounts.settled(client.sessionId);
    }
  }

  override async onReconnect(client: VillageClient) {
    // A reconnection token is not enough: the session must still be valid and the visit still allowed.
    const stay = await this.guard.mayStay(client);
    if (!stay.ok) {
      client.leave(stay.close);
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
    this.limits.forget(client.sessionId);
    // A join refused in onJoin (a session ended meanwhile, a block) never got an avatar nor a subscription.
    if (!this.state.players.has(client.sessionId)) return;
    this.state.players.delete(client.sessionId);
    await markOffline(this.presence, playerOf(client).player.id, client.sessionId);
    await this.playerEvents?.remove(playerOf(client).player.id);
  }

  override async onDispose() {
    await this.presence.unsubscribe(villageChannel(this.villageId), this.onVillageEvent);
    await this.sign.stop();
    await this.playerEvents?.clear();
    this.unwatchDeletions();
    this.unwatchCatalog();
    this.unwatchEmergencies();
    this.unwatchSessions();
    this.unwatchVisits();
    this.stopTimers();
    if (this.villageId) await releaseVillageRoom(this.presence, this.villageId, this.roomId);
  }

  /** A player's own event (a notification for them): read for that player, sent to their clients here only. */
  private async sendToPlayer(playerId: string, event: PlayerEvent) {
    await deliverPlayerEvent(this.services.db, this.clients as Iterable<VillageClient>, playerId, event);
  }

  private placedItems() {
    return [...this.state.items.values()].map((i) => ({ id: i.id, x: i.x < 0 ? null : i.x, y: i.y < 0 ? null : i.y }));
  }

  private refuse(client: Client, error: { code: RoomErrorMessage["code"]; message: string }, about?: RoomErrorMessage["about"], ref?: number) {
    const message: RoomErrorMessage = { code: error.code, message: error.message, about, ...(ref !== undefined ? { ref } : {}) };
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
      // A message waiting for its answer (a farming action's ref) is answered even when refused here.
      const ref = refOf(payload);
      if (!this.limits.take(client.sessionId, name, now)) {
        if (ref !== undefined || this.limits.shouldWarn(client.sessionId, now)) {
          this.refuse(client, { code: "rate_limited", message: `Too many ${name} messages; slow down` }, name, ref);
        }
        return;
      }
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "message"}: ${i.message}`).join("; ");
        return this.refuse(client, { code: "bad_request", message: `Invalid ${name} message: ${detail}` }, name, ref);
      }
      try {
        await handler(client, parsed.data);
      } catch (err) {
        this.services.logger.error({ err, villageId: this.villageId, message: name }, "room message failed");
        this.refuse(client, { code: "internal", message: "Something went wrong; nothing was changed" }, name, ref);
      }
    };
  }
}
