/**
 * Where a basket's money goes, decided at checkout from the NGOs of its lines:
 * - one NGO whose Stripe account can take charges: a destination charge
 *   (`transfer_data.destination` and `on_behalf_of` = its account): Stripe moves the
 *   whole amount to the NGO with the payment, and the NGO is the settlement merchant;
 * - several such NGOs: one charge on Hameau's account with `transfer_group` order_<id>,
 *   then one transfer per NGO, made only once the payment is confirmed (the outbox);
 * - otherwise ("platform"): the money stays on Hameau's account, as before Connect.
 *   The shop offers only NGOs that can take charges, so this is for older orders.
 * Hameau takes no application fee: 100 % of each NGO's share goes to it.
 */
import { inArray } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "../db/connect.ts";
import { ngos } from "../db/schema.ts";

export type ChargeRouting =
  | { mode: "platform" }
  | { mode: "destination"; destination: string }
  | { mode: "separate" };

/** Simulated connected accounts (TEST MODE) never reach Stripe. */
export const isSimulatedAccount = (accountId: string) => accountId.startsWith("acct_test_local_");

/** The transfer group of an order paid with separate transfers. */
export const transferGroupOf = (orderId: string) => `order_${orderId}`;

export async function chargeRouting(tx: Tx, ngoIds: readonly string[], provider: "stripe" | "test"): Promise<ChargeRouting> {
  const ids = [...new Set(ngoIds)];
  if (ids.length === 0) return { mode: "platform" };
  const rows = await tx
    .select({ id: ngos.id, account: ngos.stripeAccountId, chargesEnabled: ngos.stripeChargesEnabled })
    .from(ngos)
    .where(inArray(ngos.id, ids));
  return routeCharge(rows, provider);
}

/** The routing from the NGOs' Stripe accounts as read (one row per NGO of the basket, any order, repeats allowed). */
export function routeCharge(rows: ReadonlyArray<{ id: string; account: string | null; chargesEnabled: boolean }>, provider: "stripe" | "test"): ChargeRouting {
  const byId = new Map(rows.map((r) => [r.id, r]));
  if (byId.size === 0) return { mode: "platform" };
  const ready = [...byId.values()].filter((r) => r.account && r.chargesEnabled && (provider === "test" || !isSimulatedAccount(r.account)));
  if (ready.length !== byId.size) return { mode: "platform" };
  if (ready.length === 1) return { mode: "destination", destination: ready[0]!.account! };
  return { mode: "separate" };
}

/** The Checkout Session's payment_intent_data for the routing (none for "platform"). */
export function paymentIntentRouting(orderId: string, routing: ChargeRouting): Partial<Stripe.Checkout.SessionCreateParams.PaymentIntentData> {
  if (routing.mode === "destination") return { transfer_data: { destination: routing.destination }, on_behalf_of: routing.destination };
  if (routing.mode === "separate") return { transfer_group: transferGroupOf(orderId) };
  return {};
}
