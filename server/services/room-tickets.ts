/**
 * Room tickets: a client joins a room with a ticket, never with its session
 * token, so the 30-day token never travels in a websocket URL (where proxies
 * log it). A ticket lasts a minute, is used once (redeeming deletes it in the
 * same statement that reads it), is stored as SHA-256 like sessions, and
 * belongs to the session that asked for it: a session that ends takes its
 * tickets with it.
 */
import { randomBytes } from "node:crypto";
import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { MeResponse } from "../../shared/api.ts";
import type { Db } from "../db/connect.ts";
import { roomTickets, sessions } from "../db/schema.ts";
import { authenticateSession, hashToken } from "./players.ts";

/** How long a ticket may wait before it is used. */
export const ROOM_TICKET_SECONDS = 60;
/** A ticket is `ht_` and 43 base64url characters; anything longer is not worth a lookup. */
const MAX_TICKET_LENGTH = 100;

/** Who holds a seat: the player, and the session (its token's SHA-256) they joined with. */
export type SeatHolder = MeResponse & { session: string };

export async function issueRoomTicket(db: Db, sessionHash: string): Promise<{ ticket: string; expiresInSeconds: number }> {
  const ticket = `ht_${randomBytes(32).toString("base64url")}`;
  await db.transaction(async (tx) => {
    // Expired tickets go as new ones come: the table holds about a minute of joins.
    await tx.delete(roomTickets).where(lt(roomTickets.expiresAt, sql`now()`));
    await tx.insert(roomTickets).values({
      ticketHash: hashToken(ticket), sessionHash, expiresAt: sql`now() + make_interval(secs => ${ROOM_TICKET_SECONDS})`,
    });
  });
  return { ticket, expiresInSeconds: ROOM_TICKET_SECONDS };
}

/** Uses a ticket up: the seat holder behind it, or null (unknown, used, expired, or its session ended). */
export async function redeemRoomTicket(db: Db, ticket: unknown): Promise<SeatHolder | null> {
  if (typeof ticket !== "string" || ticket.length === 0 || ticket.length > MAX_TICKET_LENGTH) return null;
  const [row] = await db
    .delete(roomTickets)
    .where(and(eq(roomTickets.ticketHash, hashToken(ticket)), gt(roomTickets.expiresAt, sql`now()`)))
    .returning({ sessionHash: roomTickets.sessionHash });
  if (!row) return null;
  const me = await authenticateSession(db, row.sessionHash);
  return me ? { ...me, session: row.sessionHash } : null;
}

/** Which of these sessions are still valid (not signed out, not expired). */
export async function liveSessions(db: Db, sessionHashes: readonly string[]): Promise<Set<string>> {
  if (sessionHashes.length === 0) return new Set();
  const rows = await db
    .select({ hash: sessions.tokenHash })
    .from(sessions)
    .where(and(inArray(sessions.tokenHash, [...sessionHashes]), gt(sessions.expiresAt, sql`now()`)));
  return new Set(rows.map((r) => r.hash));
}
