/**
 * /api/account: sign up and confirm, sign in, sign out, privacy settings.
 * Sign-in and sign-up are rate limited per address and per email (a password
 * guesser rotating addresses still meets the per-email limit, and nobody can
 * flood an address with sign-up mails). No answer says whether an email has
 * an account: a valid sign-up always answers 202 and mails the address.
 */
import type { Presence } from "@colyseus/core";
import express, { type Router } from "express";
import { rateLimit } from "express-rate-limit";
import { eq } from "drizzle-orm";
import { ConfirmSignUpRequest, SettingsRequest, SignInRequest, SignUpRequest, type SignUpResponse } from "../../shared/social.ts";
import type { Db } from "../db/connect.ts";
import { players } from "../db/schema.ts";
import type { Mailer } from "../mail/mailer.ts";
import { signIn, signOut } from "../services/accounts.ts";
import { confirmSignUp, requestSignUp } from "../services/signup.ts";
import { authenticate, hashToken } from "../services/players.ts";
import { announceSessionsEnded, announceVisitsChanged } from "../realtime/room-access.ts";
import { bearerToken, me, requirePlayer } from "./auth.ts";
import { HttpError, fromRule, fromZod } from "./errors.ts";
import { type LimiterStores, memoryStores } from "./rate-limit-store.ts";

export interface AccountLimits {
  /** Sign-in and sign-up attempts per address per 15 minutes. */
  perAddress: number;
  /** Sign-in attempts, and separately sign-ups, per email per 15 minutes. */
  perEmail: number;
}

export function accountRouter(deps: { db: Db; presence: Presence; mailer: Mailer; publicUrl: () => string; limits: AccountLimits; stores?: LimiterStores }): Router {
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
  const byEmail = (req: express.Request) => `email:${String((req.body as { email?: unknown } | undefined)?.email ?? "").trim().toLowerCase()}`;
  const perEmail = rateLimit({ ...window, ...store("account-email"), limit: deps.limits.perEmail, keyGenerator: byEmail });
  // No RateLimit headers for this one: its counter would tell that an email was tried before.
  const signUpsPerEmail = rateLimit({ ...window, standardHeaders: false, ...store("signup-email"), limit: deps.limits.perEmail, keyGenerator: byEmail });

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

  router.post("/api/account/confirm", perAddress, async (req, res) => {
    const parsed = ConfirmSignUpRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await confirmSignUp(deps.db, parsed.data.token);
    if (!result.ok) throw fromRule(result);
    res.status(201).json(result.session);
  });

  router.post("/api/account/signin", perAddress, perEmail, async (req, res) => {
    const parsed = SignInRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await signIn(deps.db, parsed.data);
    if (!result.ok) throw fromRule(result);
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
