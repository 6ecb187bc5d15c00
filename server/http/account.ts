/**
 * /api/account: sign up and confirm, sign in, sign out, password reset,
 * privacy settings. No answer says whether an email has an account: a valid
 * sign-up or reset request always answers 202 and mails the address.
 *
 * Limits (every one keyed on req.ip, which TRUST_PROXY makes the client's
 * address behind a reverse proxy):
 * - per address: sign-ups, confirmations, reset requests and completions
 *   together; sign-in *failures* apart (successes do not count);
 * - per email: sign-up mails and reset mails (nobody can flood an address);
 * - sign-in failures per (email, address) pair with backoff, and per email
 *   across addresses (services/sign-in-limits.ts, http/sign-in-attempts.ts).
 */
import type { Presence } from "@colyseus/core";
import express, { type Router } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { eq } from "drizzle-orm";
import {
  CompletePasswordResetRequest, type ConfirmationPreviewResponse, ConfirmationPreviewRequest, ConfirmSignUpRequest, PasswordResetRequest, type PasswordResetResponse, SettingsRequest, SignInRequest,
  SignUpRequest, type SignUpResponse,
} from "../../shared/social.ts";
import type { Db } from "../db/connect.ts";
import { players } from "../db/schema.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { SessionsEndedHook } from "../realtime/sessions-ended.ts";
import { signIn, signOut } from "../services/accounts.ts";
import { requestPasswordReset, resetPassword } from "../services/password-reset.ts";
import { confirmSignUp, previewSignUp, requestSignUp } from "../services/signup.ts";
import { authenticate, hashToken } from "../services/players.ts";
import { announceSessionsEnded, announceVisitsChanged } from "../realtime/room-access.ts";
import { bearerToken, me, requirePlayer } from "./auth.ts";
import { HttpError, fromRule, fromZod } from "./errors.ts";
import { type LimiterStores, memoryStores } from "./rate-limit-store.ts";
import { MemorySignInAttempts, type SignInAttempts } from "./sign-in-attempts.ts";

export interface AccountLimits {
  /** Sign-ups, confirmations and resets per address per 15 minutes; and, apart, failed sign-ins. */
  perAddress: number;
  /** Sign-up mails, and separately reset mails, per email per 15 minutes. */
  perEmail: number;
}

export interface AccountDeps {
  db: Db;
  presence: Presence;
  mailer: Mailer;
  publicUrl: () => string;
  limits: AccountLimits;
  stores?: LimiterStores;
  /** Where sign-in failures are counted (one process: memory). */
  signInAttempts?: SignInAttempts;
  /** Called after sessions ended other than by signing out (password reset, a guest's sign-up). */
  sessionsEnded?: SessionsEndedHook;
  now?: () => number;
}

export function accountRouter(deps: AccountDeps): Router {
  const router = express.Router();
  const auth = requirePlayer(deps.db);
  const tooMany = (_req: unknown, _res: unknown, next: (err: unknown) => void) =>
    next(new HttpError(429, "rate_limited", "Too many attempts; try again in a few minutes"));
  const window = { windowMs: 15 * 60_000, standardHeaders: "draft-8" as const, legacyHeaders: false, handler: tooMany };
  const stores = deps.stores ?? memoryStores;
  const store = (limiter: string) => {
    const shared = stores(limiter);
    return shared ? { store: shared } : {};
  };
  const perAddress = rateLimit({ ...window, ...store("account-address"), limit: deps.limits.perAddress });
  // Failed sign-ins per address, whatever the email (one address trying many accounts); successes are given back.
  const signInFailuresPerAddress = rateLimit({ ...window, ...store("signin-address"), limit: deps.limits.perAddress, skipSuccessfulRequests: true });
  const byEmail = (req: express.Request) => `email:${String((req.body as { email?: unknown } | undefined)?.email ?? "").trim().toLowerCase()}`;
  // No RateLimit headers for these: their counters would tell that an email was tried before.
  const signUpsPerEmail = rateLimit({ ...window, standardHeaders: false, ...store("signup-email"), limit: deps.limits.perEmail, keyGenerator: byEmail });
  const resetsPerEmail = rateLimit({ ...window, standardHeaders: false, ...store("reset-email"), limit: deps.limits.perEmail, keyGenerator: byEmail });
  const attempts = deps.signInAttempts ?? new MemorySignInAttempts();
  const now = deps.now ?? Date.now;
  const ended = deps.sessionsEnded ?? (async () => undefined);
  /** The client's address as the limits see it (an IPv6 client by its /56, as express-rate-limit does). */
  const address = (req: express.Request) => ipKeyGenerator(req.ip ?? "unknown");

  router.post("/api/account/signup", perAddress, signUpsPerEmail, async (req, res) => {
    const parsed = SignUpRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const token = bearerToken(req);
    const current = token ? await authenticate(deps.db, token) : null;
    if (token && !current) throw new HttpError(401, "unauthorized", "Unknown or expired session token");
    if (current?.account) throw new HttpError(400, "bad_request", "You are already signed in to an account");
    const result = await requestSignUp(deps, parsed.data, current ? { playerId: current.player.id } : null);
    if (!result.ok) throw fromRule(result);
    // The same answer whether the email is new or taken: the mail tells its owner which.
    res.status(202).json({ status: "confirmation_sent" } satisfies SignUpResponse);
  });

  router.post("/api/account/confirm/preview", perAddress, async (req, res) => {
    const parsed = ConfirmationPreviewRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await previewSignUp(deps.db, parsed.data.token);
    if (!result.ok) throw fromRule(result);
    res.json({ name: result.name } satisfies ConfirmationPreviewResponse);
  });

  router.post("/api/account/confirm", perAddress, async (req, res) => {
    const parsed = ConfirmSignUpRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    // The session the link was opened with, if it is a guest's: the guest who signed up keeps their village.
    const current = await authenticate(deps.db, bearerToken(req));
    const result = await confirmSignUp(deps.db, parsed.data, current && !current.account ? { playerId: current.player.id } : null);
    if (!result.ok) throw fromRule(result);
    if (result.endedGuest) await ended({ ...result.endedGuest, reason: "signed_up" });
    res.status(201).json(result.session);
  });

  router.post("/api/account/signin", signInFailuresPerAddress, async (req, res) => {
    const parsed = SignInRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const from = address(req);
    const waitMs = await attempts.attempt(parsed.data.email, from, now());
    if (waitMs > 0) {
      res.set("retry-after", String(Math.ceil(waitMs / 1000)));
      throw new HttpError(429, "rate_limited", "Too many failed attempts; try again in a few minutes");
    }
    const result = await signIn(deps.db, parsed.data);
    if (!result.ok) throw fromRule(result);
    await attempts.succeeded(parsed.data.email, from);
    res.json(result.session);
  });

  router.post("/api/account/password-reset", perAddress, resetsPerEmail, async (req, res) => {
    const parsed = PasswordResetRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    await requestPasswordReset(deps, parsed.data);
    // The same answer whether the email has an account or not: the mail tells its owner which.
    res.status(202).json({ status: "reset_sent" } satisfies PasswordResetResponse);
  });

  router.post("/api/account/password-reset/complete", perAddress, async (req, res) => {
    const parsed = CompletePasswordResetRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await resetPassword(deps.db, parsed.data);
    if (!result.ok) throw fromRule(result);
    await ended({ ...result.ended, reason: "password_reset" });
    res.json(result.session);
  });

  router.post("/api/account/signout", auth, async (req, res) => {
    const token = bearerToken(req)!;
    await signOut(deps.db, token);
    // Its room connections close too, in every process (and its room tickets went with the session).
    await announceSessionsEnded(deps.presence, [hashToken(token)]);
    res.status(204).end();
  });

  router.patch("/api/account/settings", auth, async (req, res) => {
    const parsed = SettingsRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    if (Object.keys(parsed.data).length > 0) await deps.db.update(players).set(parsed.data).where(eq(players.id, me(req).player.id));
    // A village made private (or friends-only): the visitors who may not stay leave, live.
    if (parsed.data.villageVisibility) await announceVisitsChanged(deps.presence, [me(req).player.id]);
    res.json((await authenticate(deps.db, bearerToken(req)))!.settings);
  });

  return router;
}
