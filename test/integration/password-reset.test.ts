/**
 * Password reset by mail: the same answer for every address, a single-use
 * link (token stored as SHA-256, one hour), a new password that ends every
 * session of the account, limits per email, and a pending sign-up that never
 * stands in the owner's way.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { PasswordResetResponse } from "../../shared/social.ts";
import { passwordResets } from "../../server/db/schema.ts";
import { hashToken } from "../../server/services/players.ts";
import { confirmationToken, outboxFor, resetToken, signUpAccount, uniqueSuffix as unique } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const db = () => server.hameau.database.db;
const ask = (body: unknown) => server.api<PasswordResetResponse & ApiErrorBody>("/api/account/password-reset", { body });
const complete = (token: unknown, password: unknown) =>
  server.api<SessionResponse & ApiErrorBody>("/api/account/password-reset/complete", { body: { token, password } });
const signIn = (email: string, password: string) => server.api<SessionResponse & ApiErrorBody>("/api/account/signin", { body: { email, password } });
const me = (token: string) => server.api("/api/me", { token });
const mailedResetToken = async (email: string) => {
  const [mail] = await outboxFor(server.url, email);
  const token = mail && resetToken(mail.text);
  if (!token) throw new Error(`no reset link was mailed to ${email}`);
  return token;
};

describe("password reset", () => {
  it("answers every address alike, and mails a one-hour link only to an account", async () => {
    const owner = await signUpAccount(server, "Forgetful");
    const known = await ask({ email: owner.email.toUpperCase() });
    const unknown = await ask({ email: `nobody.${unique()}@example.org` });
    expect(known.status).toBe(202);
    expect(known.body).toEqual({ status: "reset_sent" });
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    // Apart from what changes with every request: the date, the rate-limit count and the request id (a fresh UUID).
    for (const h of [unknown.headers, known.headers]) expect(h.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const comparable = (h: Headers) => [...h.entries()].filter(([k]) => k !== "date" && k !== "ratelimit" && k !== "x-request-id");
    expect(comparable(unknown.headers)).toEqual(comparable(known.headers));

    const [mail] = await outboxFor(server.url, owner.email);
    expect(mail!.subject).toBe("Choisissez un nouveau mot de passe Hameau");
    const token = resetToken(mail!.text)!;
    expect(token).toMatch(/^hr_[\w-]{43}$/);
    expect(mail!.text).toContain(`/?reset=${token}`);
    const [row] = await db().select().from(passwordResets).where(eq(passwordResets.playerId, owner.player.id));
    expect(row!.tokenHash).toBe(hashToken(token));
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(row!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);

    // The unknown address is told it has no account (no link), in English when asked.
    const stranger = `stranger.${unique()}@example.org`;
    expect((await ask({ email: stranger, locale: "en" })).status).toBe(202);
    const [note] = await outboxFor(server.url, stranger);
    expect(note!.subject).toBe("Hameau password reset: no account with this address");
    expect(resetToken(note!.text)).toBeUndefined();
    expect(confirmationToken(note!.text)).toBeUndefined();

    for (const bad of [{}, { email: "not an email" }, { email: owner.email, locale: "de" }]) {
      expect((await ask(bad)).status).toBe(400);
    }
  });

  it("sets the new password once, ends every session of the account and opens a new one", async () => {
    const owner = await signUpAccount(server, "Stolen");
    const laptop = (await signIn(owner.email, owner.password)).body.token;
    const thief = (await signIn(owner.email, owner.password)).body.token;
    expect((await ask({ email: owner.email })).status).toBe(202);
    const token = await mailedResetToken(owner.email);
    const [a, b] = await Promise.all([complete(token, "a brand new password"), complete(token, "a brand new password")]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const done = a.status === 200 ? a : b;
    expect((a.status === 400 ? a : b).body.error.code).toBe("reset_invalid");
    expect(done.body.player.id).toBe(owner.player.id);
    expect(done.body.villageId).toBe(owner.villageId);
    for (const ended of [owner.token, laptop, thief]) expect((await me(ended)).status).toBe(401);
    expect((await me(done.body.token)).status).toBe(200);
    expect((await signIn(owner.email, owner.password)).status).toBe(401);
    expect((await signIn(owner.email, "a brand new password")).status).toBe(200);
    expect((await complete(token, "yet another password")).body.error.code).toBe("reset_invalid");
    expect(await db().$count(passwordResets, eq(passwordResets.playerId, owner.player.id))).toBe(0);
  });

  it("refuses a replaced, expired or unknown link, and a bad password, changing nothing", async () => {
    const owner = await signUpAccount(server, "Careful");
    await ask({ email: owner.email });
    const older = await mailedResetToken(owner.email);
    await ask({ email: owner.email });
    const newest = await mailedResetToken(owner.email);
    expect(newest).not.toBe(older);
    expect((await complete(older, "an older link password")).body.error.code).toBe("reset_invalid");
    for (const password of ["short", "", 42, "x".repeat(201)]) {
      const res = await complete(newest, password);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.error.fields ?? {})).toEqual(["password"]);
    }
    await db().update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResets.playerId, owner.player.id));
    expect((await complete(newest, "a late password here")).body.error.code).toBe("reset_invalid");
    for (const bad of ["hr_not_a_real_token", "x".repeat(200)]) expect((await complete(bad, "some password here")).body.error.code).toBe("reset_invalid");
    expect((await complete("", "some password here")).body.error.code).toBe("bad_request");
    expect((await signIn(owner.email, owner.password)).status).toBe(200);
    expect((await me(owner.token)).status).toBe(200);
  });

  it("limits reset mails per email, so nobody can flood an address", async () => {
    const email = `flooded.${unique()}@example.org`;
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await ask({ email }));
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202, 202, 202, 429]);
    expect(await outboxFor(server.url, email)).toHaveLength(5);
    // Another address still gets its mail from the same client.
    expect((await ask({ email: `other.${unique()}@example.org` })).status).toBe(202);
  });

  it("lets the owner in whatever a pending sign-up for the address holds", async () => {
    const owner = await signUpAccount(server, "Squatted");
    // A sign-up naming an address that has an account stores nothing; the owner's reset works as ever.
    expect((await server.api("/api/account/signup", { body: { email: owner.email, name: `Squatter ${unique()}`, password: "a squatter's password" } })).status).toBe(202);
    await ask({ email: owner.email });
    const reset = await complete(await mailedResetToken(owner.email), "the owner's new password");
    expect(reset.status).toBe(200);
    expect((await signIn(owner.email, "a squatter's password")).status).toBe(401);
  });

  it("answers an attacker's input with 4xx, never 5xx: NUL bytes, a huge body, 20 requests at once", async () => {
    const owner = await signUpAccount(server, "Hardened");
    const nul = [
      await ask({ email: "a\u0000@example.org" }),
      await complete("hr_\u0000", "a password\u0000here"),
      await server.api("/api/account/confirm", { body: { token: "hc_\u0000", password: "a password\u0000here" } }),
      await server.api("/api/account/signin", { body: { email: owner.email, password: "\u0000".repeat(50) } }),
      await server.api("/api/account/signup", { body: { email: "\u0000@example.org", name: "Nul\u0000" } }),
    ];
    for (const res of nul) expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
    for (const res of nul) expect(res.status).toBeLessThan(500);
    const huge = await server.api("/api/account/password-reset", { raw: JSON.stringify({ email: "x".repeat(64 * 1024) }), headers: { "content-type": "application/json" } });
    expect(huge.status).toBe(413);
    const storm = await Promise.all(Array.from({ length: 20 }, () => ask({ email: owner.email })));
    expect(storm.map((r) => r.status).sort()).toEqual([...Array(5).fill(202), ...Array(15).fill(429)]);
    // One link per account, whichever request wrote last.
    expect(await db().$count(passwordResets, eq(passwordResets.playerId, owner.player.id))).toBe(1);
    expect(await outboxFor(server.url, owner.email)).toHaveLength(5 + 1);
  });
});
