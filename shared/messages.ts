/**
 * The village room's messages, both directions, validated with zod on the
 * server and typed for the client from the same definitions.
 */
import { z } from "zod";
import { DECORATION_IDS } from "./decorations.ts";
import type { ErrorCode } from "./errors.ts";
import { CROP_KINDS } from "./farming.ts";
import { VILLAGE_HEIGHT, VILLAGE_WIDTH } from "./village.ts";

export const ROOM_VILLAGE = "village";
/** One room per campaign: its live progress, for players and the NGO console alike. */
export const ROOM_CAMPAIGN = "campaign";

/** Options a client passes when joining a campaign room. */
export const JoinCampaignOptions = z.object({ campaignId: z.uuid() });
export type JoinCampaignOptions = z.infer<typeof JoinCampaignOptions>;

/** Options a client passes when joining a village room. */
export const JoinVillageOptions = z.object({ villageId: z.uuid() });
export type JoinVillageOptions = z.infer<typeof JoinVillageOptions>;

/**
 * What a client sends to join a room: the room's options plus a room ticket
 * (POST /api/room-tickets), never its session token. A campaign room needs a
 * ticket only for a campaign that is not public yet (its NGO's members).
 */
export type RoomJoinOptions<T> = T & { ticket?: string };
/** Largest matchmaking request body the server reads. */
export const MATCHMAKE_BODY_LIMIT = 4096;

/** client → server: move one of my items to a tile. */
export const PlaceMessage = z.object({
  itemId: z.uuid(),
  x: z.number().int(),
  y: z.number().int(),
});
export type PlaceMessage = z.infer<typeof PlaceMessage>;

/** client → server: walk to a point of the village (tile coordinates, fractions allowed). */
export const MoveMessage = z.object({
  x: z.number().min(0).max(VILLAGE_WIDTH - 1),
  y: z.number().min(0).max(VILLAGE_HEIGHT - 1),
});
export type MoveMessage = z.infer<typeof MoveMessage>;

export const EMOTES = ["wave", "heart", "laugh", "clap", "sparkles"] as const;
export type Emote = (typeof EMOTES)[number];

/** client → server: show an emote above my avatar. */
export const EmoteMessage = z.object({ emote: z.enum(EMOTES) });
export type EmoteMessage = z.infer<typeof EmoteMessage>;

/** client → server (owner only): send a visitor away, and optionally block them. */
export const SendAwayMessage = z.object({ playerId: z.uuid(), block: z.boolean().default(false) });
export type SendAwayMessage = z.input<typeof SendAwayMessage>;

/**
 * What a farming action may carry so that its answer can be told apart: the server answers a
 * message holding a `ref` with ActionDoneMessage once the action is saved and in the state, or an
 * error carrying the same `ref` when it refuses. The client shows success only on the first, and
 * an error on the second or when no answer came within ACTION_ANSWER_MS.
 */
export const ActionRef = z.number().int().min(1).max(2 ** 31 - 1);
/** How long the client waits for the answer to a farming action before saying the village did not answer. */
export const ACTION_ANSWER_MS = 5000;

/** client → server (owner only): put one of my items back in the barn. */
export const TakeMessage = z.object({ itemId: z.uuid(), ref: ActionRef.optional() });
export type TakeMessage = z.infer<typeof TakeMessage>;

/**
 * client → server (owner only): plant a free crop on an empty tile. `starter`: the tutorial asks for the
 * new player's head start (shared/starter-crop.ts); the server grants it only to a player who may have it.
 */
export const PlantMessage = z.object({
  crop: z.enum(CROP_KINDS), x: z.number().int(), y: z.number().int(), ref: ActionRef.optional(), starter: z.boolean().optional(),
});
export type PlantMessage = z.infer<typeof PlantMessage>;

/** client → server (owner or visiting friend): water a growing crop. */
export const WaterMessage = z.object({ itemId: z.uuid(), ref: ActionRef.optional() });
export type WaterMessage = z.infer<typeof WaterMessage>;

/** client → server (owner only): harvest a ripe crop for coins. */
export const HarvestMessage = z.object({ itemId: z.uuid(), ref: ActionRef.optional() });
export type HarvestMessage = z.infer<typeof HarvestMessage>;

/** client → server (owner only): buy a decoration with coins; it lands on a free tile (or in the barn). */
export const BuyDecorationMessage = z.object({ decorationId: z.enum(DECORATION_IDS), ref: ActionRef.optional() });
export type BuyDecorationMessage = z.infer<typeof BuyDecorationMessage>;

export const ClientMessages = {
  place: PlaceMessage, move: MoveMessage, emote: EmoteMessage, sendAway: SendAwayMessage,
  take: TakeMessage, plant: PlantMessage, water: WaterMessage, harvest: HarvestMessage, buyDecoration: BuyDecorationMessage,
} as const;

/** The farming actions, whose answers the client waits for (ActionRef). */
export const FARMING_ACTIONS = ["take", "plant", "water", "harvest", "buyDecoration"] as const;
export type FarmingAction = (typeof FARMING_ACTIONS)[number];

/** The `ref` a raw client message carries, if it is a valid one (read before validation, to answer a bad message). */
export function refOf(payload: unknown): number | undefined {
  const ref = (payload as { ref?: unknown } | null)?.ref;
  return ActionRef.safeParse(ref).success ? (ref as number) : undefined;
}

/** The close code a visitor's connection gets when the owner sends them away (no reconnection). */
export const CLOSE_SENT_AWAY = 4403;
/** The close code of a connection whose session ended (signed out, expired): no reconnection. */
export const CLOSE_SESSION_ENDED = 4401;
/** The close code of a visitor who may not be here any more (blocked, unfriended, village made private). */
export const CLOSE_VISIT_ENDED = 4406;
/** How long a dropped connection may come back to its place. */
export const RECONNECT_SECONDS = 20;

/**
 * Why a village room refuses a join, and the ServerError code the refusal
 * carries: the SDK's joinOrCreate rejects with `{ code }`, which the client
 * turns back into the shared ErrorCode with `joinRefusalOf`, never by reading
 * the message. The codes are HTTP statuses because a refusal thrown while the
 * room is created answers the matchmaking request with that status (200-599
 * only); the others arrive over the room's socket with the same code.
 */
export const JOIN_REFUSALS = {
  /** No valid session token. */
  unauthorized: 401,
  /** Not a friend of the owner of a friends-only village, or blocked either way (a block looks private). */
  village_private: 403,
  /** No such village (or not a village id, or its owner deleted their account). */
  village_unknown: 404,
  /** The joining account was deleted meanwhile. */
  account_deleted: 410,
  /** The owner sent this player away a short while ago. */
  sent_away: 423,
  /** The village's room has no seat left (its one room, across every process, is full). */
  village_full: 409,
  /** Too many joins from this session or address: try again in a minute. */
  rate_limited: 429,
} as const satisfies Partial<Record<ErrorCode, number>>;
export type JoinRefusal = keyof typeof JOIN_REFUSALS;

/** True for an ErrorCode that is one of the join refusals. */
export function isJoinRefusal(code: string): code is JoinRefusal {
  return Object.hasOwn(JOIN_REFUSALS, code);
}

/** The refusal a join's error code stands for; null for anything else (network trouble, a server fault). */
export function joinRefusalOf(code: unknown): JoinRefusal | null {
  for (const [reason, value] of Object.entries(JOIN_REFUSALS)) if (value === code) return reason as JoinRefusal;
  return null;
}

/** server → client: an action was refused. */
export interface RoomErrorMessage {
  code: ErrorCode;
  message: string;
  /** The client message that caused it, when there is one. */
  about?: keyof typeof ClientMessages | "unknown";
  /** The `ref` of the refused message, when it carried one (ActionRef). */
  ref?: number;
}

/** server → the client that asked: its farming action (with this `ref`) is saved and in the state. */
export interface ActionDoneMessage {
  ref: number;
  about: FarmingAction;
}

/** server → client: a paid gift has just arrived in the village. */
export interface GiftArrivedMessage {
  orderId: string;
  items: Array<{ itemId: string; giftId: string }>;
  /**
   * A gift from someone other than the owner: the giver's name, present only when the giver
   * allowed it. Everyone in the room receives this message, so it never carries an amount.
   */
  fromName?: string;
  /**
   * True only in the message to the payer's own clients (they get the thank-you and the receipt);
   * the owner of a gift from someone else, and any visitor, receive false.
   */
  yours: boolean;
}

/**
 * server → client: gifts left the village because their payment was refunded
 * or lost in a dispute. Sent before the items disappear from the state, so the
 * client can show them leaving.
 */
export interface GiftWithdrawnMessage {
  orderId: string;
  reason: "refunded" | "dispute_lost";
  items: Array<{ itemId: string; giftId: string }>;
}

/**
 * server → client: gifts came back to the village because the refund that had
 * taken them failed or shrank. Sent once the items are back in the state.
 */
export interface GiftRestoredMessage {
  orderId: string;
  items: Array<{ itemId: string; giftId: string }>;
}

/**
 * server → the owner's clients only: what is the owner's alone. Sent on join
 * and whenever it changes. Visitors never receive it.
 */
export interface OwnerViewMessage {
  coins: number;
  /** Per crop (item id): names of the players other than the owner who watered it, in order of first help. */
  helpers: Record<string, string[]>;
}

/** server → the owner's clients and the helper: someone watered a crop. */
export interface CropWateredMessage {
  itemId: string;
  /** The waterer's name. */
  byName: string;
  byPlayerId: string;
  /** Growth time the watering took off. */
  bonusMs: number;
}

/** server → the owner's clients: a crop was harvested. */
export interface HarvestedMessage {
  itemId: string;
  cropKind: string;
  coins: number;
  /** The owner's balance after it. */
  balance: number;
}

/**
 * server → every client of every village room: an emergency campaign is running. Sent to everyone
 * online when it is published, and to each player joining a village while it runs. Public facts only.
 */
export interface EmergencyMessage {
  campaignId: string;
  ngoName: string;
  title: { fr: string; en: string };
  /** The campaign's gifts, to show them in the shop. */
  giftIds: string[];
  /** ISO 8601. */
  endsAt: string;
}

export const SERVER_MESSAGES = {
  error: "error",
  /** The asking client only: an ActionDoneMessage. */
  done: "done", giftArrived: "giftArrived", giftWithdrawn: "giftWithdrawn", giftRestored: "giftRestored",
  ownerView: "ownerView", cropWatered: "cropWatered", harvested: "harvested",
  /** One player's clients only: what a farming action earned them, a ProgressMessage (shared/progress-api.ts). */
  progress: "progress",
  /** One player's clients only: a NotificationMessage (shared/notifications.ts). */
  notification: "notification",
  /** Every village room, after an NGO changed its catalog: a CatalogChangedMessage; clients refetch GET /api/catalog. */
  catalogChanged: "catalogChanged",
  /** Everyone: an EmergencyMessage. */
  emergency: "emergency",
  /** One player's clients only: their referral counts changed, a MyReferralsResponse (shared/referrals.ts). */
  referrals: "referrals",
  /** The payer's clients only (wherever they are): an OrderPaidMessage. */
  orderPaid: "orderPaid",
  /** The village owner's clients only: a VisitorArrivedMessage (shared/neighbours.ts), "Bob arrived". */
  visitorArrived: "visitorArrived",
} as const;

/**
 * server → the payer's clients, in every village room they are in: one of their orders was paid
 * (on this device or another, back through the return page or not). The basket that started its
 * checkout reads the order (GET /api/orders/:id) and lets go of its gifts.
 */
export interface OrderPaidMessage {
  orderId: string;
}

/** server → every client of every village room: the catalog changed; refetch it. */
export interface CatalogChangedMessage {
  /** The gifts that changed (created, edited, retired, restored, or their stock). */
  giftIds: string[];
}
