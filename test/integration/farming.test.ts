// @both-databases: coins and crops across a restart.
/**
 * The free farming loop with real SDK clients: the owner plants, a friend
 * waters, the owner harvests for coins once the (test) clock has moved on and
 * buys a decoration. What is the owner's alone (coins, helpers' names) never
 * reaches a visitor; a visitor's forged owner action is refused and changes
 * nothing in the database; an action carrying a `ref` is answered to its
 * sender alone (done, or the refusal with that ref); coins survive a restart;
 * a paid gift still finds a free tile among the crops.
 */
import { type Room } from "@colyseus/sdk";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { CROPS, WATER_COOLDOWN_MS } from "../../shared/farming.ts";
import { DECORATIONS } from "../../shared/decorations.ts";
import { HELP_REWARD } from "../../shared/friend-help.ts";
import {
  type ActionDoneMessage, type CropWateredMessage, type GiftArrivedMessage, type HarvestedMessage, type OwnerViewMessage, type RoomErrorMessage,
} from "../../shared/messages.ts";
import { VillageState } from "../../shared/state.ts";
import { findFreeTiles } from "../../shared/village.ts";
import { players, villageItems } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { TestClock } from "../support/clock.ts";
import { persistentDatabase, type TestDatabase } from "../support/database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { joinVillageRoom } from "../support/room-join.ts";

type VillageRoom = Room<any, VillageState>;
interface Joined {
  room: VillageRoom;
  views: OwnerViewMessage[];
  watered: CropWateredMessage[];
  harvested: HarvestedMessage[];
}

const clock = new TestClock();
let database: TestDatabase;
let server: TestServer;
let owner: SessionResponse, friend: SessionResponse;
const joined: Joined[] = [];

const account = (prefix: string) => signUpAccount(server, prefix);
async function befriend(a: SessionResponse, b: SessionResponse) {
  await server.api("/api/friends/requests", { token: a.token, body: { name: b.player.name } });
  expect((await server.api(`/api/friends/${a.player.id}/accept`, { method: "POST", token: b.token })).status).toBe(204);
}

/** Joins a village and records, from the very first frame, every private or farming message the client gets. */
async function join(who: SessionResponse, villageId: string): Promise<Joined> {
  const room = await joinVillageRoom(server.url, who.token, villageId);
  const j: Joined = { room, views: [], watered: [], harvested: [] };
  room.onMessage("ownerView", (m: OwnerViewMessage) => j.views.push(m));
  room.onMessage("cropWatered", (m: CropWateredMessage) => j.watered.push(m));
  room.onMessage("harvested", (m: HarvestedMessage) => j.harvested.push(m));
  room.onMessage("giftArrived", () => {});
  joined.push(j);
  await vi.waitFor(() => expect(room.state.villageId).toBe(villageId));
  return j;
}

function nextError(room: VillageRoom): Promise<RoomErrorMessage> {
  return new Promise((resolve) => {
    const off = room.onMessage("error", (m: RoomErrorMessage) => {
      off();
      resolve(m);
    });
  });
}

/** Sends a message and waits for the error it must get. */
async function refused(room: VillageRoom, type: string, payload: unknown): Promise<RoomErrorMessage> {
  const error = nextError(room);
  room.send(type, payload);
  return error;
}

/** A round trip: everything the server sent this client before it is delivered after it. */
async function settle(room: VillageRoom) {
  expect(await refused(room, "move", { x: 99, y: 0 })).toMatchObject({ code: "bad_request", about: "move" });
}

const db = () => server.hameau.database.db;
async function rowsOf(villageId: string) {
  return db()
    .select({ id: villageItems.id, x: villageItems.x, y: villageItems.y, crop: villageItems.crop, decorationId: villageItems.decorationId, sprite: villageItems.sprite })
    .from(villageItems)
    .where(and(eq(villageItems.villageId, villageId), isNull(villageItems.removedAt)))
    .orderBy(villageItems.id);
}
async function coinsOf(playerId: string) {
  const [row] = await db().select({ coins: players.coins }).from(players).where(eq(players.id, playerId));
  return row!.coins;
}
const stateItems = (room: VillageRoom) => [...room.state.items.values()];
const cropAt = (room: VillageRoom, x: number, y: number) => stateItems(room).find((i) => i.kind === "crop" && i.x === x && i.y === y);

/** The owner plants and waits until the crop is in the state. */
async function plant(home: Joined, crop: keyof typeof CROPS, x: number, y: number) {
  home.room.send("plant", { crop, x, y });
  await vi.waitFor(() => expect(cropAt(home.room, x, y)).toBeDefined());
  return cropAt(home.room, x, y)!.id;
}

beforeAll(async () => {
  database = await persistentDatabase();
  server = await startTestServer({ database, now: clock.now });
  [owner, friend] = [await account("Farmer"), await account("Neighbour")];
  await befriend(owner, friend);
});
afterAll(async () => {
  await Promise.all(joined.map((j) => j.room.leave().catch(() => {})));
  await server?.stop();
});

describe("the farming loop", () => {
  let home: Joined, visit: Joined;
  let wheatId = "";

  beforeAll(async () => {
    home = await join(owner, owner.villageId);
    visit = await join(friend, owner.villageId);
  });

  it("tells the owner, and only the owner, their coins on joining", async () => {
    await vi.waitFor(() => expect(home.views[0]).toEqual({ coins: 0, helpers: {} }));
    await settle(visit.room);
    expect(visit.views).toEqual([]);
  });

  it("plants a free crop on an empty tile, seen by the owner and the visiting friend", async () => {
    const before = clock.now();
    wheatId = await plant(home, "wheat", 6, 0);
    const crop = home.room.state.items.get(wheatId)!;
    expect(crop).toMatchObject({ kind: "crop", cropKind: "wheat", sprite: CROPS.wheat.sprites.ripe, x: 6, y: 0, growthMs: 0, lastWateredAt: 0, helperCount: 0, donated: false, giftId: "" });
    expect(crop.plantedAt).toBeGreaterThanOrEqual(before);
    expect(crop.plantedAt).toBeLessThanOrEqual(clock.now());
    await vi.waitFor(() => expect(visit.room.state.items.get(wheatId)).toMatchObject({ kind: "crop", cropKind: "wheat", x: 6, y: 0, plantedAt: crop.plantedAt }));
    const row = (await rowsOf(owner.villageId)).find((r) => r.id === wheatId)!;
    expect(row).toMatchObject({ x: 6, y: 0, decorationId: null, crop: { kind: "wheat", plantedAt: crop.plantedAt, growthMs: 0, waterings: [] } });
  });

  it("lets the friend water it: it grows faster, the owner learns who helped, the friend sees no private view", async () => {
    const ownerViews = home.views.length;
    const wateredAt = clock.now();
    visit.room.send("water", { itemId: wheatId });
    const bonusMs = CROPS.wheat.growMs / 4;
    const expected = { itemId: wheatId, byName: friend.player.name, byPlayerId: friend.player.id, bonusMs };
    await vi.waitFor(() => expect(home.watered).toEqual([expected]));
    await vi.waitFor(() => expect(visit.watered).toEqual([expected]));
    await vi.waitFor(() => expect(home.views.length).toBe(ownerViews + 1));
    // A friend's help pays the owner a few coins too (shared/friend-help.ts).
    expect(home.views.at(-1)).toEqual({ coins: HELP_REWARD.owner.coins, helpers: { [wheatId]: [friend.player.name] } });
    for (const room of [home.room, visit.room]) {
      await vi.waitFor(() => expect(room.state.items.get(wheatId)).toMatchObject({ growthMs: bonusMs, helperCount: 1 }));
      expect(room.state.items.get(wheatId)!.lastWateredAt).toBeGreaterThanOrEqual(wateredAt);
    }
    await settle(visit.room);
    expect(visit.views).toEqual([]);
    const row = (await rowsOf(owner.villageId)).find((r) => r.id === wheatId)!;
    expect(row.crop).toMatchObject({ growthMs: bonusMs, waterings: [{ by: friend.player.id }] });
  });

  it("refuses a second watering within the cooldown, whoever waters, and changes nothing", async () => {
    const before = await rowsOf(owner.villageId);
    expect(await refused(home.room, "water", { itemId: wheatId })).toMatchObject({ code: "crop_recently_watered", about: "water" });
    expect(await refused(visit.room, "water", { itemId: wheatId })).toMatchObject({ code: "crop_recently_watered", about: "water" });
    expect(await rowsOf(owner.villageId)).toEqual(before);
    expect(home.room.state.items.get(wheatId)).toMatchObject({ growthMs: CROPS.wheat.growMs / 4, helperCount: 1 });
  });

  it("refuses a harvest before the crop is ripe, then harvests it once the clock has moved on", async () => {
    expect(await refused(home.room, "harvest", { itemId: wheatId })).toMatchObject({ code: "crop_not_ripe", about: "harvest" });
    expect(await coinsOf(owner.player.id)).toBe(HELP_REWARD.owner.coins);
    expect(home.room.state.items.get(wheatId)).toBeDefined();

    clock.advance(CROPS.wheat.growMs * 0.75);
    expect(await refused(visit.room, "water", { itemId: wheatId })).toMatchObject({ code: "crop_ripe", about: "water" });
    const views = home.views.length;
    home.room.send("harvest", { itemId: wheatId });
    const afterHarvest = HELP_REWARD.owner.coins + CROPS.wheat.coins;
    await vi.waitFor(() => expect(home.harvested).toEqual([{ itemId: wheatId, cropKind: "wheat", coins: CROPS.wheat.coins, balance: afterHarvest }]));
    await vi.waitFor(() => expect(home.views.length).toBe(views + 1));
    expect(home.views.at(-1)).toEqual({ coins: afterHarvest, helpers: {} });
    for (const room of [home.room, visit.room]) await vi.waitFor(() => expect(room.state.items.get(wheatId)).toBeUndefined());
    expect((await rowsOf(owner.villageId)).map((r) => r.id)).not.toContain(wheatId);
    expect(await coinsOf(owner.player.id)).toBe(afterHarvest);
    await settle(visit.room);
    expect(visit.harvested).toEqual([]);
    expect(visit.views).toEqual([]);
  });

  it("refuses a decoration the owner cannot afford, and writes nothing", async () => {
    const before = await rowsOf(owner.villageId);
    expect(DECORATIONS.fence.coins).toBeGreaterThan(HELP_REWARD.owner.coins + CROPS.wheat.coins);
    expect(await refused(home.room, "buyDecoration", { decorationId: "fence" })).toMatchObject({ code: "coins_insufficient", about: "buyDecoration" });
    expect(await rowsOf(owner.villageId)).toEqual(before);
    expect(await coinsOf(owner.player.id)).toBe(HELP_REWARD.owner.coins + CROPS.wheat.coins);
  });

  it("buys a decoration with enough coins: it stands on the free tile nearest the centre", async () => {
    const pumpkinId = await plant(home, "pumpkin", 0, 0);
    clock.advance(CROPS.pumpkin.growMs);
    home.room.send("harvest", { itemId: pumpkinId });
    const balance = HELP_REWARD.owner.coins + CROPS.wheat.coins + CROPS.pumpkin.coins;
    await vi.waitFor(() => expect(home.harvested.at(-1)).toMatchObject({ itemId: pumpkinId, balance }));
    await vi.waitFor(() => expect(home.room.state.items.get(pumpkinId)).toBeUndefined());

    const expectedTile = findFreeTiles(stateItems(home.room).map((i) => ({ id: i.id, x: i.x < 0 ? null : i.x, y: i.y < 0 ? null : i.y })), 1)[0]!;
    expect(DECORATIONS.mailbox.coins).toBeLessThanOrEqual(balance);
    const views = home.views.length;
    home.room.send("buyDecoration", { decorationId: "mailbox" });
    await vi.waitFor(() => expect(stateItems(home.room).find((i) => i.kind === "decoration")).toBeDefined());
    const mailbox = stateItems(home.room).find((i) => i.kind === "decoration")!;
    expect(mailbox).toMatchObject({ decorationId: "mailbox", sprite: DECORATIONS.mailbox.sprite, donated: false, cropKind: "", ...expectedTile });
    await vi.waitFor(() => expect(visit.room.state.items.get(mailbox.id)).toMatchObject({ kind: "decoration", ...expectedTile }));
    await vi.waitFor(() => expect(home.views.length).toBe(views + 1));
    expect(home.views.at(-1)).toEqual({ coins: balance - DECORATIONS.mailbox.coins, helpers: {} });
    expect(await coinsOf(owner.player.id)).toBe(balance - DECORATIONS.mailbox.coins);
    expect((await rowsOf(owner.villageId)).find((r) => r.id === mailbox.id)).toMatchObject({ decorationId: "mailbox", crop: null, ...expectedTile });
  });

  it("lets the owner put an item in the barn and place it again, but not a crop", async () => {
    const mailbox = stateItems(home.room).find((i) => i.kind === "decoration")!;
    home.room.send("take", { itemId: mailbox.id });
    for (const room of [home.room, visit.room]) await vi.waitFor(() => expect(room.state.items.get(mailbox.id)).toMatchObject({ x: -1, y: -1 }));
    expect((await rowsOf(owner.villageId)).find((r) => r.id === mailbox.id)).toMatchObject({ x: null, y: null });
    home.room.send("place", { itemId: mailbox.id, x: 11, y: 0 });
    await vi.waitFor(() => expect(home.room.state.items.get(mailbox.id)).toMatchObject({ x: 11, y: 0 }));

    const carrotId = await plant(home, "carrot", 7, 0);
    const before = await rowsOf(owner.villageId);
    expect(await refused(home.room, "take", { itemId: carrotId })).toMatchObject({ code: "crop_cannot_be_taken", about: "take" });
    expect(await rowsOf(owner.villageId)).toEqual(before);
    expect(home.room.state.items.get(carrotId)).toMatchObject({ x: 7, y: 0 });
  });

  it("refuses bad payloads with their codes, and writes nothing", async () => {
    const house = stateItems(home.room).find((i) => i.kind === "decor" && i.x >= 0)!;
    const carrot = cropAt(home.room, 7, 0)!;
    const before = await rowsOf(owner.villageId);
    const coins = await coinsOf(owner.player.id);
    const cases: Array<[string, unknown, RoomErrorMessage["code"]]> = [
      ["plant", { crop: "mandrake", x: 2, y: 2 }, "bad_request"],
      ["plant", { crop: "wheat", x: 12, y: 0 }, "tile_out_of_bounds"],
      ["plant", { crop: "wheat", x: -1, y: 3 }, "tile_out_of_bounds"],
      ["plant", { crop: "wheat", x: house.x, y: house.y }, "tile_occupied"],
      ["plant", { crop: "wheat", x: carrot.x, y: carrot.y }, "tile_occupied"],
      ["water", { itemId: house.id }, "not_a_crop"],
      ["water", { itemId: "00000000-0000-4000-8000-000000000000" }, "item_unknown"],
      ["water", { itemId: "not-an-id" }, "bad_request"],
      ["harvest", { itemId: house.id }, "not_a_crop"],
      ["buyDecoration", { decorationId: "gold-statue" }, "bad_request"],
      ["take", { itemId: "00000000-0000-4000-8000-000000000000" }, "item_unknown"],
    ];
    for (const [type, payload, code] of cases) {
      expect(await refused(home.room, type, payload), `${type} ${JSON.stringify(payload)}`).toMatchObject({ code, about: type });
    }
    expect(await rowsOf(owner.villageId)).toEqual(before);
    expect(await coinsOf(owner.player.id)).toBe(coins);
  });

  it("refuses every owner action a visitor forges, and nothing changes in the database", async () => {
    const carrot = cropAt(home.room, 7, 0)!;
    clock.advance(CROPS.carrot.growMs); // ripe: only the owner's say-so is missing
    const house = stateItems(home.room).find((i) => i.kind === "decor" && i.x >= 0)!;
    const before = await rowsOf(owner.villageId);
    const coins = await coinsOf(owner.player.id);
    const forged: Array<[string, unknown]> = [
      ["place", { itemId: house.id, x: 5, y: 8 }],
      ["take", { itemId: house.id }],
      ["plant", { crop: "wheat", x: 2, y: 2 }],
      ["harvest", { itemId: carrot.id }],
      ["buyDecoration", { decorationId: "fence" }],
    ];
    for (const [type, payload] of forged) {
      expect(await refused(visit.room, type, payload), type).toMatchObject({ code: "not_owner", about: type });
    }
    expect(await rowsOf(owner.villageId)).toEqual(before);
    expect(await coinsOf(owner.player.id)).toBe(coins);
    expect(home.room.state.items.get(house.id)).toMatchObject({ x: house.x, y: house.y });
    expect(home.room.state.items.get(carrot.id)).toBeDefined();
    await settle(visit.room);
    expect(visit.views).toEqual([]);
    expect(visit.harvested).toEqual([]);
  });

  it("answers an action carrying a ref to its sender alone: done once it is saved and in the state, or its refusal with that ref", async () => {
    const done: ActionDoneMessage[] = [];
    const visitorDone: ActionDoneMessage[] = [];
    const offs = [home.room.onMessage("done", (m: ActionDoneMessage) => done.push(m)), visit.room.onMessage("done", (m: ActionDoneMessage) => visitorDone.push(m))];
    try {
      home.room.send("plant", { crop: "wheat", x: 9, y: 2, ref: 41 });
      await vi.waitFor(() => expect(done).toEqual([{ ref: 41, about: "plant" }]));
      // Saved before the answer, and in the state everyone sees.
      expect((await rowsOf(owner.villageId)).some((r) => r.x === 9 && r.y === 2 && r.crop?.kind === "wheat")).toBe(true);
      await vi.waitFor(() => expect(cropAt(visit.room, 9, 2)).toBeDefined());
      const wheat = cropAt(home.room, 9, 2) ?? (await vi.waitFor(() => cropAt(home.room, 9, 2)!));

      // Refused, by the rules or for a bad payload: the error carries the ref, and no done comes.
      expect(await refused(home.room, "plant", { crop: "wheat", x: 9, y: 2, ref: 42 })).toMatchObject({ code: "tile_occupied", about: "plant", ref: 42 });
      expect(await refused(home.room, "plant", { crop: "mandrake", x: 9, y: 3, ref: 43 })).toMatchObject({ code: "bad_request", about: "plant", ref: 43 });
      expect(await refused(visit.room, "harvest", { itemId: wheat.id, ref: 44 })).toMatchObject({ code: "not_owner", about: "harvest", ref: 44 });
      // A ref that is not one is a bad payload, answered without it.
      const badRef = await refused(home.room, "water", { itemId: wheat.id, ref: 0 });
      expect(badRef).toMatchObject({ code: "bad_request", about: "water" });
      expect(badRef.ref).toBeUndefined();

      // The visitor's watering is answered to the visitor; the owner hears only the watering itself.
      visit.room.send("water", { itemId: wheat.id, ref: 7 });
      await vi.waitFor(() => expect(visitorDone).toEqual([{ ref: 7, about: "water" }]));
      await settle(home.room);
      await settle(visit.room);
      expect(done).toEqual([{ ref: 41, about: "plant" }]);
      expect(visitorDone).toEqual([{ ref: 7, about: "water" }]);

      // Harvested once ripe (the tile is free again for the tests below): done after the coins are told.
      clock.advance(CROPS.wheat.growMs);
      const harvested = home.harvested.length;
      home.room.send("harvest", { itemId: wheat.id, ref: 45 });
      await vi.waitFor(() => expect(done).toEqual([{ ref: 41, about: "plant" }, { ref: 45, about: "harvest" }]));
      expect(home.harvested.length).toBe(harvested + 1);
    } finally {
      for (const off of offs) off();
    }
  });

  it("rate limits a flood of farming messages", async () => {
    const errors: RoomErrorMessage[] = [];
    const off = visit.room.onMessage("error", (m: RoomErrorMessage) => errors.push(m));
    for (let i = 0; i < 30; i++) visit.room.send("water", { itemId: "not-an-id" });
    await vi.waitFor(() => expect(errors).toContainEqual(expect.objectContaining({ code: "rate_limited", about: "water" })));
    off();
    // The first ones within the burst are answered as bad payloads; the rest are dropped.
    expect(errors.filter((e) => e.code === "bad_request").length).toBeLessThan(30);
  });

  it("keeps coins and crops across a server restart", async () => {
    const carrot = cropAt(home.room, 7, 0)!;
    const snapshot = { id: carrot.id, cropKind: carrot.cropKind, plantedAt: carrot.plantedAt, growthMs: carrot.growthMs, x: 7, y: 0 };
    const coins = await coinsOf(owner.player.id);
    expect(coins).toBeGreaterThan(0);
    await Promise.all(joined.splice(0).map((j) => j.room.leave().catch(() => {})));

    await server.stop({ keepDatabase: true });
    server = await startTestServer({ database, now: clock.now });
    home = await join(owner, owner.villageId);
    await vi.waitFor(() => expect(home.views[0]).toEqual({ coins, helpers: { [carrot.id]: [] } }));
    expect(home.room.state.items.get(carrot.id)).toMatchObject(snapshot);
    home.room.send("harvest", { itemId: carrot.id });
    await vi.waitFor(() => expect(home.harvested.at(-1)).toEqual({ itemId: carrot.id, cropKind: "carrot", coins: CROPS.carrot.coins, balance: coins + CROPS.carrot.coins }));
    expect(await coinsOf(owner.player.id)).toBe(coins + CROPS.carrot.coins);
  });

  it("names no helper whose account was deleted since", async () => {
    visit = await join(friend, owner.villageId);
    const pumpkinId = await plant(home, "pumpkin", 2, 2);
    visit.room.send("water", { itemId: pumpkinId });
    await vi.waitFor(() => expect(home.views.at(-1)?.helpers[pumpkinId]).toEqual([friend.player.name]));
    await db().update(players).set({ deletedAt: new Date() }).where(eq(players.id, friend.player.id));
    const again = await join(owner, owner.villageId);
    await vi.waitFor(() => expect(again.views[0]?.helpers[pumpkinId]).toEqual([]));
    expect(again.room.state.items.get(pumpkinId)).toMatchObject({ helperCount: 1 });
    await settle(visit.room);
    expect(visit.views).toEqual([]);
  });

  it("still lands a paid gift on a free tile when crops take the tiles nearest the centre", async () => {
    const free = () => findFreeTiles(stateItems(home.room).map((i) => ({ id: i.id, x: i.x < 0 ? null : i.x, y: i.y < 0 ? null : i.y })), 2);
    const [first, second] = free();
    await plant(home, "sunflower", first!.x, first!.y);
    const arrived = new Promise<GiftArrivedMessage>((resolve) => home.room.onMessage("giftArrived", resolve));

    const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
    const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
    const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: owner.token, body: { lines: [{ giftId: goat.id, quantity: 1 }] } });
    expect(checkout.status).toBe(201);
    const pay = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(303);

    const message = await arrived;
    const gift = await vi.waitFor(() => {
      const item = home.room.state.items.get(message.items[0]!.itemId);
      expect(item).toBeDefined();
      return item!;
    });
    expect(gift).toMatchObject({ kind: "gift", donated: true, x: second!.x, y: second!.y });
    expect(cropAt(home.room, first!.x, first!.y)).toBeDefined();
    const rows = await rowsOf(owner.villageId);
    const tiles = rows.filter((r) => r.x !== null).map((r) => `${r.x},${r.y}`);
    expect(new Set(tiles).size).toBe(tiles.length);
  });
});
