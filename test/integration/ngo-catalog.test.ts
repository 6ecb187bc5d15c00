/**
 * The NGO catalog's editing rules: who may read and write (roles), and every
 * bad field refused with its code, nothing written. What players then see is
 * in ngo-catalog-shop.test.ts.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { NgoGiftView, NgoProjectsResponse, NgoProjectView } from "../../shared/ngo-catalog.ts";
import { gifts, projects } from "../../server/db/schema.ts";
import { HOUR, iso, ngoCatalogWorld } from "../support/ngo-catalog-world.ts";

const world = ngoCatalogWorld();
const { call, catalogRows, createGift, db, draft } = world;
let ngo: { id: string };
let other: { id: string };
let admin: SessionResponse;
let editor: SessionResponse;
let viewer: SessionResponse;
let stranger: SessionResponse;
let otherEditor: SessionResponse;
let project: NgoProjectView;
let otherProject: NgoProjectView;
beforeAll(() => {
  ({ ngo, other, admin, editor, viewer, stranger, otherEditor, project, otherProject } = world.people);
});

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
