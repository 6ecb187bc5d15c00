/**
 * Crops and decorations spread over levels, and the seasonal shop, enforced
 * by the server with real SDK clients: a crop or decoration above the
 * player's level is refused (`level_too_low`) with nothing written, and
 * allowed once the level is reached; a collection's reward is never sold
 * (`not_for_sale`); a seasonal decoration is refused out of its Paris window
 * (`out_of_season`) and sold inside it (the test clock moves to late November,
 * then to 1 December in Paris).
 */
import { type Room } from "@colyseus/sdk";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { DECORATIONS } from "../../shared/decorations.ts";
import type { RoomErrorMessage } from "../../shared/messages.ts";
import { parisMidnightOf } from "../../shared/paris-day.ts";
import { xpToReach } from "../../shared/progression.ts";
import { VillageState } from "../../shared/state.ts";
import { playerProgress, players, villageItems } from "../../server/db/schema.ts";
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

/** Noon UTC on the next 25 November (no seasonal decoration of winter is in the shop yet). */
function lateNovember(now: number): number {
  const year = new Date(now).getUTCFullYear();
  const thisYear = Date.parse(`${year}-11-25T12:00:00Z`);
  return thisYear > now ? thisYear : Date.parse(`${year + 1}-11-25T12:00:00Z`);
}

/** Sends an action and waits for its refusal (a pause first keeps under the room's per-client message rate). */
async function refused(type: string, payload: unknown): Promise<RoomErrorMessage> {
  await new Promise((r) => setTimeout(r, 400));
  return new Promise((resolve) => {
    const off = room.onMessage("error", (m: RoomErrorMessage) => {
      off();
      resolve(m);
    });
    room.send(type, payload);
  });
}

async function itemsOf(villageId: string) {
  return db().select({ decorationId: villageItems.decorationId, crop: villageItems.crop }).from(villageItems).where(eq(villageItems.villageId, villageId));
}
async function setXp(playerId: string, xp: number) {
  await db().insert(playerProgress).values({ playerId, xp }).onConflictDoUpdate({ target: playerProgress.playerId, set: { xp } });
}
const coinsOf = async (id: string) => (await db().select({ coins: players.coins }).from(players).where(eq(players.id, id)))[0]!.coins;

beforeAll(async () => {
  clock.advance(lateNovember(clock.now()) - clock.now());
  database = await persistentDatabase();
  server = await startTestServer({ database, now: clock.now });
  owner = await signUpAccount(server, "Climber");
  await db().update(players).set({ coins: 1000 }).where(eq(players.id, owner.player.id));
  room = await joinVillageRoom(server.url, owner.token, owner.villageId);
  for (const type of ["ownerView", "cropWatered", "harvested", "giftArrived", "notification", "emergency", "referrals", "progress"]) room.onMessage(type, () => {});
  await vi.waitFor(() => expect(room.state.villageId).toBe(owner.villageId));
});
afterAll(async () => {
  await room?.leave().catch(() => {});
  await server?.stop();
  await database?.drop();
});

describe("what levels unlock, on the server", () => {
  it("refuses a crop and a decoration above the player's level, writing nothing", async () => {
    const before = await itemsOf(owner.villageId);
    expect(await refused("plant", { crop: "tomato", x: 0, y: 0 })).toMatchObject({ code: "level_too_low", about: "plant" });
    expect(await refused("plant", { crop: "watermelon", x: 1, y: 0 })).toMatchObject({ code: "level_too_low", about: "plant" });
    expect(await refused("buyDecoration", { decorationId: "castle" })).toMatchObject({ code: "level_too_low", about: "buyDecoration" });
    expect(await itemsOf(owner.villageId)).toEqual(before);
    expect(await coinsOf(owner.player.id)).toBe(1000);
  });

  it("allows them from their level on", async () => {
    await setXp(owner.player.id, xpToReach(8));
    room.send("plant", { crop: "watermelon", x: 1, y: 0 });
    await vi.waitFor(() => expect([...room.state.items.values()].some((i) => i.kind === "crop" && i.x === 1 && i.y === 0)).toBe(true));
    expect(await refused("buyDecoration", { decorationId: "castle" })).toMatchObject({ code: "level_too_low" });
    await setXp(owner.player.id, xpToReach(10));
    room.send("buyDecoration", { decorationId: "castle" });
    await vi.waitFor(async () => expect((await itemsOf(owner.villageId)).some((i) => i.decorationId === "castle")).toBe(true));
    expect(await coinsOf(owner.player.id)).toBe(1000 - DECORATIONS.castle.coins);
  });

  it("never sells a collection's reward", async () => {
    expect(await refused("buyDecoration", { decorationId: "ferris-wheel" })).toMatchObject({ code: "not_for_sale", about: "buyDecoration" });
    expect((await itemsOf(owner.villageId)).some((i) => i.decorationId === "ferris-wheel")).toBe(false);
  });
});

describe("the seasonal shop, on the server", () => {
  it("refuses a winter decoration in late November, and sells it from midnight in Paris on 1 December", async () => {
    const coins = await coinsOf(owner.player.id);
    expect(await refused("buyDecoration", { decorationId: "snowman" })).toMatchObject({ code: "out_of_season", about: "buyDecoration" });
    expect(await refused("buyDecoration", { decorationId: "beach-umbrella" })).toMatchObject({ code: "out_of_season" });
    expect(await coinsOf(owner.player.id)).toBe(coins);
    expect((await itemsOf(owner.villageId)).some((i) => i.decorationId === "snowman")).toBe(false);

    const year = new Date(clock.now()).getUTCFullYear();
    clock.advance(parisMidnightOf(`${year}-12-01`) + 60_000 - clock.now());
    room.send("buyDecoration", { decorationId: "snowman" });
    await vi.waitFor(async () => expect((await itemsOf(owner.villageId)).some((i) => i.decorationId === "snowman")).toBe(true));
    expect(await coinsOf(owner.player.id)).toBe(coins - DECORATIONS.snowman.coins);
    expect(await refused("buyDecoration", { decorationId: "ghost" })).toMatchObject({ code: "out_of_season" });
  });
});
