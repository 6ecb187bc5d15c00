// @both-databases: a dedication delivered once by racing sweepers.
/**
 * Dedicated gifts, end to end on the real server: who a dedication may go to
 * (refused before anything is written), its delivery on its date exactly once
 * (into the honoree's village as a notification, or as an e-card in the mail
 * outbox, never with an amount), only once paid, and cancelled by a refund
 * before the date. The server's clock is a test clock moved forward by days.
 */
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { DedicationInput } from "../../shared/dedications.ts";
import { parisDate } from "../../shared/fund-trail.ts";
import type { MyDonationsResponse } from "../../shared/my-donations.ts";
import type { NotificationsResponse } from "../../shared/notifications.ts";
import type { GiftArrivedMessage } from "../../shared/messages.ts";
import type { NotificationMessage } from "../../shared/notifications.ts";
import { giftDedications, notifications, orderLines, orders, villageItems } from "../../server/db/schema.ts";
import { deliverDueDedications } from "../../server/services/dedication-delivery.ts";
import { signUpAccount, outboxFor } from "../support/accounts.ts";
import { TestClock } from "../support/clock.ts";
import { tableCounts } from "../support/counts.ts";
import { gifting, mentionsMoney, nextMessage } from "../support/gifting.ts";
import { chargeObject, checkoutCompletedEvent, send, stripeEvent } from "../support/stripe-events.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const DAY = 86_400_000;
let server: TestServer;
let catalog: CatalogResponse;
const clock = new TestClock();
const g = gifting(() => server, () => catalog);

beforeAll(async () => {
  // Sweeps only when the test asks (a long period), so each step is seen.
  server = await startTestServer({ now: clock.now, dedicationSweepMs: 3_600_000 });
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
});
afterAll(async () => {
  await Promise.all(g.rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  await server?.stop();
});

const account = (prefix: string) => signUpAccount(server, prefix);
const dayFromNow = (days: number) => parisDate(clock.now() + days * DAY);
const sweep = () => server.hameau.dedications.sweep();
const dedicate = (who: SessionResponse, dedication: DedicationInput, lines: Array<[string, number]> = [["chevre", 1]]) =>
  g.checkout(who, lines, { dedication, locale: "en" });
const dedicationsOf = (who: SessionResponse) =>
  server.api<NotificationsResponse>("/api/notifications", { token: who.token })
    .then((r) => r.body.notifications.filter((n) => n.kind === "dedication_received"));
const myDonation = async (who: SessionResponse, orderId: string) =>
  (await server.api<MyDonationsResponse>("/api/me/donations", { token: who.token })).body.donations.find((d) => d.orderId === orderId)!;
const dedicationRow = async (orderId: string) => (await g.db().select().from(giftDedications).where(eq(giftDedications.orderId, orderId)))[0]!;
/** The order's items standing (not taken back), with the village each stands in. */
const itemsOf = (orderId: string) =>
  g.db().select({ id: villageItems.id, villageId: villageItems.villageId, giftId: villageItems.giftId }).from(villageItems)
    .innerJoin(orderLines, eq(orderLines.id, villageItems.orderLineId))
    .where(and(eq(orderLines.orderId, orderId), isNull(villageItems.removedAt)));
async function paidSession(orderId: string) {
  const [row] = await g.db().select().from(orders).where(eq(orders.id, orderId));
  return { sessionId: row!.checkoutSessionId!, orderId, totalCents: row!.totalCents, paymentIntentId: row!.paymentIntentId! };
}

describe("who a dedication may go to", () => {
  it("refuses a stranger's private village, a blocked player's public one, one's own village and bad dates, writing nothing", async () => {
    const [giver, stranger, blocker] = [await account("Giver"), await account("Stranger"), await account("Blocker")];
    expect((await server.api("/api/account/settings", { method: "PATCH", token: blocker.token, body: { villageVisibility: "public" } })).status).toBe(200);
    expect((await server.api(`/api/blocks/${giver.player.id}`, { method: "POST", token: blocker.token })).status).toBe(204);
    const before = await tableCounts(g.db());
    const base = { honoreeName: "Mina", message: "For you", deliverOn: dayFromNow(0) };
    const refused = async (dedication: DedicationInput, status: number, code: string) => {
      const res = await dedicate(giver, dedication);
      expect(res.status).toBe(status);
      expect(res.body.error?.code).toBe(code);
    };
    await refused({ ...base, to: { kind: "village", villageId: stranger.villageId } }, 403, "village_private");
    await refused({ ...base, to: { kind: "village", villageId: blocker.villageId } }, 403, "village_private");
    await refused({ ...base, to: { kind: "village", villageId: giver.villageId } }, 400, "dedication_own_village");
    await refused({ ...base, deliverOn: dayFromNow(-1), to: { kind: "email", email: "mina@example.org" } }, 400, "dedication_date_invalid");
    await refused({ ...base, deliverOn: dayFromNow(400), to: { kind: "email", email: "mina@example.org" } }, 400, "dedication_date_invalid");
    await refused({ ...base, deliverOn: "2026-02-30", to: { kind: "email", email: "mina@example.org" } }, 400, "bad_request");
    await refused({ ...base, message: "x".repeat(301), to: { kind: "email", email: "mina@example.org" } }, 400, "bad_request");
    await refused({ ...base, honoreeName: "Mi\u0000na", to: { kind: "email", email: "mina@example.org" } }, 400, "text_invalid");
    await refused({ ...base, honoreeName: "Mi\u0007na", to: { kind: "email", email: "mina@example.org" } }, 400, "bad_request");
    await refused({ ...base, to: { kind: "email", email: "not an address" } }, 400, "bad_request");
    expect(await tableCounts(g.db())).toEqual(before);
  });
});

describe("a dedication into a friend's village", () => {
  it("is delivered once on its date, after payment, without the giver's name or any amount", async () => {
    const [giver, friend] = [await account("Dedicator"), await account("Honoree")];
    await g.befriend(giver, friend);
    const checkout = await dedicate(giver, {
      honoreeName: "Grandma Rose", message: "  Happy birthday!\r\nLove  ", deliverOn: dayFromNow(3), to: { kind: "village", villageId: friend.villageId },
    });
    expect(checkout.status).toBe(201);
    expect(await dedicationRow(checkout.body.orderId)).toMatchObject({ status: "scheduled", message: "Happy birthday!\nLove", kind: "village" });
    // Not paid yet, even on its date: it waits.
    clock.advance(3 * DAY);
    await sweep();
    expect(await dedicationsOf(friend)).toEqual([]);
    await g.pay(checkout.body);
    await g.settled(checkout.body.orderId);
    // Several processes sweeping at once deliver it once.
    const deps = { db: g.db(), mailer: { mode: "outbox" as const, send: async () => undefined, close() {} }, logger: server.hameau.logger, presence: { publish: async () => undefined } as never, publicUrl: () => server.url, now: clock.now };
    await Promise.all([sweep(), deliverDueDedications(deps), deliverDueDedications(deps), sweep()]);
    await sweep();
    const told = await dedicationsOf(friend);
    expect(told).toHaveLength(1);
    expect(told[0]!.payload).toMatchObject({ honoreeName: "Grandma Rose", message: "Happy birthday!\nLove", fromName: null, gifts: [{ giftId: g.gift("chevre").id, quantity: 1 }] });
    expect(mentionsMoney(told[0]!.payload)).toBe(false);
    expect(JSON.stringify(told[0])).not.toContain(giver.player.name);
    expect((await dedicationRow(checkout.body.orderId)).status).toBe("delivered");
    // The goat stands in the honoree's village, once; the giver's village holds no duplicate.
    const items = await itemsOf(checkout.body.orderId);
    expect(items).toEqual([{ id: expect.any(String), villageId: friend.villageId, giftId: g.gift("chevre").id }]);
    expect(told[0]!.payload).toMatchObject({ villageId: friend.villageId, itemIds: [items[0]!.id] });
    // The giver sees it on their donation.
    expect((await myDonation(giver, checkout.body.orderId)).dedication).toEqual({
      honoreeName: "Grandma Rose", message: "Happy birthday!\nLove", deliverOn: dayFromNow(0), showGiverName: false, status: "delivered",
      to: { kind: "village", villageName: expect.any(String) },
    });
    // Only the honoree was told.
    const others = await g.db().select().from(notifications).where(eq(notifications.kind, "dedication_received"));
    expect(others.filter((n) => n.playerId !== friend.player.id)).toEqual([]);
  });

  it("is cancelled when the honoree blocked the giver before the date", async () => {
    const [giver, friend] = [await account("Blocked"), await account("Blocking")];
    await g.befriend(giver, friend);
    const checkout = await dedicate(giver, { honoreeName: "Sam", deliverOn: dayFromNow(1), to: { kind: "village", villageId: friend.villageId } });
    await g.pay(checkout.body);
    await g.settled(checkout.body.orderId);
    expect((await server.api(`/api/blocks/${giver.player.id}`, { method: "POST", token: friend.token })).status).toBe(204);
    clock.advance(DAY);
    await sweep();
    expect(await dedicationsOf(friend)).toEqual([]);
    expect((await dedicationRow(checkout.body.orderId)).status).toBe("cancelled");
    // Paid for all the same: the gift stands in the giver's own village instead, never in the blocker's.
    expect((await itemsOf(checkout.body.orderId)).map((i) => i.villageId)).toEqual([giver.villageId]);
  });

  it("lands live in the honoree's open room, with the giver's name when shown, and a refund takes it back from there", async () => {
    const [giver, friend] = [await account("Livegiver"), await account("Livehonoree")];
    await g.befriend(giver, friend);
    const home = await g.join(friend, friend.villageId);
    const giverHome = await g.join(giver, giver.villageId);
    const checkout = await dedicate(giver, {
      honoreeName: "Nour", message: "Pour toi", deliverOn: dayFromNow(0), to: { kind: "village", villageId: friend.villageId }, showGiverName: true,
    }, [["chevre", 2]]);
    expect(checkout.status).toBe(201);
    const arrived = nextMessage<GiftArrivedMessage>(home, "giftArrived");
    const told = nextMessage<NotificationMessage>(home, "notification");
    // Paid: due today, it is delivered at once (the payment wakes the sweep), not at the next sweep an hour later.
    await g.pay(checkout.body);
    const message = await arrived;
    const goat = g.gift("chevre");
    expect(message).toEqual({
      orderId: checkout.body.orderId, fromName: giver.player.name, yours: false,
      items: [{ itemId: expect.any(String), giftId: goat.id }, { itemId: expect.any(String), giftId: goat.id }],
    });
    for (const { itemId } of message.items) expect(home.state.items.get(itemId)).toMatchObject({ donated: true, giftId: goat.id, fromName: giver.player.name });
    const notice = (await told).notification;
    expect(notice).toMatchObject({ kind: "dedication_received", payload: { honoreeName: "Nour", message: "Pour toi", fromName: giver.player.name, villageId: friend.villageId } });
    expect(mentionsMoney(notice.payload)).toBe(false);
    // More sweeps, racing: still two goats, both in the honoree's village, none in the giver's.
    await Promise.all([sweep(), sweep(), deliverDueDedications({ db: g.db(), mailer: { mode: "outbox", send: async () => undefined, close() {} }, logger: server.hameau.logger, presence: { publish: async () => undefined } as never, publicUrl: () => server.url, now: clock.now })]);
    const items = await itemsOf(checkout.body.orderId);
    expect(items.map((i) => i.villageId)).toEqual([friend.villageId, friend.villageId]);
    expect([...giverHome.state.items.values()].filter((i) => i.donated)).toEqual([]);
    // The payment itself told the honoree nothing else (no "gift received" before the dedication's).
    expect(await g.receivedNotificationsOf(checkout.body.orderId)).toEqual([]);
    // Refunded after delivery: the goats leave the honoree's village, live, and the honoree is told.
    const withdrawn = nextMessage<{ orderId: string }>(home, "giftWithdrawn");
    const session = await paidSession(checkout.body.orderId);
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(session, session.totalCents)))).body).toMatchObject({ outcome: "refunded" });
    expect(await withdrawn).toMatchObject({ orderId: checkout.body.orderId });
    expect(await itemsOf(checkout.body.orderId)).toEqual([]);
    const feed = await server.api<NotificationsResponse>("/api/notifications", { token: friend.token });
    expect(feed.body.notifications.some((n) => n.kind === "gift_withdrawn")).toBe(true);
  });

  it("whose order expired is cancelled; paid after all, the gift stands in the giver's village", async () => {
    const [giver, friend] = [await account("Lategiver"), await account("Latehonoree")];
    await g.befriend(giver, friend);
    const checkout = await dedicate(giver, { honoreeName: "Ines", deliverOn: dayFromNow(0), to: { kind: "village", villageId: friend.villageId } });
    expect((await server.api(`/api/orders/${checkout.body.orderId}/cancel`, { method: "POST", token: giver.token })).status).toBe(200);
    await sweep();
    expect((await dedicationRow(checkout.body.orderId)).status).toBe("cancelled");
    const [row] = await g.db().select().from(orders).where(eq(orders.id, checkout.body.orderId));
    const late = checkoutCompletedEvent({ id: row!.checkoutSessionId!, orderId: row!.id, amountTotal: row!.totalCents });
    expect((await send(server.url, late)).body).toMatchObject({ outcome: "fulfilled" });
    expect((await itemsOf(checkout.body.orderId)).map((i) => i.villageId)).toEqual([giver.villageId]);
    await sweep();
    expect(await dedicationsOf(friend)).toEqual([]);
    expect(await itemsOf(checkout.body.orderId)).toHaveLength(1);
  });

  it("refuses a village dedication sent into another village at once, writing nothing", async () => {
    const [giver, friend, other] = [await account("Twovillages"), await account("Twohonoree"), await account("Twoother")];
    await g.befriend(giver, friend);
    await g.befriend(giver, other);
    const before = await tableCounts(g.db());
    const res = await g.checkout(giver, [["chevre", 1]], {
      villageId: other.villageId, locale: "en",
      dedication: { honoreeName: "Ada", deliverOn: dayFromNow(0), to: { kind: "village", villageId: friend.villageId } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("dedication_two_villages");
    expect(await tableCounts(g.db())).toEqual(before);
  });
});

describe("a dedication by e-card", () => {
  it("mails the e-card on its date with the gift, its impact, the message and the giver's chosen name, never an amount", async () => {
    const giver = await account("Carder");
    const email = `rose.${Date.now()}@example.org`;
    const checkout = await dedicate(giver, {
      honoreeName: "Rose", message: "Thinking of you", deliverOn: dayFromNow(0), to: { kind: "email", email }, showGiverName: true,
    }, [["chevre", 2]]);
    expect(checkout.status).toBe(201);
    await g.pay(checkout.body);
    await g.settled(checkout.body.orderId);
    await sweep();
    await sweep();
    const mails = await outboxFor(server.url, email);
    expect(mails).toHaveLength(1);
    const goat = g.gift("chevre");
    expect(mails[0]!.subject).toBe("A charity gift in your honour, Rose");
    expect(mails[0]!.text).toContain(giver.player.name);
    expect(mails[0]!.text).toContain(`2 × ${goat.name.en}`);
    expect(mails[0]!.text).toContain(goat.impact.en);
    expect(mails[0]!.text).toContain("Thinking of you");
    expect(mails[0]!.text).toContain(`/assets/sprites/${goat.sprite}.svg`);
    // No amount anywhere (the links' port aside).
    const words = mails[0]!.text.replace(/https?:\/\/\S+/g, "");
    expect(words).not.toMatch(/€|\bEUR\b|\d+[.,]\d{2}/);
    expect(words).not.toContain(String(goat.priceCents / 100));
    expect((await myDonation(giver, checkout.body.orderId)).dedication).toMatchObject({ status: "delivered", to: { kind: "email", email }, showGiverName: true });
  });

  it("is cancelled by a refund before its date: no mail, shown cancelled to the giver", async () => {
    const giver = await account("Refunder");
    const email = `later.${Date.now()}@example.org`;
    const checkout = await dedicate(giver, { honoreeName: "Lou", deliverOn: dayFromNow(5), to: { kind: "email", email } });
    await g.pay(checkout.body);
    await g.settled(checkout.body.orderId);
    const session = await paidSession(checkout.body.orderId);
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(session, session.totalCents)))).body).toMatchObject({ outcome: "refunded" });
    expect((await myDonation(giver, checkout.body.orderId)).dedication?.status).toBe("cancelled");
    clock.advance(5 * DAY);
    await sweep();
    expect(await outboxFor(server.url, email)).toEqual([]);
    expect((await dedicationRow(checkout.body.orderId)).status).toBe("cancelled");
  });
});
