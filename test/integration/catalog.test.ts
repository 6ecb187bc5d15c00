// @both-databases: the embedded default answers its first requests.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse } from "../../shared/api.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe("GET /api/catalog", () => {
  it("lists the demo NGO's gifts, priced in integer cents, in French and English", async () => {
    const res = await server.api<CatalogResponse>("/api/catalog");
    expect(res.status).toBe(200);
    const gifts = res.body.gifts;
    expect(gifts.length).toBeGreaterThanOrEqual(6);
    const prices = gifts.map((g) => g.priceCents);
    expect(Math.min(...prices)).toBe(100);
    expect(Math.max(...prices)).toBeGreaterThanOrEqual(15000);
    for (const g of gifts) {
      expect(Number.isInteger(g.priceCents)).toBe(true);
      expect(g.currency).toBe("EUR");
      expect(g.name.fr && g.name.en && g.impact.fr && g.impact.en).toBeTruthy();
      expect(g.project.name.fr).toBeTruthy();
      expect(g.ngo.name).toBeTruthy();
      expect(existsSync(path.resolve("assets/sprites", `${g.sprite}.svg`))).toBe(true);
    }
    expect(gifts.map((g) => g.slug)).toEqual(expect.arrayContaining(["sachet-de-graines", "poules", "chevre", "puits", "tracteur"]));
  });

  it("serves the sprites it names", async () => {
    const { body } = await server.api<CatalogResponse>("/api/catalog");
    const res = await fetch(`${server.url}/assets/sprites/${body.gifts[0]!.sprite}.svg`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<svg");
  });
});

describe("the rest of the API surface", () => {
  it("reports health", async () => {
    const res = await server.api<{ ok: boolean; database: string }>("/healthz");
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.database).toBe(server.database.kind);
  });

  it("answers unknown API routes with a JSON 404", async () => {
    const res = await server.api<{ error: { code: string } }>("/api/nope");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });

  it("creates a guest with a village, and recognises its token", async () => {
    const guest = await server.guest();
    expect(guest.token).toMatch(/^hg_/);
    const me = await server.api<{ player: { id: string }; villageId: string }>("/api/me", { token: guest.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      player: guest.player, villageId: guest.villageId, account: null, settings: { villageVisibility: "friends", showPresence: false, showOnLeaderboards: false, shareReferrals: true, showAmountsOnLeaderboards: false, impactDigest: false },
    });
    expect((await server.api("/api/me", { token: "hg_forged" })).status).toBe(401);
    expect((await server.api("/api/me")).status).toBe(401);
  });

  it("does not echo arbitrary origins for CORS", async () => {
    const res = await fetch(`${server.url}/api/catalog`, { headers: { origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});
