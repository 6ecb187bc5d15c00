/**
 * Accounts: sign in, sign out, and the sessions they open (sign-up, confirmed
 * by email, is in signup.ts). Passwords are hashed with argon2id (@node-rs/argon2, OWASP's
 * parameters: 19 MiB, 2 passes). A failed sign-in says the same thing whether
 * or not the email exists, and takes the same time (a dummy hash is checked
 * for unknown emails).
 *
 * Sessions are opaque bearer tokens stored as SHA-256, the same ones the API
 * and the village rooms already trust: signing out or deleting an account
 * revokes them at once, which a stateless token could not do.
 */
import { randomBytes } from "node:crypto";
import { type Algorithm, hash, verify } from "@node-rs/argon2";
import { eq } from "drizzle-orm";
import type { SessionResponse } from "../../shared/api.ts";
import type { RuleError } from "../../shared/errors.ts";
import type { Db, Tx } from "../db/connect.ts";
import { accounts, players, sessions, villages } from "../db/schema.ts";
import { hashToken } from "./players.ts";

/** An account session lasts 30 days. */
export const ACCOUNT_SESSION_DAYS = 30;

/** argon2id (Algorithm.Argon2id is an ambient const enum: 2). */
export const ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** Checked when the email is unknown, so both failures take as long. */
let dummyHash: Promise<string> | undefined;

export type AccountResult = { ok: true; session: SessionResponse } | RuleError;

export async function signIn(db: Db, input: { email: string; password: string }): Promise<AccountResult> {
  const [account] = await db.select().from(accounts).where(eq(accounts.email, input.email));
  const valid = account
    ? await verify(account.passwordHash, input.password).catch(() => false)
    : await verify(await (dummyHash ??= hash(randomBytes(16).toString("hex"), ARGON2)), input.password).then(() => false, () => false);
  if (!account || !valid) return { ok: false, code: "invalid_credentials", message: "Wrong email or password" };
  return db.transaction(async (tx) => ({ ok: true as const, session: await openSession(tx, account.playerId) }));
}

/** Ends the session behind this token (other devices stay signed in). */
export async function signOut(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

export async function openSession(tx: Tx, playerId: string): Promise<SessionResponse> {
  const token = `ha_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + ACCOUNT_SESSION_DAYS * 86_400_000);
  await tx.insert(sessions).values({ tokenHash: hashToken(token), playerId, expiresAt });
  const [row] = await tx
    .select({ name: players.displayName, villageId: villages.id })
    .from(players)
    .innerJoin(villages, eq(villages.ownerId, players.id))
    .where(eq(players.id, playerId));
  return { token, player: { id: playerId, name: row!.name }, villageId: row!.villageId };
}
