/**
 * Sign-up, confirmed by email, so that its answer never tells whether an
 * email already has an account, and so that only whoever reads the mail can
 * set the account's password (a sign-up can name any address: a password
 * given with it would be the password of whoever typed it, not of the
 * mailbox's owner).
 *
 * 1. requestSignUp: after the input checks (a bad or taken *name* is still
 *    refused: names are public, friends find each other by them), it always
 *    ends the same way, with one write and one mail. A new email gets a
 *    pending sign-up (its token stored as SHA-256, valid 24 h; signing up
 *    again replaces it, so the newest sign-up wins) and a confirmation link.
 *    An email that has an account gets "someone tried to create an account
 *    with your address", and nothing is stored. No password is asked here.
 * 2. confirmSignUp: the link opens a form where the password is chosen (and
 *    the name shown, previewSignUp, may be changed: a sign-up someone else
 *    made for your address does not even choose your name); the
 *    link's token, used once (the pending row is deleted in the transaction
 *    that creates the account), creates the account with that password and
 *    opens its session. A guest who signed up keeps their player and village
 *    only when the link is opened with that guest's own session (the same
 *    browser): the link alone never hands a village, its gifts or its orders
 *    to someone else. The guest's token then stops working.
 */
import { randomBytes } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { SessionResponse } from "../../shared/api.ts";
import type { RuleError, RuleResult } from "../../shared/errors.ts";
import type { Locale } from "../../shared/money.ts";
import { cleanName } from "../../shared/names.ts";
import type { Db } from "../db/connect.ts";
import { accounts, pendingSignups, players, sessions, villages } from "../db/schema.ts";
import type { Mailer } from "../mail/mailer.ts";
import { signUpConfirmationMail, signUpExistingAccountMail } from "../mail/messages.ts";
import { ARGON2, openSession } from "./accounts.ts";
import { hashToken } from "./players.ts";
import { createStarterVillage } from "./villages.ts";

/** A confirmation link works for 24 hours. */
export const SIGNUP_CONFIRMATION_HOURS = 24;

const SIGNUP_FAILED = "Could not create an account with these details. If you already have one, sign in.";
const signUpFailed = (): RuleError => ({ ok: false, code: "signup_failed", message: SIGNUP_FAILED });

export interface SignUpDeps {
  db: Db;
  mailer: Mailer;
  /** The base URL of the game, for the links in the mails. */
  publicUrl: () => string;
}

export async function requestSignUp(
  deps: SignUpDeps,
  input: { email: string; name: string; locale: Locale },
  guest: { playerId: string } | null,
): Promise<RuleResult<object>> {
  const name = cleanName(input.name);
  if (!name.ok) return name;
  const [nameTaken] = await deps.db.select({ playerId: accounts.playerId }).from(accounts).where(eq(accounts.nameKey, name.key));
  if (nameTaken) return { ok: false, code: "name_taken", message: "That name is taken; choose another" };
  const [account] = await deps.db.select({ playerId: accounts.playerId }).from(accounts).where(eq(accounts.email, input.email));
  await deps.db.delete(pendingSignups).where(lt(pendingSignups.expiresAt, new Date()));
  if (account) {
    // Both ways do one write here, so that they take about as long: for a taken email, any pending
    // sign-up left for it (it could only fail) is dropped; nothing is stored.
    await deps.db.delete(pendingSignups).where(eq(pendingSignups.email, input.email));
    await deps.mailer.send("signup_existing_account", signUpExistingAccountMail(input.locale, input.email, `${deps.publicUrl()}/`));
    return { ok: true };
  }
  const token = `hc_${randomBytes(32).toString("base64url")}`;
  const row = {
    tokenHash: hashToken(token),
    displayName: name.name,
    nameKey: name.key,
    guestPlayerId: guest?.playerId ?? null,
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + SIGNUP_CONFIRMATION_HOURS * 3_600_000),
  };
  // One pending sign-up per email: the newest replaces the older one, whose link stops working.
  await deps.db.insert(pendingSignups).values({ ...row, email: input.email }).onConflictDoUpdate({ target: pendingSignups.email, set: row });
  const link = `${deps.publicUrl()}/?confirm=${encodeURIComponent(token)}`;
  await deps.mailer.send("signup_confirmation", signUpConfirmationMail(input.locale, input.email, link, SIGNUP_CONFIRMATION_HOURS));
  return { ok: true };
}

export interface Confirmed {
  ok: true;
  session: SessionResponse;
  /** The guest whose sessions ended (their token is replaced by the account's), if any. */
  endedGuest: { playerId: string; tokenHashes: string[] } | null;
}

/**
 * Creates the account of a pending sign-up, with the password chosen now by whoever opened the link.
 * `current` is the session the link was opened with (the guest who signed up keeps their village).
 */
const CONFIRMATION_INVALID: RuleError = { ok: false, code: "confirmation_invalid", message: "This confirmation link is unknown, expired or already used" };

/** The name a confirmation link would give the account (the link stays unused), or why it cannot be used. */
export async function previewSignUp(db: Db, token: string): Promise<RuleResult<{ name: string }>> {
  const [pending] = await db
    .select({ name: pendingSignups.displayName, expiresAt: pendingSignups.expiresAt })
    .from(pendingSignups)
    .where(eq(pendingSignups.tokenHash, hashToken(token)));
  if (!pending || pending.expiresAt.getTime() <= Date.now()) return CONFIRMATION_INVALID;
  return { ok: true, name: pending.name };
}

export async function confirmSignUp(
  db: Db,
  input: { token: string; password: string; name?: string | undefined },
  current: { playerId: string } | null,
): Promise<Confirmed | RuleError> {
  // Another name than the sign-up's, chosen by whoever opened the link: refused before the link is
  // used up when it is bad or taken, so the link still works with another one.
  let chosen: { name: string; key: string } | null = null;
  if (input.name !== undefined) {
    const name = cleanName(input.name);
    if (!name.ok) return name;
    const [taken] = await db.select({ playerId: accounts.playerId }).from(accounts).where(eq(accounts.nameKey, name.key));
    if (taken) return { ok: false, code: "name_taken", message: "That name is taken; choose another" };
    chosen = { name: name.name, key: name.key };
  }
  // Hashed before the transaction, which then holds its locks only for its writes.
  const passwordHash = await hash(input.password, ARGON2);
  try {
    return await db.transaction(async (tx) => {
      // Deleting the row is what makes the link single-use: a second confirmation finds nothing,
      // and one running at the same moment waits for this row lock, then finds nothing.
      const [pending] = await tx.delete(pendingSignups).where(eq(pendingSignups.tokenHash, hashToken(input.token))).returning();
      if (!pending || pending.expiresAt.getTime() <= Date.now()) return CONFIRMATION_INVALID;
      const displayName = chosen?.name ?? pending.displayName;
      const nameKey = chosen?.key ?? pending.nameKey;
      // Taken since the sign-up (the email, or the name): the link is used up, nothing else changes.
      const [clash] = await tx
        .select({ playerId: accounts.playerId })
        .from(accounts)
        .where(or(eq(accounts.email, pending.email), eq(accounts.nameKey, nameKey)))
        .limit(1);
      if (clash) return signUpFailed();
      // The guest who signed up keeps their player and village, if it is them opening the link;
      // anyone else (another browser, the owner of an address a guest typed) gets new ones.
      let playerId = pending.guestPlayerId !== null && pending.guestPlayerId === current?.playerId ? pending.guestPlayerId : null;
      let endedGuest: Confirmed["endedGuest"] = null;
      if (playerId) {
        const [guest] = await tx
          .select({ id: players.id, account: accounts.playerId })
          .from(players)
          .leftJoin(accounts, eq(accounts.playerId, players.id))
          .where(and(eq(players.id, playerId), isNull(players.deletedAt)));
        if (!guest || guest.account) return signUpFailed();
        await tx.update(players).set({ displayName }).where(eq(players.id, playerId));
        await tx.update(villages).set({ name: displayName }).where(eq(villages.ownerId, playerId));
        // The guest token is replaced.
        const ended = await tx.delete(sessions).where(eq(sessions.playerId, playerId)).returning({ tokenHash: sessions.tokenHash });
        endedGuest = { playerId, tokenHashes: ended.map((s) => s.tokenHash) };
      } else {
        const [player] = await tx.insert(players).values({ displayName }).returning({ id: players.id });
        playerId = player!.id;
        await createStarterVillage(tx, playerId, displayName);
      }
      const inserted = await tx
        .insert(accounts)
        .values({ playerId, email: pending.email, passwordHash, nameKey })
        .onConflictDoNothing()
        .returning({ playerId: accounts.playerId });
      // Taken by a sign-up that committed a moment ago: roll back (the link still works, and then
      // meets the check above), and say nothing more than for any other failure.
      if (inserted.length === 0) throw new SignUpRefused();
      return { ok: true as const, session: await openSession(tx, playerId), endedGuest };
    });
  } catch (err) {
    if (err instanceof SignUpRefused) return signUpFailed();
    throw err;
  }
}

class SignUpRefused extends Error {}
