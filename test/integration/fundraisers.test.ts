/**
 * Players' fundraisers on the real server: start (accounts only, one open per
 * campaign, every field refusal writing nothing), edit and close; giving
 * through one via the TEST MODE checkout and its signed webhook links the
 * paid order once (a replayed event changes nothing), counts for the campaign
 * and the fundraiser, never names a donor, and a refund lowers it; a closed,
 * hidden or other campaign's fundraiser is refused at checkout before anything
 * is written; NGO editors hide one (another NGO 404, a viewer 403); the
 * owner's village room shows the sign and moves it live after a payment.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { CampaignView, CreateCampaignRequest, PublicCampaignResponse } from "../../shared/campaigns.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { DataExport } from "../../shared/privacy.ts";
import type { CampaignFundraisersResponse, MyFundraiser, MyFundraisersResponse, NgoFundraisersResponse, PublicFundraiser } from "../../shared/fundraisers.ts";
import { fundraisers, orders } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { signUpAccount } from "../support/accounts.ts";
import { gifting } from "../support/gifting.ts";
import { htmlProblems, parsePage, pngSize } from "../support/html-pages.ts";
import { addNgoMember, createNgoWithGift, demoNgoId } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, send, stripeEvent } from "../support/stripe-events.ts";

let server: TestServer;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);
let ngoId: string;
let editor: SessionResponse, viewer: SessionResponse, alice: SessionResponse, carol: SessionResponse;
let campaignId: string;

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  ngoId = await demoNgoId(server);
  editor = await signUpAccount(server, "Editor");
  viewer = await signUpAccount(server, "Viewer");
  alice = await signUpAccount(server, "Alice");
  carol = await signUpAccount(server, "Carol");
  await addNgoMember(server, ngoId, editor.player.id, "editor");
  await addNgoMember(server, ngoId, viewer.player.id, "viewer");
  campaignId = (await campaign()).id;
});
afterAll(async () => {
  await Promise.all(g.rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  expect(await checkLedger(g.db())).toEqual([]);
  await server?.stop();
});

async function campaign(over: Partial<CreateCampaignRequest> = {}, publish = true): Promise<CampaignView> {
  const body: CreateCampaignRequest = {
    titleFr: "Des chèvres", titleEn: "Goats", goalCents: 100_000, startsAt: iso(Date.now() - HOUR), endsAt: iso(Date.now() + 24 * HOUR),
    giftIds: [g.gift("chevre").id, g.gift("poules").id], ...over,
  };
  const made = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns`, { token: editor.token, body });
  expect(made.status).toBe(201);
  if (!publish) return made.body;
  const res = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns/${made.body.id}/publish`, { method: "POST", token: editor.token });
  expect(res.status).toBe(200);
  return res.body;
}

const start = (who: SessionResponse, body: Record<string, unknown>) =>
  server.api<MyFundraiser & ApiErrorBody>("/api/me/fundraisers", { token: who.token, body: { campaignId, title: "Ma collecte", goalCents: 5000, ...body } });
const edit = (who: SessionResponse, id: string, body: unknown) =>
  server.api<MyFundraiser & ApiErrorBody>(`/api/me/fundraisers/${id}`, { method: "PATCH", token: who.token, body });
const publicOne = (id: string) => server.api<PublicFundraiser & ApiErrorBody>(`/api/fundraisers/${id}`);
const count = async () => (await g.db().select({ id: fundraisers.id }).from(fundraisers)).length;
const orderCount = async () => (await g.db().select({ id: orders.id }).from(orders)).length;

/** Pays for these gifts through the TEST MODE checkout, through a fundraiser; answers what a refund event needs. */
async function give(who: SessionResponse, lines: Array<[string, number]>, fundraiserId: string) {
  const checkout = await g.checkout(who, lines, { fundraiserId });
  expect(checkout.status).toBe(201);
  await g.pay(checkout.body);
  const order = await g.order(checkout.body.orderId);
  expect(order.status).toBe("paid");
  return { sessionId: order.checkoutSessionId!, orderId: order.id, totalCents: order.totalCents, paymentIntentId: order.paymentIntentId! };
}

describe("starting, editing and closing one's fundraiser", () => {
  it("an account starts one for a live campaign; a guest, a draft, an ended campaign and bad fields are refused with nothing written", async () => {
    const before = await count();
    const guest = await server.guest();
    const byGuest = await start(guest, {});
    expect(byGuest.status).toBe(403);
    expect(byGuest.body.error.code).toBe("account_required");
    expect((await server.api("/api/me/fundraisers", { body: { campaignId, title: "x", goalCents: 5000 } })).status).toBe(401);

    const draft = await campaign({}, false);
    expect((await start(carol, { campaignId: draft.id })).status).toBe(404);
    const ended = await campaign({ startsAt: iso(Date.now() - 3 * HOUR), endsAt: iso(Date.now() - HOUR) }, false);
    expect((await start(carol, { campaignId: ended.id })).status).toBe(404); // never published: players cannot see it
    const later = await campaign({ startsAt: iso(Date.now() + HOUR), endsAt: iso(Date.now() + 3 * HOUR) });
    const notLive = await start(carol, { campaignId: later.id });
    expect(notLive.status).toBe(409);
    expect(notLive.body.error.code).toBe("campaign_ended");

    for (const [body, field] of [
      [{ goalCents: 999 }, "goalCents"], [{ goalCents: 10_000_001 }, "goalCents"], [{ goalCents: 12.5 }, "goalCents"],
      [{ title: "ab" }, "title"], [{ title: "x".repeat(81) }, "title"], [{ title: "evil\u202Etxt.exe" }, "title"],
      [{ message: "hello\u0007" }, "message"], [{ message: "m".repeat(1001) }, "message"], [{ campaignId: "nope" }, "campaignId"],
      [{ extra: 1 }, ""],
    ] as const) {
      const res = await start(carol, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
      if (field) expect(Object.keys(res.body.error.fields ?? {})).toContain(field);
    }
    expect(await count()).toBe(before);
  });

  it("creates, edits and closes; one open fundraiser per campaign; someone else's is 404", async () => {
    const made = await start(carol, { title: "  Les chèvres de Carol ", message: "Aidez-moi !\nMerci.", goalCents: 20_000 });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      title: "Les chèvres de Carol", message: "Aidez-moi !\nMerci.", goalCents: 20_000, status: "active", listed: false, showName: false,
      progress: { raisedCents: 0, donors: 0, units: 0, percent: 0 }, campaign: { id: campaignId },
    });
    const again = await start(carol, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("fundraiser_exists");

    expect((await edit(alice, made.body.id, { title: "Mine now" })).status).toBe(404);
    expect((await edit(carol, made.body.id, {})).status).toBe(400);
    expect((await edit(carol, made.body.id, { closed: false })).status).toBe(400);
    const edited = await edit(carol, made.body.id, { title: "Chèvres !", goalCents: 30_000, listed: true, showName: true });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: "Chèvres !", goalCents: 30_000, listed: true, showName: true });

    const listed = await server.api<CampaignFundraisersResponse>(`/api/campaigns/${campaignId}/fundraisers`);
    expect(listed.body.fundraisers.find((f) => f.id === made.body.id)).toMatchObject({ ownerName: carol.player.name, title: "Chèvres !" });
    await edit(carol, made.body.id, { showName: false });
    expect((await server.api<CampaignFundraisersResponse>(`/api/campaigns/${campaignId}/fundraisers`)).body.fundraisers.find((f) => f.id === made.body.id)?.ownerName).toBeNull();

    const closed = await edit(carol, made.body.id, { closed: true });
    expect(closed.body.status).toBe("closed");
    const afterClose = await edit(carol, made.body.id, { title: "Reopened?" });
    expect(afterClose.status).toBe(409);
    expect(afterClose.body.error.code).toBe("fundraiser_closed");
    expect((await publicOne(made.body.id)).body.status).toBe("closed");
    expect((await server.api<CampaignFundraisersResponse>(`/api/campaigns/${campaignId}/fundraisers`)).body.fundraisers.map((f) => f.id)).not.toContain(made.body.id);
    // Closed, a new one may start.
    expect((await start(carol, { title: "Second try" })).status).toBe(201);
    const mine = await server.api<MyFundraisersResponse>("/api/me/fundraisers", { token: carol.token });
    expect(mine.body.fundraisers.map((f) => f.title)).toEqual(["Second try", "Chèvres !"]);
    // The data export holds them (and nothing of who gave).
    const exported = await server.api<DataExport>("/api/me/export", { token: carol.token });
    expect(exported.body.fundraisers.map((f) => [f.title, f.closedAt === null])).toEqual([["Chèvres !", false], ["Second try", true]]);
    expect((await server.api<MyFundraisersResponse>("/api/me/fundraisers", { token: alice.token })).body.fundraisers).toEqual([]);
  });
});

describe("giving through a fundraiser", () => {
  let fundraiserId: string;

  it("links the paid order once, counts for the fundraiser and the campaign, names no donor, and moves the owner's sign live", async () => {
    const made = await start(alice, { title: "Alice's goats", goalCents: 10_000 });
    fundraiserId = made.body.id;
    const room = await g.join(alice, alice.villageId);
    await vi.waitFor(() => expect(room.state.fundraiser.id).toBe(fundraiserId));
    expect(room.state.fundraiser).toMatchObject({ title: "Alice's goats", raised: 0, goal: 10_000, donors: 0, percent: 0, currency: "EUR" });

    const campaignBefore = (await server.api<PublicCampaignResponse>(`/api/campaigns/${campaignId}`)).body.progress.raisedCents;
    const bob = await server.guest();
    // A goat (3500, the campaign's) and a seed bag (100, not the campaign's): only the goat counts for the fundraiser.
    const paid = await give(bob, [["chevre", 1], ["sachet-de-graines", 1]], fundraiserId);
    expect((await g.order(paid.orderId)).fundraiserId).toBe(fundraiserId);
    await vi.waitFor(() => expect(room.state.fundraiser.raised).toBe(3500), { timeout: 3000 });
    expect(room.state.fundraiser).toMatchObject({ donors: 1, percent: 35 });

    // The stored event replayed: nothing moves twice.
    const replay = await send(server.url, await g.storedCompletedEvent(paid.orderId));
    expect(replay.status).toBe(200);
    const view = await publicOne(fundraiserId);
    expect(view.status).toBe(200);
    expect(view.body.progress).toEqual({ raisedCents: 3500, donors: 1, units: 1, percent: 35 });
    expect(view.body.ownerName).toBeNull();
    const text = JSON.stringify(view.body);
    expect(text).not.toContain(bob.player.id);
    expect(text).not.toContain(bob.player.name);
    expect(text).not.toContain(alice.player.id);
    const campaignAfter = (await server.api<PublicCampaignResponse>(`/api/campaigns/${campaignId}`)).body.progress.raisedCents;
    expect(campaignAfter - campaignBefore).toBe(3500);
    expect(room.state.fundraiser.raised).toBe(3500);

    // A refund of the whole order lowers it (and the sign, live).
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(paid, paid.totalCents)))).body.outcome).toBe("refunded");
    await vi.waitFor(async () => expect((await publicOne(fundraiserId)).body.progress).toMatchObject({ raisedCents: 0, donors: 0 }));
    await vi.waitFor(() => expect(room.state.fundraiser.raised).toBe(0), { timeout: 3000 });

    // Another gift, kept.
    await give(await server.guest(), [["poules", 2]], fundraiserId);
    await vi.waitFor(() => expect(room.state.fundraiser.raised).toBe(3000), { timeout: 3000 });
  });

  it("refuses, with 400 and nothing written, a fundraiser of another campaign's gifts, a closed, unknown or hidden one", async () => {
    const dave = await server.guest();
    const before = await orderCount();
    const mismatch = await g.checkout(dave, [["sachet-de-graines", 1]], { fundraiserId });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error?.code).toBe("fundraiser_campaign_mismatch");
    const unknown = await g.checkout(dave, [["chevre", 1]], { fundraiserId: "00000000-0000-4000-8000-000000000000" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.code).toBe("fundraiser_closed");
    expect((await g.checkout(dave, [["chevre", 1]], { fundraiserId: "not-an-id" })).status).toBe(400);

    const closing = await start(carol, { title: "Closing soon" }).then(async () => {
      const list = await server.api<MyFundraisersResponse>("/api/me/fundraisers", { token: carol.token });
      return list.body.fundraisers.find((f) => f.status === "active")!;
    });
    await edit(carol, closing.id, { closed: true });
    const closed = await g.checkout(dave, [["chevre", 1]], { fundraiserId: closing.id });
    expect(closed.status).toBe(400);
    expect(closed.body.error?.code).toBe("fundraiser_closed");
    expect(await orderCount()).toBe(before);
  });

  it("NGO editors hide an abusive fundraiser (another NGO 404, a viewer 403); hidden, nobody gives through it nor sees it", async () => {
    const room = g.rooms[0]!;
    const other = await createNgoWithGift(server, "approved");
    const otherEditor = await signUpAccount(server, "OtherNgo");
    await addNgoMember(server, other.ngoId, otherEditor.player.id, "editor");
    const hide = (who: SessionResponse, ngo: string, hidden = true) =>
      server.api<ApiErrorBody>(`/api/ngos/${ngo}/fundraisers/${fundraiserId}`, { method: "PATCH", token: who.token, body: { hidden } });

    expect((await hide(otherEditor, other.ngoId)).status).toBe(404);
    expect((await hide(otherEditor, ngoId)).status).toBe(404);
    expect((await hide(alice, ngoId)).status).toBe(404);
    const byViewer = await hide(viewer, ngoId);
    expect(byViewer.status).toBe(403);
    expect((await server.api(`/api/ngos/${ngoId}/fundraisers/${fundraiserId}`, { method: "PATCH", body: { hidden: true } })).status).toBe(401);
    expect((await server.api(`/api/ngos/${ngoId}/fundraisers/${fundraiserId}`, { method: "PATCH", token: editor.token, body: { hidden: "yes" } })).status).toBe(400);
    expect((await publicOne(fundraiserId)).status).toBe(200);
    expect((await g.db().select().from(fundraisers).where(eq(fundraisers.id, fundraiserId)))[0]!.hiddenAt).toBeNull();

    // Viewers read the campaign's fundraisers; another NGO does not.
    const seen = await server.api<NgoFundraisersResponse>(`/api/ngos/${ngoId}/campaigns/${campaignId}/fundraisers`, { token: viewer.token });
    expect(seen.status).toBe(200);
    expect(seen.body.fundraisers.find((f) => f.id === fundraiserId)).toMatchObject({ status: "active", ownerName: null, progress: { raisedCents: 3000 } });
    expect((await server.api(`/api/ngos/${other.ngoId}/campaigns/${campaignId}/fundraisers`, { token: otherEditor.token })).status).toBe(404);

    const hidden = await hide(editor, ngoId);
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ status: "hidden" });
    expect((await publicOne(fundraiserId)).status).toBe(404);
    await vi.waitFor(() => expect(room.state.fundraiser.id).toBe(""), { timeout: 3000 });
    const before = await orderCount();
    const refused = await g.checkout(await server.guest(), [["chevre", 1]], { fundraiserId });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe("fundraiser_closed");
    expect(await orderCount()).toBe(before);
    const mine = await server.api<MyFundraisersResponse>("/api/me/fundraisers", { token: alice.token });
    expect(mine.body.fundraisers[0]).toMatchObject({ id: fundraiserId, status: "hidden" });
    // Hidden still counts as open: no second one around it.
    expect((await start(alice, {})).body.error?.code).toBe("fundraiser_exists");

    expect((await hide(editor, ngoId, false)).status).toBe(200);
    await vi.waitFor(() => expect(room.state.fundraiser.id).toBe(fundraiserId), { timeout: 3000 });
    expect(room.state.fundraiser.raised).toBe(3000);
  });
});

describe("the public page /f/<id>", () => {
  it("is valid HTML in French or English with its share tags and card, escapes what players wrote, and is a 404 once hidden", async () => {
    const erin = await signUpAccount(server, "Erin");
    const made = await start(erin, { title: "Goats <b>& \"friends\"", message: "Line one\n<script>alert(1)</script>", listed: true, showName: true });
    expect(made.status).toBe(201);
    const page = async (query = "", headers: Record<string, string> = {}) => {
      const res = await fetch(`${server.url}/f/${made.body.id}${query}`, { headers });
      return { status: res.status, type: res.headers.get("content-type") ?? "", html: await res.text() };
    };
    const fr = await page("?r=abcd1234&ch=whatsapp", { "accept-language": "fr-FR,fr;q=0.9" });
    expect(fr.status).toBe(200);
    expect(fr.type).toMatch(/^text\/html/);
    expect(await htmlProblems(fr.html)).toEqual([]);
    const parsed = await parsePage(fr.html);
    expect(parsed.lang).toBe("fr");
    expect(parsed.meta.get("og:title")).toBe('Goats <b>& "friends"');
    expect(parsed.meta.get("twitter:card")).toBe("summary_large_image");
    expect(new URL(parsed.links.get("canonical")!).pathname).toBe(`/f/${made.body.id}`);
    expect(fr.html).toContain(`Une collecte de ${erin.player.name}`);
    expect(fr.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(fr.html).not.toContain("<script>alert");
    // The Give link opens it in the game and carries the visitor's referral.
    expect(fr.html).toContain(`href="/?fundraiser=${made.body.id}&amp;r=abcd1234&amp;ch=whatsapp"`);
    expect(fr.html).toContain("0 donateur");
    const image = await fetch(server.url + new URL(parsed.meta.get("og:image")!).pathname + new URL(parsed.meta.get("og:image")!).search);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(pngSize(Buffer.from(await image.arrayBuffer()))).toEqual({ width: 1200, height: 630 });

    const en = await page("", { "accept-language": "en-GB,en;q=0.9,fr;q=0.5" });
    expect(await htmlProblems(en.html)).toEqual([]);
    expect((await parsePage(en.html)).lang).toBe("en");
    expect(en.html).toContain(`A fundraiser by ${erin.player.name}`);
    expect((await parsePage((await page("?lang=fr", { "accept-language": "en" })).html)).lang).toBe("fr");

    await edit(erin, made.body.id, { showName: false });
    expect((await page("?lang=en")).html).not.toContain(erin.player.name);

    expect((await server.api(`/api/ngos/${ngoId}/fundraisers/${made.body.id}`, { method: "PATCH", token: editor.token, body: { hidden: true } })).status).toBe(200);
    const hidden = await page("?lang=en");
    expect(hidden.status).toBe(404);
    expect(hidden.html).not.toContain("Goats");
    expect((await fetch(`${server.url}/f/${made.body.id}/card.png`)).status).toBe(404);
    expect((await fetch(`${server.url}/f/not-an-id`)).status).toBe(404);
    expect((await fetch(`${server.url}/f/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});

describe("a deleted account's fundraisers", () => {
  it("close, lose what their owner wrote and leave public view", async () => {
    const frank = await signUpAccount(server, "Frank");
    const made = await start(frank, { title: "Frank's goats", message: "About me", listed: true, showName: true });
    expect(made.status).toBe(201);
    const deleted = await server.api("/api/me", { method: "DELETE", token: frank.token, body: { confirm: "DELETE", password: frank.password } });
    expect(deleted.status).toBeLessThan(300);
    expect((await publicOne(made.body.id)).status).toBe(404);
    expect((await fetch(`${server.url}/f/${made.body.id}`)).status).toBe(404);
    const [row] = await g.db().select().from(fundraisers).where(eq(fundraisers.id, made.body.id));
    expect(row).toMatchObject({ title: "—", message: "", listed: false, showName: false });
    expect(row!.closedAt).not.toBeNull();
    expect((await server.api<CampaignFundraisersResponse>(`/api/campaigns/${campaignId}/fundraisers`)).body.fundraisers.map((f) => f.id)).not.toContain(made.body.id);
  });
});
