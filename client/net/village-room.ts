/**
 * The village room connection: joins a village (mine or a friend's) with a
 * room ticket (single use, asked for each join: the session token never goes
 * into a websocket URL), mirrors its synchronised state into the VillageModel,
 * relays server messages and sends the player's actions.
 *
 * One village is open at a time. `visit(id)` joins another village and only
 * then leaves the current one, so a refused visit changes nothing;
 * `goHome()` comes back. A connection lost for good rejoins the same
 * village, except when the owner sent me away (close 4403) or I may not be
 * there any more (4406): then I go home. A session that ended (4401) stops.
 */
import { Client, type Room } from "@colyseus/sdk";
import type { ErrorCode } from "../../shared/errors.ts";
import type { CropKind } from "../../shared/farming.ts";
import type { DecorationId } from "../../shared/decorations.ts";
import { ActionAnswers } from "./action-answers.ts";
import { ApiError, api } from "./api.ts";
import {
  CLOSE_SENT_AWAY,
  CLOSE_SESSION_ENDED,
  CLOSE_VISIT_ENDED,
  ROOM_VILLAGE,
  SERVER_MESSAGES,
  joinRefusalOf,
  type ActionDoneMessage,
  type CatalogChangedMessage,
  type ClientMessages,
  type CropWateredMessage,
  type Emote,
  type EmergencyMessage,
  type FarmingAction,
  type GiftArrivedMessage,
  type GiftRestoredMessage,
  type GiftWithdrawnMessage,
  type HarvestedMessage,
  type OrderPaidMessage,
  type OwnerViewMessage,
  type PlaceMessage,
  type RoomErrorMessage,
} from "../../shared/messages.ts";
import type { NotificationMessage } from "../../shared/notifications.ts";
import type { VisitorArrivedMessage } from "../../shared/neighbours.ts";
import type { MyReferralsResponse } from "../../shared/referrals.ts";
import type { ProgressMessage } from "../../shared/progress-api.ts";
import { VillageState } from "../../shared/state.ts";
import type { VillageModel } from "../game/village-model.ts";
import type { Session } from "./session.ts";
import { mirrorState } from "./state-mirror.ts";

export interface RoomEvents {
  /** The server refused something ("error" message). */
  error(message: RoomErrorMessage): void;
  /** Gifts taken back because their payment was refunded or lost in a dispute. */
  withdrawn(message: GiftWithdrawnMessage): void;
  /** Gifts back because the refund that had taken them failed or shrank. */
  restored?(message: GiftRestoredMessage): void;
  /** Connection state for the UI: joined, lost (retrying), back. */
  status(status: "joined" | "lost" | "back"): void;
  /** Another village is open now (after a visit, a way home, or the first join). */
  village?(open: OpenVillage): void;
  /** The owner of the village I was visiting showed me out; I am on my way home. */
  sentAway?(ownerName: string): void;
  /** A visited village would not have me back after a lost connection; I am on my way home. */
  visitEnded?(code: ErrorCode | "network"): void;
  /** Something for me alone (a gift received, a gift withdrawn), pushed to my clients wherever I am. */
  notification?(message: NotificationMessage): void;
  /** What my share links brought changed (a gift attributed to me, or one refunded): the new counts. */
  referrals?(message: MyReferralsResponse): void;
  /** One of my orders was paid (here or anywhere else): the basket lets go of its gifts. */
  orderPaid?(message: OrderPaidMessage): void;
  /** Someone arrived in my village while I am in it (told to the owner only). */
  visitorArrived?(message: VisitorArrivedMessage): void;
  /** An NGO changed the catalog: the shop refetches it. */
  catalogChanged?(message: CatalogChangedMessage): void;
  /** An emergency campaign is running: at once when published, and on joining any village while it runs. */
  emergency?(message: EmergencyMessage): void;
  /** What a farming action (mine, or a friend's help) earned me: XP, quests, coins. */
  progress?(message: ProgressMessage): void;
}

/** Which village is open, and whose it is. */
export interface OpenVillage {
  villageId: string;
  ownerId: string;
  ownerName: string;
  /** True in my own village. */
  isHome: boolean;
}

/** A village that would not let me in: a shared error code for the toast. */
export class VisitRefused extends Error {
  /** A shared error code, or "network" when the server could not be reached. */
  readonly code: ErrorCode | "network";
  constructor(code: ErrorCode | "network", message: string) {
    super(message);
    this.name = "VisitRefused";
    this.code = code;
  }
}

/** The game server: the page's own origin, or VITE_SERVER_URL on the Vite dev server. */
export function serverUrl(): string {
  return import.meta.env.VITE_SERVER_URL || location.origin;
}

/** At most this many moves a second go out (the server allows 15). */
const MOVE_INTERVAL_MS = 100;

type VillageRoomHandle = Room<unknown, VillageState>;

export class VillageConnection {
  private readonly client: Client;
  private room: VillageRoomHandle | undefined;
  private open: OpenVillage | null = null;
  /** The village I mean to be in: home, or the one I am visiting. */
  private target: string;
  private closed = false;
  private hasBeenLost = false;
  /** Bumped by every switch of village, so an older join that resolves late is dropped. */
  private generation = 0;
  private lastMoveAt = 0;
  private pendingMove: { x: number; y: number } | null = null;
  private moveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Farming actions waiting for the server's answer. */
  private readonly answers = new ActionAnswers();
  private readonly session: Session;
  private readonly model: VillageModel;
  private readonly events: RoomEvents;

  constructor(session: Session, model: VillageModel, events: RoomEvents) {
    this.session = session;
    this.model = model;
    this.events = events;
    this.target = session.villageId;
    this.client = new Client(serverUrl());
  }

  /** The open village, or null while none is. */
  get village(): OpenVillage | null {
    return this.open;
  }

  get homeVillageId(): string {
    return this.session.villageId;
  }

  get isVisiting(): boolean {
    return this.target !== this.session.villageId;
  }

  /**
   * Joins the village I mean to be in (home at first), retrying with a growing
   * delay until it works. A visited village that refuses me sends me home.
   */
  async connect(): Promise<void> {
    const generation = this.generation;
    for (let attempt = 0; !this.closed && generation === this.generation; attempt++) {
      try {
        await this.join(this.target, generation);
        return;
      } catch (err) {
        const refused = refusalOf(err);
        if (refused && this.isVisiting) {
          this.target = this.session.villageId;
          this.events.visitEnded?.(refused.code);
          attempt = -1;
          continue;
        }
        console.warn("joining the village failed", err);
        if (attempt === 0) this.events.status("lost");
        await sleep(Math.min(1000 * 2 ** attempt, 15_000));
      }
    }
  }

  /**
   * Opens someone's village (or mine). Rejects with VisitRefused when that
   * village will not have me; the village I was in then stays open.
   */
  async visit(villageId: string): Promise<void> {
    if (this.closed) return;
    if (this.open?.villageId === villageId && this.room) return;
    const generation = ++this.generation;
    const previousTarget = this.target;
    this.target = villageId;
    try {
      await this.join(villageId, generation);
    } catch (err) {
      if (generation === this.generation) this.target = previousTarget;
      throw refusalOf(err) ?? new VisitRefused("network", err instanceof Error ? err.message : String(err));
    }
  }

  /** Back to my own village. */
  goHome(): Promise<void> {
    return this.visit(this.session.villageId);
  }

  /** Moves one of my items to a tile (owner only). */
  send(message: PlaceMessage): void {
    this.message("place", message);
  }

  place(itemId: string, x: number, y: number): void {
    this.message("place", { itemId, x, y });
  }

  /** Walks my avatar there; sent at most ten times a second, the last position always goes. */
  move(x: number, y: number): void {
    this.pendingMove = { x, y };
    const wait = this.lastMoveAt + MOVE_INTERVAL_MS - Date.now();
    if (wait <= 0) return this.flushMove();
    this.moveTimer ??= setTimeout(() => this.flushMove(), wait);
  }

  emote(emote: Emote): void {
    this.message("emote", { emote });
  }

  /**
   * The farming actions resolve once the server says the action is saved and in the state, and
   * reject with ActionFailed when it refused, the connection is lost, or it did not answer in time.
   */
  take(itemId: string): Promise<void> {
    return this.action("take", { itemId });
  }

  /** `starter`: the tutorial asks for the new player's head start (the server decides). */
  plant(crop: CropKind, x: number, y: number, starter = false): Promise<void> {
    return this.action("plant", { crop, x, y, ...(starter ? { starter } : {}) });
  }

  water(itemId: string): Promise<void> {
    return this.action("water", { itemId });
  }

  harvest(itemId: string): Promise<void> {
    return this.action("harvest", { itemId });
  }

  buyDecoration(decorationId: DecorationId): Promise<void> {
    return this.action("buyDecoration", { decorationId });
  }

  sendAway(playerId: string, block = false): void {
    this.message("sendAway", { playerId, block });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.answers.lost();
    clearTimeout(this.moveTimer);
    const room = this.room;
    this.room = undefined;
    await room?.leave(true);
  }

  private message(type: keyof typeof ClientMessages, payload: unknown): void {
    this.room?.send(type, payload);
  }

  private action(type: FarmingAction, payload: object): Promise<void> {
    return this.answers.ask((ref) => {
      const room = this.room;
      if (!room || !this.open) return false;
      room.send(type, { ...payload, ref });
      return true;
    });
  }

  private flushMove(): void {
    this.moveTimer = undefined;
    if (!this.pendingMove || !this.room) return;
    this.lastMoveAt = Date.now();
    this.message("move", this.pendingMove);
    this.pendingMove = null;
  }

  private async join(villageId: string, generation: number): Promise<void> {
    const { ticket } = await api.roomTicket(this.session.token);
    const room = await this.client.joinOrCreate(ROOM_VILLAGE, { villageId, ticket }, VillageState);
    if (this.closed || generation !== this.generation) {
      // Someone switched village meanwhile: this one is not wanted any more.
      void room.leave(true);
      return;
    }
    const previous = this.room;
    this.room = room;
    // What the village left behind was asked of will not be answered here.
    this.answers.lost();
    clearTimeout(this.moveTimer);
    this.moveTimer = undefined;
    this.pendingMove = null;
    this.model.reset();
    const live = () => this.room === room;
    this.open = {
      villageId, ownerId: room.state?.ownerId ?? "", ownerName: room.state?.name ?? "", isHome: villageId === this.session.villageId,
    };
    mirrorState(room, this.model, live, () => this.announceOpen(room));
    // A refusal of an action that waits for its answer goes to the asker; any other to the page.
    room.onMessage(SERVER_MESSAGES.error, (m: RoomErrorMessage) => live() && !this.answers.refused(m) && this.events.error(m));
    room.onMessage(SERVER_MESSAGES.done, (m: ActionDoneMessage) => live() && this.answers.done(m));
    room.onMessage(SERVER_MESSAGES.giftArrived, (m: GiftArrivedMessage) => live() && this.model.announceArrival(m));
    room.onMessage(SERVER_MESSAGES.giftWithdrawn, (m: GiftWithdrawnMessage) => live() && this.events.withdrawn(m));
    room.onMessage(SERVER_MESSAGES.giftRestored, (m: GiftRestoredMessage) => live() && this.events.restored?.(m));
    room.onMessage(SERVER_MESSAGES.ownerView, (m: OwnerViewMessage) => live() && this.model.setOwnerView(m));
    room.onMessage(SERVER_MESSAGES.cropWatered, (m: CropWateredMessage) => live() && this.model.announceWatered(m));
    room.onMessage(SERVER_MESSAGES.harvested, (m: HarvestedMessage) => live() && this.model.announceHarvested(m));
    room.onMessage(SERVER_MESSAGES.notification, (m: NotificationMessage) => live() && this.events.notification?.(m));
    room.onMessage(SERVER_MESSAGES.referrals, (m: MyReferralsResponse) => live() && this.events.referrals?.(m));
    room.onMessage(SERVER_MESSAGES.orderPaid, (m: OrderPaidMessage) => live() && this.events.orderPaid?.(m));
    room.onMessage(SERVER_MESSAGES.visitorArrived, (m: VisitorArrivedMessage) => live() && this.events.visitorArrived?.(m));
    room.onMessage(SERVER_MESSAGES.catalogChanged, (m: CatalogChangedMessage) => live() && this.events.catalogChanged?.(m));
    room.onMessage(SERVER_MESSAGES.emergency, (m: EmergencyMessage) => live() && this.events.emergency?.(m));
    room.onMessage(SERVER_MESSAGES.progress, (m: ProgressMessage) => live() && this.events.progress?.(m));
    room.onDrop(() => {
      if (!live()) return;
      this.answers.lost();
      this.hasBeenLost = true;
      this.events.status("lost");
    });
    room.onReconnect(() => live() && this.events.status("back"));
    room.onLeave((code) => this.onLeave(room, code));
    if (previous) void previous.leave(true).catch(() => {});
    this.events.status(this.hasBeenLost ? "back" : "joined");
    this.hasBeenLost = false;
  }

  /** Tells who the village belongs to, once the state says (it may arrive just after the join). */
  private announceOpen(room: VillageRoomHandle): void {
    if (this.room !== room || !this.open) return;
    this.open = { ...this.open, ownerId: room.state.ownerId, ownerName: room.state.name };
    this.events.village?.(this.open);
  }

  private onLeave(room: VillageRoomHandle, code: number): void {
    if (this.closed || this.room !== room) return;
    this.room = undefined;
    this.answers.lost();
    if (code === CLOSE_SESSION_ENDED) {
      // Signed out (here or on another device), or the session expired: nothing to come back to.
      this.closed = true;
      this.open = null;
      this.events.status("lost");
      return;
    }
    if ((code === CLOSE_SENT_AWAY || code === CLOSE_VISIT_ENDED) && this.isVisiting) {
      const ownerName = this.open?.ownerName ?? "";
      this.target = this.session.villageId;
      this.open = null;
      this.generation++;
      if (code === CLOSE_SENT_AWAY) this.events.sentAway?.(ownerName);
      else this.events.visitEnded?.("village_private");
      void this.connect();
      return;
    }
    console.warn("left the village room", code);
    this.hasBeenLost = true;
    this.events.status("lost");
    void this.connect();
  }
}

/**
 * A join the village refused (private, sent away, unknown…), read from the
 * error's code with the shared JOIN_REFUSALS table; null for network trouble
 * or a server fault, which are worth retrying.
 */
function refusalOf(err: unknown): VisitRefused | null {
  // No ticket: the session is not valid any more.
  if (err instanceof ApiError) return err.status === 401 ? new VisitRefused("unauthorized", err.message) : null;
  const reason = joinRefusalOf((err as { code?: unknown } | null)?.code);
  return reason ? new VisitRefused(reason, err instanceof Error ? err.message : String(err)) : null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
