/**
 * Links in mails that work without signing in, signed with a secret kept in
 * the database (table signing_keys), so every process checks what any other
 * signed. The secret is made once by whichever process needs it first (an
 * insert that does nothing when another process won the race, then a read).
 *
 * For now one link: the monthly digest's unsubscribe link, which names the
 * player and the digest's month and is signed over both (HMAC-SHA256,
 * base64url). A forged or altered link does not verify; a real one works
 * once (services/impact-digest.ts keeps that it was used).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../db/connect.ts";

const KEY_NAME = "mail-links";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const secrets = new WeakMap<Db, Promise<Buffer>>();

async function readOrMakeSecret(db: Db): Promise<Buffer> {
  await db.execute(sql`insert into signing_keys (name, secret) values (${KEY_NAME}, ${randomBytes(32).toString("base64url")}) on conflict (name) do nothing`);
  const rows = (await db.execute(sql`select secret from signing_keys where name = ${KEY_NAME}`)) as unknown as { rows: Array<{ secret: string }> };
  const secret = rows.rows[0]?.secret;
  if (!secret) throw new Error("the mail links' signing key could not be read");
  return Buffer.from(secret, "base64url");
}

/** The secret, read once per database handle (a failed read is tried again next time). */
function secretOf(db: Db): Promise<Buffer> {
  let found = secrets.get(db);
  if (!found) {
    found = readOrMakeSecret(db);
    found.catch(() => secrets.delete(db));
    secrets.set(db, found);
  }
  return found;
}

const mac = (secret: Buffer, playerId: string, month: string) =>
  createHmac("sha256", secret).update(`impact-digest-unsubscribe\n${playerId}\n${month}`).digest();

export interface DigestUnsubscribe {
  playerId: string;
  month: string;
}

/** The query string of a digest's unsubscribe link: p (player), m (month), s (signature). */
export async function signDigestUnsubscribe(db: Db, link: DigestUnsubscribe): Promise<string> {
  const signature = mac(await secretOf(db), link.playerId, link.month).toString("base64url");
  return new URLSearchParams({ p: link.playerId, m: link.month, s: signature }).toString();
}

/** The player and month of a link whose signature verifies, or null (malformed, altered or forged). */
export async function verifyDigestUnsubscribe(db: Db, query: Record<string, unknown>): Promise<DigestUnsubscribe | null> {
  const { p, m, s } = query;
  if (typeof p !== "string" || typeof m !== "string" || typeof s !== "string") return null;
  if (!UUID.test(p) || !MONTH.test(m) || !/^[A-Za-z0-9_-]{43}$/.test(s)) return null;
  const given = Buffer.from(s, "base64url");
  const expected = mac(await secretOf(db), p, m);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { playerId: p, month: m } : null;
}
