/**
 * A sign-up naming someone else's address (pre-hijack): it holds no password
 * and gives its author nothing; whoever reads the mail chooses the password
 * and may change the name; the owner is never blocked by it.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeResponse, SessionResponse } from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { ConfirmationPreviewResponse, SignUpResponse } from "../../shared/social.ts";
import { accounts, pendingSignups } from "../../server/db/schema.ts";
import { mailedConfirmationToken, signUpAccount, uniqueSuffix as unique } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const requestSignUp = (body: unknown, token?: string) => server.api<SignUpResponse & ApiErrorBody>("/api/account/signup", { body, token });
const confirm = (token: unknown, password: unknown = "the password chosen from the link", bearer?: string, name?: string) =>
  server.api<SessionResponse & ApiErrorBody>("/api/account/confirm", { body: { token, password, name }, token: bearer });
const preview = (token: unknown) => server.api<ConfirmationPreviewResponse & ApiErrorBody>("/api/account/confirm/preview", { body: { token } });
const signIn = (body: unknown) => server.api<SessionResponse & ApiErrorBody>("/api/account/signin", { body });
const me = (token: string) => server.api<MeResponse>("/api/me", { token });
const db = () => server.hameau.database.db;
const pendingFor = (email: string) => db().select().from(pendingSignups).where(eq(pendingSignups.email, email));

describe("a sign-up for someone else's address (pre-hijack)", () => {
  it("holds no password: the mailbox's owner chooses it, and gets a village of their own", async () => {
    const victim = `victim.${unique()}@example.org`;
    const attacker = await server.guest();
    const attackerPassword = "the attacker's own password";
    // The attacker names the victim's address and a password (an older client's field): 202 as always.
    const asked = await requestSignUp({ email: victim, password: attackerPassword, name: `Ortie ${unique()}` }, attacker.token);
    expect(asked.status).toBe(202);
    const [pending] = await pendingFor(victim);
    expect(JSON.stringify(pending)).not.toMatch(/argon2|password/);
    // The attacker cannot confirm without the mailed token; the owner opens the link in their own browser.
    const link = await mailedConfirmationToken(server.url, victim);
    const opened = await confirm(link, "the owner's chosen password");
    expect(opened.status).toBe(201);
    // A new player and village: the attacker's guest village, name aside, is not handed to the owner.
    expect(opened.body.player.id).not.toBe(attacker.player.id);
    expect(opened.body.villageId).not.toBe(attacker.villageId);
    expect((await me(attacker.token)).body).toMatchObject({ player: { id: attacker.player.id }, account: null });
    expect((await signIn({ email: victim, password: attackerPassword })).status).toBe(401);
    expect((await signIn({ email: victim, password: "the owner's chosen password" })).status).toBe(200);
  });

  it("creates no account and no session without the password chosen from the link", async () => {
    const email = `nopass.${unique()}@example.org`;
    expect((await requestSignUp({ email, name: `Bourrache ${unique()}` })).status).toBe(202);
    const link = await mailedConfirmationToken(server.url, email);
    for (const password of [undefined, "", "short", 42, "x".repeat(201)]) {
      const res = await server.api<ApiErrorBody>("/api/account/confirm", { body: { token: link, password } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
      expect(Object.keys(res.body.error.fields ?? {})).toEqual(["password"]);
    }
    expect(await db().$count(accounts, eq(accounts.email, email))).toBe(0);
    // The link still works for its owner.
    expect((await confirm(link, "now a real password")).status).toBe(201);
  });

  it("never blocks the owner: the owner's newer sign-up wins, and the older link stops working", async () => {
    const email = `owner.${unique()}@example.org`;
    const attacker = await server.guest();
    expect((await requestSignUp({ email, name: `Squatter ${unique()}` }, attacker.token)).status).toBe(202);
    const attackersLink = await mailedConfirmationToken(server.url, email);
    const ownerName = `Owner ${unique()}`;
    const owner = await server.guest();
    expect((await requestSignUp({ email, name: ownerName }, owner.token)).status).toBe(202);
    const ownersLink = await mailedConfirmationToken(server.url, email);
    expect((await confirm(attackersLink, "a password somebody chose", attacker.token)).body.error.code).toBe("confirmation_invalid");
    const res = await confirm(ownersLink, "the owner's password here", owner.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ player: { id: owner.player.id, name: ownerName }, villageId: owner.villageId });
    expect((await me(attacker.token)).body.account).toBeNull();
  });
  it("shows the link's name without using the link, and lets whoever opens it choose another", async () => {
    const email = `renamed.${unique()}@example.org`;
    const squatterName = `Squatter ${unique()}`;
    expect((await requestSignUp({ email, name: squatterName })).status).toBe(202);
    const link = await mailedConfirmationToken(server.url, email);
    expect((await preview(link)).body).toEqual({ name: squatterName });
    expect((await preview(link)).status).toBe(200);
    // A bad or taken name is refused before the link is used: it still works afterwards.
    const taken = await signUpAccount(server, "Taken");
    expect((await confirm(link, "the owner's password", undefined, taken.player.name.toUpperCase())).body.error.code).toBe("name_taken");
    expect((await confirm(link, "the owner's password", undefined, "Bad\u0007Name")).body.error.code).toBe("name_invalid");
    const ownName = `Owner ${unique()}`;
    const res = await confirm(link, "the owner's password", undefined, ownName);
    expect(res.status).toBe(201);
    expect(res.body.player.name).toBe(ownName);
    expect((await me(res.body.token)).body.player.name).toBe(ownName);
    // The squatter's name is free again; the used link previews nothing.
    expect((await requestSignUp({ email: `later.${unique()}@example.org`, name: squatterName })).status).toBe(202);
    for (const bad of [link, "hc_unknown"]) expect((await preview(bad)).body.error.code).toBe("confirmation_invalid");
    expect((await preview("")).status).toBe(400);
  });

  it("lets the owner through the newest link even when sign-ups for the address are used up", async () => {
    const email = `flooded.${unique()}@example.org`;
    const attacker = await server.guest();
    for (let i = 0; i < 5; i++) expect((await requestSignUp({ email, name: `Flood ${unique()}` }, attacker.token)).status).toBe(202);
    expect((await requestSignUp({ email, name: `Owner ${unique()}` })).status).toBe(429);
    const ownName = `Mailbox ${unique()}`;
    const res = await confirm(await mailedConfirmationToken(server.url, email), "the owner's own password", undefined, ownName);
    expect(res.status).toBe(201);
    expect(res.body.player).toMatchObject({ name: ownName });
    expect(res.body.player.id).not.toBe(attacker.player.id);
  });
});
