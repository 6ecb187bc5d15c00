/**
 * Fulfilment: the only code that turns a payment into gifts. One database
 * transaction marks the order paid, posts the balanced ledger transaction,
 * grants the gifts to the village and marks the Stripe event processed.
 * Running it twice for one order changes nothing the second time.
 */
import { and, eq, isNull } from "drizzle-orm";
import { findFreeTiles } from "../../shared/village.ts";
import type { Db, Tx } from "../db/connect.ts";
import { orderLines, orders, stripeEvents, villageItems, gifts } from "../db/schema.ts";
import { loadVillage, lockVillage } from "../services/villages.ts";
import { donationEntries, postTransaction } from "./ledger.ts";

/** What fulfilment needs from a checkout.session.completed event. */
export interface CompletedCheckout {
  eventId: string;
  sessionId: string;
  orderId: string;
  amountTotal: number;
  currency: string;
  paymentStatus: string;
  paymentIntentId: string | null;
}

export type FulfilmentResult =
  | { outcome: "fulfilled"; orderId: string; villageId: string; itemIds: string[] }
  | { outcome: "already_paid" | "unknown_order" | "session_mismatch" | "amount_mismatch" | "not_paid"; orderId: string };

export async function markEventProcessed(tx: Tx | Db, eventId: string, outcome: string): Promise<void> {
  // The first outcome recorded stands: a concurrent replay never overwrites it.
  await tx
    .update(stripeEvents)
    .set({ processedAt: new Date(), outcome })
    .where(and(eq(stripeEvents.id, eventId), isNull(stripeEvents.processedAt)));
}

export async function fulfilCheckout(db: Db, c: CompletedCheckout): Promise<FulfilmentResult> {
  return db.transaction(async (tx) => {
    const done = async (outcome: Exclude<FulfilmentResult["outcome"], "fulfilled">): Promise<FulfilmentResult> => {
      await markEventProcessed(tx, c.eventId, outcome);
      return { outcome, orderId: c.orderId };
    };
    const [order] = await tx.select().from(orders).where(eq(orders.id, c.orderId)).for("update");
    if (!order) return done("unknown_order");
    if (order.status === "paid") return done("already_paid");
    if (order.checkoutSessionId !== c.sessionId) return done("session_mismatch");
    if (order.totalCents !== c.amountTotal || order.currency.toLowerCase() !== c.currency.toLowerCase()) {
      return done("amount_mismatch");
    }
    if (c.paymentStatus !== "paid") return done("not_paid");

    await tx.update(orders).set({ status: "paid", paidAt: new Date(), paymentIntentId: c.paymentIntentId }).where(eq(orders.id, order.id));
    const lines = await tx
      .select({ line: orderLines, sprite: gifts.sprite })
      .from(orderLines)
      .innerJoin(gifts, eq(gifts.id, orderLines.giftId))
      .where(eq(orderLines.orderId, order.id))
      .orderBy(orderLines.id);
    await postTransaction(tx, {
      kind: "donation",
      orderId: order.id,
      stripeEventId: c.eventId,
      currency: order.currency,
      lines: donationEntries(order.totalCents, lines.map((l) => l.line)),
    });
    const itemIds = await grantGifts(tx, order.villageId, lines);
    await markEventProcessed(tx, c.eventId, "fulfilled");
    return { outcome: "fulfilled", orderId: order.id, villageId: order.villageId, itemIds };
  });
}

async function grantGifts(
  tx: Tx,
  villageId: string,
  lines: Array<{ line: typeof orderLines.$inferSelect; sprite: string }>,
): Promise<string[]> {
  if (!(await lockVillage(tx, villageId))) throw new Error(`order points at missing village ${villageId}`);
  const village = await loadVillage(tx, villageId);
  const units = lines.flatMap(({ line, sprite }) => Array.from({ length: line.quantity }, () => ({ line, sprite })));
  const tiles = findFreeTiles(village?.items ?? [], units.length);
  const rows = await tx
    .insert(villageItems)
    .values(
      units.map(({ line, sprite }, i) => ({
        villageId, giftId: line.giftId, orderLineId: line.id, sprite, x: tiles[i]?.x ?? null, y: tiles[i]?.y ?? null,
      })),
    )
    .returning({ id: villageItems.id });
  return rows.map((r) => r.id);
}
