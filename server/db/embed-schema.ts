/**
 * The websites an NGO declared for its embedded widget (migration 0020): the
 * widget page's `frame-ancestors` allows exactly these origins (plus Hameau
 * itself). Re-exported by schema.ts, so drizzle sees one schema.
 */
import { sql } from "drizzle-orm";
import { check, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { ngos } from "./schema.ts";

export const ngoEmbedSites = pgTable(
  "ngo_embed_sites",
  {
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id, { onDelete: "cascade" }),
    /** A normalised origin (shared/embed.ts): `https://host[:port]`, lower case, no path. */
    origin: text("origin").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.ngoId, t.origin] }),
    check("ngo_embed_sites_origin", sql`${t.origin} ~ '^https?://[a-z0-9.:\\[\\]-]+$'`),
  ],
);
