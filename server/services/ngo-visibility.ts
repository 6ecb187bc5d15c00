/**
 * Which NGOs players may see: only approved ones. A pending or rejected NGO's
 * gifts, campaigns and impact updates never reach a player. Every
 * player-facing read (catalog, checkout pricing, campaigns, feeds,
 * leaderboards) filters with one of these two conditions; the NGO console's
 * own reads (its members see their NGO whatever its status) do not.
 *
 *   // a query that joins ngos:
 *   db.select().from(gifts).innerJoin(ngos, eq(ngos.id, gifts.ngoId)).where(and(eq(gifts.active, true), approvedNgo));
 *   // a query that does not:
 *   db.select().from(campaigns).where(and(isNotNull(campaigns.publishedAt), ngoIsApproved(campaigns.ngoId)));
 *
 * Gifts are offered to players (shop, checkout) only when their NGO can also
 * take payments on its own Stripe account (`ngoCanTakePayments`): donations
 * reach an NGO only there. Its campaigns and updates stay visible meanwhile.
 */
import { type SQL, eq, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { ngos } from "../db/schema.ts";

/** `ngos.status = 'approved'`: for queries that join the ngos table. */
export const approvedNgo: SQL = eq(ngos.status, "approved");

/**
 * `ngos.stripe_charges_enabled`: the NGO's connected Stripe account can take
 * charges (Stripe said so in the Account object, kept by `account.updated`).
 * With `approvedNgo`, the condition for a gift to be offered to players.
 */
export const ngoCanTakePayments: SQL = eq(ngos.stripeChargesEnabled, true);

/** The NGO this column points to is approved: for queries that do not join ngos. */
export function ngoIsApproved(ngoId: AnyPgColumn): SQL {
  return sql`${ngoId} in (select "id" from "ngos" where "status" = 'approved')`;
}
