/**
 * A paid order tells its payer's open game, wherever it is: the real server, real SDK clients and
 * the TEST MODE checkout with its signed webhook. The basket that started the checkout learns its
 * order was paid even when the payer never comes back through the return page (tab closed, paid
 * on another device), and even when the gifts went to a village the payer does not have open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { OrderPaidMessage } from "../../shared/messages.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { signUpAccount } from "../support/accounts.ts";
import { collect, gifting, nextMessage } from "../support/gifting.ts";
import { deliver, sign } from "../support/stripe-events.ts";
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

describe("the payer's open game hears that an order was paid", () => {
  let payer: SessionResponse, friend: SessionResponse;
  let home: Awaited<ReturnType<typeof g.join>>, visiting: Awaited<ReturnType<typeof g.join>>, friendHome: Awaited<ReturnType<typeof g.join>>;
  let heardHome: OrderPaidMessage[], heardVisiting: OrderPaidMessage[], heardByFriend: OrderPaidMessage[];
  beforeAll(async () => {
    [payer, friend] = [await signUpAccount(server, "Payer"), await signUpAccount(server, "Friend")];
    await g.befriend(payer, friend);
    // The payer has the game open twice: at home, and (another tab) visiting the friend, who is at home.
    home = await g.join(payer, payer.villageId);
    friendHome = await g.join(friend, friend.villageId);
    visiting = await g.join(payer, friend.villageId);
    for (const room of [home, friendHome, visiting]) for (const type of ["giftArrived", "notification"]) room.onMessage(type, () => {});
    [heardHome, heardVisiting, heardByFriend] = [collect(home, "orderPaid"), collect(visiting, "orderPaid"), collect(friendHome, "orderPaid")];
  });

  it("in every room the payer is in, and nobody else's, without the return page", async () => {
    const checkout = await g.checkout(payer, [["chevre", 1]]);
    expect(checkout.status).toBe(201);
    const atHome = nextMessage<OrderPaidMessage>(home, "orderPaid");
    const whileVisiting = nextMessage<OrderPaidMessage>(visiting, "orderPaid");
    await g.pay(checkout.body);
    expect(await atHome).toEqual({ orderId: checkout.body.orderId });
    expect(await whileVisiting).toEqual({ orderId: checkout.body.orderId });
    // Sent to the payer's client of the friend's room only: the friend, in the same room, heard nothing.
    expect(heardByFriend).toEqual([]);
    expect((await g.order(checkout.body.orderId)).status).toBe("paid");
  });

  it("for a gift into a friend's village too, which the payer's home room never hears about otherwise", async () => {
    const checkout = await g.checkout(payer, [["poules", 1]], { villageId: friend.villageId });
    expect(checkout.status).toBe(201);
    const atHome = nextMessage<OrderPaidMessage>(home, "orderPaid");
    const arrived = nextMessage(friendHome, "giftArrived");
    await g.pay(checkout.body);
    expect(await atHome).toEqual({ orderId: checkout.body.orderId });
    await arrived;
    expect(heardByFriend).toEqual([]);
  });

  it("once per order: a replayed payment and an abandoned checkout say nothing", async () => {
    const first = await g.checkout(payer, [["sachet-de-graines", 1]]);
    await g.pay(first.body);
    const payload = JSON.stringify(await g.storedCompletedEvent(first.body.orderId));
    const replayed = await deliver(server.url, payload, sign(payload));
    expect(replayed).toMatchObject({ status: 200, body: { outcome: expect.stringMatching(/^duplicate/) } });

    const abandoned = await g.checkout(payer, [["chevre", 1]]);
    const cancel = await fetch(server.url + abandoned.body.checkoutUrl.replace(/\?.*$/, "") + "/cancel", { method: "POST", redirect: "manual" });
    expect(cancel.status).toBe(303);
    expect((await g.order(abandoned.body.orderId)).status).toBe("expired");

    // A later payment is the next thing heard: nothing came between.
    const last = await g.checkout(payer, [["sachet-de-graines", 2]]);
    const next = [nextMessage<OrderPaidMessage>(home, "orderPaid"), nextMessage<OrderPaidMessage>(visiting, "orderPaid")];
    await g.pay(last.body);
    await Promise.all(next);
    const orders = (list: OrderPaidMessage[]) => list.map((m) => m.orderId).slice(-2);
    expect(orders(heardHome)).toEqual([first.body.orderId, last.body.orderId]);
    expect(heardHome.filter((m) => m.orderId === first.body.orderId)).toHaveLength(1);
    expect(heardHome.some((m) => m.orderId === abandoned.body.orderId)).toBe(false);
    expect(orders(heardVisiting)).toEqual([first.body.orderId, last.body.orderId]);
    expect(heardByFriend).toEqual([]);
  });
});
