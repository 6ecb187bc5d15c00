/**
 * An NGO's own Stripe account (Connect), as the console shows it and as the
 * server reads it from Stripe's Account object: pure rules, shared by both
 * sides. Donations reach an NGO only through its own account, so an NGO whose
 * account cannot take charges is not in the shop.
 */

/** GET /api/ngos/:ngoId/payments-account: what the console shows (any member). */
export interface PaymentsAccountView {
  /** The NGO has a connected account (created by the first onboarding). */
  connected: boolean;
  detailsSubmitted: boolean;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  /** What Stripe still asks for (`requirements.currently_due` and `past_due`), e.g. "external_account". */
  requirementsDue: string[];
  /** When Hameau last learnt the account's state from Stripe (ISO), or null. */
  updatedAt: string | null;
  /** The account is simulated (TEST MODE: no Stripe key configured); no money moves. */
  testMode: boolean;
  /** Whether the NGO is approved: only an approved NGO may connect. */
  ngoApproved: boolean;
}

/** POST /api/ngos/:ngoId/payments-account/onboarding (admins): where to send the admin next. */
export interface PaymentsOnboardingResponse {
  /** Stripe's onboarding page (an Account Link, valid a few minutes), or the local TEST MODE one. */
  url: string;
}

/** The flags Hameau keeps of a Stripe Account object. */
export interface AccountFlags {
  detailsSubmitted: boolean;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  requirementsDue: string[];
}

/** At most this many requirement names are kept (Stripe's list is short; this bounds a forged one). */
const MAX_REQUIREMENTS = 50;

/** The flags of a Stripe Account object (anything missing reads as "not yet"). */
export function accountFlags(account: {
  details_submitted?: boolean | null;
  charges_enabled?: boolean | null;
  payouts_enabled?: boolean | null;
  requirements?: { currently_due?: string[] | null; past_due?: string[] | null } | null;
}): AccountFlags {
  const due = [...(account.requirements?.past_due ?? []), ...(account.requirements?.currently_due ?? [])]
    .filter((r): r is string => typeof r === "string" && r.length > 0 && r.length <= 200);
  return {
    detailsSubmitted: account.details_submitted === true,
    chargesEnabled: account.charges_enabled === true,
    payoutsEnabled: account.payouts_enabled === true,
    requirementsDue: [...new Set(due)].slice(0, MAX_REQUIREMENTS),
  };
}

/**
 * Whether a state of the account seen at `seenAt` (epoch ms: an event's
 * `created`, or the moment Hameau read the account) may replace the one stored
 * at `storedAt`. Stripe may deliver events out of order: an older one must not
 * overwrite newer state. A state from the same second is taken (Stripe's times
 * are whole seconds, so two updates in one second cannot be ordered; the later
 * delivery wins).
 */
export function isNewerAccountState(seenAt: number, storedAt: number | null): boolean {
  return storedAt === null || seenAt >= storedAt;
}

/** Country names an NGO may have typed in its address, to the ISO code Stripe needs. */
const COUNTRY_NAMES: Record<string, string> = {
  france: "FR", belgique: "BE", belgium: "BE", suisse: "CH", switzerland: "CH", luxembourg: "LU", monaco: "MC",
  canada: "CA", allemagne: "DE", germany: "DE", espagne: "ES", spain: "ES", italie: "IT", italy: "IT",
  "pays-bas": "NL", netherlands: "NL", portugal: "PT", irlande: "IE", ireland: "IE", autriche: "AT", austria: "AT",
  "royaume-uni": "GB", "united kingdom": "GB",
};

/**
 * The ISO 3166 country of an NGO's postal address (a two-letter code, or a
 * known country name), or null when it cannot be told.
 */
export function countryCodeOf(country: string | null | undefined): string | null {
  const c = (country ?? "").trim();
  if (/^[A-Za-z]{2}$/.test(c)) return c.toUpperCase();
  const key = c.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  return COUNTRY_NAMES[key] ?? null;
}
