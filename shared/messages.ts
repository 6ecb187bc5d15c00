/**
 * The village room's messages, both directions, validated with zod on the
 * server and typed for the client from the same definitions.
 */
import { z } from "zod";
import type { ErrorCode } from "./errors.ts";
import { VILLAGE_HEIGHT, VILLAGE_WIDTH } from "./village.ts";

export const ROOM_VILLAGE = "village";

/** Options a client passes when joining a village room. */
export const JoinVillageOptions = z.object({ villageId: z.uuid() });
export type JoinVillageOptions = z.infer<typeof JoinVillageOptions>;

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

export const ClientMessages = { place: PlaceMessage, move: MoveMessage, emote: EmoteMessage, sendAway: SendAwayMessage } as const;

/** The close code a visitor's connection gets when the owner sends them away (no reconnection). */
export const CLOSE_SENT_AWAY = 4403;
/** How long a dropped connection may come back to its place. */
export const RECONNECT_SECONDS = 20;

/** server → client: an action was refused. */
export interface RoomErrorMessage {
  code: ErrorCode;
  message: string;
  /** The client message that caused it, when there is one. */
  about?: keyof typeof ClientMessages | "unknown";
}

/** server → client: a paid gift has just arrived in the village. */
export interface GiftArrivedMessage {
  orderId: string;
  items: Array<{ itemId: string; giftId: string }>;
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

export const SERVER_MESSAGES = { error: "error", giftArrived: "giftArrived", giftWithdrawn: "giftWithdrawn" } as const;
