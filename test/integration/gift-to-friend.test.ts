/**
 * Gifts into someone else's village, end to end: the real server, real SDK
 * clients, the TEST MODE checkout and its signed webhook. Who may give where,
 * the gift arriving live with the giver's name only when they allowed it, one
 * notification per payment however often Stripe delivers it, the payer's
 * receipts, and the notifications API.
 */
import { randomUUID } from "node:crypto";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, OrderView, SessionResponse, TaxReceiptSummary } from "../../shared/api.ts";
import type { GiftArrivedMessage } from "../../shared/messages.ts";
import type { MarkNotificationsReadResponse, NotificationMessage, NotificationsResponse } from "../../shared/notifications.ts";
import { notifications, players, villageItems } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { parisYear } from "../../server/services/receipts.ts";
import { signUpAccount } from "../support/accounts.ts";
import { tableCounts } from "../support/counts.ts";
import { collect, gifting, mentionsMoney, nextMessage } from "../support/gifting.ts";
import { onItemAdded } from "../support/room-callbacks.ts";
import { chargeObject, checkoutCompletedEvent, deliver, send, sign, stripeEvent } from "../support/stripe-events.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
});
afterAll(async () => {
  await Promise.all(g.rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  expect(await checkLedger(g.db())).toEqual([]);
  await server?.stop();
});

const account = (prefix: string) => signUpAccount(server, prefix);
const feed = (who: SessionResponse) => server.api<NotificationsResponse>("/api/notifications", { token: who.token });
/** Everything that a refused checkout must leave untouched. */
const counts = async () => ({ ...(await tableCounts(g.db())), notifications: (await g.db().select().from(notifications)).length });

describe("a friend gives into the owner's open village", () => {
  let owner: SessionResponse, friend: SessionResponse;
  beforeAll(async () => {
    [owner, friend] = [await account("Owner"), await account("Giver")];
    await g.befriend(owner, friend);
  });

  it("shows the gift live with the giver's name when they allowed it, and tells the owner alone", async () => {
    const home = await g.join(owner, owner.villageId);
    const visit = await g.join(friend, owner.villageId);
    const goat = g.gift("chevre");
    const arrivedHome = nextMessage<GiftArrivedMessage>(home, "giftArrived");
    const arrivedVisit = nextMessage<GiftArrivedMessage>(visit, "giftArrived");
    const told = nextMessage<NotificationMessage>(home, "notification");
    const toldVisitor = collect<NotificationMessage>(visit, "notification");
    const added = new Promise<{ fromName: string; giftId: string }>((resolve) =>
      onItemAdded(home, (item) => item.donated && resolve({ fromName: item.fromName, giftId: item.giftId })));

    const checkout = await g.checkout(friend, [["chevre", 1]], { villageId: owner.villageId, showGiverName: true, locale: "en" });
    expect(checkout.status).toBe(201);
    expect(checkout.body).toMatchObject({ testMode: true, totalCents: goat.priceCents });
    // The payer's TEST MODE page says where the gift goes, in their language.
    const page = (lang: string) => fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + `?lang=${lang}`).then((r) => r.text());
    expect(await page("en")).toContain(`A gift for ${owner.player.name}&#39;s village`);
    expect(await page("fr")).toContain(`Cadeau pour le village de ${owner.player.name}`);
    await g.pay(checkout.body);

    const arrived = await arrivedHome;
    expect(arrived).toEqual({ orderId: checkout.body.orderId, items: [{ itemId: expect.any(String), giftId: goat.id }], fromName: friend.player.name, yours: false });
    // The payer, present as a visitor, is the one told it is theirs (to be thanked, with the receipt).
    expect(await arrivedVisit).toEqual({ ...arrived, yours: true });
    expect(await added).toEqual({ fromName: friend.player.name, giftId: goat.id });
    expect(home.state.items.get(arrived.items[0]!.itemId)).toMatchObject({ donated: true, kind: "gift", fromName: friend.player.name });

    const message = await told;
    expect(message.unread).toBe(1);
    expect(message.notification).toMatchObject({
      kind: "gift_received", readAt: null,
      payload: {
        orderId: checkout.body.orderId, villageId: owner.villageId, fromName: friend.player.name,
        gifts: [{ giftId: goat.id, quantity: 1, name: goat.name, sprite: goat.sprite }],
      },
    });
    expect(mentionsMoney(message)).toBe(false);
    expect(mentionsMoney(arrived)).toBe(false);

    const order = await g.order(checkout.body.orderId);
    expect(order).toMatchObject({ playerId: friend.player.id, villageId: owner.villageId, showGiverName: true, status: "paid" });
    const mine = await feed(owner);
    expect(mine.body.unread).toBe(1);
    // Besides the friendship's notice (already read), the gift's is the one notification.
    expect(mine.body.notifications.filter((n) => n.kind !== "friend_accepted")).toEqual([message.notification]);
    expect(mentionsMoney(mine.body)).toBe(false);
    // The giver is not told anything, and the visitor never saw the owner's notification.
    expect((await feed(friend)).body).toEqual({ notifications: [], unread: 0 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(toldVisitor).toEqual([]);
    // The giver's own village got nothing.
    const giverGifts = await g.db().select().from(villageItems).where(and(eq(villageItems.villageId, friend.villageId), isNotNull(villageItems.giftId)));
    expect(giverGifts).toEqual([]);
  });

  it("names nobody when the giver did not opt in: state, message and notification", async () => {
    const home = await g.join(owner, owner.villageId);
    const arrived = nextMessage<GiftArrivedMessage>(home, "giftArrived");
    const told = nextMessage<NotificationMessage>(home, "notification");
    const checkout = await g.checkout(friend, [["poules", 1]], { villageId: owner.villageId });
    expect(checkout.status).toBe(201);
    await g.pay(checkout.body);

    const message = await arrived;
    expect(message).not.toHaveProperty("fromName");
    expect(home.state.items.get(message.items[0]!.itemId)).toMatchObject({ donated: true, fromName: "" });
    const notification = (await told).notification;
    expect(notification.payload).toMatchObject({ orderId: checkout.body.orderId, fromName: null });
    expect(JSON.stringify(notification)).not.toContain(friend.player.name);
    expect((await g.order(checkout.body.orderId)).showGiverName).toBe(false);
    const [stored] = await g.receivedNotificationsOf(checkout.body.orderId);
    expect((stored!.payload as { fromName: unknown }).fromName).toBeNull();
    // A fresh client loads the same: no name, and nothing says what it cost.
    const again = await g.join(owner, owner.villageId);
    expect(again.state.items.get(message.items[0]!.itemId)!.fromName).toBe("");
    // The owner has no fundraiser, so the sign (the only amounts a village's state may
    // carry, and only the owner's own published page) is empty; the rest names no money.
    const { fundraiser, ...rest } = again.state.toJSON() as { fundraiser: Record<string, unknown> };
    expect(fundraiser).toMatchObject({ id: "", raised: 0, goal: 0, donors: 0 });
    expect(mentionsMoney(rest)).toBe(false);
  });

  it("notifies exactly once when Stripe delivers the payment again", async () => {
    const checkout = await g.checkout(friend, [["sachet-de-graines", 2]], { villageId: owner.villageId, showGiverName: true });
    await g.pay(checkout.body);
    await vi.waitFor(async () => expect(await g.receivedNotificationsOf(checkout.body.orderId)).toHaveLength(1));
    await g.settled(checkout.body.orderId);
    const before = await counts();

    const event = await g.storedCompletedEvent(checkout.body.orderId);
    const payload = JSON.stringify(event);
    const replays = await Promise.all([1, 2, 3].map(() => deliver(server.url, payload, sign(payload))));
    for (const r of replays) expect(r).toMatchObject({ status: 200, body: { outcome: expect.stringMatching(/^duplicate/) } });
    const order = await g.order(checkout.body.orderId);
    const another = checkoutCompletedEvent({ id: order.checkoutSessionId!, orderId: order.id, amountTotal: order.totalCents });
    expect(await send(server.url, another)).toMatchObject({ status: 200, body: { outcome: "already_paid" } });

    expect(await counts()).toEqual({ ...before, stripe_events: before.stripe_events + 1 });
    const stored = await g.receivedNotificationsOf(checkout.body.orderId);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.payload).toEqual({
      orderId: order.id, villageId: owner.villageId, fromName: friend.player.name, gifts: [{ giftId: g.gift("sachet-de-graines").id, quantity: 2 }],
    });
    expect(await checkLedger(g.db())).toEqual([]);
  });

  it("counts on the giver's receipts and books; the recipient can never read the giver's order", async () => {
    const well = g.gift("puits");
    const checkout = await g.checkout(friend, [["puits", 1]], { villageId: owner.villageId, showGiverName: true });
    await g.pay(checkout.body);
    const orderId = checkout.body.orderId;
    await vi.waitFor(async () => expect((await g.order(orderId)).status).toBe("paid"));

    const asGiver = await server.api<OrderView>(`/api/orders/${orderId}`, { token: friend.token });
    expect(asGiver.body).toMatchObject({ id: orderId, status: "paid", totalCents: well.priceCents });
    const receipt = await fetch(`${server.url}/api/orders/${orderId}/receipt.pdf`, { headers: { authorization: `Bearer ${friend.token}` } });
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get("content-type")).toBe("application/pdf");

    expect((await server.api(`/api/orders/${orderId}`, { token: owner.token })).status).toBe(404);
    expect((await fetch(`${server.url}/api/orders/${orderId}/receipt.pdf`, { headers: { authorization: `Bearer ${owner.token}` } })).status).toBe(404);

    const year = parisYear(new Date());
    const giverYear = (await server.api<TaxReceiptSummary>(`/api/tax-receipts?year=${year}`, { token: friend.token })).body;
    const ngo = giverYear.ngos.find((n) => n.ngoId === well.ngo.id)!;
    expect(ngo.totalCents).toBeGreaterThanOrEqual(well.priceCents);
    const ownerYear = (await server.api<TaxReceiptSummary>(`/api/tax-receipts?year=${year}`, { token: owner.token })).body;
    expect(ownerYear.ngos).toEqual([]);
    expect(await checkLedger(g.db())).toEqual([]);
  });
});

describe("who may give where", () => {
  const refusedWithoutWrites = async (who: SessionResponse, villageId: string, status: number, code: string) => {
    const before = await counts();
    const res = await g.checkout(who, [["chevre", 1]], { villageId, showGiverName: true });
    expect(res.status).toBe(status);
    expect(res.body.error?.code).toBe(code);
    expect(res.body.error?.message).toBeTruthy();
    expect(await counts()).toEqual(before);
  };

  it("refuses a stranger's gift to a private village and writes no order", async () => {
    const [owner, stranger] = [await account("Private"), await account("Stranger")];
    await refusedWithoutWrites(stranger, owner.villageId, 403, "village_private");
    await refusedWithoutWrites(await server.guest(), owner.villageId, 403, "village_private");
  });

  it("accepts a stranger's gift to a public village", async () => {
    const [owner, stranger] = [await account("Public"), await account("Passer")];
    await server.api("/api/account/settings", { method: "PATCH", token: owner.token, body: { villageVisibility: "public" } });
    const checkout = await g.checkout(stranger, [["ruche", 1]], { villageId: owner.villageId });
    expect(checkout.status).toBe(201);
    await g.pay(checkout.body);
    await vi.waitFor(async () => expect((await g.order(checkout.body.orderId)).status).toBe("paid"));
    const room = await g.join(owner, owner.villageId);
    const gifts = [...room.state.items.values()].filter((i) => i.donated);
    expect(gifts.map((i) => ({ giftId: i.giftId, fromName: i.fromName }))).toEqual([{ giftId: g.gift("ruche").id, fromName: "" }]);
    const mine = (await feed(owner)).body;
    expect(mine.notifications.map((n) => [n.kind, (n.payload as { orderId?: string }).orderId])).toEqual([["gift_received", checkout.body.orderId]]);
  });

  it("refuses across a block, either way, even for a public village", async () => {
    const [owner, blocked, blocker] = [await account("Blocking"), await account("Blocked"), await account("Blocker")];
    await g.befriend(owner, blocked);
    await server.api("/api/account/settings", { method: "PATCH", token: owner.token, body: { villageVisibility: "public" } });
    expect((await server.api(`/api/blocks/${blocked.player.id}`, { method: "POST", token: owner.token })).status).toBe(204);
    await refusedWithoutWrites(blocked, owner.villageId, 403, "village_private");
    expect((await server.api(`/api/blocks/${owner.player.id}`, { method: "POST", token: blocker.token })).status).toBe(204);
    await refusedWithoutWrites(blocker, owner.villageId, 403, "village_private");
  });

  it("answers 404 for an unknown village and for a deleted account's village", async () => {
    const giver = await account("Lost");
    await refusedWithoutWrites(giver, randomUUID(), 404, "village_unknown");
    const [gone, friend] = [await account("Gone"), await account("Mourner")];
    await g.befriend(gone, friend);
    await g.db().update(players).set({ deletedAt: new Date() }).where(eq(players.id, gone.player.id));
    await refusedWithoutWrites(friend, gone.villageId, 404, "village_unknown");
  });

  it("refuses a village id that is not an id, with the field named", async () => {
    const giver = await account("Typo");
    const before = await counts();
    const res = await g.checkout(giver, [["chevre", 1]], { villageId: "my-friend" as never });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "bad_request", fields: { villageId: expect.any(String) } });
    expect(await counts()).toEqual(before);
  });

  it("keeps a gift to one's own village unchanged: no giver name stored, no notification", async () => {
    const me = await server.guest();
    const checkout = await g.checkout(me, [["chevre", 1]], { villageId: me.villageId, showGiverName: true });
    expect(checkout.status).toBe(201);
    await g.pay(checkout.body);
    const order = await g.order(checkout.body.orderId);
    expect(order).toMatchObject({ villageId: me.villageId, showGiverName: false, status: "paid" });
    expect(await g.receivedNotificationsOf(order.id)).toEqual([]);
    expect((await feed(me)).body).toEqual({ notifications: [], unread: 0 });
  });
});

describe("the notifications feed", () => {
  let owner: SessionResponse, friend: SessionResponse, host: SessionResponse;
  beforeAll(async () => {
    [owner, friend, host] = [await account("Reader"), await account("Sender"), await account("Host")];
    await g.befriend(owner, friend);
    await g.befriend(owner, host);
  });

  it("reaches the owner live while they visit someone else's village, and nobody else there", async () => {
    const visiting = await g.join(owner, host.villageId);
    const hostRoom = await g.join(host, host.villageId);
    const told = nextMessage<NotificationMessage>(visiting, "notification");
    const toldHost = collect<NotificationMessage>(hostRoom, "notification");
    const arrivedHere = collect<GiftArrivedMessage>(hostRoom, "giftArrived");
    const checkout = await g.checkout(friend, [["chevre", 1]], { villageId: owner.villageId, showGiverName: true });
    await g.pay(checkout.body);
    const message = await told;
    expect(message.notification).toMatchObject({ kind: "gift_received", payload: { orderId: checkout.body.orderId, fromName: friend.player.name } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(toldHost).toEqual([]);
    expect(arrivedHere).toEqual([]);
  });

  it("marks only the caller's own notifications read; others' ids are ignored", async () => {
    const other = await account("Other");
    await g.befriend(other, friend);
    const checkout = await g.checkout(friend, [["poules", 1]], { villageId: other.villageId });
    await g.pay(checkout.body);
    await vi.waitFor(async () => expect((await feed(other)).body.unread).toBe(1));
    const othersId = (await feed(other)).body.notifications[0]!.id;

    const before = (await feed(owner)).body;
    expect(before.unread).toBe(before.notifications.filter((n) => !n.readAt).length);
    expect(before.notifications[0]!.readAt).toBeNull();
    const [newest] = before.notifications;
    const marked = await server.api<MarkNotificationsReadResponse>("/api/notifications/read", {
      token: owner.token, body: { ids: [newest!.id, othersId, randomUUID()] },
    });
    expect(marked).toMatchObject({ status: 200, body: { marked: 1, unread: before.unread - 1 } });
    const after = (await feed(owner)).body;
    expect(after.notifications.find((n) => n.id === newest!.id)!.readAt).toEqual(expect.any(String));
    expect(after.unread).toBe(before.unread - 1);
    // Marking again changes nothing; the other player's notification is still unread.
    const again = await server.api<MarkNotificationsReadResponse>("/api/notifications/read", { token: owner.token, body: { ids: [newest!.id] } });
    expect(again.body).toEqual({ marked: 0, unread: before.unread - 1 });
    const others = (await feed(other)).body;
    expect(others.unread).toBe(1);
    expect(others.notifications.find((n) => n.id === othersId)).toMatchObject({ readAt: null });
  });

  it("lists newest first, honours ?limit=, and refuses bad input", async () => {
    const all = (await feed(owner)).body.notifications;
    expect(all.length).toBeGreaterThanOrEqual(1);
    const dates = all.map((n) => n.createdAt);
    expect([...dates].sort().reverse()).toEqual(dates);
    const one = await server.api<NotificationsResponse>("/api/notifications?limit=1", { token: owner.token });
    expect(one.body.notifications).toEqual(all.slice(0, 1));
    for (const query of ["limit=0", "limit=101", "limit=abc", "limit=1.5"]) {
      const res = await server.api<{ error: { code: string } }>(`/api/notifications?${query}`, { token: owner.token });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    for (const body of [{}, { ids: [] }, { ids: ["nope"] }, { ids: "x" }]) {
      const res = await server.api<{ error: { code: string } }>("/api/notifications/read", { token: owner.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    expect((await server.api("/api/notifications")).status).toBe(401);
    expect((await server.api("/api/notifications/read", { body: { ids: [randomUUID()] } })).status).toBe(401);
  });

  it("tells the owner when a friend's gift is taken back by a refund, live and in the feed, without amounts", async () => {
    const home = await g.join(owner, owner.villageId);
    const received = nextMessage<NotificationMessage>(home, "notification");
    const checkout = await g.checkout(friend, [["ruche", 1]], { villageId: owner.villageId });
    await g.pay(checkout.body);
    expect((await received).notification).toMatchObject({ kind: "gift_received", payload: { orderId: checkout.body.orderId } });
    const order = await g.order(checkout.body.orderId);
    const told = nextMessage<NotificationMessage>(home, "notification");
    const refund = stripeEvent("charge.refunded", chargeObject({ sessionId: order.checkoutSessionId!, orderId: order.id, totalCents: order.totalCents, paymentIntentId: order.paymentIntentId! }, order.totalCents));
    expect(await send(server.url, refund)).toMatchObject({ status: 200, body: { outcome: "refunded" } });
    const message = await told;
    const hive = g.gift("ruche");
    expect(message.notification).toMatchObject({
      kind: "gift_withdrawn",
      payload: { orderId: order.id, reason: "refunded", items: [{ itemId: expect.any(String), giftId: hive.id }], gifts: [{ giftId: hive.id, quantity: 1, name: hive.name, sprite: hive.sprite }] },
    });
    expect(mentionsMoney(message)).toBe(false);
    expect((await feed(owner)).body.notifications[0]).toEqual(message.notification);
    expect(await checkLedger(g.db())).toEqual([]);
  });
});
