/**
 * Cancelling a checkout before it is paid: the player pressed Cancel on the
 * checkout page (Stripe's cancel_url, or the TEST MODE page's Cancel). The
 * order expires at once, so its units of a limited stock are free again for
 * everyone, instead of being held until the session would have expired.
 * With Stripe, the session is expired first (checkout.sessions.expire): once
 * it answers, the session can never be paid, so the order may expire. If
 * Stripe refuses because the session was completed meanwhile, the order stays
 * as it is and the webhook settles it. Its own `checkout.session.expired`
 * event then changes nothing (the order is no longer pending).
 */
import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { OrderStatus } from "../../shared/api.ts";
import type { Db } from "../db/connect.ts";
import { orderLines, orders } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { anyLimited } from "../services/catalog.ts";

export interface CancelDeps {
  db: Db;
  stripe: Stripe | null;
  /** Told when units of a limited stock came back (every shop refetches). */
  stockChanged?: (giftIds: string[]) => void;
}

/** Cancels the player's own pending checkout: idempotent (an expired or failed one answers its status), 409 when paid. */
export async function cancelCheckout(deps: CancelDeps, playerId: string, orderId: string): Promise<{ status: OrderStatus }> {
  const [order] = await deps.db.select().from(orders).where(and(eq(orders.id, orderId), eq(orders.playerId, playerId)));
  if (!order) throw new HttpError(404, "not_found", "No such order");
  if (order.status === "expired" || order.status === "failed") return { status: order.status as OrderStatus };
  if (order.status !== "pending") throw new HttpError(409, "order_not_pending", `This order is ${order.status}: it cannot be cancelled`);
  if (order.provider === "stripe" && order.checkoutSessionId) {
    try {
      await deps.stripe?.checkout.sessions.expire(order.checkoutSessionId, {}, { idempotencyKey: `hameau-cancel-${order.id}` });
    } catch (err) {
      const stripeError = err as { type?: string; statusCode?: number };
      // Completed (or being paid) at Stripe meanwhile: the webhook decides, not us.
      if (stripeError.statusCode !== undefined && stripeError.statusCode < 500) {
        throw new HttpError(409, "order_not_pending", "The payment was completed or is being processed: it cannot be cancelled now");
      }
      throw new HttpError(502, "payment_provider_error", "The payment provider did not answer; the checkout expires by itself");
    }
  }
  return expireOpenOrder(deps, order.id);
}

/** Expires a pending order now (its checkout cannot be paid any more), and tells the shops its units are back. */
export async function expireOpenOrder(deps: Pick<CancelDeps, "db" | "stockChanged">, orderId: string): Promise<{ status: OrderStatus }> {
  const expired = await deps.db.update(orders).set({ status: "expired" }).where(and(eq(orders.id, orderId), eq(orders.status, "pending"))).returning({ id: orders.id });
  if (expired.length === 0) {
    const [now] = await deps.db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
    if (now?.status === "expired" || now?.status === "failed") return { status: now.status as OrderStatus };
    throw new HttpError(409, "order_not_pending", `This order is ${now?.status ?? "gone"}: it cannot be cancelled`);
  }
  const giftIds = (await deps.db.select({ giftId: orderLines.giftId }).from(orderLines).where(eq(orderLines.orderId, orderId))).map((l) => l.giftId);
  if (deps.stockChanged && (await anyLimited(deps.db, giftIds))) deps.stockChanged(giftIds);
  return { status: "expired" };
}
