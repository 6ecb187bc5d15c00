/**
 * The tutorial's server side, with real SDK clients: a new player's first
 * crop asked for by the tutorial (plant { starter: true }) is ripe 20 s after
 * planting and at its first watering; the server grants it only to a player
 * with no coins and nothing growing, never twice in a row, never to a plain
 * plant message. The demo neighbour is there to visit (GET
 * /api/tutorial/neighbour), public, for a guest with no friends.
 */
import { type Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionResponse, TutorialNeighbourResponse } from "../../shared/api.ts";
import { CROPS } from "../../shared/farming.ts";
import type { HarvestedMessage, RoomErrorMessage } from "../../shared/messages.ts";
import { STARTER_RIPE_MS } from "../../shared/starter-crop.ts";
import { VillageState } from "../../shared/state.ts";
import { DEMO_NEIGHBOUR } from "../../server/db/seed-neighbour.ts";
import { TestClock } from "../support/clock.ts";
import { joinVillageRoom } from "../support/room-join.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

type VillageRoom = Room<any, VillageState>;

const clock = new TestClock();
let server: TestServer;
const rooms: VillageRoom[] = [];

beforeAll(async () => {
  server = await startTestServer({ now: clock.now });
});
afterAll(async () => {
  await Promise.all(rooms.map((r) => r.leave().catch(() => {})));
  await server?.stop();
});

async function home(who: SessionResponse): Promise<VillageRoom> {
  const room = await joinVillageRoom(server.url, who.token, who.villageId);
  rooms.push(room);
  room.onMessage("ownerView", () => {});
  room.onMessage("cropWatered", () => {});
  await vi.waitFor(() => expect(room.state.villageId).toBe(who.villageId));
  return room;
}

const cropAt = (room: VillageRoom, x: number, y: number) => [...room.state.items.values()].find((i) => i.kind === "crop" && i.x === x && i.y === y);

async function plant(room: VillageRoom, x: number, y: number, starter?: boolean) {
  room.send("plant", { crop: "wheat", x, y, ...(starter === undefined ? {} : { starter }) });
  await vi.waitFor(() => expect(cropAt(room, x, y)).toBeDefined());
  return cropAt(room, x, y)!;
}

/** How long until the crop at this tile is ripe, from the synchronised state and the server's clock. */
function ripeIn(room: VillageRoom, x: number, y: number): number {
  const item = cropAt(room, x, y)!;
  return Math.max(0, CROPS.wheat.growMs - (clock.now() - Number(item.plantedAt)) - item.growthMs);
}

function harvested(room: VillageRoom): Promise<HarvestedMessage> {
  return new Promise((resolve) => {
    const off = room.onMessage("harvested", (m: HarvestedMessage) => (off(), resolve(m)));
  });
}
function nextError(room: VillageRoom): Promise<RoomErrorMessage> {
  return new Promise((resolve) => {
    const off = room.onMessage("error", (m: RoomErrorMessage) => (off(), resolve(m)));
  });
}

describe("the starter crop", () => {
  it("is ripe at its first watering for a new player, and harvested for its coins", async () => {
    const guest = await server.guest();
    const room = await home(guest);
    const crop = await plant(room, 9, 7, true);
    // Ripe 20 s after planting (the state carries the head start)…
    expect(ripeIn(room, 9, 7)).toBeLessThanOrEqual(STARTER_RIPE_MS);
    expect(ripeIn(room, 9, 7)).toBeGreaterThan(STARTER_RIPE_MS - 5_000);
    // …and ripe at once when watered.
    room.send("water", { itemId: crop.id });
    await vi.waitFor(() => expect(ripeIn(room, 9, 7)).toBe(0));
    const got = harvested(room);
    room.send("harvest", { itemId: crop.id });
    expect(await got).toMatchObject({ itemId: crop.id, coins: CROPS.wheat.coins });
  });

  it("is refused to a player with coins, or with a crop growing, or without asking", async () => {
    // Without asking: a normal crop.
    const plain = await server.guest();
    const plainRoom = await home(plain);
    await plant(plainRoom, 8, 7);
    expect(ripeIn(plainRoom, 8, 7)).toBeGreaterThan(CROPS.wheat.growMs - 5_000);
    // Asking with a crop already growing: a normal crop (no second head start).
    await plant(plainRoom, 9, 7, true);
    expect(ripeIn(plainRoom, 9, 7)).toBeGreaterThan(CROPS.wheat.growMs - 5_000);

    // Asking after the first harvest (coins earned): a normal crop.
    const guest = await server.guest();
    const room = await home(guest);
    const first = await plant(room, 9, 7, true);
    clock.advance(STARTER_RIPE_MS);
    const got = harvested(room);
    room.send("harvest", { itemId: first.id });
    await got;
    await plant(room, 10, 7, true);
    expect(ripeIn(room, 10, 7)).toBeGreaterThan(CROPS.wheat.growMs - 5_000);
  });

  it("refuses a starter flag that is not a boolean, writing nothing", async () => {
    const guest = await server.guest();
    const room = await home(guest);
    const error = nextError(room);
    room.send("plant", { crop: "wheat", x: 9, y: 7, starter: "yes" });
    expect(await error).toMatchObject({ code: "bad_request", about: "plant" });
    expect(cropAt(room, 9, 7)).toBeUndefined();
  });
});

describe("the demo neighbour", () => {
  it("is named by the API and a guest with no friends may visit its village", async () => {
    const res = await server.api<TutorialNeighbourResponse>("/api/tutorial/neighbour");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ villageId: DEMO_NEIGHBOUR.villageId, name: DEMO_NEIGHBOUR.name });
    const guest = await server.guest();
    const room = await joinVillageRoom(server.url, guest.token, res.body.villageId);
    rooms.push(room);
    await vi.waitFor(() => expect(room.state.villageId).toBe(DEMO_NEIGHBOUR.villageId));
    expect(room.state.ownerId).toBe(DEMO_NEIGHBOUR.playerId);
    const kinds = [...room.state.items.values()].map((i) => i.kind);
    expect(kinds.filter((k) => k === "crop").length).toBeGreaterThanOrEqual(4);
    expect(kinds).toContain("decoration");
  });
});
