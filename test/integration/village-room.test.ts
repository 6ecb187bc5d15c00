// @both-databases: the room's state across a restart.
import { type Room } from "@colyseus/sdk";
import { listenItem, onItemAdded } from "../support/room-callbacks.ts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import type { GiftArrivedMessage, RoomErrorMessage } from "../../shared/messages.ts";
import { VillageState } from "../../shared/state.ts";
import { persistentDatabase, type TestDatabase } from "../support/database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { joinVillageRoom } from "../support/room-join.ts";

let database: TestDatabase;
let server: TestServer;
let owner: SessionResponse;
let catalog: CatalogResponse;
const rooms: Room<any, VillageState>[] = [];

async function join(session: Pick<SessionResponse, "token">, villageId: string) {
  const room = await joinVillageRoom(server.url, session.token, villageId);
  rooms.push(room);
  await vi.waitFor(() => expect(room.state.items.size).toBeGreaterThan(0));
  return room;
}

function nextError(room: Room<any, VillageState>): Promise<RoomErrorMessage> {
  return new Promise((resolve) => {
    const off = room.onMessage("error", (m: RoomErrorMessage) => {
      off();
      resolve(m);
    });
  });
}

const itemsOf = (room: Room<any, VillageState>) => [...room.state.items.values()].map((i) => ({ id: i.id, x: i.x, y: i.y, giftId: i.giftId, donated: i.donated }));

beforeAll(async () => {
  database = await persistentDatabase();
  server = await startTestServer({ database });
  owner = await server.guest();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
});
afterAll(async () => {
  await Promise.all(rooms.map((r) => r.leave().catch(() => {})));
  await server?.stop();
});

describe("the village room", () => {
  it("loads the owner's village with its items and shows who is there", async () => {
    const room = await join(owner, owner.villageId);
    expect(room.state.villageId).toBe(owner.villageId);
    expect(room.state.width).toBe(12);
    expect(room.state.height).toBe(9);
    expect(itemsOf(room).length).toBe(6);
    expect(itemsOf(room).every((i) => !i.donated)).toBe(true);
    await vi.waitFor(() => expect([...room.state.players.values()].map((p) => p.name)).toEqual([owner.player.name]));
  });

  it("lets the owner move an item to a free tile, live in every open client", async () => {
    const a = await join(owner, owner.villageId);
    const b = await join(owner, owner.villageId);
    const item = itemsOf(a)[0]!;
    a.send("place", { itemId: item.id, x: 6, y: 0 });
    await vi.waitFor(() => expect(b.state.items.get(item.id)!.x).toBe(6), { timeout: 2000 });
    expect(b.state.items.get(item.id)!.y).toBe(0);
  });

  it.each([
    ["an out-of-bounds tile", () => ({ x: 12, y: 0 }), "tile_out_of_bounds"],
    ["a negative tile", () => ({ x: -1, y: 3 }), "tile_out_of_bounds"],
    ["a malformed message", () => ({ x: "left" }), "bad_request"],
    ["an unknown item", () => ({ itemId: "00000000-0000-4000-8000-000000000000", x: 7, y: 7 }), "item_unknown"],
  ])("refuses %s with an error message and changes nothing", async (_name, change, code) => {
    const room = await join(owner, owner.villageId);
    const item = itemsOf(room)[1]!;
    const before = itemsOf(room);
    const error = nextError(room);
    room.send("place", { itemId: item.id, ...change() });
    expect(await error).toMatchObject({ code, about: "place" });
    expect(itemsOf(room)).toEqual(before);
  });

  it("refuses an occupied tile", async () => {
    const room = await join(owner, owner.villageId);
    const [first, second] = itemsOf(room);
    const error = nextError(room);
    room.send("place", { itemId: first!.id, x: second!.x, y: second!.y });
    expect(await error).toMatchObject({ code: "tile_occupied" });
    expect(room.state.items.get(first!.id)!.x).toBe(first!.x);
  });

  it("keeps a village private: a stranger and a tokenless client cannot join", async () => {
    const stranger = await server.guest();
    await expect(join(stranger, owner.villageId)).rejects.toThrow(/private/);
    await expect(join({ token: "" }, owner.villageId)).rejects.toThrow();
    await expect(join(owner, "not-a-village")).rejects.toThrow();
  });

  it("shows a gift paid while the village is open to every connected client, within a second", async () => {
    const a = await join(owner, owner.villageId);
    const b = await join(owner, owner.villageId);
    const before = a.state.items.size;
    const arrivedA = new Promise<GiftArrivedMessage>((resolve) => a.onMessage("giftArrived", resolve));
    const addedInB = new Promise<string>((resolve) => onItemAdded(b, (item) => item.donated && resolve(item.giftId)));

    const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
    const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: owner.token, body: { lines: [{ giftId: goat.id, quantity: 1 }] } });
    expect(checkout.body.testMode).toBe(true);
    const payUrl = checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay";
    const paidAt = Date.now();
    const pay = await fetch(server.url + payUrl, { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(303);
    expect(pay.headers.get("location")).toBe(`/?order=${checkout.body.orderId}&village=${owner.villageId}&lang=fr`);

    const message = await arrivedA;
    expect(Date.now() - paidAt).toBeLessThan(1000);
    expect(message.orderId).toBe(checkout.body.orderId);
    expect(message.items).toEqual([{ itemId: expect.any(String), giftId: goat.id }]);
    // The owner paid: their clients are told it is theirs.
    expect(message.yours).toBe(true);
    expect(await addedInB).toBe(goat.id);
    expect(a.state.items.size).toBe(before + 1);
    const gift = a.state.items.get(message.items[0]!.itemId)!;
    expect(gift.donated).toBe(true);
    expect(gift.x).toBeGreaterThanOrEqual(0);
  });

  it("loses nothing across a server restart", async () => {
    const room = await join(owner, owner.villageId);
    const decor = itemsOf(room).find((i) => !i.donated)!;
    const moved = new Promise<void>((resolve) => listenItem(room, room.state.items.get(decor.id)!, "y", (y) => y === 8 && resolve()));
    room.send("place", { itemId: decor.id, x: 0, y: 8 });
    await moved;
    const snapshot = itemsOf(room).sort((p, q) => p.id.localeCompare(q.id));
    await Promise.all(rooms.splice(0).map((r) => r.leave().catch(() => {})));

    await server.stop({ keepDatabase: true });
    server = await startTestServer({ database });
    const again = await join(owner, owner.villageId);
    expect(itemsOf(again).sort((p, q) => p.id.localeCompare(q.id))).toEqual(snapshot);
    expect(again.state.items.get(decor.id)).toMatchObject({ x: 0, y: 8 });
    expect(itemsOf(again).filter((i) => i.donated)).toHaveLength(1);
  });
});
