// @both-databases: sign-up and the guest's village.
/**
 * Accounts: sign up confirmed by email, the password chosen from the mailed
 * link (a guest keeps their village when they open it), sign in, sign out,
 * the same answers whether or not an email exists, rate limits, and sessions
 * the API and the village rooms both trust. (Sign-in limits in detail:
 * sign-in-limits.test.ts; password reset: password-reset.test.ts; sign-ups
 * for someone else's address: signup-hijack.test.ts.)
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeResponse, SessionResponse } from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { PrivacySettings, SignUpResponse } from "../../shared/social.ts";
import { ConfigError, loadConfig } from "../../server/config.ts";
import { accounts, pendingSignups, players, sessions, villageItems } from "../../server/db/schema.ts";
import { hashToken } from "../../server/services/players.ts";
import { confirmationToken, mailedConfirmationToken, outboxFor, uniqueSuffix } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { joinVillageRoom } from "../support/room-join.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const unique = uniqueSuffix;
const requestSignUp = (body: unknown, token?: string) => server.api<SignUpResponse & ApiErrorBody>("/api/account/signup", { body, token });
const confirm = (token: unknown, password: unknown = "the password chosen from the link", bearer?: string) =>
  server.api<SessionResponse & ApiErrorBody>("/api/account/confirm", { body: { token, password }, token: bearer });
/**
 * Sign up, then confirm through the link mailed to the address, choosing the password there (the
 * whole flow a person goes through; a guest opens the link with their own session).
 */
const signUp = async (body: { email: string; password: string; name: string }, token?: string) => {
  const asked = await requestSignUp({ email: body.email, name: body.name }, token);
  expect(asked.status).toBe(202);
  return confirm(await mailedConfirmationToken(server.url, body.email.toLowerCase()), body.password, token);
};
const signIn = (body: unknown) => server.api<SessionResponse & ApiErrorBody>("/api/account/signin", { body });
const me = (token: string) => server.api<MeResponse>("/api/me", { token });
const db = () => server.hameau.database.db;
const pendingFor = (email: string) => db().select().from(pendingSignups).where(eq(pendingSignups.email, email));

describe("sign up", () => {
  it("turns a guest into an account that keeps the same player and village, once the email is confirmed", async () => {
    const guest = await server.guest();
    const before = await db().select().from(villageItems).where(eq(villageItems.villageId, guest.villageId));
    const email = `Guest.${unique()}@Example.org`;
    const asked = await requestSignUp({ email, name: `Capucine ${unique()}` }, guest.token);
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ status: "confirmation_sent" });
    // Nothing changes before the link is opened: still a guest, on the guest token.
    expect((await me(guest.token)).body.account).toBeNull();
    expect(await db().$count(accounts, eq(accounts.playerId, guest.player.id))).toBe(0);
    const [pending] = await pendingFor(email.toLowerCase());
    expect(pending).toMatchObject({ guestPlayerId: guest.player.id });
    expect(pending!.expiresAt.getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(pending!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);

    const [mail] = await outboxFor(server.url, email.toLowerCase());
    expect(mail!.subject).toBe("Confirmez votre compte Hameau");
    const token = confirmationToken(mail!.text)!;
    expect(mail!.text).toContain(`${server.url.replace("127.0.0.1", "localhost")}/?confirm=${token}`);
    // Only the token's SHA-256 is stored.
    expect(pending!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(pending)).not.toContain(token);

    const res = await confirm(token, "un mot de passe solide", guest.token);
    expect(res.status).toBe(201);
    expect(res.body.player.id).toBe(guest.player.id);
    expect(res.body.villageId).toBe(guest.villageId);
    expect(res.body.token).not.toBe(guest.token);
    // The guest token is replaced; the new one is an account session.
    expect((await me(guest.token)).status).toBe(401);
    const mine = await me(res.body.token);
    expect(mine.body).toMatchObject({ player: { id: guest.player.id }, account: { email: email.toLowerCase() }, settings: { villageVisibility: "friends", showPresence: false } });
    const after = await db().select().from(villageItems).where(eq(villageItems.villageId, guest.villageId));
    expect(after.map((i) => i.id).sort()).toEqual(before.map((i) => i.id).sort());
    // The password is stored as argon2id, never in clear.
    const [row] = await db().select().from(accounts).where(eq(accounts.playerId, guest.player.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.passwordHash).not.toContain("solide");
    // The link is used up.
    expect(await pendingFor(email.toLowerCase())).toEqual([]);
  });

  it("creates a new player and village without a guest token", async () => {
    const res = await signUp({ email: `new.${unique()}@example.org`, password: "correct horse battery", name: `Basilic ${unique()}` });
    expect(res.status).toBe(201);
    expect((await me(res.body.token)).body.villageId).toBe(res.body.villageId);
  });

  it("writes the mail in English when asked", async () => {
    const email = `english.${unique()}@example.org`;
    expect((await requestSignUp({ email, name: `Thyme ${unique()}`, locale: "en" })).status).toBe(202);
    const [mail] = await outboxFor(server.url, email);
    expect(mail!.subject).toBe("Confirm your Hameau account");
    expect(mail!.text).toMatch(/within 24 hours and choose your password/);
    expect(confirmationToken(mail!.text)).toBeDefined();
  });

  it("refuses bad input field by field, and writes nothing", async () => {
    const countBefore = await db().$count(accounts);
    const pendingBefore = await db().$count(pendingSignups);
    const res = await requestSignUp({ email: "not an email", name: "x" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(Object.keys(res.body.error.fields ?? {}).sort()).toEqual(["email"]);
    const badName = await requestSignUp({ email: `n.${unique()}@example.org`, name: "Bad\u0007Name" });
    expect(badName.body.error.code).toBe("name_invalid");
    const tooLong = await requestSignUp({ email: `n.${unique()}@example.org`, name: "x".repeat(25) });
    expect(tooLong.body.error.code).toBe("name_invalid");
    const badLocale = await requestSignUp({ email: `n.${unique()}@example.org`, name: `Ok ${unique()}`, locale: "de" });
    expect(badLocale.status).toBe(400);
    expect(Object.keys(badLocale.body.error.fields ?? {})).toEqual(["locale"]);
    expect(await db().$count(accounts)).toBe(countBefore);
    expect(await db().$count(pendingSignups)).toBe(pendingBefore);
  });

  it("answers a taken email exactly as a new one, and mails its owner instead of creating anything", async () => {
    const email = `taken.${unique()}@example.org`;
    const name = `Lavande ${unique()}`;
    const owner = await signUp({ email, password: "first password here", name });
    expect(owner.status).toBe(201);
    const guest = await server.guest();
    const fresh = await requestSignUp({ email: `fresh.${unique()}@example.org`, name: `Other ${unique()}` });
    const again = await requestSignUp({ email: email.toUpperCase(), password: "another password", name: `Other ${unique()}` }, guest.token);
    expect(again.status).toBe(fresh.status);
    expect(again.body).toEqual(fresh.body);
    expect(again.body).toEqual({ status: "confirmation_sent" });
    // The same headers too, but for the date, the rate-limit counter and the request id, which change with
    // every request (the id is a fresh random UUID for each, so it tells nothing of the address).
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(again.headers.get("x-request-id")).toMatch(UUID);
    expect(fresh.headers.get("x-request-id")).toMatch(UUID);
    const comparable = (h: Headers) => [...h.entries()].filter(([k]) => k !== "date" && k !== "ratelimit" && k !== "x-request-id");
    expect(comparable(again.headers)).toEqual(comparable(fresh.headers));
    // No pending sign-up for the taken address; its owner is told, with no link that could create anything.
    expect(await pendingFor(email)).toEqual([]);
    const [mail, confirmationMail] = await outboxFor(server.url, email);
    expect(mail!.subject).toBe("Quelqu'un a essayé de créer un compte Hameau avec votre adresse");
    expect(mail!.text).toMatch(/connectez-vous/);
    expect(confirmationToken(mail!.text)).toBeUndefined();
    expect(confirmationMail!.subject).toBe("Confirmez votre compte Hameau"); // the owner's own sign-up, earlier
    // The guest is still a guest, its token still works, and the account is unchanged.
    expect((await me(guest.token)).body.account).toBeNull();
    expect((await signIn({ email, password: "first password here" })).status).toBe(200);
    expect((await signIn({ email, password: "another password" })).status).toBe(401);
    // A taken name is refused at once: names are public, friends find each other by them.
    const sameName = await requestSignUp({ email: `x.${unique()}@example.org`, name: name.toUpperCase() });
    expect(sameName.status).toBe(409);
    expect(sameName.body.error.code).toBe("name_taken");
  });

  it("confirms once: a used, replaced, expired or unknown link is refused with its code", async () => {
    const email = `once.${unique()}@example.org`;
    const body = { email, name: `Sauge ${unique()}` };
    expect((await requestSignUp(body)).status).toBe(202);
    const older = await mailedConfirmationToken(server.url, email);
    // Signing up again replaces the pending sign-up: only the newest link works.
    expect((await requestSignUp(body)).status).toBe(202);
    const newest = await mailedConfirmationToken(server.url, email);
    expect(newest).not.toBe(older);
    expect(await pendingFor(email)).toHaveLength(1);
    const replaced = await confirm(older);
    expect(replaced.status).toBe(400);
    expect(replaced.body.error.code).toBe("confirmation_invalid");
    // Two confirmations at once: exactly one account.
    const [a, b] = await Promise.all([confirm(newest), confirm(newest)]);
    expect([a.status, b.status].sort()).toEqual([201, 400]);
    expect((a.status === 400 ? a : b).body.error.code).toBe("confirmation_invalid");
    expect(await db().$count(accounts, eq(accounts.email, email))).toBe(1);
    const second = await confirm(newest);
    expect(second.status).toBe(400);
    expect(second.body.error.code).toBe("confirmation_invalid");

    const late = `late.${unique()}@example.org`;
    expect((await requestSignUp({ email: late, name: `Aneth ${unique()}` })).status).toBe(202);
    const lateToken = await mailedConfirmationToken(server.url, late);
    await db().update(pendingSignups).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(pendingSignups.email, late));
    const expired = await confirm(lateToken);
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe("confirmation_invalid");
    expect(await db().$count(accounts, eq(accounts.email, late))).toBe(0);

    for (const bad of ["hc_not_a_real_token", ""]) {
      const res = await confirm(bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(bad ? "confirmation_invalid" : "bad_request");
    }
  });

  it("gives the generic failure when the name or the email was taken before the link was opened", async () => {
    const name = `Verveine ${unique()}`;
    const first = `first.${unique()}@example.org`;
    const second = `second.${unique()}@example.org`;
    expect((await requestSignUp({ email: first, name })).status).toBe(202);
    expect((await requestSignUp({ email: second, name })).status).toBe(202);
    const firstToken = await mailedConfirmationToken(server.url, first);
    expect((await confirm(await mailedConfirmationToken(server.url, second))).status).toBe(201);
    const lost = await confirm(firstToken);
    expect(lost.status).toBe(400);
    expect(lost.body.error.code).toBe("signup_failed");
    expect(await db().$count(accounts, eq(accounts.email, first))).toBe(0);

    // The email taken by another account between the sign-up and the link (here by changing an
    // account's email in the database): the generic failure, and the guest stays a guest.
    const email = `twice.${unique()}@example.org`;
    const guest = await server.guest();
    expect((await requestSignUp({ email, name: `Cerfeuil ${unique()}` }, guest.token)).status).toBe(202);
    const guestToken = await mailedConfirmationToken(server.url, email);
    const other = await signUp({ email: `other.${unique()}@example.org`, password: "other password here", name: `Estragon ${unique()}` });
    await db().update(accounts).set({ email }).where(eq(accounts.playerId, other.body.player.id));
    const taken = await confirm(guestToken, "guest password here", guest.token);
    expect(taken.status).toBe(400);
    expect(taken.body.error.code).toBe("signup_failed");
    expect((await me(guest.token)).body.account).toBeNull();
    expect(await db().$count(accounts, eq(accounts.email, email))).toBe(1);
    // The link is used up all the same.
    expect((await confirm(guestToken)).body.error.code).toBe("confirmation_invalid");
  });

  it("leaves a guest who was deleted meanwhile without an account", async () => {
    const guest = await server.guest();
    const email = `gone.${unique()}@example.org`;
    expect((await requestSignUp({ email, name: `Oseille ${unique()}` }, guest.token)).status).toBe(202);
    const token = await mailedConfirmationToken(server.url, email);
    await db().update(players).set({ deletedAt: new Date() }).where(eq(players.id, guest.player.id));
    const res = await confirm(token, "a gone guest password", guest.token);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("signup_failed");
    expect(await db().$count(accounts, eq(accounts.email, email))).toBe(0);
  });

  it("limits sign-ups per email, so nobody can flood an address with mails", async () => {
    const email = `flood.${unique()}@example.org`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await requestSignUp({ email, name: `Flood ${unique()}` })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    expect(await outboxFor(server.url, email)).toHaveLength(5);
  });
});

describe("mail transport", () => {
  it("production refuses to start without SMTP_URL and MAIL_FROM", () => {
    const stripe = { STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc", STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_connect" };
    expect(() => loadConfig({ NODE_ENV: "production", ...stripe })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production", ...stripe, MAIL_FROM: "Hameau <no-reply@example.org>" })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ NODE_ENV: "production", ...stripe, SMTP_URL: "smtps://mail.example.org" })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ SMTP_URL: "http://mail.example.org" })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ MAIL_FROM: "not an address" })).toThrow(/MAIL_FROM/);
    const c = loadConfig({ NODE_ENV: "production", ...stripe, SMTP_URL: "smtps://u:p@mail.example.org", MAIL_FROM: "Hameau <no-reply@example.org>" });
    expect(c.mail).toEqual({ mode: "smtp", url: "smtps://u:p@mail.example.org", from: "Hameau <no-reply@example.org>" });
  });

  it("shows the outbox page, labelled TEST MODE, without SMTP_URL", async () => {
    const email = `page.${unique()}@example.org`;
    expect((await requestSignUp({ email, name: `Livèche ${unique()}`, locale: "en" })).status).toBe(202);
    const fr = await server.api<string>(`/dev/mail?to=${encodeURIComponent(email)}`);
    expect(fr.status).toBe(200);
    expect(fr.headers.get("content-type")).toMatch(/text\/html/);
    expect(fr.body).toContain("MODE TEST");
    expect(fr.body).toContain("Confirm your Hameau account");
    expect(fr.body).toMatch(/<a href="http:\/\/localhost:\d+\/\?confirm=hc_[\w-]+">/);
    const en = await server.api<string>("/dev/mail?lang=en");
    expect(en.body).toContain("TEST MODE — no mail is sent");
    // (With SMTP_URL these pages do not exist: test/integration/mail.test.ts, which needs a server of its own.)
  });
});

describe("sign in and out", () => {
  const password = "mot de passe du jardin";
  let email: string;
  let account: SessionResponse;
  beforeAll(async () => {
    email = `garden.${unique()}@example.org`;
    account = (await signUp({ email, password, name: `Romarin ${unique()}` })).body;
  });

  it("signs in with the right password, in any letter case of the email", async () => {
    const res = await signIn({ email: email.toUpperCase(), password });
    expect(res.status).toBe(200);
    expect(res.body.player.id).toBe(account.player.id);
    expect(res.body.villageId).toBe(account.villageId);
  });

  it("says the same for a wrong password and an unknown email", async () => {
    const wrong = await signIn({ email, password: "not the password" });
    const unknown = await signIn({ email: `nobody.${unique()}@example.org`, password });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe("invalid_credentials");
  });

  it("signs out this session only; the token stops working for the API and the rooms", async () => {
    const other = (await signIn({ email, password })).body;
    const res = await server.api("/api/account/signout", { method: "POST", token: other.token });
    expect(res.status).toBe(204);
    expect((await me(other.token)).status).toBe(401);
    expect((await me(account.token)).status).toBe(200);
    await expect(joinVillageRoom(server.url, other.token, account.villageId)).rejects.toThrow(/sign in|ticket/i);
    const room = await joinVillageRoom(server.url, account.token, account.villageId);
    await room.leave();
  });

  it("stops accepting an expired session", async () => {
    const fresh = (await signIn({ email, password })).body;
    await server.hameau.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.playerId, account.player.id));
    expect((await me(fresh.token)).status).toBe(401);
    account = (await signIn({ email, password })).body;
  });

  it("waits after 5 failed sign-ins from one address, and X-Forwarded-For does not change the address without TRUST_PROXY", async () => {
    const target = `limited.${unique()}@example.org`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn({ email: target, password: "guess number " + i })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await signIn({ email: target, password: "another guess" });
    expect(limited.status).toBe(429);
    expect((limited.body as ApiErrorBody).error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(50);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    // Spoofing a proxy header does not make another address: the server trusts no proxy by default.
    const spoofed = await server.api<ApiErrorBody>("/api/account/signin", {
      body: { email: target, password: "a spoofed guess" }, headers: { "x-forwarded-for": "198.51.100.77" },
    });
    expect(spoofed.status).toBe(429);
  });
});

describe("privacy settings", () => {
  it("start private and change only through the owner's session", async () => {
    const s = (await signUp({ email: `p.${unique()}@example.org`, password: "settings password", name: `Mimosa ${unique()}` })).body;
    expect((await me(s.token)).body.settings).toEqual({ villageVisibility: "friends", showPresence: false, showOnLeaderboards: false, shareReferrals: true, showAmountsOnLeaderboards: false, impactDigest: false });
    const res = await server.api<PrivacySettings>("/api/account/settings", { method: "PATCH", token: s.token, body: { villageVisibility: "public" } });
    expect(res.body).toEqual({ villageVisibility: "public", showPresence: false, showOnLeaderboards: false, shareReferrals: true, showAmountsOnLeaderboards: false, impactDigest: false });
    const bad = await server.api<ApiErrorBody>("/api/account/settings", { method: "PATCH", token: s.token, body: { villageVisibility: "everyone" } });
    expect(bad.status).toBe(400);
    expect((await server.api("/api/account/settings", { method: "PATCH", body: { showPresence: true } })).status).toBe(401);
  });
});
