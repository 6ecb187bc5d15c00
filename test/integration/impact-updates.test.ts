/**
 * Impact updates and the fund trail, end to end on the real server: photos
 * validated and re-encoded (real images made with sharp here), who may do
 * what in an NGO, an update reaching exactly the project's donors (stored
 * and pushed live to an online donor's SDK client), the donor feed, and the
 * fund trail an NGO advances and a village's visitors read.
 */
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { ItemTrailResponse, TrailStepsResponse, TrailStepView } from "../../shared/fund-trail.ts";
import { parisDate } from "../../shared/fund-trail.ts";
import type { CreateImpactUpdateResponse, FeedResponse, NgoUpdatesResponse, PhotoUploadResponse } from "../../shared/impact-updates.ts";
import type { NotificationMessage, NotificationsResponse } from "../../shared/notifications.ts";
import { fundTrailSteps, impactUpdates, notifications, orderLines, photos, villageItems } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { signUpAccount } from "../support/accounts.ts";
import { collect, gifting, mentionsMoney, nextMessage } from "../support/gifting.ts";
import { addNgoMember, createNgoWithGift, demoNgoOf } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);
let ngo: Awaited<ReturnType<typeof demoNgoOf>>;
let editor: SessionResponse, viewer: SessionResponse, outsider: SessionResponse;

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  ngo = await demoNgoOf(server);
  [editor, viewer, outsider] = [await signUpAccount(server, "Editor"), await signUpAccount(server, "Viewer"), await signUpAccount(server, "Outsider")];
  await addNgoMember(server, ngo.id, editor.player.id, "editor");
  await addNgoMember(server, ngo.id, viewer.player.id, "viewer");
});
afterAll(async () => {
  await Promise.all(g.rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  expect(await checkLedger(g.db())).toEqual([]);
  await server?.stop();
});

const db = () => server.hameau.database.db;
const image = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 63, g: 125, b: 42 } } });

/** POST /api/ngos/:ngoId/photos with one multipart part. */
async function upload(who: SessionResponse | null, bytes: Uint8Array, opts: { filename?: string; type?: string; field?: string; ngoId?: string } = {}) {
  const form = new FormData();
  form.append(opts.field ?? "image", new Blob([Uint8Array.from(bytes)], { type: opts.type ?? "image/jpeg" }), opts.filename ?? "photo.jpg");
  const res = await fetch(`${server.url}/api/ngos/${opts.ngoId ?? ngo.id}/photos`, {
    method: "POST", body: form, headers: who ? { authorization: `Bearer ${who.token}` } : {},
  });
  return { status: res.status, body: (await res.json()) as PhotoUploadResponse & ApiErrorBody };
}

async function media(path: string, opts: { token?: string; etag?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.etag) headers["if-none-match"] = opts.etag;
  const res = await fetch(server.url + path, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function paid(who: SessionResponse, lines: Array<[string, number]>) {
  const checkout = await g.checkout(who, lines);
  expect(checkout.status).toBe(201);
  await g.pay(checkout.body);
  await vi.waitFor(async () => expect((await g.order(checkout.body.orderId)).status).toBe("paid"));
  return checkout.body.orderId;
}

const postUpdate = (who: SessionResponse, body: Record<string, unknown>, ngoId = ngo.id) =>
  server.api<CreateImpactUpdateResponse & ApiErrorBody>(`/api/ngos/${ngoId}/updates`, { token: who.token, body });
const updateBody = (projectId: string, extra: Record<string, unknown> = {}) => ({
  projectId, titleFr: "La chèvre est arrivée", titleEn: "The goat arrived", bodyFr: "Elle donne du lait.\nMerci !", bodyEn: "She gives milk.\nThank you!", ...extra,
});

describe("photos", () => {
  it("accepts a real JPEG, auto-rotates and shrinks it, strips its EXIF (GPS too) and serves it to members only until published", async () => {
    const jpeg = await image(2400, 1800)
      .jpeg({ quality: 90 })
      .withExif({ IFD0: { Make: "FieldCam" }, IFD3: { GPSLatitudeRef: "S", GPSLatitude: "18/1 52/1 0/1" } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif?.toString("latin1")).toContain("FieldCam");
    const res = await upload(editor, jpeg, { filename: "IMG_0001.JPG" });
    expect(res.status).toBe(201);
    // Orientation 6: 2400 × 1800 stored sideways, shown 1800 × 2400, shrunk to 1600 on the long side.
    expect(res.body.photo).toEqual({ id: expect.any(String), url: `/media/photos/${res.body.photo.id}`, mimeType: "image/webp", width: 1200, height: 1600 });

    const served = await media(res.body.photo.url, { token: editor.token });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("etag")).toBe(`"${res.body.photo.id}"`);
    expect(served.headers.get("cache-control")).toBe("private, no-cache");
    const meta = await sharp(served.bytes).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 1200, height: 1600 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(served.bytes.includes(Buffer.from("FieldCam"))).toBe(false);

    // Not attached to an update yet: nobody outside the NGO sees it, not even that it exists.
    expect((await media(res.body.photo.url)).status).toBe(404);
    expect((await media(res.body.photo.url, { token: outsider.token })).status).toBe(404);
    expect((await media(res.body.photo.url, { token: viewer.token })).status).toBe(200);
  });

  it("accepts a PNG by its content whatever its name, and never enlarges a small one", async () => {
    const png = await image(800, 600).png().toBuffer();
    const res = await upload(editor, png, { filename: "scan.gif", type: "application/octet-stream" });
    expect(res.status).toBe(201);
    expect(res.body.photo).toMatchObject({ mimeType: "image/webp", width: 800, height: 600 });
  });

  it("refuses what is not a JPEG, PNG or WebP image, too large or too small, with a code and nothing stored", async () => {
    const before = (await db().select({ id: photos.id }).from(photos)).length;
    const text = await upload(editor, Buffer.from("just some text, not a picture at all\n".repeat(50)), { filename: "holiday.jpg", type: "image/jpeg" });
    expect(text.status).toBe(400);
    expect(text.body.error).toMatchObject({ code: "photo_invalid", fields: { image: expect.any(String) } });

    const gif = await upload(editor, await image(400, 400).gif().toBuffer(), { filename: "anim.png", type: "image/png" });
    expect(gif.status).toBe(400);
    expect(gif.body.error.code).toBe("photo_invalid");

    const truncated = (await image(900, 900).jpeg().toBuffer()).subarray(0, 600);
    expect((await upload(editor, truncated)).body.error.code).toBe("photo_invalid");

    const big = await upload(editor, Buffer.alloc(8 * 1024 * 1024 + 1, 7));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("photo_too_large");

    const tiny = await upload(editor, await image(150, 900).png().toBuffer(), { filename: "tiny.png", type: "image/png" });
    expect(tiny.status).toBe(422);
    expect(tiny.body.error.code).toBe("photo_too_small");

    const wrongField = await upload(editor, await image(400, 400).png().toBuffer(), { field: "file" });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.code).toBe("photo_invalid");

    const notMultipart = await server.api<ApiErrorBody>(`/api/ngos/${ngo.id}/photos`, { token: editor.token, body: { image: "data" } });
    expect(notMultipart.status).toBe(400);
    expect(notMultipart.body.error.code).toBe("photo_invalid");
    expect((await db().select({ id: photos.id }).from(photos)).length).toBe(before);
  });

  it("lets editors upload: a viewer gets 403, a non-member 404, no session 401", async () => {
    const png = await image(400, 400).png().toBuffer();
    expect((await upload(viewer, png)).status).toBe(403);
    expect((await upload(viewer, png)).body.error.code).toBe("forbidden");
    expect((await upload(outsider, png)).status).toBe(404);
    expect((await upload(null, png)).status).toBe(401);
  });
});

describe("an impact update", () => {
  const livestock = () => ngo.projects.get("elevage-familial-burkina")!;
  const gardens = () => ngo.projects.get("jardins-scolaires-senegal")!;
  let donor: SessionResponse, twice: SessionResponse, otherProject: SessionResponse, nonDonor: SessionResponse, deleted: SessionResponse & { password: string };

  beforeAll(async () => {
    [donor, twice, otherProject, nonDonor, deleted] = [
      await signUpAccount(server, "Donor"), await signUpAccount(server, "Twice"), await signUpAccount(server, "Gardener"),
      await signUpAccount(server, "Nobody"), await signUpAccount(server, "Leaving"),
    ];
    await paid(donor, [["chevre", 1]]);
    await paid(twice, [["chevre", 1]]);
    await paid(twice, [["poules", 2], ["sachet-de-graines", 1]]);
    await paid(otherProject, [["sachet-de-graines", 1]]);
    await paid(deleted, [["chevre", 1]]);
    const gone = await server.api(`/api/me`, { method: "DELETE", token: deleted.token, body: { confirm: "DELETE", password: deleted.password } });
    expect(gone.status).toBe(204);
  });

  it("follows the role rules and validates its body, writing nothing when refused", async () => {
    const count = async () => ({
      updates: (await db().select({ id: impactUpdates.id }).from(impactUpdates)).length,
      notifications: (await db().select({ id: notifications.id }).from(notifications)).length,
    });
    const before = await count();
    expect((await postUpdate(viewer, updateBody(livestock()))).status).toBe(403);
    expect((await postUpdate(outsider, updateBody(livestock()))).status).toBe(404);
    expect((await server.api(`/api/ngos/${ngo.id}/updates`, { token: outsider.token })).status).toBe(404);
    expect((await server.api(`/api/ngos/${ngo.id}/updates`, { token: viewer.token })).status).toBe(200);

    const bad = await postUpdate(editor, { projectId: "nope", titleFr: "  ", titleEn: "x".repeat(121), bodyFr: "ok", bodyEn: "bell\u0007" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("bad_request");
    expect(Object.keys(bad.body.error.fields ?? {}).sort()).toEqual(["bodyEn", "projectId", "titleEn", "titleFr"]);

    const other = await createNgoWithGift(server, "approved");
    const foreign = await postUpdate(editor, updateBody(other.projectId));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({ code: "project_unknown", fields: { projectId: expect.any(String) } });

    const otherPhoto = (await db().insert(photos).values({ ngoId: other.ngoId, mimeType: "image/webp", width: 1, height: 1, bytes: Buffer.from("x") }).returning())[0]!;
    const foreignPhoto = await postUpdate(editor, updateBody(livestock(), { photoId: otherPhoto.id }));
    expect(foreignPhoto.body.error).toMatchObject({ code: "photo_unknown", fields: { photoId: expect.any(String) } });

    const pending = await createNgoWithGift(server, "pending");
    await addNgoMember(server, pending.ngoId, editor.player.id, "admin");
    const early = await postUpdate(editor, updateBody(pending.projectId), pending.ngoId);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("ngo_not_approved");
    expect(await count()).toEqual(before);
  });

  it("notifies exactly the project's donors, once each, pushed live to an online donor", async () => {
    const photo = (await upload(editor, await image(1000, 700).jpeg().toBuffer())).body.photo;
    const home = await g.join(donor, donor.villageId);
    const otherHome = await g.join(otherProject, otherProject.villageId);
    const told = nextMessage<NotificationMessage>(home, "notification");
    const notToldOther = collect<NotificationMessage>(otherHome, "notification");

    const res = await postUpdate(editor, updateBody(livestock(), { photoId: photo.id }));
    expect(res.status).toBe(201);
    expect(res.body.notified).toBe(2);
    expect(res.body.update).toMatchObject({
      ngo: { id: ngo.id, name: ngo.name }, project: { id: livestock(), name: { en: "Family livestock in Burkina Faso" } },
      title: { fr: "La chèvre est arrivée", en: "The goat arrived" }, body: { en: "She gives milk.\nThank you!" }, photo: { id: photo.id, url: photo.url },
    });
    const updateId = res.body.update.id;

    const stored = await db().select({ playerId: notifications.playerId }).from(notifications).where(eq(notifications.kind, "impact_update"));
    expect(stored.map((n) => n.playerId).sort()).toEqual([donor.player.id, twice.player.id].sort());

    const message = await told;
    expect(message.notification).toMatchObject({
      kind: "impact_update", readAt: null,
      payload: { updateId, ngo: { name: ngo.name }, project: { id: livestock() }, title: { en: "The goat arrived" }, photoUrl: photo.url },
    });
    expect(mentionsMoney(message)).toBe(false);
    const listed = (await server.api<NotificationsResponse>("/api/notifications", { token: twice.token })).body;
    expect(listed.notifications.filter((n) => n.kind === "impact_update")).toHaveLength(1);
    for (const who of [otherProject, nonDonor]) {
      const theirs = (await server.api<NotificationsResponse>("/api/notifications", { token: who.token })).body;
      expect(theirs.notifications.filter((n) => n.kind === "impact_update")).toEqual([]);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(notToldOther).toEqual([]);

    // Attached to an update of an approved NGO: the photo is public, cached for good, revalidated by ETag.
    const open = await media(photo.url);
    expect(open.status).toBe(200);
    expect(open.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await media(photo.url, { etag: open.headers.get("etag")! })).status).toBe(304);

    const list = (await server.api<NgoUpdatesResponse>(`/api/ngos/${ngo.id}/updates`, { token: viewer.token })).body;
    expect(list.updates[0]?.id).toBe(updateId);
  });

  it("fills each donor's feed with the updates of the projects they gave to, newest first, page by page", async () => {
    const feed = (who: SessionResponse, query = "") => server.api<FeedResponse & ApiErrorBody>(`/api/feed${query}`, { token: who.token });
    expect((await feed(otherProject)).body).toEqual({ updates: [], next: null });
    expect((await feed(nonDonor)).body).toEqual({ updates: [], next: null });

    const garden = await postUpdate(editor, updateBody(gardens(), { titleEn: "Seeds sown", titleFr: "Graines semées" }));
    expect(garden.body.notified).toBe(2);
    for (const n of [2, 3]) await postUpdate(editor, updateBody(livestock(), { titleEn: `Livestock news ${n}`, titleFr: `Nouvelles ${n}` }));

    const first = (await feed(donor, "?limit=2")).body;
    expect(first.updates.map((u) => u.title.en)).toEqual(["Livestock news 3", "Livestock news 2"]);
    expect(first.next).toBe(first.updates[1]!.id);
    const second = (await feed(donor, `?limit=2&before=${first.next}`)).body;
    expect(second.updates.map((u) => u.title.en)).toEqual(["The goat arrived"]);
    expect(second.updates[0]).toMatchObject({ project: { name: { fr: "Élevage familial au Burkina Faso" } }, ngo: { name: ngo.name }, photo: { url: expect.stringMatching(/^\/media\/photos\//) } });
    expect(second.next).toBeNull();
    expect((await feed(otherProject)).body.updates.map((u) => u.title.en)).toEqual(["Seeds sown"]);
    expect((await feed(twice)).body.updates).toHaveLength(4);
    expect(mentionsMoney((await feed(twice)).body)).toBe(false);

    const bad = await feed(donor, "?limit=500");
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty("limit");
    expect((await server.api("/api/feed")).status).toBe(401);
  });
});

describe("the fund trail", () => {
  const goat = () => g.gift("chevre");
  const trailPath = (giftId = goat().id, ngoId = ngo.id) => `/api/ngos/${ngoId}/gifts/${giftId}/trail`;
  const step = (who: SessionResponse, body: Record<string, unknown>, path = trailPath()) =>
    server.api<{ step: TrailStepView } & ApiErrorBody>(path, { token: who.token, body });
  const shift = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  let owner: SessionResponse, friend: SessionResponse, stranger: SessionResponse, itemId: string;
  const today = () => parisDate(Date.now());
  const trail = (who: SessionResponse) => server.api<ItemTrailResponse & ApiErrorBody>(`/api/villages/${owner.villageId}/items/${itemId}/trail`, { token: who.token });

  beforeAll(async () => {
    [owner, friend, stranger] = [await signUpAccount(server, "Keeper"), await signUpAccount(server, "Pal"), await signUpAccount(server, "Passer")];
    await g.befriend(owner, friend);
    await paid(owner, [["chevre", 1]]);
    const [item] = await db().select({ id: villageItems.id }).from(villageItems)
      .where(and(eq(villageItems.villageId, owner.villageId), eq(villageItems.giftId, goat().id)));
    itemId = item!.id;
  });

  it("starts at funded, and is readable by whoever may visit the village, no one else", async () => {
    expect((await trail(owner)).body).toEqual({ itemId, giftId: goat().id, funded: today(), sentToField: null, inUse: null });
    expect((await trail(friend)).status).toBe(200);
    const refused = await trail(stranger);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("village_private");
    const house = (await db().select({ id: villageItems.id }).from(villageItems).where(and(eq(villageItems.villageId, owner.villageId), eq(villageItems.sprite, "house"))))[0]!;
    expect((await server.api(`/api/villages/${owner.villageId}/items/${house.id}/trail`, { token: owner.token })).status).toBe(404);
  });

  it("is advanced by editors only, for the NGO's own gifts", async () => {
    const body = { stage: "sent_to_field", happenedOn: today() };
    expect((await step(viewer, body)).status).toBe(403);
    expect((await step(outsider, body)).status).toBe(404);
    const other = await createNgoWithGift(server, "approved");
    expect((await step(editor, body, trailPath(other.giftId))).status).toBe(404);
    expect((await step(editor, body, trailPath(other.giftId, other.ngoId))).status).toBe(404);
  });

  it("refuses dates in the future or before the stage they follow, and writes nothing then", async () => {
    const before = (await db().select({ id: fundTrailSteps.id }).from(fundTrailSteps)).length;
    const future = await step(editor, { stage: "sent_to_field", happenedOn: shift(today(), 3) });
    expect(future.status).toBe(422);
    expect(future.body.error).toMatchObject({ code: "trail_date_future", fields: { happenedOn: expect.any(String) } });
    const coversFuture = await step(editor, { stage: "sent_to_field", happenedOn: today(), coversPaidBefore: new Date(Date.now() + 3_600_000).toISOString() });
    expect(coversFuture.body.error).toMatchObject({ code: "trail_date_future", fields: { coversPaidBefore: expect.any(String) } });
    const beforeFunding = await step(editor, { stage: "sent_to_field", happenedOn: shift(today(), -1) });
    expect(beforeFunding.body.error).toMatchObject({ code: "trail_date_order", fields: { happenedOn: expect.any(String) } });
    const notSent = await step(editor, { stage: "in_use", happenedOn: today() });
    expect(notSent.body.error.code).toBe("trail_date_order");
    const bad = await step(editor, { stage: "funded", happenedOn: "2026-13-01" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {}).sort()).toEqual(["happenedOn", "stage"]);
    expect((await db().select({ id: fundTrailSteps.id }).from(fundTrailSteps)).length).toBe(before);
  });

  it("moves each unit along with the earliest step covering its payment, as the village shows it", async () => {
    // A step for earlier payments only (the other donors' goats) does not reach this goat.
    const paidAt = (await g.order(await orderOf(itemId))).paidAt!;
    const older = await step(editor, { stage: "sent_to_field", happenedOn: today(), coversPaidBefore: new Date(paidAt.getTime() - 1).toISOString() });
    expect(older.status).toBe(201);
    expect((await trail(owner)).body.sentToField).toBeNull();
    // …and nothing may be dated before those goats were funded.
    const tooEarly = await step(editor, { stage: "sent_to_field", happenedOn: shift(today(), -30), coversPaidBefore: new Date(paidAt.getTime() - 1).toISOString() });
    expect(tooEarly.body.error.code).toBe("trail_date_order");

    const sent = await step(editor, { stage: "sent_to_field", happenedOn: today(), noteFr: "Convoi parti de Ouagadougou", noteEn: "Convoy left Ouagadougou" });
    expect(sent.status).toBe(201);
    expect(sent.body.step).toMatchObject({ stage: "sent_to_field", happenedOn: today(), note: { en: "Convoy left Ouagadougou" } });
    expect((await trail(friend)).body).toEqual({
      itemId, giftId: goat().id, funded: today(), sentToField: { on: today(), note: { fr: "Convoi parti de Ouagadougou", en: "Convoy left Ouagadougou" } }, inUse: null,
    });
    const inUse = await step(editor, { stage: "in_use", happenedOn: today() });
    expect(inUse.status).toBe(201);
    expect((await trail(owner)).body.inUse).toEqual({ on: today(), note: { fr: "", en: "" } });

    const steps = (await server.api<TrailStepsResponse>(trailPath(), { token: viewer.token })).body.steps;
    expect(steps.map((s) => s.stage)).toEqual(["sent_to_field", "sent_to_field", "in_use"]);
    expect((await server.api(trailPath(), { token: outsider.token })).status).toBe(404);
  });
});

async function orderOf(itemId: string): Promise<string> {
  const [row] = await server.hameau.database.db
    .select({ orderId: orderLines.orderId }).from(villageItems).innerJoin(orderLines, eq(orderLines.id, villageItems.orderLineId)).where(eq(villageItems.id, itemId));
  return row!.orderId;
}
