/**
 * Collections: the pieces each player found (a count per piece) and one row
 * per set whose decoration was granted; its primary key makes that grant
 * happen at most once. Re-exported by schema.ts; the rules are in
 * shared/collections.ts.
 */
import { sql } from "drizzle-orm";
import { check, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { players } from "./schema.ts";

export const collectionPieces = pgTable(
  "collection_pieces",
  {
    playerId: uuid("player_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    pieceId: text("piece_id").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.playerId, t.pieceId] }), check("collection_pieces_count", sql`${t.count} >= 1`)],
);

export const collectionClaims = pgTable(
  "collection_claims",
  {
    playerId: uuid("player_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    setId: text("set_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.playerId, t.setId] })],
);
