import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogChangedMessage } from "../../shared/messages.ts";
import type { CatalogResponse, CheckoutResponse, PublicGiftResponse, SessionResponse } from "../../shared/api.ts";
import type { GiftCreateRequest, NgoGiftsResponse, NgoGiftView, NgoProjectsResponse, NgoProjectView } from "../../shared/ngo-catalog.ts";
import { GIFT_SPRITES } from "../../shared/sprites.ts";
import { gifts, orders, projects } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { signUpAccount } from "../support/accounts.ts";
import { tableCounts } from "../support/counts.ts";
import { type VillageRoom, gifting, nextMessage } from "../support/gifting.ts";
import { addTestNgoMember, insertTestNgo, setTestNgoStatus } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

let server: TestServer;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);
let ngo: { id: string };
let other: { id: string };
let admin: SessionResponse;
let editor: SessionResponse;
let viewer: SessionResponse;
let stranger: SessionResponse;
let otherEditor: SessionResponse;
let project: NgoProjectView;
let otherProject: NgoProjectView;

const db = () => server.hameau.database.db;
const call = <T = unknown>(who: SessionResponse | null, method: string, path: string, body?: unknown) =>
  server.api<T & ErrorBody>(path, { method, token: who?.token, ...(body === undefined ? {} : { body }) });
const shop = async () => (await server.api<CatalogResponse>("/api/catalog")).body;
const inShop = async (id: string) => (await shop()).gifts.some((gift) => gift.id === id);
const catalogRows = async () => {
  const result = (await db().execute(sql`select (select count(*) from gifts)::int as gifts, (select count(*) from projects)::int as projects`)) as unknown as {
    rows: Array<{ gifts: number; projects: number }>;
  };
  return result.rows[0]!;
};
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
const HOUR = 3_600_000;

let n = 0;
function draft(over: Partial<GiftCreateRequest> = {}): GiftCreateRequest {
  n++;
  return {
    nameFr: `Poules solidaires ${n}`, nameEn: `Solidarity hens ${n}`, descriptionFr: "Trois poules pondeuses.", descriptionEn: "Three laying hens.",
    impactFr: "Des œufs chaque jour.", impactEn: "Eggs every day.", priceCents: 1500, projectId: project.id, sprite: "chickens", ...over,
  };
}
const createGift = async (body: GiftCreateRequest, who = editor, ngoId = ngo.id) => {
  const res = await call<NgoGiftView>(who, "POST", `/api/ngos/${ngoId}/gifts`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

/** Buys one unit of a gift through the TEST MODE checkout, and waits for it in the buyer's village. */
async function buy(buyer: SessionResponse, giftId: string, quantity = 1): Promise<CheckoutResponse> {
  const res = await call<CheckoutResponse>(buyer, "POST", "/api/checkout", { lines: [{ giftId, quantity }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await g.pay(res.body);
  await vi.waitFor(async () => expect((await g.order(res.body.orderId)).status).toBe("paid"));
  return res.body;
}

beforeAll(async () => {
  server = await startTestServer();
  catalog = await shop();
  ngo = await insertTestNgo(db());
  other = await insertTestNgo(db());
  admin = await signUpAccount(server, "Admin");
  editor = await signUpAccount(server, "Editor");
  viewer = await signUpAccount(server, "Viewer");
  otherEditor = await signUpAccount(server, "Other");
  stranger = await server.guest();
  await addTestNgoMember(db(), ngo.id, admin.player.id, "admin");
  await addTestNgoMember(db(), ngo.id, editor.player.id, "editor");
  await addTestNgoMember(db(), ngo.id, viewer.player.id, "viewer");
  await addTestNgoMember(db(), other.id, otherEditor.player.id, "editor");
  const created = await call<NgoProjectView>(editor, "POST", `/api/ngos/${ngo.id}/projects`, { nameFr: "Élevage au Sénégal", nameEn: "Livestock in Senegal", country: "sn" });
  expect(created.status).toBe(201);
  project = created.body;
  otherProject = (await call<NgoProjectView>(otherEditor, "POST", `/api/ngos/${other.id}/projects`, { nameFr: "Puits", nameEn: "Wells", country: "MG" })).body;
});
afterAll(async () => {
  // A room already left never answers: do not wait for it.
  await Promise.all(g.rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  expect(await checkLedger(db())).toEqual([]);
  await server?.stop();
});

/** Joins a village room that listens to catalogChanged (as the browser client does). */
async function join(who: SessionResponse, villageId: string): Promise<VillageRoom> {
  const room = await g.join(who, villageId);
  room.onMessage("catalogChanged", () => {});
  return room;
}

describe("projects", () => {
  it("are created with a slug from the French name and an upper-case country, and listed for every member", async () => {
    expect(project).toMatchObject({ slug: "elevage-au-senegal", nameFr: "Élevage au Sénégal", nameEn: "Livestock in Senegal", country: "SN" });
    const again = await call<NgoProjectView>(admin, "POST", `/api/ngos/${ngo.id}/projects`, { nameFr: "Élevage au Sénégal", nameEn: "Livestock 2", country: "SN" });
    expect(again.status).toBe(201);
    expect(again.body.slug).toBe("elevage-au-senegal-2");
    const list = await call<NgoProjectsResponse>(viewer, "GET", `/api/ngos/${ngo.id}/projects`);
    expect(list.status).toBe(200);
    expect(list.body.projects.map((p) => p.id)).toEqual([project.id, again.body.id]);
    const renamed = await call<NgoProjectView>(editor, "PATCH", `/api/ngos/${ngo.id}/projects/${again.body.id}`, { nameEn: "Goats in Senegal" });
    expect(renamed.body).toMatchObject({ nameEn: "Goats in Senegal", slug: "elevage-au-senegal-2" });
  });

  it.each([
    [{ nameFr: "", nameEn: "x", country: "SN" }, { nameFr: "required" }],
    [{ nameFr: "x", nameEn: "x".repeat(121), country: "SN" }, { nameEn: "too_long" }],
    [{ nameFr: "x", nameEn: "x", country: "XX" }, { country: "country_invalid" }],
    [{ nameFr: "x", nameEn: "x", country: "FRA" }, { country: "country_invalid" }],
    [{ nameFr: "x", nameEn: "x" }, { country: "country_invalid" }],
    [{ nameFr: "x", nameEn: "x", country: "SN", ngoId: "someone else's" }, { ngoId: "unknown_field" }],
  ])("a bad project %j is refused with its field, nothing written", async (body, fields) => {
    const before = await catalogRows();
    const res = await call(editor, "POST", `/api/ngos/${ngo.id}/projects`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(res.body.error.fields).toEqual(fields);
    expect(await catalogRows()).toEqual(before);
  });
});

describe("who may do what", () => {
  it("a viewer reads the gifts and projects but may not write (403), nothing written", async () => {
    const gift = await createGift(draft());
    const before = await catalogRows();
    expect((await call(viewer, "GET", `/api/ngos/${ngo.id}/gifts`)).status).toBe(200);
    const writes: Array<[string, string, unknown]> = [
      ["POST", `/api/ngos/${ngo.id}/gifts`, draft()],
      ["PATCH", `/api/ngos/${ngo.id}/gifts/${gift.id}`, { priceCents: 200 }],
      ["POST", `/api/ngos/${ngo.id}/gifts/${gift.id}/retire`, undefined],
      ["POST", `/api/ngos/${ngo.id}/gifts/${gift.id}/restore`, undefined],
      ["POST", `/api/ngos/${ngo.id}/projects`, { nameFr: "a", nameEn: "b", country: "SN" }],
      ["PATCH", `/api/ngos/${ngo.id}/projects/${project.id}`, { nameFr: "c" }],
    ];
    for (const [method, path, body] of writes) {
      const res = await call(viewer, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
    expect(await catalogRows()).toEqual(before);
    const [row] = await db().select().from(gifts).where(eq(gifts.id, gift.id));
    expect(row).toMatchObject({ priceCents: 1500, retiredAt: null });
  });

  it("an admin may write too", async () => {
    const gift = await createGift(draft(), admin);
    expect((await call<NgoGiftView>(admin, "PATCH", `/api/ngos/${ngo.id}/gifts/${gift.id}`, { priceCents: 1600 })).body.priceCents).toBe(1600);
  });

  it("a non-member gets 404 on reads and writes, an NGO member of another NGO too, and no session 401", async () => {
    const gift = await createGift(draft());
    for (const who of [stranger, otherEditor]) {
      for (const [method, path, body] of [
        ["GET", `/api/ngos/${ngo.id}/gifts`, undefined],
        ["GET", `/api/ngos/${ngo.id}/projects`, undefined],
        ["POST", `/api/ngos/${ngo.id}/gifts`, draft()],
        ["PATCH", `/api/ngos/${ngo.id}/gifts/${gift.id}`, { priceCents: 200 }],
        ["POST", `/api/ngos/${ngo.id}/gifts/${gift.id}/retire`, undefined],
      ] as const) {
        const res = await call(who, method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error.code).toBe("not_found");
      }
    }
    expect((await call(null, "GET", `/api/ngos/${ngo.id}/gifts`)).status).toBe(401);
  });

  it("another NGO's project is refused, and another NGO's gift is not found through this NGO", async () => {
    const before = await catalogRows();
    const res = await call(editor, "POST", `/api/ngos/${ngo.id}/gifts`, draft({ projectId: otherProject.id }));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ projectId: "project_unknown" });
    const mine = await createGift(draft());
    const moved = await call(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${mine.id}`, { projectId: otherProject.id });
    expect(moved.body.error.fields).toEqual({ projectId: "project_unknown" });
    const theirs = await createGift(draft({ projectId: otherProject.id }), otherEditor, other.id);
    expect((await call(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${theirs.id}`, { priceCents: 100 })).status).toBe(404);
    expect((await call(editor, "POST", `/api/ngos/${ngo.id}/gifts/${theirs.id}/retire`)).status).toBe(404);
    expect((await call(editor, "PATCH", `/api/ngos/${ngo.id}/projects/${otherProject.id}`, { nameFr: "Mine now" })).status).toBe(404);
    const [row] = await db().select().from(projects).where(eq(projects.id, otherProject.id));
    expect(row!.nameFr).toBe("Puits");
    expect((await catalogRows()).gifts).toBe(before.gifts + 2);
  });
});

describe("every bad gift field is refused with its code, and nothing is written", () => {
  const cases: Array<[string, () => unknown, Record<string, string>]> = [
    ["no French name", () => draft({ nameFr: "  " }), { nameFr: "required" }],
    ["an English name too long", () => draft({ nameEn: "x".repeat(81) }), { nameEn: "too_long" }],
    ["a line break in a name", () => draft({ nameFr: "deux\nlignes" }), { nameFr: "control_characters" }],
    ["a description too long", () => draft({ descriptionEn: "x".repeat(1001) }), { descriptionEn: "too_long" }],
    ["no impact", () => ({ ...draft(), impactFr: undefined, impactEn: "" }), { impactFr: "required", impactEn: "required" }],
    ["a price under 1 €", () => draft({ priceCents: 99 }), { priceCents: "price_too_low" }],
    ["a price in fractions of cents", () => draft({ priceCents: 150.5 }), { priceCents: "price_not_cents" }],
    ["a price as text", () => ({ ...draft(), priceCents: "1500" }), { priceCents: "price_not_cents" }],
    ["a price above what one order holds", () => draft({ priceCents: 1_000_001 }), { priceCents: "price_too_high" }],
    ["a project id that is no id", () => draft({ projectId: "goats" }), { projectId: "project_unknown" }],
    ["an unknown project", () => draft({ projectId: "00000000-0000-4000-8000-000000000000" }), { projectId: "project_unknown" }],
    ["a sprite outside the art set", () => draft({ sprite: "dragon" as never }), { sprite: "sprite_unknown" }],
    ["a crop stage as sprite", () => draft({ sprite: "crop-sprout" as never }), { sprite: "sprite_unknown" }],
    ["a negative stock", () => draft({ stockLimit: -1 }), { stockLimit: "stock_invalid" }],
    ["a fractional stock", () => draft({ stockLimit: 2.5 }), { stockLimit: "stock_invalid" }],
    ["a start that is no date", () => draft({ availableFrom: "next monday" }), { availableFrom: "date_invalid" }],
    ["an impossible date", () => draft({ availableUntil: "2026-02-30T25:00:00Z" }), { availableUntil: "date_invalid" }],
    ["an end before the start", () => draft({ availableFrom: iso(2 * HOUR), availableUntil: iso(HOUR) }), { availableUntil: "window_order" }],
    ["an end equal to the start", () => draft({ availableFrom: "2026-06-01", availableUntil: "2026-06-01T00:00:00Z" }), { availableUntil: "window_order" }],
    ["an emergency flag as text", () => ({ ...draft(), emergency: "yes" }), { emergency: "not_boolean" }],
    ["a fractional sort order", () => draft({ sortOrder: 1.5 }), { sortOrder: "sort_order_invalid" }],
    ["an unknown field", () => ({ ...draft(), ngoId: "00000000-0000-4000-8000-000000000000" }), { ngoId: "unknown_field" }],
  ];

  it.each(cases)("%s", async (_name, body, fields) => {
    const before = await catalogRows();
    const res = await call(editor, "POST", `/api/ngos/${ngo.id}/gifts`, body());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(res.body.error.fields).toEqual(fields);
    expect(res.body.error.message).toBeTruthy();
    expect(await catalogRows()).toEqual(before);
  });

  it("a patch is checked the same way, against the gift as stored, and changes nothing when refused", async () => {
    const gift = await createGift(draft({ availableFrom: iso(-HOUR) }));
    const patches: Array<[unknown, Record<string, string>]> = [
      [{}, { "(root)": "nothing_to_change" }],
      [{ availableUntil: iso(-2 * HOUR) }, { availableUntil: "window_order" }],
      [{ priceCents: 50, sprite: "unicorn" }, { priceCents: "price_too_low", sprite: "sprite_unknown" }],
      [{ slug: "mine" }, { slug: "unknown_field" }],
      [{ nameFr: null }, { nameFr: "required" }],
    ];
    for (const [patch, fields] of patches) {
      const res = await call(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/${gift.id}`, patch);
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expect(res.body.error.fields).toEqual(fields);
    }
    const [row] = await db().select().from(gifts).where(eq(gifts.id, gift.id));
    expect(row!.updatedAt.toISOString()).toBe(gift.updatedAt);
    expect((await call(editor, "PATCH", `/api/ngos/${ngo.id}/gifts/not-an-id`, { priceCents: 200 })).status).toBe(404);
  });
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
    const pending = await insertTestNgo(db(), { status: "pending" });
    await addTestNgoMember(db(), pending.id, editor.player.id, "editor");
    const p = (await call<NgoProjectView>(editor, "POST", `/api/ngos/${pending.id}/projects`, { nameFr: "Écoles", nameEn: "Schools", country: "BF" })).body;
    const gift = await createGift(draft({ projectId: p.id }), editor, pending.id);
    expect(gift.state).toBe("ngo_not_approved");
    expect(await inShop(gift.id)).toBe(false);
    expect((await server.api(`/api/gifts/${gift.id}`)).status).toBe(404);
    const refused = await call(stranger, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] });
    expect(refused.body.error.code).toBe("gift_unavailable");
    await setTestNgoStatus(db(), pending.id, "approved");
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
    const [a, b] = await Promise.all([server.guest(), server.guest()]);
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
    const first = await call<CheckoutResponse>(stranger, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] });
    expect(first.status).toBe(201);
    await db().update(orders).set({ createdAt: new Date(Date.now() - 40 * 60_000) }).where(eq(orders.id, first.body.orderId));
    expect(await inShop(gift.id)).toBe(true);
    const second = await call<CheckoutResponse>(stranger, "POST", "/api/checkout", { lines: [{ giftId: gift.id, quantity: 1 }] });
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
