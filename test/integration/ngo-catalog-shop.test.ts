/**
 * What players see of an NGO's catalog: only gifts on sale (approved NGO,
 * inside the window, not retired, not sold out), live in every village room
 * (catalogChanged), a retired gift still in the village that bought it, and
 * the stock held under a row lock so the last unit cannot be bought twice.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogChangedMessage } from "../../shared/messages.ts";
import type { CheckoutResponse, PublicGiftResponse, SessionResponse } from "../../shared/api.ts";
import type { NgoGiftsResponse, NgoGiftView, NgoProjectView } from "../../shared/ngo-catalog.ts";
import { GIFT_SPRITES } from "../../shared/sprites.ts";
import { gifts, orders } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { tableCounts } from "../support/counts.ts";
import { type VillageRoom, nextMessage } from "../support/gifting.ts";
import { addNgoMember, insertTestNgo, setTestNgoStatus } from "../support/ngo.ts";
import { HOUR, iso, ngoCatalogWorld } from "../support/ngo-catalog-world.ts";
import type { TestServer } from "../support/server.ts";

const world = ngoCatalogWorld();
const { buy, call, createGift, db, draft, g, inShop, join, shop } = world;
let server: TestServer;
let ngo: { id: string };
let editor: SessionResponse;
let viewer: SessionResponse;
let stranger: SessionResponse;
let project: NgoProjectView;
beforeAll(() => {
  ({ server, ngo, editor, viewer, stranger, project } = world.people);
});

describe("what players see", () => {
  it("a new gift shows in the shop with its description, emergency flag and stock; the console sees it with its slug", async () => {
    const gift = await createGift(draft({ nameFr: "Chèvre d'urgence", emergency: true, stockLimit: 5, sortOrder: -1, sprite: "goat" }));
    expect(gift).toMatchObject({ slug: "chevre-d-urgence", state: "on_sale", unitsSold: 0, unitsHeld: 0, stockLeft: 5, retiredAt: null });
    const listed = (await shop()).gifts.find((x) => x.id === gift.id);
    expect(listed).toMatchObject({
      slug: "chevre-d-urgence", sprite: "goat", emergency: true, stockLeft: 5, priceCents: 1500, currency: "EUR",
      description: { fr: "Trois poules pondeuses.", en: "Three laying hens." }, project: { id: project.id, name: { en: "Livestock in Senegal" } },
    });
    expect((await createGift(draft({ nameFr: "Chèvre d'urgence" }))).slug).toBe("chevre-d-urgence-2");
    expect(GIFT_SPRITES).toContain(gift.sprite);
  });

  it("a gift of an NGO not approved yet stays out of the shop and of GET /api/gifts/:id until the approval", async () => {
    const pending = await insertTestNgo(server, { status: "pending" });
    await addNgoMember(server, pending.id, editor.player.id, "editor");
    const p = (await call<NgoProjectView>(editor, "POST", `/api/ngos/${pending.id}/projects`, { nameFr: "Écoles", nameEn: "Schools", country: "BF" })).body;
    const gift = await createGift(draft({ projectId: p.id }), editor, pending.id);
    expect(gift.state).toBe("ngo_not_approved");
    expect(await inShop(gift.id)).toBe(false);
    expect((await server.api(`/api/gifts/${gift.id}`)).status).toBe(404);
    const refused = await call(stranger, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] });
    expect(refused.body.error.code).toBe("gift_unavailable");
    await setTestNgoStatus(server, pending.id, "approved");
    expect(await inShop(gift.id)).toBe(true);
    expect((await server.api<PublicGiftResponse>(`/api/gifts/${gift.id}`)).body.onSale).toBe(true);
  });

  it("a gift shows only inside its availability window, and the shop is told when the window next changes", async () => {
    const soon = iso(HOUR);
    const later = await createGift(draft({ availableFrom: soon }));
    expect(later.state).toBe("not_yet");
    const ended = await createGift(draft({ availableFrom: iso(-2 * HOUR), availableUntil: iso(-HOUR) }));
    expect(ended.state).toBe("ended");
    const open = await createGift(draft({ availableFrom: iso(-HOUR), availableUntil: iso(2 * HOUR) }));
    const listed = await shop();
    expect(listed.gifts.map((x) => x.id)).toContain(open.id);
    expect(listed.gifts.map((x) => x.id)).not.toContain(later.id);
    expect(listed.gifts.map((x) => x.id)).not.toContain(ended.id);
    expect(new Date(listed.nextChangeAt!).getTime()).toBeLessThanOrEqual(new Date(soon).getTime());
    for (const gift of [later, ended]) {
      const res = await call(stranger, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("gift_unavailable");
    }
    const moved = await call<NgoGiftView>(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${later.id}`, { availableFrom: iso(-HOUR) });
    expect(moved.body.state).toBe("on_sale");
    expect(await inShop(later.id)).toBe(true);
    const reopened = await call<NgoGiftView>(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${ended.id}`, { availableUntil: null });
    expect(reopened.body).toMatchObject({ state: "on_sale", availableUntil: null });
    expect(await inShop(ended.id)).toBe(true);
  });
});

describe("the live shop", () => {
  let room: VillageRoom;
  beforeAll(async () => {
    room = await join(stranger, stranger.villageId);
  });

  it("a client in a village room hears catalogChanged within a second of an edit, and of a creation", async () => {
    const gift = await createGift(draft());
    const heard = nextMessage<CatalogChangedMessage>(room, "catalogChanged");
    const t0 = Date.now();
    const res = await call(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${gift.id}`, { nameEn: "Renamed hens", priceCents: 1700 });
    expect(res.status).toBe(200);
    const message = await heard;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(message.giftIds).toEqual([gift.id]);
    expect((await shop()).gifts.find((x) => x.id === gift.id)).toMatchObject({ name: { en: "Renamed hens" }, priceCents: 1700 });

    const created = nextMessage<CatalogChangedMessage>(room, "catalogChanged");
    const t1 = Date.now();
    const fresh = await createGift(draft());
    expect((await created).giftIds).toEqual([fresh.id]);
    expect(Date.now() - t1).toBeLessThan(1000);
  });

  it("a refused edit announces nothing", async () => {
    const gift = await createGift(draft());
    let heard = 0;
    const off = room.onMessage("catalogChanged", () => heard++);
    await call(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${gift.id}`, { priceCents: 1 });
    await call(viewer, "POST", `/api/ngos/${ngo.id}/gifts/${gift.id}/retire`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    off();
    expect(heard).toBe(0);
  });
});

describe("retiring a gift", () => {
  it("takes it out of the shop, leaves it in the village that owns it, refuses its checkout, and restoring brings it back", async () => {
    const gift = await createGift(draft({ sprite: "beehive" }));
    const buyer = await server.guest();
    const order = await buy(buyer, gift.id);
    const room = await join(buyer, buyer.villageId);
    await vi.waitFor(() => expect([...room.state.items.values()].some((i) => i.giftId === gift.id)).toBe(true));

    const heard = nextMessage<CatalogChangedMessage>(room, "catalogChanged");
    const retired = await call<NgoGiftView>(editor, "POST", `/api/ngos/${ngo.id}/gifts/${gift.id}/retire`);
    expect(retired.status).toBe(200);
    expect(retired.body.state).toBe("retired");
    expect(retired.body.retiredAt).toBeTruthy();
    expect((await heard).giftIds).toEqual([gift.id]);
    expect(await inShop(gift.id)).toBe(false);

    // Still in the village, live and after a fresh join, with its picture; still described by GET /api/gifts/:id.
    await room.leave(true);
    const again = await join(buyer, buyer.villageId);
    const item = [...again.state.items.values()].find((i) => i.giftId === gift.id);
    expect(item).toMatchObject({ sprite: "beehive", donated: true });
    const info = await server.api<PublicGiftResponse>(`/api/gifts/${gift.id}`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ onSale: false, gift: { id: gift.id, sprite: "beehive", name: { fr: gift.nameFr }, impact: { en: gift.impactEn } } });
    expect((await call<NgoGiftsResponse>(viewer, "GET", `/api/ngos/${ngo.id}/gifts`)).body.gifts.find((x) => x.id === gift.id))
      .toMatchObject({ state: "retired", unitsSold: 1 });

    const before = await tableCounts(db());
    const refused = await call(buyer, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("gift_unavailable");
    expect(await tableCounts(db())).toEqual(before);
    expect((await g.order(order.orderId)).status).toBe("paid");

    const restored = await call<NgoGiftView>(editor, "POST", `/api/ngos/${ngo.id}/gifts/${gift.id}/restore`);
    expect(restored.body).toMatchObject({ state: "on_sale", retiredAt: null });
    expect(await inShop(gift.id)).toBe(true);
  });

  it("a gift never bought nor on sale is not described to players", async () => {
    const gift = await createGift(draft());
    await call(editor, "POST", `/api/ngos/${ngo.id}/gifts/${gift.id}/retire`);
    expect((await server.api(`/api/gifts/${gift.id}`)).status).toBe(404);
    expect((await server.api("/api/gifts/nope")).status).toBe(404);
  });
});

describe("stock", () => {
  it("two buyers racing for the last unit: one checkout opens, the other is refused gift_sold_out", async () => {
    const gift = await createGift(draft({ stockLimit: 1 }));
    // The last unit needs an account (a guest never holds it: stock-holds.test.ts).
    const [a, b] = await Promise.all([signUpAccount(server, "RacerA"), signUpAccount(server, "RacerB")]);
    const before = await tableCounts(db());
    const results = await Promise.all([a, b].map((who) => call<CheckoutResponse>(who, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(results.find((r) => r.status === 422)!.body.error.code).toBe("gift_sold_out");
    const after = await tableCounts(db());
    expect(after.orders).toBe(before.orders + 1);
    expect(after.order_lines).toBe(before.order_lines + 1);
    // Held by the open checkout: out of the shop, and a third buyer is refused too.
    expect(await inShop(gift.id)).toBe(false);
    expect((await call(stranger, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] })).body.error.code).toBe("gift_sold_out");
    const view = (await call<NgoGiftsResponse>(viewer, "GET", `/api/ngos/${ngo.id}/gifts`)).body.gifts.find((x) => x.id === gift.id);
    expect(view).toMatchObject({ unitsSold: 0, unitsHeld: 1, stockLeft: 0, state: "sold_out" });
  });

  it("a checkout left open past its validity holds nothing any more", async () => {
    const gift = await createGift(draft({ stockLimit: 1 }));
    const buyer = await signUpAccount(server, "LateBuyer");
    const first = await call<CheckoutResponse>(buyer, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] });
    expect(first.status).toBe(201);
    await db().update(orders).set({ createdAt: new Date(Date.now() - 40 * 60_000) }).where(eq(orders.id, first.body.orderId));
    expect(await inShop(gift.id)).toBe(true);
    const second = await call<CheckoutResponse>(buyer, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] });
    expect(second.status).toBe(201);
    // The stale TEST MODE session cannot be paid any more: it expires instead.
    await g.pay(first.body);
    expect((await g.order(first.body.orderId)).status).toBe("expired");
  });

  it("a stock limit may not go below the units sold; above, the rest is for sale, and asking more than is left is refused", async () => {
    const gift = await createGift(draft({ stockLimit: 2 }));
    const heard = collectShopEvents();
    await buy(await server.guest(), gift.id);
    await vi.waitFor(() => expect(heard.some((m) => m.giftIds.includes(gift.id))).toBe(true));
    const below = await call(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${gift.id}`, { stockLimit: 0 });
    expect(below.status).toBe(400);
    expect(below.body.error.fields).toEqual({ stockLimit: "stock_below_sold" });
    const [row] = await db().select().from(gifts).where(eq(gifts.id, gift.id));
    expect(row!.stockLimit).toBe(2);
    const exact = await call<NgoGiftView>(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${gift.id}`, { stockLimit: 1 });
    expect(exact.body).toMatchObject({ stockLimit: 1, unitsSold: 1, stockLeft: 0, state: "sold_out" });
    expect(await inShop(gift.id)).toBe(false);
    const raised = await call<NgoGiftView>(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${gift.id}`, { stockLimit: 4 });
    expect(raised.body.stockLeft).toBe(3);
    expect((await shop()).gifts.find((x) => x.id === gift.id)!.stockLeft).toBe(3);
    const tooMany = await call(stranger, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 4 }] });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.code).toBe("gift_stock_low");
    const unlimited = await call<NgoGiftView>(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${gift.id}`, { stockLimit: null });
    expect(unlimited.body).toMatchObject({ stockLimit: null, stockLeft: null });
  });
});

/** Every catalogChanged the stranger's room hears from now on. */
function collectShopEvents(): CatalogChangedMessage[] {
  const seen: CatalogChangedMessage[] = [];
  const room = g.rooms[0]!;
  room.onMessage("catalogChanged", (m: CatalogChangedMessage) => seen.push(m));
  return seen;
}
