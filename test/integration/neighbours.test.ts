/**
 * Neighbours, with real HTTP and real room clients:
 * - the browser lists only villages whose owners opted in (public), never a
 *   blocked player's either way, never a deleted account's, never mine; it
 *   searches by name and pages without overlap; suggestions are friends of
 *   friends (public only, never through whom), then active villages, and the
 *   demo neighbour first for a player with no friends;
 * - "Bob arrived" goes to the owner present, nobody else; waterings by
 *   someone else ring the owner's bell once per batch (twenty waterings, one
 *   notification counting twenty, one live push), and never a third party's;
 * - a gift received is thanked once (twenty concurrent presses: one
 *   thank-you, one decoration, one notification), anonymously both ways when
 *   the giver stayed anonymous.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { DataExport } from "../../shared/privacy.ts";
import type { ActionDoneMessage, RoomErrorMessage } from "../../shared/messages.ts";
import type { NotificationMessage, NotificationsResponse } from "../../shared/notifications.ts";
import type { PublicVillagesResponse, SuggestedNeighboursResponse, ThanksResponse, VisitorArrivedMessage } from "../../shared/neighbours.ts";
import { giftThanks, notifications, villageItems } from "../../server/db/schema.ts";
import { DEMO_NEIGHBOUR, seedDemoNeighbour } from "../../server/db/seed-neighbour.ts";
import { signUpAccount, uniqueSuffix } from "../support/accounts.ts";
import { TestClock } from "../support/clock.ts";
import { collect, gifting, nextMessage, type VillageRoom } from "../support/gifting.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const clock = new TestClock();
let server: TestServer;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);

beforeAll(async () => {
  server = await startTestServer({ now: clock.now });
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
});
afterAll(async () => {
  await Promise.all(g.rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  await server?.stop();
});

const account = (prefix: string, name?: string) => signUpAccount(server, prefix, name ? { name } : {});
type Account = Awaited<ReturnType<typeof account>>;
/** One account per prefix, in order. */
const accounts = <const P extends readonly string[]>(prefixes: P, name?: (p: string) => string) =>
  Promise.all(prefixes.map((p) => account(p, name?.(p)))) as Promise<{ [K in keyof P]: Account }>;
const goPublic = async (who: SessionResponse) =>
  expect((await server.api("/api/account/settings", { method: "PATCH", token: who.token, body: { villageVisibility: "public" } })).status).toBe(200);
const browse = (who: SessionResponse, query = "") => server.api<PublicVillagesResponse & ApiErrorBody>(`/api/neighbours/villages${query}`, { token: who.token });
const suggested = async (who: SessionResponse) => (await server.api<SuggestedNeighboursResponse>("/api/neighbours/suggested", { token: who.token })).body.neighbours;
const feed = async (who: SessionResponse) => (await server.api<NotificationsResponse>("/api/notifications", { token: who.token })).body;

describe("the public villages browser", () => {
  const tag = `Hx${uniqueSuffix()}`;
  let me: SessionResponse, open: SessionResponse, closed: SessionResponse, blocker: SessionResponse, blockedByMe: SessionResponse;
  let gone: SessionResponse & { password: string };
  beforeAll(async () => {
    [me, open, closed, blocker, blockedByMe, gone] = await accounts(["Me", "Open", "Closed", "Blocker", "Blocked", "Gone"], (p) => `${tag} ${p}`);
    for (const who of [me, open, blocker, blockedByMe, gone]) await goPublic(who);
    expect((await server.api(`/api/blocks/${me.player.id}`, { method: "POST", token: blocker.token })).status).toBe(204);
    expect((await server.api(`/api/blocks/${blockedByMe.player.id}`, { method: "POST", token: me.token })).status).toBe(204);
    expect((await server.api("/api/me", { method: "DELETE", token: gone.token, body: { confirm: "DELETE", password: gone.password } })).status).toBe(204);
  });

  it("lists only opted-in villages: never private ones, blocked either way, deleted, nor mine", async () => {
    const res = await browse(me, `?q=${encodeURIComponent(tag)}`);
    expect(res.status).toBe(200);
    expect(res.body.villages.map((v) => v.villageId)).toEqual([open.villageId]);
    expect(res.body.villages[0]).toEqual({ villageId: open.villageId, villageName: expect.any(String), ownerName: open.player.name, level: 1, friend: false });
    // The player I blocked does not find me either, and the private owner finds the public ones.
    expect((await browse(blockedByMe, `?q=${encodeURIComponent(tag)}`)).body.villages.map((v) => v.villageId).sort()).toEqual([open.villageId, blocker.villageId].sort());
    expect((await browse(closed, `?q=${encodeURIComponent(tag)}`)).body.villages.map((v) => v.villageId).sort())
      .toEqual([me.villageId, open.villageId, blocker.villageId, blockedByMe.villageId].sort());
  });

  it("searches literally and pages without overlap; a guest may browse; bad queries are 400", async () => {
    const page = `Pg${uniqueSuffix()}`;
    const many = await Promise.all(Array.from({ length: 11 }, (_, i) => account(`P${i}`, `${page} ${i}`)));
    for (const who of many) await goPublic(who);
    const first = await browse(me, `?q=${page}`);
    const second = await browse(me, `?q=${page}&page=2`);
    expect([first.body.villages.length, first.body.hasMore, second.body.villages.length, second.body.hasMore]).toEqual([9, true, 2, false]);
    const ids = [...first.body.villages, ...second.body.villages].map((v) => v.villageId);
    expect(new Set(ids).size).toBe(11);
    expect(ids.sort()).toEqual(many.map((m) => m.villageId).sort());
    // LIKE's wildcards are text like any other.
    expect((await browse(me, `?q=${encodeURIComponent("%")}`)).body.villages).toEqual([]);
    const guest = await server.guest();
    expect((await browse(guest, `?q=${page}`)).body.villages).toHaveLength(9);
    for (const bad of ["?page=0", "?page=x", `?q=${"a".repeat(61)}`, "?q=%00"]) expect((await browse(me, bad)).status).toBe(400);
    expect((await server.api("/api/neighbours/villages")).status).toBe(401);
  });
});

describe("suggested neighbours", () => {
  it("friends of friends who opted in (not through whom), then active villages; the demo neighbour for a new player", async () => {
    const [me, friend, fof, privateFof] = await accounts(["Sme", "Sfriend", "Sfof", "Spriv"]);
    await goPublic(fof);
    await goPublic(friend);
    await g.befriend(me, friend);
    await g.befriend(friend, fof);
    await g.befriend(friend, privateFof);
    const mine = await suggested(me);
    expect(mine[0]).toEqual({ villageId: fof.villageId, villageName: expect.any(String), ownerName: fof.player.name, level: expect.any(Number), reason: "friend_of_friend" });
    const ids = mine.map((c) => c.villageId);
    expect(ids).not.toContain(privateFof.villageId);
    expect(ids).not.toContain(friend.villageId);
    expect(ids).not.toContain(me.villageId);
    expect(mine.filter((c) => c.reason !== "friend_of_friend").every((c) => c.reason === "active")).toBe(true);
    expect(JSON.stringify(mine)).not.toContain(friend.player.name);

    await seedDemoNeighbour(g.db());
    const newcomer = await account("Snew");
    const theirs = await suggested(newcomer);
    expect(theirs[0]).toMatchObject({ villageId: DEMO_NEIGHBOUR.villageId, reason: "demo" });
    expect(theirs.length).toBeGreaterThan(1);
    // With friends, the demo is no longer put first.
    expect((await suggested(me))[0]!.villageId).toBe(fof.villageId);
  });
});

/** Sends a farming action with a ref and waits for its answer. */
async function act(room: VillageRoom, type: string, payload: Record<string, unknown>, ref: number): Promise<"done" | string> {
  return new Promise((resolve) => {
    const offDone = room.onMessage("done", (m: ActionDoneMessage) => {
      if (m.ref !== ref) return;
      offDone();
      offError();
      resolve("done");
    });
    const offError = room.onMessage("error", (m: RoomErrorMessage) => {
      if (m.ref !== ref) return;
      offDone();
      offError();
      resolve(m.code);
    });
    room.send(type, { ...payload, ref });
  });
}

/** The id of the crop on a tile, once the room's state has it. */
async function cropAt(room: VillageRoom, x: number, y: number): Promise<string> {
  let id = "";
  await vi.waitFor(() => {
    id = [...room.state.items.values()].find((i) => i.kind === "crop" && i.x === x && i.y === y)?.id ?? "";
    expect(id).not.toBe("");
  });
  return id;
}

describe("notices to the owner", () => {
  it("'Bob arrived' reaches the owner present, not the other visitors", async () => {
    const [owner, bob, cleo] = await accounts(["Host", "Bob", "Cleo"]);
    await g.befriend(owner, bob);
    await g.befriend(owner, cleo);
    const home = await g.join(owner, owner.villageId);
    const arrived = nextMessage<VisitorArrivedMessage>(home, "visitorArrived");
    const bobRoom = await g.join(bob, owner.villageId);
    expect(await arrived).toEqual({ name: bob.player.name });
    const bobHeard = collect<VisitorArrivedMessage>(bobRoom, "visitorArrived");
    const second = nextMessage<VisitorArrivedMessage>(home, "visitorArrived");
    await g.join(cleo, owner.villageId);
    expect(await second).toEqual({ name: cleo.player.name });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bobHeard).toEqual([]);
  });

  it("twenty waterings by a friend make one notification counting twenty, pushed live once; a third party hears nothing", async () => {
    const [owner, bob, third] = await accounts(["Farm", "Waterer", "Third"]);
    await g.befriend(owner, bob);
    await g.befriend(owner, third);
    const home = await g.join(owner, owner.villageId);
    const ownerPushes = collect<NotificationMessage>(home, "notification");
    const visit = await g.join(bob, owner.villageId);
    const thirdRoom = await g.join(third, owner.villageId);
    const thirdPushes = collect<NotificationMessage>(thirdRoom, "notification");
    let ref = 1;
    const crops: string[] = [];
    for (let x = 0; x < 5; x++) {
      expect(await act(home, "plant", { crop: "pumpkin", x, y: 0 }, ref++)).toBe("done");
      crops.push(await cropAt(home, x, 0));
    }
    for (let round = 0; round < 4; round++) {
      for (const itemId of crops) expect(await act(visit, "water", { itemId }, ref++)).toBe("done");
      clock.advance(61_000);
    }
    await vi.waitFor(() => expect(ownerPushes.filter((m) => m.notification.kind === "crops_helped")).toHaveLength(1));
    const helped = (await feed(owner)).notifications.filter((n) => n.kind === "crops_helped");
    expect(helped).toHaveLength(1);
    expect(helped[0]!.payload).toEqual({ helper: { id: bob.player.id, name: bob.player.name }, count: 20, crops: ["pumpkin"] });
    expect(thirdPushes).toEqual([]);
    expect((await feed(third)).notifications.filter((n) => n.kind === "crops_helped")).toEqual([]);
    expect((await feed(bob)).notifications.filter((n) => n.kind === "crops_helped")).toEqual([]);
    // Once read, the next watering starts a new notice; the owner watering their own crops rings nothing.
    await server.api("/api/notifications/read", { token: owner.token, body: { ids: [helped[0]!.id] } });
    expect(await act(home, "plant", { crop: "wheat", x: 6, y: 0 }, ref++)).toBe("done");
    const wheat = await cropAt(home, 6, 0);
    expect(await act(home, "water", { itemId: wheat }, ref++)).toBe("done");
    clock.advance(61_000);
    expect(await act(visit, "water", { itemId: wheat }, ref++)).toBe("done");
    const after = (await feed(owner)).notifications.filter((n) => n.kind === "crops_helped");
    expect(after.map((n) => [n.payload.count, n.readAt === null])).toEqual([[1, true], [20, false]]);
  });
});

describe("thanking the giver of a gift received", () => {
  let owner: SessionResponse, giver: SessionResponse;
  beforeAll(async () => {
    [owner, giver] = [await account("Thanker"), await account("Giver")];
    await g.befriend(owner, giver);
  });

  async function giftFrom(who: SessionResponse, showGiverName: boolean): Promise<string> {
    const checkout = await g.checkout(who, [["chevre", 1]], { villageId: owner.villageId, showGiverName });
    expect(checkout.status).toBe(201);
    await g.pay(checkout.body);
    await g.settled(checkout.body.orderId);
    return checkout.body.orderId;
  }
  const thank = (who: SessionResponse, orderId: string, body: unknown) => server.api<ThanksResponse & ApiErrorBody>(`/api/thanks/${orderId}`, { token: who.token, body });

  it("twenty concurrent thanks give one thank-you, one decoration and one notification to an anonymous giver, revealing nobody", async () => {
    const orderId = await giftFrom(giver, false);
    const giverHome = await g.join(giver, giver.villageId);
    const pushed = collect<NotificationMessage>(giverHome, "notification");
    const before = (await g.db().select().from(villageItems).where(eq(villageItems.villageId, giver.villageId))).length;
    const answers = await Promise.all(Array.from({ length: 20 }, () => thank(owner, orderId, { note: "  Merci pour la chèvre !  ", decorationId: "lantern" })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(19).fill(409)]);
    const ok = answers.find((a) => a.status === 201)!;
    expect(ok.body).toEqual({ thanked: true, note: "Merci pour la chèvre !", decorationId: "lantern" });
    expect(JSON.stringify(answers.map((a) => a.body))).not.toContain(giver.player.name);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === "already_thanked")).toBe(true);
    expect(await g.db().select().from(giftThanks).where(eq(giftThanks.orderId, orderId))).toHaveLength(1);
    expect((await g.db().select().from(villageItems).where(eq(villageItems.villageId, giver.villageId))).length).toBe(before + 1);
    const stored = await g.db().select().from(notifications).where(and(eq(notifications.kind, "thanks_received"), sql`${notifications.payload}->>'orderId' = ${orderId}`));
    expect(stored.map((n) => n.playerId)).toEqual([giver.player.id]);
    // The giver sees it live and in the bell: the village they chose, the note, the decoration now in their village; not the owner's account.
    await vi.waitFor(() => expect(pushed.filter((m) => m.notification.kind === "thanks_received")).toHaveLength(1));
    const [view] = (await feed(giver)).notifications.filter((n) => n.kind === "thanks_received");
    expect(view!.payload).toMatchObject({ orderId, note: "Merci pour la chèvre !", decoration: { id: "lantern", sprite: "lantern" } });
    expect(JSON.stringify(view)).not.toContain(owner.player.id);
    await vi.waitFor(() => expect([...giverHome.state.items.values()].some((i) => i.sprite === "lantern")).toBe(true));
    // The owner's gift notification says it was thanked, and still does not name the giver.
    const [received] = (await feed(owner)).notifications.filter((n) => n.kind === "gift_received" && n.payload.orderId === orderId);
    expect(received!.payload).toMatchObject({ fromName: null, thanked: true });
  });

  it("refuses what is not a gift I received, an empty or bad thank-you, and changes nothing", async () => {
    const orderId = await giftFrom(giver, true);
    const stranger = await account("Stranger");
    const count = async () => (await g.db().select().from(giftThanks)).length;
    const before = await count();
    expect((await thank(giver, orderId, { note: "me" })).status).toBe(404);
    expect((await thank(stranger, orderId, { note: "me" })).status).toBe(404);
    expect((await thank(owner, crypto.randomUUID(), { note: "x" })).status).toBe(404);
    expect((await thank(owner, orderId, {})).status).toBe(400);
    expect((await thank(owner, orderId, { note: "" })).status).toBe(400);
    expect((await thank(owner, orderId, { note: "x".repeat(281) })).status).toBe(400);
    expect((await thank(owner, orderId, { note: "a\u202eb" })).status).toBe(400);
    expect((await thank(owner, orderId, { decorationId: "fountain" })).status).toBe(400);
    expect(await count()).toBe(before);
    // A block either way: refused, nothing learnt about why.
    expect((await server.api(`/api/blocks/${owner.player.id}`, { method: "POST", token: giver.token })).status).toBe(204);
    const blocked = await thank(owner, orderId, { note: "merci" });
    expect([blocked.status, blocked.body.error.code]).toEqual([409, "thanks_unavailable"]);
    expect(await count()).toBe(before);
    expect((await server.api(`/api/blocks/${owner.player.id}`, { method: "DELETE", token: giver.token })).status).toBe(204);
    const note = await thank(owner, orderId, { note: "merci" });
    expect(note.body).toEqual({ thanked: true, note: "merci", decorationId: null });
  });

  it("the thanker's export lists the thank-yous sent; deleting the thanker's account takes them out of the giver's list", async () => {
    const [host, donor] = await accounts(["Host2", "Donor2"]);
    await g.befriend(host, donor);
    const checkout = await g.checkout(donor, [["chevre", 1]], { villageId: host.villageId, showGiverName: false });
    await g.pay(checkout.body);
    await g.settled(checkout.body.orderId);
    expect((await thank(host, checkout.body.orderId, { note: "Merci" })).status).toBe(201);
    const exported = await server.api<DataExport>("/api/me/export", { token: host.token });
    expect(exported.body.thanksSent).toEqual([{ orderId: checkout.body.orderId, note: "Merci", decorationId: null, createdAt: expect.any(String) }]);
    expect(JSON.stringify(exported.body.thanksSent)).not.toContain(donor.player.id);
    expect((await server.api<DataExport>("/api/me/export", { token: donor.token })).body.thanksSent).toEqual([]);
    const thanksOf = async () => (await feed(donor)).notifications.filter((n) => n.kind === "thanks_received");
    expect(await thanksOf()).toHaveLength(1);
    expect((await server.api("/api/me", { method: "DELETE", token: host.token, body: { confirm: "DELETE", password: host.password } })).status).toBe(204);
    expect(await thanksOf()).toEqual([]);
  });
});
