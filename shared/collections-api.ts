/**
 * What the collections panel shows (GET /api/collections) and a set's claim
 * answers (POST /api/collections/:setId/claim), shared by server and client.
 */
import type { PieceId, SetProgress } from "./collections.ts";

export interface CollectionsView {
  sets: SetProgress[];
  /** How many of each piece were found (duplicates included). */
  pieces: Partial<Record<PieceId, number>>;
}

export interface SetClaimResponse {
  view: CollectionsView;
  /** The decoration granted: its village item id, and whether it went to the barn (village full). */
  itemId: string;
  inBarn: boolean;
}
