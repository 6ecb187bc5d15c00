/**
 * Connecting an NGO's own Stripe account (Connect onboarding): the account is
 * created once per NGO (country from its postal address, card payments and
 * transfers requested, its id in the metadata, an idempotency key per NGO)
 * and every onboarding gets a fresh Account Link back to the console. With
 * no Stripe key (TEST MODE) the account is simulated (`acct_test_local_…`)
 * and the link is the local onboarding page (test-onboarding.ts).
 */
import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import { accountFlags, countryCodeOf } from "../../shared/payments-account.ts";
import type { Db } from "../db/connect.ts";
import { HttpError } from "../http/errors.ts";
import { applyAccountState, onboardingFacts, recordAccount, TEST_ACCOUNT_PREFIX } from "../services/payments-account.ts";

export interface ConnectedAccountsDeps {
  db: Db;
  stripe: Stripe | null;
  /** Absolute base URL players reach the server at (Stripe's return and refresh URLs). */
  publicUrl: () => string;
  /** Told when the NGO's account started or stopped taking charges (its gifts enter or leave the shop). */
  paymentsChanged?: (ngoId: string) => Promise<void>;
}

/** Where Stripe sends the admin back: the console's payments section (`return`), or for a new link (`refresh`). */
export function consolePaymentsPath(ngoId: string, step: "return" | "refresh"): string {
  return `/console/#/ngo/${encodeURIComponent(ngoId)}/payments/${step}`;
}

/** The local TEST MODE onboarding page of a simulated account. */
export function testOnboardingPath(accountId: string, ngoId: string): string {
  return `/connect/test/${encodeURIComponent(accountId)}?ngo=${encodeURIComponent(ngoId)}`;
}

function providerError(err: unknown): HttpError {
  return new HttpError(502, "payment_provider_error", `Stripe refused: ${(err as Error).message}`);
}

/**
 * POST …/payments-account/onboarding: the NGO's account (created the first
 * time) and a fresh onboarding link. Only an approved NGO connects.
 */
export async function startOnboarding(deps: ConnectedAccountsDeps, ngoId: string): Promise<{ url: string }> {
  const ngo = await onboardingFacts(deps.db, ngoId);
  if (!ngo) throw new HttpError(404, "not_found", "No such NGO");
  if (ngo.status !== "approved") throw new HttpError(409, "ngo_not_approved", "An NGO connects its Stripe account once a platform administrator has approved it");
  let accountId = ngo.accountId;
  if (!accountId) {
    const country = countryCodeOf(ngo.address?.country);
    if (!country) {
      throw new HttpError(409, "payments_account_country_unknown", "The NGO's postal address has no country Stripe knows: set it in the settings first");
    }
    const created = deps.stripe ? await createStripeAccount(deps.stripe, { ...ngo, country }) : `${TEST_ACCOUNT_PREFIX}${randomBytes(12).toString("hex")}`;
    accountId = await recordAccount(deps.db, ngoId, created);
  }
  if (!deps.stripe) return { url: testOnboardingPath(accountId, ngoId) };
  const base = deps.publicUrl();
  try {
    const link = await deps.stripe.accountLinks.create({
      account: accountId,
      type: "account_onboarding",
      refresh_url: `${base}${consolePaymentsPath(ngoId, "refresh")}`,
      return_url: `${base}${consolePaymentsPath(ngoId, "return")}`,
      collection_options: { fields: "eventually_due" },
    });
    return { url: link.url };
  } catch (err) {
    throw providerError(err);
  }
}

async function createStripeAccount(
  stripe: Stripe, ngo: { id: string; name: string; website: string | null; contactEmail: string; country: string },
): Promise<string> {
  try {
    const account = await stripe.accounts.create(
      {
        country: ngo.country,
        ...(ngo.contactEmail ? { email: ngo.contactEmail } : {}),
        business_type: "non_profit",
        // Express-style: Stripe collects the requirements and hosts the NGO's dashboard; Hameau, the platform, bears the fees and losses.
        controller: {
          fees: { payer: "application" },
          losses: { payments: "application" },
          requirement_collection: "stripe",
          stripe_dashboard: { type: "express" },
        },
        capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
        business_profile: { name: ngo.name, ...(ngo.website ? { url: ngo.website } : {}) },
        metadata: { ngoId: ngo.id },
      },
      // One account per NGO, even when two admins click at once or a retry follows a lost answer.
      { idempotencyKey: `hameau-connect-account-${ngo.id}` },
    );
    return account.id;
  } catch (err) {
    throw providerError(err);
  }
}

/**
 * POST …/payments-account/refresh: reads the account from Stripe (the admin
 * is back from onboarding) and keeps its state, unless newer state arrived
 * meanwhile. A simulated account has nothing to read: its state comes from
 * its TEST MODE onboarding page.
 */
export async function refreshAccount(deps: ConnectedAccountsDeps, ngoId: string): Promise<void> {
  const ngo = await onboardingFacts(deps.db, ngoId);
  if (!ngo) throw new HttpError(404, "not_found", "No such NGO");
  if (!ngo.accountId || !deps.stripe || ngo.accountId.startsWith(TEST_ACCOUNT_PREFIX)) return;
  const seenAt = Date.now();
  let account: Stripe.Account;
  try {
    account = await deps.stripe.accounts.retrieve(ngo.accountId);
  } catch (err) {
    throw providerError(err);
  }
  const accountId = ngo.accountId;
  const result = await deps.db.transaction((tx) => applyAccountState(tx, accountId, accountFlags(account), seenAt));
  if (result.outcome === "account_updated" && result.chargesChanged) await deps.paymentsChanged?.(result.ngoId);
}
