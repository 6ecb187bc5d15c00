/**
 * Password reset by mail.
 *
 * 1. requestPasswordReset always ends the same way, with one write and one
 *    mail, so its answer never tells whether an email has an account: an
 *    account gets a single-use link (its token stored as SHA-256, valid one
 *    hour; asking again replaces it), an unknown email a mail saying it has
 *    no account here (and how to create one).
 * 2. resetPassword: the link's token, used once, sets the new password, ends
 *    every session of the account (a stolen one included) and opens a new one
 *    for whoever reset it. A sign-up waiting for that address never stands in
 *    the way: it holds no password.
 */
import { randomBytes } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { eq, lt } from "drizzle-orm";
import type { SessionResponse } from "../../shared/api.ts";
import type { RuleError } from "../../shared/errors.ts";
import type { Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { accounts, passwordResets, sessions } from "../db/schema.ts";
import { passwordResetMail, passwordResetUnknownMail } from "../mail/messages.ts";
import { ARGON2, openSession } from "./accounts.ts";
import { hashToken } from "./players.ts";
import type { SignUpDeps } from "./signup.ts";

/** A reset link works for one hour. */
export const PASSWORD_RESET_MINUTES = 60;

export async function requestPasswordReset(deps: SignUpDeps, input: { email: string; locale: Locale }): Promise<void> {
  const [account] = await deps.db.select({ playerId: accounts.playerId }).from(accounts).where(eq(accounts.email, input.email));
  await deps.db.delete(passwordResets).where(lt(passwordResets.expiresAt, new Date()));
  const token = `hr_${randomBytes(32).toString("base64url")}`;
  if (!account) {
    // One write on both ways, so that they take about as long (this one finds nothing to delete).
    await deps.db.delete(passwordResets).where(eq(passwordResets.tokenHash, hashToken(token)));
    await deps.mailer.send("password_reset_unknown", passwordResetUnknownMail(input.locale, input.email, `${deps.publicUrl()}/`));
    return;
  }
  const row = { tokenHash: hashToken(token), createdAt: new Date(), expiresAt: new Date(Date.now() + PASSWORD_RESET_MINUTES * 60_000) };
  // One link per account: the newest replaces the older one, which stops working.
  await deps.db.insert(passwordResets).values({ ...row, playerId: account.playerId }).onConflictDoUpdate({ target: passwordResets.playerId, set: row });
  const link = `${deps.publicUrl()}/?reset=${encodeURIComponent(token)}`;
  await deps.mailer.send("password_reset", passwordResetMail(input.locale, input.email, link, PASSWORD_RESET_MINUTES));
}

export interface PasswordReset {
  ok: true;
  session: SessionResponse;
  /** Every session the reset ended (all of the account's, before the new one). */
  ended: { playerId: string; tokenHashes: string[] };
}

export async function resetPassword(db: Db, input: { token: string; password: string }): Promise<PasswordReset | RuleError> {
  const passwordHash = await hash(input.password, ARGON2);
  return db.transaction(async (tx) => {
    // Deleting the row makes the link single-use, as for sign-up confirmations.
    const [reset] = await tx.delete(passwordResets).where(eq(passwordResets.tokenHash, hashToken(input.token))).returning();
    if (!reset || reset.expiresAt.getTime() <= Date.now()) {
      return { ok: false as const, code: "reset_invalid" as const, message: "This password reset link is unknown, expired or already used" };
    }
    const updated = await tx.update(accounts).set({ passwordHash }).where(eq(accounts.playerId, reset.playerId)).returning({ playerId: accounts.playerId });
    if (updated.length === 0) return { ok: false as const, code: "reset_invalid" as const, message: "This password reset link is unknown, expired or already used" };
    const ended = await tx.delete(sessions).where(eq(sessions.playerId, reset.playerId)).returning({ tokenHash: sessions.tokenHash });
    return {
      ok: true as const,
      session: await openSession(tx, reset.playerId),
      ended: { playerId: reset.playerId, tokenHashes: ended.map((s) => s.tokenHash) },
    };
  });
}
