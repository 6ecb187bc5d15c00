/**
 * Neighbours: villages a player may visit without being friends first, and
 * the thank-you a village owner sends back for a gift received. Request
 * schemas (zod, validated by the server) and response types, shared by both
 * sides.
 *
 * Privacy by default: only villages whose owners opted in (village
 * visibility "public") are ever listed; never a village of a player blocked
 * either way, nor of a deleted account. A card shows the village's name, its
 * owner's public name and level, nothing else (never friends, gifts or
 * amounts). A "friend of a friend" suggestion never says which friend.
 */
import { z } from "zod";
import { DECORATIONS, type DecorationId } from "./decorations.ts";
import { checkText } from "./text.ts";

/** Why a village is suggested. */
export type NeighbourReason = "demo" | "friend_of_friend" | "active";

export interface NeighbourCard {
  villageId: string;
  villageName: string;
  /** The owner's public name. */
  ownerName: string;
  /** The owner's level (shared/progression.ts). */
  level: number;
  /** Present on a suggestion. */
  reason?: NeighbourReason;
  /** Whether the owner is already my friend (only in the public list). */
  friend?: boolean;
}

/** GET /api/neighbours/suggested: a few villages to visit now. */
export interface SuggestedNeighboursResponse {
  neighbours: NeighbourCard[];
}

/** Suggestions at most (friends of friends first, then active villages; the demo neighbour for a new player). */
export const SUGGESTIONS_MAX = 6;
export const NEIGHBOURS_PAGE_SIZE = 9;
export const NEIGHBOUR_SEARCH_MAX = 60;

/** GET /api/neighbours/villages?q=&page=: public villages, most recently active first. */
export const PublicVillagesQuery = z.object({
  q: z
    .string({ error: "q must be text" })
    .trim()
    .max(NEIGHBOUR_SEARCH_MAX, { error: `q has at most ${NEIGHBOUR_SEARCH_MAX} characters` })
    .superRefine(checkText("the search", "line"))
    .default(""),
  page: z.coerce
    .number({ error: "page must be a number" })
    .int({ error: "page must be a whole number" })
    .min(1, { error: "page must be at least 1" })
    .max(1000, { error: "page must be at most 1000" })
    .default(1),
});
export type PublicVillagesQuery = z.input<typeof PublicVillagesQuery>;

export interface PublicVillagesResponse {
  villages: NeighbourCard[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

/**
 * The decorations an owner may send as a thank-you: free for the sender (no
 * coins), placed in the giver's village (or its barn when it is full).
 */
export const THANK_YOU_DECORATIONS = ["flower-bed", "lantern", "mailbox"] as const satisfies readonly DecorationId[];
export type ThankYouDecoration = (typeof THANK_YOU_DECORATIONS)[number];
export const THANKS_NOTE_MAX = 280;

/**
 * POST /api/thanks/:orderId: the owner of the village a gift went to thanks its giver, once per
 * gift (order). A note, a decoration, or both. The answer never names the giver.
 */
export const ThanksRequest = z
  .object({
    note: z
      .string({ error: "note must be text" })
      .trim()
      .max(THANKS_NOTE_MAX, { error: `the note has at most ${THANKS_NOTE_MAX} characters` })
      .superRefine(checkText("the note", "paragraph"))
      .optional(),
    decorationId: z.enum(THANK_YOU_DECORATIONS, { error: `decorationId must be one of ${THANK_YOU_DECORATIONS.join(", ")}` }).optional(),
  })
  .strict()
  .refine((t) => (t.note ?? "") !== "" || t.decorationId !== undefined, { error: "send a note, a decoration, or both" });
export type ThanksRequest = z.input<typeof ThanksRequest>;

export interface ThanksResponse {
  thanked: true;
  /** What was sent (the giver's name is never in the answer). */
  note: string | null;
  decorationId: ThankYouDecoration | null;
}

/** The sprite of a thank-you decoration. */
export function thankYouSprite(id: ThankYouDecoration): string {
  return DECORATIONS[id].sprite;
}

/** server → the village owner's clients only: someone (allowed to be here) just arrived. */
export interface VisitorArrivedMessage {
  /** The visitor's public name, as every player in the room sees it on their avatar. */
  name: string;
}
