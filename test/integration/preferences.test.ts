/**
 * The player's preferences (GET/PATCH /api/me/preferences): sound is off for
 * a new guest, turned on it stays on for every session of that player (it
 * follows them to another device), it is theirs alone, it is in their data
 * export, and a bad body is refused 400 with nothing written.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { PreferencesView } from "../../shared/sound.ts";
import { players } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const prefs = (token?: string) => server.api<PreferencesView>("/api/me/preferences", token ? { token } : {});
const patch = (token: string, body: unknown) => server.api<PreferencesView & { error?: { code: string } }>("/api/me/preferences", { method: "PATCH", token, body });
const soundInDb = async (playerId: string) => (await server.hameau.database.db.select({ on: players.soundOn }).from(players).where(eq(players.id, playerId)))[0]!.on;

describe("sound preference", () => {
  it("is off for a new player, and on for every session of that player once turned on", async () => {
    const guest = await server.guest();
    const other = await server.guest();
    expect((await prefs(guest.token)).body).toEqual({ soundOn: false, mailLocale: "fr" });

    const on = await patch(guest.token, { soundOn: true });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ soundOn: true, mailLocale: "fr" });
    expect(await soundInDb(guest.player.id)).toBe(true);
    expect((await prefs(guest.token)).body).toEqual({ soundOn: true, mailLocale: "fr" });
    // Nobody else's changed.
    expect((await prefs(other.token)).body).toEqual({ soundOn: false, mailLocale: "fr" });
    // An empty change changes nothing.
    expect((await patch(guest.token, {})).body).toEqual({ soundOn: true, mailLocale: "fr" });

    const exported = await server.api<{ player: { preferences: PreferencesView } }>("/api/me/export", { token: guest.token });
    expect(exported.body.player.preferences).toEqual({ soundOn: true, mailLocale: "fr" });

    expect((await patch(guest.token, { soundOn: false })).body).toEqual({ soundOn: false, mailLocale: "fr" });
    expect(await soundInDb(guest.player.id)).toBe(false);
  });

  it("keeps the language of the monthly digest, which leaves the sound as it was", async () => {
    const guest = await server.guest();
    const english = await patch(guest.token, { mailLocale: "en" });
    expect(english.status).toBe(200);
    expect(english.body).toEqual({ soundOn: false, mailLocale: "en" });
    expect((await patch(guest.token, { soundOn: true })).body).toEqual({ soundOn: true, mailLocale: "en" });
    for (const body of [{ mailLocale: "de" }, { mailLocale: "" }, { mailLocale: null }, { mailLocale: "fr\u0000" }]) {
      expect((await patch(guest.token, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await prefs(guest.token)).body).toEqual({ soundOn: true, mailLocale: "en" });
  });

  it("follows the player to another device (a second session of the same account)", async () => {
    const account = await signUpAccount(server, "Sound");
    expect((await patch(account.token, { soundOn: true })).status).toBe(200);
    const signedIn = await server.api<SessionResponse>("/api/account/signin", { body: { email: account.email, password: account.password } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.token).not.toBe(account.token);
    expect((await prefs(signedIn.body.token)).body).toEqual({ soundOn: true, mailLocale: "fr" });
  });

  it("refuses a bad body with 400 and writes nothing, and answers 401 without a session", async () => {
    const guest = await server.guest();
    for (const body of [{ soundOn: "yes" }, { soundOn: 1 }, { soundOn: null }, { soundOn: true, volume: 3 }, [true], "on"]) {
      const res = await patch(guest.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error?.code).toBeTruthy();
    }
    expect(await soundInDb(guest.player.id)).toBe(false);
    expect((await prefs()).status).toBe(401);
    expect((await server.api("/api/me/preferences", { method: "PATCH", body: { soundOn: true } })).status).toBe(401);
  });
});
