/**
 * Accounts: sign up (a guest keeps their village), sign in, sign out, the
 * same refusal whether or not an email exists, rate limits, and sessions the
 * API and the village rooms both trust.
 */
import { Client } from "@colyseus/sdk";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeResponse, SessionResponse } from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import { ROOM_VILLAGE } from "../../shared/messages.ts";
import type { PrivacySettings } from "../../shared/social.ts";
import { accounts, sessions, villageItems } from "../../server/db/schema.ts";
import { uniqueSuffix } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const unique = uniqueSuffix;
const signUp = (body: unknown, token?: string) => server.api<SessionResponse & ApiErrorBody>("/api/account/signup", { body, token });
const signIn = (body: unknown) => server.api<SessionResponse & ApiErrorBody>("/api/account/signin", { body });
const me = (token: string) => server.api<MeResponse>("/api/me", { token });

describe("sign up", () => {
  it("turns a guest into an account that keeps the same player and village", async () => {
    const guest = await server.guest();
    const before = await server.hameau.database.db.select().from(villageItems).where(eq(villageItems.villageId, guest.villageId));
    const email = `Guest.${unique()}@Example.org`;
    const res = await signUp({ email, password: "un mot de passe solide", name: `Capucine ${unique()}` }, guest.token);
    expect(res.status).toBe(201);
    expect(res.body.player.id).toBe(guest.player.id);
    expect(res.body.villageId).toBe(guest.villageId);
    expect(res.body.token).not.toBe(guest.token);
    // The guest token is replaced; the new one is an account session.
    expect((await me(guest.token)).status).toBe(401);
    const mine = await me(res.body.token);
    expect(mine.body).toMatchObject({ player: { id: guest.player.id }, account: { email: email.toLowerCase() }, settings: { villageVisibility: "friends", showPresence: false } });
    const after = await server.hameau.database.db.select().from(villageItems).where(eq(villageItems.villageId, guest.villageId));
    expect(after.map((i) => i.id).sort()).toEqual(before.map((i) => i.id).sort());
    // The password is stored as argon2id, never in clear.
    const [row] = await server.hameau.database.db.select().from(accounts).where(eq(accounts.playerId, guest.player.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.passwordHash).not.toContain("solide");
  });

  it("creates a new player and village without a guest token", async () => {
    const res = await signUp({ email: `new.${unique()}@example.org`, password: "correct horse battery", name: `Basilic ${unique()}` });
    expect(res.status).toBe(201);
    expect((await me(res.body.token)).body.villageId).toBe(res.body.villageId);
  });

  it("refuses bad input field by field, and writes nothing", async () => {
    const countBefore = await server.hameau.database.db.$count(accounts);
    const res = await signUp({ email: "not an email", password: "short", name: "x" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(Object.keys(res.body.error.fields ?? {}).sort()).toEqual(["email", "password"]);
    const badName = await signUp({ email: `n.${unique()}@example.org`, password: "long enough password", name: "Bad\u0000Name" });
    expect(badName.body.error.code).toBe("name_invalid");
    const tooLong = await signUp({ email: `n.${unique()}@example.org`, password: "long enough password", name: "x".repeat(25) });
    expect(tooLong.body.error.code).toBe("name_invalid");
    expect(await server.hameau.database.db.$count(accounts)).toBe(countBefore);
  });

  it("refuses a taken email without saying so, and a taken name (names are public)", async () => {
    const email = `taken.${unique()}@example.org`;
    const name = `Lavande ${unique()}`;
    expect((await signUp({ email, password: "first password here", name })).status).toBe(201);
    const guest = await server.guest();
    const again = await signUp({ email: email.toUpperCase(), password: "another password", name: `Other ${unique()}` }, guest.token);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("signup_failed");
    // The guest is still a guest, its token still works.
    expect((await me(guest.token)).body.account).toBeNull();
    const sameName = await signUp({ email: `x.${unique()}@example.org`, password: "another password", name: name.toUpperCase() });
    expect(sameName.status).toBe(409);
    expect(sameName.body.error.code).toBe("name_taken");
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
    const client = new Client(server.url);
    client.auth.token = other.token;
    await expect(client.joinOrCreate(ROOM_VILLAGE, { villageId: account.villageId })).rejects.toThrow(/sign in/i);
    client.auth.token = account.token;
    const room = await client.joinOrCreate(ROOM_VILLAGE, { villageId: account.villageId });
    await room.leave();
  });

  it("stops accepting an expired session", async () => {
    const fresh = (await signIn({ email, password })).body;
    await server.hameau.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.playerId, account.player.id));
    expect((await me(fresh.token)).status).toBe(401);
    account = (await signIn({ email, password })).body;
  });

  it("limits sign-in attempts per email, whatever the address", async () => {
    const target = `limited.${unique()}@example.org`;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await signIn({ email: target, password: "guess number " + i })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await signIn({ email: target, password: "another guess" });
    expect((limited.body as ApiErrorBody).error.code).toBe("rate_limited");
  });
});

describe("privacy settings", () => {
  it("start private and change only through the owner's session", async () => {
    const s = (await signUp({ email: `p.${unique()}@example.org`, password: "settings password", name: `Mimosa ${unique()}` })).body;
    expect((await me(s.token)).body.settings).toEqual({ villageVisibility: "friends", showPresence: false });
    const res = await server.api<PrivacySettings>("/api/account/settings", { method: "PATCH", token: s.token, body: { villageVisibility: "public" } });
    expect(res.body).toEqual({ villageVisibility: "public", showPresence: false });
    const bad = await server.api<ApiErrorBody>("/api/account/settings", { method: "PATCH", token: s.token, body: { villageVisibility: "everyone" } });
    expect(bad.status).toBe(400);
    expect((await server.api("/api/account/settings", { method: "PATCH", body: { showPresence: true } })).status).toBe(401);
  });
});
