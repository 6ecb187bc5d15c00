/**
 * Slugs under concurrency. A slug is unique (the database says so); two
 * creations with the same name at once both see the same first free slug and
 * one of them hits the unique key. The loser runs its whole transaction again
 * with a slug of its own: the next free one, then, after a second clash, the
 * base with a random suffix (so twenty racers do not keep colliding on
 * base-2, base-3…). After SLUG_ATTEMPTS clashes it answers 409 `try_again`,
 * never a 500.
 */
import { randomBytes } from "node:crypto";
import { isUniqueViolation } from "../db/unique-violation.ts";
import { HttpError } from "../http/errors.ts";

export const SLUG_ATTEMPTS = 8;

/** The slug to try on this attempt (0 first): the first free one, then random suffixes. */
export function slugForAttempt(base: string, taken: ReadonlySet<string>, attempt: number, free: (base: string, taken: ReadonlySet<string>) => string): string {
  if (attempt < 2) return free(base, taken);
  for (;;) {
    const candidate = `${base}-${randomBytes(4).toString("hex")}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Runs `write(attempt)` until it does not clash on a slug, at most SLUG_ATTEMPTS times, then 409 `try_again`. */
export async function withSlugRetry<T>(write: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(attempt);
    } catch (err) {
      if (!isUniqueViolation(err, /slug/)) throw err;
      if (attempt + 1 >= SLUG_ATTEMPTS) throw new HttpError(409, "try_again", "Someone created the same name at the same moment: try again");
    }
  }
}
