/**
 * Thank-you notes for gifts received (shared/neighbours.ts): one row per
 * order at most, its primary key, so a gift is thanked exactly once however
 * many times the button is pressed. Re-exported by schema.ts.
 */
import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orders, players, villageItems } from "./schema.ts";

export const giftThanks = pgTable("gift_thanks", {
  orderId: uuid("order_id").primaryKey().references(() => orders.id),
  /** The owner of the village the gift went to, who thanked. */
  thankerId: uuid("thanker_id").notNull().references(() => players.id, { onDelete: "cascade" }),
  note: text("note"),
  decorationId: text("decoration_id"),
  /** The decoration given into the giver's village, if any. */
  itemId: uuid("item_id").references(() => villageItems.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
