/** Recognising the database's refusals that are the caller's to handle, whichever driver (pg or PGlite) reports them. */

/** A unique-key violation (PostgreSQL 23505) as pg or PGlite report it, wrapped by drizzle or not; `constraint` narrows it. */
export function isUniqueViolation(err: unknown, constraint?: RegExp): boolean {
  for (let e = err as { code?: unknown; constraint?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === "23505") return !constraint || typeof e.constraint !== "string" || constraint.test(e.constraint);
  }
  return false;
}
