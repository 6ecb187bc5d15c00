// @both-databases: only the player's own paid gifts.
/**
 * "Your impact" (GET /api/me/impact) on the real server: the caller's own
 * paid gifts still in a village (another player's never, a refunded or unpaid
 * one never), the projects they helped with their fund-trail stage, the NGOs'
 * newest photos about those projects only, and what an attacker gets: no
 * session 401, someone else's id in the query ignored, 20 calls at once alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import { parisDate } from "../../shared/fund-trail.ts";
import type { MyImpactResponse } from "../../shared/my-impact.ts";
import { impactWorld } from "../support/impact-world.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let catalog: CatalogResponse;
const w = impactWorld(() => server, () => catalog);

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
});
afterAll(async () => {
  await server?.stop();
});

const impactOf = (who: SessionResponse | null, query = "") =>
  server.api<MyImpactResponse & ApiErrorBody>(`/api/me/impact${query}`, who ? { token: who.token } : {});

describe("your impact", () => {
  it("is empty for a new player, with the digest off", async () => {
    const res = await impactOf(await server.guest());
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.body).toEqual({ counters: { gifts: 0, projects: 0, ngos: 0, inUse: 0 }, projects: [], photos: [], digest: false });
  });

  it("counts the caller's own paid gifts only, refunded and unpaid ones left out, with each project's stage and the photos of those projects", async () => {
    const [me, someoneElse] = [await server.guest(), await server.guest()];
    await w.paid(me, [["chevre", 2], ["arrosoir", 1]]);
    const refunded = await w.paid(me, [["ruche", 1]]);
    await w.refundAll(refunded);
    const unpaid = await w.g.checkout(me, [["puits", 1]]);
    expect(unpaid.status).toBe(201);
    await w.paid(someoneElse, [["puits", 1], ["chevre", 1]]);

    // The goats left for the field; a photo about the livestock, one about the well (not mine), one without a photo.
    await w.step("chevre", "sent_to_field", parisDate(Date.now()));
    await w.update("elevage-familial-burkina", { fr: "Les chèvres sont arrivées au village", en: "The goats reached the village" }, { photo: true });
    await w.update("eau-potable-madagascar", { fr: "Le puits est creusé", en: "The well is dug" }, { photo: true });
    await w.update("jardins-scolaires-senegal", { fr: "Premiers semis", en: "First sowing" });

    const res = await impactOf(me);
    expect(res.status).toBe(200);
    expect(res.body.counters).toEqual({ gifts: 3, projects: 2, ngos: 1, inUse: 0 });
    const livestock = await w.project("elevage-familial-burkina");
    const gardens = await w.project("jardins-scolaires-senegal");
    expect(res.body.projects).toEqual([
      {
        projectId: livestock, name: { fr: "Élevage familial au Burkina Faso", en: "Family livestock in Burkina Faso" },
        ngo: { id: (await w.ngo()).ngo.id, name: (await w.ngo()).ngo.name }, sprite: "goat", units: 2,
        stages: { funded: 0, sentToField: 2, inUse: 0 }, stage: "sent_to_field", progress: 50,
      },
      expect.objectContaining({ projectId: gardens, sprite: "watering-can", units: 1, stage: "funded", progress: 0 }),
    ]);
    expect(res.body.photos).toHaveLength(1);
    expect(res.body.photos[0]).toMatchObject({
      alt: { fr: "Les chèvres sont arrivées au village", en: "The goats reached the village" },
      project: { en: "Family livestock in Burkina Faso" }, url: expect.stringMatching(/^\/media\/photos\/[0-9a-f-]{36}$/), width: 640, height: 480,
    });
    // The photo is public once published: an <img> loads it without a token.
    expect((await fetch(server.url + res.body.photos[0]!.url)).status).toBe(200);
    // No amount anywhere: only units and stages.
    expect(JSON.stringify(res.body)).not.toMatch(/cents|amount|price/i);

    // The other donor sees their own, never mine.
    const theirs = await impactOf(someoneElse);
    expect(theirs.body.counters).toEqual({ gifts: 2, projects: 2, ngos: 1, inUse: 0 });
    expect(theirs.body.photos.map((p) => p.alt.en).sort()).toEqual(["The goats reached the village", "The well is dug"]);

    // In use: the furthest stage, progress 100 once every unit is there.
    await w.step("chevre", "in_use", parisDate(Date.now()));
    const later = await impactOf(me);
    expect(later.body.counters.inUse).toBe(2);
    expect(later.body.projects[0]).toMatchObject({ projectId: livestock, stage: "in_use", progress: 100, stages: { funded: 0, sentToField: 0, inUse: 2 } });
  });

  it("refuses without a session, ignores someone else's id, and answers 20 calls at once alike", async () => {
    const [me, victim] = [await server.guest(), await server.guest()];
    await w.paid(victim, [["poules", 1]]);
    for (const res of [await impactOf(null), await server.api<ApiErrorBody>("/api/me/impact", { token: "not-a-token" })]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    const probing = await impactOf(me, `?playerId=${victim.player.id}&player=${victim.player.id}`);
    expect(probing.status).toBe(200);
    expect(probing.body.counters.gifts).toBe(0);
    expect((await server.api<ApiErrorBody>(`/api/me/impact?x=%00`, { token: me.token })).status).toBe(400);
    const all = await Promise.all(Array.from({ length: 20 }, () => impactOf(victim)));
    expect(new Set(all.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(all.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(all[0]!.body.counters).toEqual({ gifts: 1, projects: 1, ngos: 1, inUse: 0 });
  });

  it("tells whether the monthly digest is on", async () => {
    const me = await server.guest();
    expect((await server.api("/api/account/settings", { method: "PATCH", token: me.token, body: { impactDigest: true } })).status).toBe(200);
    expect((await impactOf(me)).body.digest).toBe(true);
  });
});
