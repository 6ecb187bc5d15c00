/**
 * The village room's messages, both directions, validated with zod on the
 * server and typed for the client from the same definitions.
 */
import { z } from "zod";
import type { ErrorCode } from "./errors.ts";

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

export const ClientMessages = { place: PlaceMessage } as const;

/** server → client: an action was refused. */
export interface RoomErrorMessage {
  code: ErrorCode;
  message: string;
  /** The client message that caused it, when there is one. */
  about?: keyof typeof ClientMessages;
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
