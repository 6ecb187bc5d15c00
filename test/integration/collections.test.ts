// @both-databases: a set's reward granted once under concurrent claims.
/**
 * Collections with real HTTP and SDK clients: a complete set's decoration is
 * granted exactly once under 20 concurrent claims (one 200, nineteen 409, one
 * village item, seen live in the owner's room); an incomplete set 409, an
 * unknown one 404, nobody without a session; a harvest books the piece its
 * seeded roll says (or none).
 */
import { type Room } from "@colyseus/sdk";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { SETS } from "../../shared/collections.ts";
import type { CollectionsView, SetClaimResponse } from "../../shared/collections-api.ts";
import { CROPS } from "../../shared/farming.ts";
import { VillageState } from "../../shared/state.ts";
import { collectionClaims, collectionPieces, villageItems } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { TestClock } from "../support/clock.ts";
import { persistentDatabase, type TestDatabase } from "../support/database.ts";
import { joinVillageRoom } from "../support/room-join.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

type VillageRoom = Room<any, VillageState>;
const clock = new TestClock();
let database: TestDatabase;
let server: TestServer;
let owner: SessionResponse;
let room: VillageRoom;
const db = () => server.hameau.database.db;

beforeAll(async () => {
  database = await persistentDatabase();
  server = await startTestServer({ database, now: clock.now });
  owner = await signUpAccount(server, "Collector");
  room = await joinVillageRoom(server.url, owner.token, owner.villageId);
  for (const type of ["ownerView", "cropWatered", "harvested", "giftArrived", "notification", "emergency", "referrals", "progress"]) room.onMessage(type, () => {});
  await vi.waitFor(() => expect(room.state.villageId).toBe(owner.villageId));
});
afterAll(async () => {
  await room?.leave().catch(() => {});
  await server?.stop();
  await database?.drop();
});

const rewardsIn = async (decorationId: string) =>
  (await db().select().from(villageItems).where(and(eq(villageItems.villageId, owner.villageId), eq(villageItems.decorationId, decorationId)))).length;

describe("collections", () => {
  it("shows every set empty at first, and refuses a claim without a session, for an incomplete or an unknown set", async () => {
    const view = await server.api<CollectionsView>("/api/collections", { token: owner.token });
    expect(view.status).toBe(200);
    expect(view.body.sets.map((s) => [s.id, s.found.length, s.complete, s.claimed])).toEqual([
      ["meadow", 0, false, false], ["orchard", 0, false, false], ["attic", 0, false, false], ["friendship", 0, false, false],
    ]);
    expect((await server.api("/api/collections", {})).status).toBe(401);
    expect((await server.api("/api/collections/meadow/claim", { method: "POST", body: {} })).status).toBe(401);
    const incomplete = await server.api("/api/collections/meadow/claim", { method: "POST", token: owner.token, body: {} });
    expect([incomplete.status, incomplete.body]).toEqual([409, { error: expect.objectContaining({ code: "set_incomplete" }) }]);
    const unknown = await server.api("/api/collections/toString/claim", { method: "POST", token: owner.token, body: {} });
    expect([unknown.status, unknown.body]).toEqual([404, { error: expect.objectContaining({ code: "set_unknown" }) }]);
    expect(await db().select().from(collectionClaims)).toEqual([]);
  });

  it("grants a complete set's decoration exactly once under 20 concurrent claims, live in the village", async () => {
    await db().insert(collectionPieces).values(SETS.meadow.pieces.map((pieceId) => ({ playerId: owner.player.id, pieceId, count: 2 })));
    const answers = await Promise.all(Array.from({ length: 20 }, () => server.api<SetClaimResponse>("/api/collections/meadow/claim", { method: "POST", token: owner.token, body: {} })));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => (a.body as unknown as { error: { code: string } }).error.code)).toEqual(Array(19).fill("already_claimed"));
    expect(ok[0]!.body.view.sets.find((s) => s.id === "meadow")).toMatchObject({ complete: true, claimed: true });
    expect(await rewardsIn(SETS.meadow.reward)).toBe(1);
    await vi.waitFor(() => expect([...room.state.items.values()].some((i) => i.id === ok[0]!.body.itemId)).toBe(true));
    const again = await server.api("/api/collections/meadow/claim", { method: "POST", token: owner.token, body: {} });
    expect(again.status).toBe(409);
    expect(await rewardsIn(SETS.meadow.reward)).toBe(1);
  });

  it("books the pieces harvests turn up", async () => {
    let harvests = 0;
    for (let x = 0; x < 8; x += 1) {
      room.send("plant", { crop: "wheat", x, y: 5 });
      await vi.waitFor(() => expect([...room.state.items.values()].some((i) => i.kind === "crop" && i.x === x && i.y === 5)).toBe(true));
    }
    clock.advance(CROPS.wheat.growMs);
    const before = await db().select().from(collectionPieces).where(eq(collectionPieces.playerId, owner.player.id));
    const count = (rows: typeof before) => rows.reduce((n, r) => n + r.count, 0);
    for (const item of [...room.state.items.values()].filter((i) => i.kind === "crop")) {
      await new Promise((r) => setTimeout(r, 250));
      room.send("harvest", { itemId: item.id });
      harvests += 1;
    }
    await vi.waitFor(() => expect([...room.state.items.values()].filter((i) => i.kind === "crop")).toHaveLength(0));
    const after = await db().select().from(collectionPieces).where(eq(collectionPieces.playerId, owner.player.id));
    // Each harvest books at most one piece; what it books is one of the harvest sets' pieces.
    expect(count(after) - count(before)).toBeLessThanOrEqual(harvests);
    const harvestPieces = new Set(["meadow", "orchard", "attic"].flatMap((id) => SETS[id as "meadow"].pieces));
    for (const r of after) expect(harvestPieces.has(r.pieceId as never)).toBe(true);
  });
});
