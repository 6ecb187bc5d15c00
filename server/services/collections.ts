/**
 * Collections in the database: a piece found (in the harvest's or the help's
 * own transaction), what a player's sets look like, and a complete set's
 * claim. The claim locks the player row, re-checks the pure rule
 * (shared/collections.ts) and books its collection_claims row, whose primary
 * key refuses a second grant however many claims arrive at once; the
 * decoration then lands on the free tile nearest the centre (under the
 * village lock), or in the barn.
 */
import { eq } from "drizzle-orm";
import { type PieceId, type SetId, PIECE_IDS, collectionProgress, mayClaimSet } from "../../shared/collections.ts";
import type { CollectionsView, SetClaimResponse } from "../../shared/collections-api.ts";
import { DECORATIONS } from "../../shared/decorations.ts";
import { type RuleResult, refuse } from "../../shared/errors.ts";
import { findFreeTiles } from "../../shared/village.ts";
import type { Db, Tx } from "../db/connect.ts";
import { collectionClaims, collectionPieces, villageItems, villages } from "../db/schema.ts";
import { lockPlayers } from "./progression.ts";
import { loadVillage, lockVillage } from "./villages.ts";
import { sql } from "drizzle-orm";

/** Books a piece found (one more of it). */
export async function recordPiece(tx: Tx, playerId: string, piece: PieceId): Promise<void> {
  await tx.insert(collectionPieces).values({ playerId, pieceId: piece, count: 1 })
    .onConflictDoUpdate({ target: [collectionPieces.playerId, collectionPieces.pieceId], set: { count: sql`${collectionPieces.count} + 1` } });
}

const isPiece = (id: string): id is PieceId => (PIECE_IDS as readonly string[]).includes(id);

async function viewOf(db: Db | Tx, playerId: string): Promise<CollectionsView & { found: PieceId[]; claimed: SetId[] }> {
  const rows = await db.select().from(collectionPieces).where(eq(collectionPieces.playerId, playerId));
  const claims = await db.select({ setId: collectionClaims.setId }).from(collectionClaims).where(eq(collectionClaims.playerId, playerId));
  const pieces: CollectionsView["pieces"] = {};
  for (const r of rows) if (isPiece(r.pieceId)) pieces[r.pieceId] = r.count;
  const found = Object.keys(pieces) as PieceId[];
  const claimed = claims.map((c) => c.setId as SetId);
  return { sets: collectionProgress(found, claimed), pieces, found, claimed };
}

export async function collectionsOf(db: Db, playerId: string): Promise<CollectionsView> {
  const { sets, pieces } = await viewOf(db, playerId);
  return { sets, pieces };
}

/** A complete set grants its decoration, once. Answers the village to tell (the item arrived there). */
export function claimSet(db: Db, playerId: string, setId: string): Promise<RuleResult<SetClaimResponse & { villageId: string }>> {
  return db.transaction(async (tx) => {
    await lockPlayers(tx, [playerId]);
    const before = await viewOf(tx, playerId);
    const rule = mayClaimSet(setId, before.found, before.claimed);
    if (!rule.ok) return rule;
    const booked = await tx.insert(collectionClaims).values({ playerId, setId: rule.set.id }).onConflictDoNothing().returning({ setId: collectionClaims.setId });
    if (booked.length === 0) return refuse("already_claimed", "This collection's decoration was already granted");
    const [home] = await tx.select({ id: villages.id }).from(villages).where(eq(villages.ownerId, playerId));
    if (!home || !(await lockVillage(tx, home.id))) throw new Error(`player ${playerId} has no village`);
    const village = await loadVillage(tx, home.id);
    const tile = village ? (findFreeTiles(village.items, 1)[0] ?? null) : null;
    const decoration = DECORATIONS[rule.set.reward];
    const [item] = await tx.insert(villageItems)
      .values({ villageId: home.id, decorationId: decoration.id, sprite: decoration.sprite, x: tile?.x ?? null, y: tile?.y ?? null })
      .returning({ id: villageItems.id });
    if (!item) throw new Error("collection reward insert returned nothing");
    const after = await viewOf(tx, playerId);
    return { ok: true, view: { sets: after.sets, pieces: after.pieces }, itemId: item.id, inBarn: tile === null, villageId: home.id };
  });
}
