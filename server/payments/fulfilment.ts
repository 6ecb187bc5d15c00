/**
 * Fulfilment: the only code that turns a payment into gifts. One database
 * transaction marks the order paid, posts the balanced ledger transaction and
 * grants the gifts to the village. Running it twice for one order changes
 * nothing the second time (the order row is locked and its status checked).
 */
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { findFreeTiles } from "../../shared/village.ts";
import type { Tx } from "../db/connect.ts";
import { gifts, orderLines, orders, villageItems } from "../db/schema.ts";
import { lockVillage } from "../services/villages.ts";
import { donationEntries, postTransaction } from "./ledger.ts";

/** What fulfilment needs from a paid Checkout Session. */
export interface PaidCheckout {
  eventId: string;
  sessionId: string;
  orderId: string;
  amountTotal: number;
  currency: string;
  paymentIntentId: string | null;
}

export type FulfilmentResult =
  | { outcome: "fulfilled"; orderId: string; villageId: string; itemIds: string[]; paymentIntentId: string | null; currency: string }
  | { outcome: "already_paid" | "unknown_order" | "session_mismatch" | "amount_mismatch"; orderId: string };

export async function lockOrder(tx: Tx, orderId: string) {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
  return order;
}

export async function fulfilPaidCheckout(tx: Tx, c: PaidCheckout): Promise<FulfilmentResult> {
  const order = await lockOrder(tx, c.orderId);
  if (!order) return { outcome: "unknown_order", orderId: c.orderId };
  if (order.status === "paid") return { outcome: "already_paid", orderId: order.id };
  if (order.checkoutSessionId !== c.sessionId) return { outcome: "session_mismatch", orderId: order.id };
  if (order.totalCents !== c.amountTotal || order.currency.toLowerCase() !== c.currency.toLowerCase()) {
    return { outcome: "amount_mismatch", orderId: order.id };
  }
  // Money received is the truth: a verified payment fulfils even an order marked expired or failed
  // by an event that arrived earlier.
  await tx.update(orders).set({ status: "paid", paidAt: new Date(), paymentIntentId: c.paymentIntentId }).where(eq(orders.id, order.id));
  const lines = await tx
    .select({ line: orderLines, sprite: gifts.sprite })
    .from(orderLines)
    .innerJoin(gifts, eq(gifts.id, orderLines.giftId))
    .where(eq(orderLines.orderId, order.id))
    .orderBy(orderLines.id);
  const main = [...lines].sort((a, b) => b.line.lineTotalCents - a.line.lineTotalCents)[0]?.line;
  await postTransaction(tx, {
    kind: "donation",
    sourceKey: `donation:${order.id}`,
    orderId: order.id,
    stripeEventId: c.eventId,
    currency: order.currency,
    lines: donationEntries(
      order.totalCents,
      lines.map((l) => l.line),
      main && order.supportCents > 0 ? { ngoId: main.ngoId, projectId: main.projectId, cents: order.supportCents } : undefined,
    ),
  });
  const itemIds = await grantGifts(tx, order.villageId, lines);
  return { outcome: "fulfilled", orderId: order.id, villageId: order.villageId, itemIds, paymentIntentId: c.paymentIntentId, currency: order.currency };
}

async function grantGifts(
  tx: Tx,
  villageId: string,
  lines: Array<{ line: typeof orderLines.$inferSelect; sprite: string }>,
): Promise<string[]> {
  // Lock the village first (grants and moves never race for a tile), then read its taken tiles in a
  // new statement: in READ COMMITTED, only a statement started after the lock sees what the previous
  // holder committed.
  if (!(await lockVillage(tx, villageId))) throw new Error(`order points at missing village ${villageId}`);
  const occupied = await tx
    .select({ id: villageItems.id, x: villageItems.x, y: villageItems.y })
    .from(villageItems)
    .where(and(eq(villageItems.villageId, villageId), isNull(villageItems.removedAt), isNotNull(villageItems.x)));
  const units = lines.flatMap(({ line, sprite }) => Array.from({ length: line.quantity }, () => ({ line, sprite })));
  const tiles = findFreeTiles(occupied, units.length);
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
