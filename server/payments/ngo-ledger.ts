/**
 * The books of the money that goes to the NGOs' own Stripe accounts.
 *
 * What a donor gave an NGO stays on its project accounts (liability:ngo:<ngo>:project:<project>,
 * credited by donations, debited by refunds and disputes): receipts and reports read it there.
 * What Hameau sent the NGO is on one contra account per NGO, liability:ngo-transferred:<ngo>,
 * debited by each transfer (against asset:stripe-clearing, the platform's Stripe balance) and
 * credited by each reversal. So, per NGO:
 *   given       = − Σ liability:ngo:<ngo>:project:*
 *   transferred =   Σ liability:ngo-transferred:<ngo>
 *   still owed  = given − transferred (negative while a refund's reversal is pending)
 * The NGO's own Stripe account is followed by memo accounts that balance among themselves:
 * each transfer debits ngo-account:<ngo>:balance and credits ngo-account:<ngo>:from-hameau, each
 * payout Stripe reports debits ngo-account:<ngo>:paid-out and credits the balance.
 */
import type { LedgerLine } from "./ledger.ts";
import { ACCOUNT_STRIPE_CLEARING } from "./ledger.ts";

const PROJECT_ACCOUNT = /^liability:ngo:([0-9a-f-]{36}):project:/;

/** What Hameau sent an NGO's Stripe account, net of reversals (a contra-liability). */
export const transferredAccount = (ngoId: string) => `liability:ngo-transferred:${ngoId}`;
/** Memo: the NGO's Stripe balance as far as Hameau's money goes (transfers in, payouts out). */
export const ngoBalanceAccount = (ngoId: string) => `ngo-account:${ngoId}:balance`;
/** Memo: the counterpart of the transfers that reached the NGO's account. */
export const ngoFromHameauAccount = (ngoId: string) => `ngo-account:${ngoId}:from-hameau`;
/** Memo: what Stripe paid out from the NGO's account to its bank. */
export const ngoPaidOutAccount = (ngoId: string) => `ngo-account:${ngoId}:paid-out`;

/**
 * Each NGO's part of a set of entries on project accounts (a donation's credits, or a
 * refund's debits), in cents, in the entries' order: what is transferred, or reversed.
 */
export function ngoShares(lines: readonly LedgerLine[]): Map<string, number> {
  const shares = new Map<string, number>();
  for (const l of lines) {
    const ngo = PROJECT_ACCOUNT.exec(l.account)?.[1];
    if (ngo) shares.set(ngo, (shares.get(ngo) ?? 0) + Math.abs(l.amountCents));
  }
  return shares;
}

/** A transfer to an NGO's Stripe account (a reversal is the same, negated). */
export function transferEntries(ngoId: string, cents: number, kind: "transfer" | "transfer_reversal"): LedgerLine[] {
  const sign = kind === "transfer" ? 1 : -1;
  return [
    { account: transferredAccount(ngoId), amountCents: sign * cents },
    { account: ACCOUNT_STRIPE_CLEARING, amountCents: -sign * cents },
    { account: ngoBalanceAccount(ngoId), amountCents: sign * cents },
    { account: ngoFromHameauAccount(ngoId), amountCents: -sign * cents },
  ];
}

/** A payout from an NGO's Stripe account to its bank (a failed payout is the same, negated). */
export function payoutEntries(ngoId: string, cents: number, failed: boolean): LedgerLine[] {
  const sign = failed ? -1 : 1;
  return [
    { account: ngoPaidOutAccount(ngoId), amountCents: sign * cents },
    { account: ngoBalanceAccount(ngoId), amountCents: -sign * cents },
  ];
}
