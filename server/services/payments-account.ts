/**
 * An NGO's own Stripe account as Hameau keeps it (ngos.stripe_* columns):
 * the console's view, the account recorded once at the first onboarding, and
 * the state Stripe reports (an `account.updated` event, or a fresh read),
 * applied only when it is newer than what is stored: Stripe may deliver
 * events out of order, and an older one never overwrites newer state.
 */
import { eq } from "drizzle-orm";
import { type AccountFlags, isNewerAccountState, type PaymentsAccountView } from "../../shared/payments-account.ts";
import type { Db, Tx } from "../db/connect.ts";
import { gifts, ngos } from "../db/schema.ts";

/** Simulated accounts (TEST MODE) are named so; real ones are Stripe's `acct_…`. */
export const TEST_ACCOUNT_PREFIX = "acct_test_local_";

export async function paymentsAccountView(db: Db, ngoId: string): Promise<PaymentsAccountView | null> {
  const [row] = await db.select().from(ngos).where(eq(ngos.id, ngoId));
  if (!row) return null;
  return {
    connected: row.stripeAccountId !== null,
    detailsSubmitted: row.stripeDetailsSubmitted,
    chargesEnabled: row.stripeChargesEnabled,
    payoutsEnabled: row.stripePayoutsEnabled,
    requirementsDue: row.stripeRequirementsDue,
    updatedAt: row.stripeAccountUpdatedAt?.toISOString() ?? null,
    testMode: row.stripeAccountId?.startsWith(TEST_ACCOUNT_PREFIX) ?? false,
    ngoApproved: row.status === "approved",
  };
}

/** What onboarding needs of the NGO. */
export async function onboardingFacts(db: Db, ngoId: string) {
  const [row] = await db
    .select({ id: ngos.id, status: ngos.status, name: ngos.name, website: ngos.website, contactEmail: ngos.contactEmail, address: ngos.address, accountId: ngos.stripeAccountId })
    .from(ngos)
    .where(eq(ngos.id, ngoId));
  return row ?? null;
}

/**
 * Records the account created for the NGO, once: a second onboarding that
 * raced this one finds the account already stored and uses it. Returns the
 * NGO's account id (this one, or the one stored first).
 */
export async function recordAccount(db: Db, ngoId: string, accountId: string): Promise<string> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ accountId: ngos.stripeAccountId }).from(ngos).where(eq(ngos.id, ngoId)).for("update");
    if (row?.accountId) return row.accountId;
    await tx.update(ngos).set({ stripeAccountId: accountId }).where(eq(ngos.id, ngoId));
    return accountId;
  });
}

export type AccountStateOutcome =
  | { outcome: "unknown_account" }
  | { outcome: "stale"; ngoId: string }
  | { outcome: "account_updated"; ngoId: string; chargesChanged: boolean };

/**
 * Applies the state of a connected account seen at `seenAt` (epoch ms), under
 * a row lock on its NGO, when it is not older than the stored one. Only an
 * account that belongs to an NGO is touched.
 */
export async function applyAccountState(tx: Tx, accountId: string, flags: AccountFlags, seenAt: number): Promise<AccountStateOutcome> {
  return applyIfNewer(tx, accountId, seenAt, {
    stripeDetailsSubmitted: flags.detailsSubmitted,
    stripeChargesEnabled: flags.chargesEnabled,
    stripePayoutsEnabled: flags.payoutsEnabled,
    stripeRequirementsDue: flags.requirementsDue,
  });
}

/**
 * The NGO disconnected its account from Hameau (`account.application.deauthorized`):
 * it can no longer take charges nor be paid out through Hameau. The account id
 * stays recorded (past transfers and payouts name it).
 */
export async function applyDeauthorized(tx: Tx, accountId: string, seenAt: number): Promise<AccountStateOutcome> {
  return applyIfNewer(tx, accountId, seenAt, { stripeChargesEnabled: false, stripePayoutsEnabled: false });
}

/** The account's NGO, locked; `patch` applied when `seenAt` is not older than the state stored. */
async function applyIfNewer(
  tx: Tx, accountId: string, seenAt: number,
  patch: Pick<typeof ngos.$inferInsert, "stripeDetailsSubmitted" | "stripePayoutsEnabled" | "stripeRequirementsDue"> & { stripeChargesEnabled: boolean },
): Promise<AccountStateOutcome> {
  const [row] = await tx
    .select({ id: ngos.id, charges: ngos.stripeChargesEnabled, updatedAt: ngos.stripeAccountUpdatedAt })
    .from(ngos)
    .where(eq(ngos.stripeAccountId, accountId))
    .for("update");
  if (!row) return { outcome: "unknown_account" };
  if (!isNewerAccountState(seenAt, row.updatedAt?.getTime() ?? null)) return { outcome: "stale", ngoId: row.id };
  await tx.update(ngos).set({ ...patch, stripeAccountUpdatedAt: new Date(seenAt) }).where(eq(ngos.id, row.id));
  return { outcome: "account_updated", ngoId: row.id, chargesChanged: row.charges !== patch.stripeChargesEnabled };
}

/** The NGO's gift ids (what the shops refetch when its account starts or stops taking charges). */
export async function giftIdsOfNgo(db: Db, ngoId: string): Promise<string[]> {
  const rows = await db.select({ id: gifts.id }).from(gifts).where(eq(gifts.ngoId, ngoId));
  return rows.map((r) => r.id);
}
