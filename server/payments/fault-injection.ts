/**
 * Test-only fault injection: with NODE_ENV=test and HAMEAU_TEST_PAUSE_BEFORE_COMMIT_MS
 * set, event processing pauses inside its database transaction, just before
 * commit, so a test can kill the process mid-fulfilment. Inert otherwise, and
 * always inert with live Stripe keys (production rules, whatever NODE_ENV says).
 */
import { isLiveKey } from "../config.ts";

const pauseMs = process.env.NODE_ENV === "test" && !isLiveKey(process.env.STRIPE_SECRET_KEY) ? Number(process.env.HAMEAU_TEST_PAUSE_BEFORE_COMMIT_MS ?? 0) : 0;

/** True when a pause is configured (fulfilment then runs in an explicit transaction so it can pause). */
export const pausesBeforeCommit = pauseMs > 0;

export async function pauseBeforeCommit(): Promise<void> {
  if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}

const replayPauseMs = process.env.NODE_ENV === "test" ? Number(process.env.HAMEAU_TEST_PAUSE_BEFORE_REPLAY_MS ?? 0) : 0;

/** With HAMEAU_TEST_PAUSE_BEFORE_REPLAY_MS (tests only): a fulfilment committed, its waiting events not replayed yet. */
export async function pauseBeforeReplay(): Promise<void> {
  if (replayPauseMs > 0) await new Promise((resolve) => setTimeout(resolve, replayPauseMs));
}
