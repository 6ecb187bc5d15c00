/**
 * What the NGO console shows of an NGO's money (GET /api/ngos/:ngoId/money), read from
 * Hameau's ledger and its transfers outbox, per currency, in integer cents:
 * - given: what donors gave the NGO's projects, net of refunds and disputes;
 * - transferred: what reached the NGO's own Stripe account, net of reversals;
 * - owed: given − transferred (a transfer not made yet; negative while a reversal waits);
 * - paidOut: what Stripe reports it paid out from the NGO's account to its bank (all of the
 *   account's payouts, which may include money from elsewhere);
 * - pending: transfers and reversals written in the outbox and not made yet.
 */
export interface NgoMoneyFigures {
  currency: string;
  givenCents: number;
  transferredCents: number;
  owedCents: number;
  paidOutCents: number;
  pending: { transfers: number; transferCents: number; reversals: number; reversalCents: number };
}

export interface NgoMoneyResponse {
  ngoId: string;
  /** The NGO's connected Stripe account, if any (acct_…, or acct_test_local_… in TEST MODE). */
  stripeAccountId: string | null;
  currencies: NgoMoneyFigures[];
}
