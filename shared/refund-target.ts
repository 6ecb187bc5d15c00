/**
 * How much of a charge is refunded, from the refund facts Stripe sent so far,
 * whatever order they came in: a pure rule, so refund events commute.
 *
 * - `charge.refunded` carries the charge's cumulative `amount_refunded` at the
 *   event's time: the newest snapshot wins (within one second, the larger: the
 *   amount only grows as refunds are made).
 * - `refund.failed` (or `charge.refund.updated` with status failed/canceled)
 *   says one refund did not happen. A snapshot taken while that refund counted
 *   (after it was created, not after it failed) still includes it: its amount
 *   comes off. A snapshot taken after the failure already left it out.
 */
export interface ChargeSnapshot {
  amountRefundedCents: number;
  /** When Stripe sent it (the event's `created`, epoch seconds). */
  at: number;
}

export interface FailedRefund {
  refundId: string;
  amountCents: number;
  /** The refund's own `created` (epoch seconds). */
  createdAt: number;
  /** When it failed or was canceled (the event's `created`, epoch seconds). */
  failedAt: number;
}

/** The snapshot to keep of two. */
export function newerSnapshot(a: ChargeSnapshot | null, b: ChargeSnapshot): ChargeSnapshot {
  if (!a) return b;
  if (b.at !== a.at) return b.at > a.at ? b : a;
  return b.amountRefundedCents > a.amountRefundedCents ? b : a;
}

/** The amount refunded that the facts add up to (never below zero). */
export function refundedAmount(snapshot: ChargeSnapshot | null, failed: readonly FailedRefund[]): number {
  if (!snapshot) return 0;
  let amount = snapshot.amountRefundedCents;
  const unique = new Map(failed.map((f) => [f.refundId, f]));
  for (const f of [...unique.values()].sort((a, b) => a.createdAt - b.createdAt || (a.refundId < b.refundId ? -1 : 1))) {
    const counted = f.createdAt <= snapshot.at && snapshot.at <= f.failedAt;
    if (counted && f.amountCents <= amount) amount -= f.amountCents;
  }
  return Math.max(0, amount);
}
