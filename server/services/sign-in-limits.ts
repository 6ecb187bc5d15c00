/**
 * How many wrong passwords a sign-in may try, as a pure rule (time passed in).
 *
 * Failures are counted per pair (email, address) and per email across all
 * addresses; successes are never counted (a success clears its pair's
 * failures). The numbers, and why:
 *
 * - A pair gets 5 failures for free, then waits 1 minute before the next
 *   attempt, then 2, 4, 8, and 15 minutes at most: about a hundred guesses a
 *   day from one address, while the owner who mistypes a few times is never
 *   held up. A pair's failures are forgotten 24 hours after its last one.
 * - An email that met 20 failures in 15 minutes (several addresses at it) is
 *   under pressure: every pair that already failed on it loses its free
 *   failures and waits (1 minute after its first failure, doubling). A pair
 *   that never failed still gets its attempt at once, so the owner's correct
 *   password from a new device or address is never refused; an attacker
 *   needs a fresh address for each quick guess.
 *
 * Nothing here depends on whether the email has an account, so no answer
 * tells it.
 */

export const SIGN_IN_LIMITS = {
  /** Failures a pair may make before it waits. */
  pairFreeFailures: 5,
  /** The same, while the email is under pressure. */
  pressuredFreeFailures: 1,
  /** The first wait; each further failure doubles it. */
  backoffBaseMs: 60_000,
  /** The longest wait between two attempts of one pair. */
  backoffCapMs: 15 * 60_000,
  /** A pair's failures are forgotten this long after its last one. */
  pairMemoryMs: 24 * 3_600_000,
  /** The window in which an email's failures are counted. */
  emailWindowMs: 15 * 60_000,
  /** Failures on one email within the window that put it under pressure. */
  emailPressureFailures: 20,
} as const;

export type SignInLimits = typeof SIGN_IN_LIMITS;

export interface PairFailures {
  failures: number;
  /** Epoch ms of the last failure (or the last attempt, booked as one until it succeeds). */
  lastFailureMs: number;
}

/** Milliseconds this pair must still wait before its next attempt (0: it may try now). */
export function signInWaitMs(pair: PairFailures | undefined, emailFailures: number, now: number, limits: SignInLimits = SIGN_IN_LIMITS): number {
  if (!pair) return 0;
  const free = emailFailures >= limits.emailPressureFailures ? limits.pressuredFreeFailures : limits.pairFreeFailures;
  if (pair.failures < free) return 0;
  const wait = Math.min(limits.backoffBaseMs * 2 ** (pair.failures - free), limits.backoffCapMs);
  return Math.max(0, Math.ceil(pair.lastFailureMs + wait - now));
}
