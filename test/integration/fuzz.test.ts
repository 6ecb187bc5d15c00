/**
 * Fuzzing every door with malformed input: every HTTP route (the list below
 * must match the routes the app really has) with broken bodies, path
 * parameters and query strings, as nobody, a guest, another player and an
 * NGO admin; then every village room message with broken payloads through
 * the real SDK. Zero answers ≥ 500, the server still serving afterwards.
 * Seeded, so every run sends the same requests; bounded in time.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { type Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { ClientMessages, type RoomErrorMessage } from "../../shared/messages.ts";
import type { VillageState } from "../../shared/state.ts";
import { joinVillageRoom } from "../support/room-join.ts";
import { loadConfig } from "../../server/config.ts";
import { signUpAccount } from "../support/accounts.ts";
import { BAD_PARAMS, BAD_QUERIES, BAD_VALUES, type FuzzBody, fieldBodies, pick, seeded, wholeBodies } from "../support/fuzz-inputs.ts";
import { addNgoMember, insertNgoWithGift, makeTestPlatformAdmin, ngoApplication } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const SEED = 20261204;
const uuid = "11111111-2222-4333-8444-555555555555";
const later = "2030-01-01T00:00:00Z";

/**
 * Every HTTP route of the app, with a plausible body for those that take one. A route added to
 * the app and not here fails the first test: add it, so the fuzzer covers it.
 */
const ROUTES: Record<string, Record<string, unknown> | null> = {
  "GET /": null,
  "GET /console": null,
  "GET /console/": null,
  "GET /healthz": null,
  "GET /readyz": null,
  "GET /metrics": null,
  "GET /api/tutorial/neighbour": null,
  "GET /dev/mail": null,
  "GET /dev/mail.json": null,
  "GET /checkout/test/:sessionId": null,
  "GET /c/:campaignId": null,
  "GET /c/:campaignId/card.png": null,
  "GET /n/:ngoId": null,
  "GET /n/:ngoId/card.png": null,
  "GET /g/:giftId": null,
  "GET /g/:giftId/card.png": null,
  "GET /v/:villageId": null,
  "GET /v/:villageId/card.png": null,
  "POST /checkout/test/:sessionId/pay": {},
  "POST /checkout/test/:sessionId/cancel": {},
  "GET /checkout/test/monthly/:sessionId": null,
  "POST /checkout/test/monthly/:sessionId/start": {},
  "POST /checkout/test/monthly/:sessionId/cancel": {},
  "GET /checkout/test/invoice/:invoiceId": null,
  "POST /checkout/test/invoice/:invoiceId/pay": {},
  "GET /api/me/monthly-gifts": null,
  "POST /api/me/monthly-gifts": { giftId: "$giftId", amountCents: 1500, locale: "en" },
  "POST /api/me/monthly-gifts/portal": {},
  "POST /api/me/monthly-gifts/:id/amount": { amountCents: 2000 },
  "POST /api/me/monthly-gifts/:id/cancel": {},
  "POST /api/dev/monthly-gifts/:id/invoice": { outcome: "paid" },
  "POST /api/session/guest": {},
  "GET /api/me": null,
  "GET /api/catalog": null,
  "GET /api/gifts/:giftId": null,
  "POST /api/checkout": { lines: [{ giftId: "$giftId", quantity: 1 }], supportCents: 0, locale: "fr", referral: { code: "Abcd1234", channel: "x" } },
  "GET /api/orders/:orderId": null,
  "POST /api/orders/:orderId/cancel": {},
  "GET /api/orders/:orderId/receipt.pdf": null,
  "POST /api/account/signup": { email: "fuzz@example.org", name: "Fuzz Name", locale: "fr" },
  "POST /api/account/confirm": { token: "abc", password: "a long password" },
  "POST /api/account/confirm/preview": { token: "abc" },
  "POST /api/account/password-reset": { email: "fuzz@example.org", locale: "fr" },
  "POST /api/account/password-reset/complete": { token: "abc", password: "a long password" },
  "POST /api/account/signin": { email: "fuzz@example.org", password: "a long password" },
  "PATCH /api/account/settings": { villageVisibility: "public", showPresence: true, showOnLeaderboards: false, shareReferrals: true, showAmountsOnLeaderboards: false },
  "GET /api/friends": null,
  "POST /api/friends/requests": { name: "Somebody" },
  "POST /api/friends/invites": {},
  "DELETE /api/friends/invites": null,
  "POST /api/friends/invites/accept": { token: "abc" },
  "POST /api/friends/invites/preview": { token: "abc" },
  "POST /api/friends/:playerId/accept": {},
  "DELETE /api/friends/:playerId": null,
  "POST /api/blocks/:playerId": {},
  "DELETE /api/blocks/:playerId": null,
  "GET /api/neighbours/suggested": null,
  "GET /api/neighbours/villages": null,
  "POST /api/thanks/:orderId": { note: "Merci !", decorationId: "lantern" },
  "GET /api/progress": null,
  "POST /api/progress/daily-reward": {},
  "POST /api/progress/quests/:questId/claim": {},
  "GET /api/collections": null,
  "POST /api/collections/:setId/claim": {},
  "GET /api/notifications": null,
  "POST /api/notifications/read": { ids: [uuid] },
  "GET /api/me/export": null,
  "GET /api/me/preferences": null,
  "PATCH /api/me/preferences": { soundOn: true },
  "GET /api/me/donor": null,
  "PUT /api/me/donor": { firstName: "Awa", lastName: "Diallo", addressLines: ["1 rue"], postalCode: "69001", city: "Lyon", country: "France" },
  "GET /api/tax-receipts": null,
  "POST /api/tax-receipts": { ngoId: "$ngoId", year: 2025 },
  "GET /api/tax-receipts/:receiptId/pdf": null,
  "POST /api/ngos/applications": ngoApplication({ name: "Fuzz NGO" }) as unknown as Record<string, unknown>,
  "GET /api/me/ngos": null,
  "POST /api/me/ngo-invitations/:ngoId/accept": {},
  "POST /api/me/ngo-invitations/:ngoId/decline": {},
  "GET /api/ngos/:ngoId/settings": null,
  "PATCH /api/ngos/:ngoId/settings": { name: "Renamed", purpose: "Wells" },
  "GET /api/ngos/:ngoId/members": null,
  "POST /api/ngos/:ngoId/members": { name: "Somebody", role: "editor" },
  "PATCH /api/ngos/:ngoId/members/:playerId": { role: "viewer" },
  "DELETE /api/ngos/:ngoId/members/:playerId": null,
  "DELETE /api/ngos/:ngoId/invitations/:playerId": null,
  "GET /api/admin/ngos": null,
  "POST /api/admin/ngos/:ngoId/approve": { note: "ok", receiptPrefix: "FUZZ" },
  "POST /api/admin/ngos/:ngoId/reject": { note: "no" },
  "GET /api/ngos/:ngoId/projects": null,
  "POST /api/ngos/:ngoId/projects": { nameFr: "Projet", nameEn: "Project", country: "SN" },
  "PATCH /api/ngos/:ngoId/projects/:projectId": { nameFr: "Projet 2" },
  "GET /api/ngos/:ngoId/gifts": null,
  "POST /api/ngos/:ngoId/gifts": {
    nameFr: "Poule", nameEn: "Hen", impactFr: "Des œufs", impactEn: "Eggs", priceCents: 500, projectId: "$projectId", sprite: "chicken", stockLimit: 10,
  },
  "PATCH /api/ngos/:ngoId/gifts/:giftId": { priceCents: 600 },
  "POST /api/ngos/:ngoId/gifts/:giftId/retire": {},
  "POST /api/ngos/:ngoId/gifts/:giftId/restore": {},
  "POST /api/ngos/:ngoId/gifts/:giftId/trail": { stage: "sent_to_field", happenedOn: "2026-01-02", noteFr: "Parti", noteEn: "Sent" },
  "GET /api/ngos/:ngoId/gifts/:giftId/trail": null,
  "GET /api/villages/:villageId/items/:itemId/trail": null,
  "GET /api/ngos/:ngoId/campaigns": null,
  "POST /api/ngos/:ngoId/campaigns": {
    titleFr: "Titre", titleEn: "Title", goalCents: 10000, startsAt: "2026-01-01T00:00:00Z", endsAt: later, giftIds: ["$giftId"],
  },
  "GET /api/ngos/:ngoId/campaigns/:campaignId": null,
  "PATCH /api/ngos/:ngoId/campaigns/:campaignId": { titleFr: "Nouveau titre" },
  "POST /api/ngos/:ngoId/campaigns/:campaignId/publish": {},
  "PUT /api/ngos/:ngoId/campaigns/:campaignId/milestones": { milestones: [{ percent: 30, titleFr: "Un tiers", titleEn: "A third", sprite: "bench" }] },
  "GET /api/campaigns/:campaignId/leaderboard": null,
  "GET /api/ngos/:ngoId/campaigns/:campaignId/share-messages": null,
  "PUT /api/ngos/:ngoId/campaigns/:campaignId/share-messages": { fr: { text: "Rejoins-moi", x: "Court" }, en: { text: "Join me", emailSubject: "A gift?" } },
  "GET /api/ngos/:ngoId/referrals": null,
  "GET /api/me/referrals": null,
  "GET /api/ngos/:ngoId/campaigns/:campaignId/pledges": null,
  "POST /api/ngos/:ngoId/campaigns/:campaignId/pledges": { sponsorName: "Acme", ratioPercent: 100, capCents: 10000 },
  "POST /api/ngos/:ngoId/campaigns/:campaignId/pledges/:pledgeId/end": {},
  "GET /api/campaigns": null,
  "GET /api/campaigns/:campaignId": null,
  "GET /api/campaigns/:campaignId/live": null,
  "GET /embed/live.js": null,
  "GET /embed/widget.css": null,
  "GET /embed/campaigns/:campaignId": null,
  "GET /api/ngos/:ngoId/embed-sites": null,
  "PUT /api/ngos/:ngoId/embed-sites": { sites: ["https://asso.example.org", "www.example.net"] },
  "GET /api/me/fundraisers": null,
  "POST /api/me/fundraisers": { campaignId: "$campaignId", title: "Ma collecte", goalCents: 5000, message: "Merci", listed: true, showName: false },
  "PATCH /api/me/fundraisers/:fundraiserId": { title: "Nouveau titre", goalCents: 6000 },
  "GET /api/fundraisers/:fundraiserId": null,
  "GET /api/campaigns/:campaignId/fundraisers": null,
  "GET /api/ngos/:ngoId/campaigns/:campaignId/fundraisers": null,
  "PATCH /api/ngos/:ngoId/fundraisers/:fundraiserId": { hidden: true },
  "GET /f/:fundraiserId": null,
  "GET /f/:fundraiserId/card.png": null,
  "POST /api/ngos/:ngoId/photos": {},
  "POST /api/ngos/:ngoId/updates": { projectId: "$projectId", titleFr: "Titre", titleEn: "Title", bodyFr: "Texte", bodyEn: "Text" },
  "GET /api/ngos/:ngoId/updates": null,
  "GET /api/feed": null,
  "GET /media/photos/:photoId": null,
  "GET /api/ngos/:ngoId/reports/donations": null,
  "GET /api/ngos/:ngoId/reports/donations.csv": null,
  "GET /api/ngos/:ngoId/reports/tax-receipts": null,
  "GET /api/ngos/:ngoId/reports/tax-receipts.csv": null,
  "POST /webhooks/stripe": { id: "evt_x", type: "checkout.session.completed", data: { object: {} } },
  "POST /webhooks/stripe/connect": { id: "evt_x", type: "account.updated", account: "acct_x", data: { object: {} } },
  "GET /connect/test/:accountId": null,
  "POST /connect/test/:accountId/complete": {},
  "GET /api/ngos/:ngoId/payments-account": null,
  "POST /api/ngos/:ngoId/payments-account/onboarding": {},
  "POST /api/ngos/:ngoId/payments-account/refresh": {},
  "GET /api/ngos/:ngoId/money": null,
  "GET /api/admin/payment-alerts": null,
  "POST /api/admin/payment-alerts/:alertId/resolve": {},
  "GET /api/me/donations": null,
  "GET /api/me/donations/:orderId": null,
  "GET /api/me/impact": null,
  "GET /mail/unsubscribe": null,
  "POST /mail/unsubscribe": {},
  "POST /api/room-tickets": {},
  "POST /matchmake/:method/:room": { villageId: "$villageId", ticket: "abc" },
  // Last: they end the session they are sent with.
  "POST /api/account/signout": {},
  "DELETE /api/me": { confirm: "DELETE" },
};

let server: TestServer;
let admin: SessionResponse;
let other: SessionResponse;
let guest: SessionResponse;
let values: Record<string, string>;
const failures: string[] = [];
let sent = 0;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signUpAccount(server, "FuzzAdmin");
  other = await signUpAccount(server, "FuzzOther");
  guest = await server.guest();
  await makeTestPlatformAdmin(server, admin.player.id);
  const ngo = await insertNgoWithGift(server, { name: "Fuzz NGO", projectName: "Fuzz project", giftName: "Fuzz gift", priceCents: 500 });
  await addNgoMember(server, ngo.ngoId, admin.player.id, "admin");
  const campaign = await server.api<{ id: string }>(`/api/ngos/${ngo.ngoId}/campaigns`, {
    token: admin.token, body: { titleFr: "T", titleEn: "T", goalCents: 1000, startsAt: "2026-01-01T00:00:00Z", endsAt: later, giftIds: [ngo.giftId] },
  });
  expect(campaign.status).toBe(201);
  await server.api(`/api/ngos/${ngo.ngoId}/campaigns/${campaign.body.id}/publish`, { method: "POST", token: admin.token });
  const fundraiser = await server.api<{ id: string }>("/api/me/fundraisers", { token: other.token, body: { campaignId: campaign.body.id, title: "Fuzz", goalCents: 5000 } });
  expect(fundraiser.status).toBe(201);
  const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: admin.token, body: { lines: [{ giftId: ngo.giftId, quantity: 1 }], locale: "fr" } });
  expect(checkout.status).toBe(201);
  const monthly = await server.api<{ monthlyGiftId: string }>("/api/me/monthly-gifts", { token: admin.token, body: { giftId: ngo.giftId } });
  expect(monthly.status).toBe(201);
  values = {
    ngoId: ngo.ngoId, giftId: ngo.giftId, projectId: ngo.projectId, campaignId: campaign.body.id, orderId: checkout.body.orderId,
    sessionId: /\/checkout\/test\/([^?]+)/.exec(checkout.body.checkoutUrl)![1]!, playerId: other.player.id, villageId: admin.villageId,
    itemId: uuid, receiptId: uuid, photoId: uuid, method: "joinOrCreate", room: "village", alertId: uuid, accountId: "acct_test_local_fuzz",
    fundraiserId: fundraiser.body.id, id: monthly.body.monthlyGiftId,
  };
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/** The body with "$name" values replaced by the real ids. */
function filled(sample: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(sample).replace(/"\$(\w+)"/g, (_m, name: string) => JSON.stringify(values[name] ?? uuid)));
}

function urlOf(route: string, params: Record<string, string> = {}, query = ""): string {
  return route.replace(/:(\w+)/g, (_m, name: string) => params[name] ?? encodeURIComponent(values[name] ?? uuid)) + query;
}

async function send(method: string, url: string, token: string | undefined, body: FuzzBody | undefined, what: string): Promise<void> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body?.contentType) headers["content-type"] = body.contentType;
  const hasBody = body?.raw !== undefined && method !== "GET";
  let status: number;
  try {
    const res = await fetch(server.url + url, { method, headers, body: hasBody ? body!.raw : undefined, redirect: "manual" });
    status = res.status;
    // A live feed (Server-Sent Events) never ends by itself: its answer is its status and headers.
    if ((res.headers.get("content-type") ?? "").startsWith("text/event-stream")) await res.body?.cancel();
    else await res.arrayBuffer();
  } catch (err) {
    failures.push(`${what}: no answer (${(err as Error).message})`);
    return;
  }
  sent++;
  if (status >= 500 && !builtClientMissing(url, status)) failures.push(`${what}: ${status}`);
}

/** The site's pages answer 503 "not built yet" until `vite build` ran: that is not a crash. */
function builtClientMissing(url: string, status: number): boolean {
  const clientDir = loadConfig({ NODE_ENV: "test" }).clientDir;
  return status === 503 && /^\/(console\/?)?(\?|$)/.test(url) && !existsSync(path.join(clientDir, "index.html"));
}

/** Runs the tasks a few at a time. */
async function inBatches(tasks: Array<() => Promise<void>>, width = 6): Promise<void> {
  for (let i = 0; i < tasks.length; i += width) await Promise.all(tasks.slice(i, i + width).map((t) => t()));
}

function requestsFor(route: string, token: string | undefined, who: string, random: () => number, thorough: boolean): Array<() => Promise<void>> {
  const [method, pattern] = route.split(" ") as [string, string];
  const sample = ROUTES[route] ? filled(ROUTES[route]!) : null;
  const tasks: Array<() => Promise<void>> = [];
  const add = (url: string, body: FuzzBody | undefined, label: string) => tasks.push(() => send(method, url, token, body, `${who} ${route} [${label}]`));
  const bodies = sample ? [...wholeBodies(sample), ...fieldBodies(sample, random, thorough ? 2 : 0)] : [];
  const valid: FuzzBody | undefined = sample ? { contentType: "application/json", raw: JSON.stringify(sample), label: "plausible" } : undefined;
  for (const body of thorough ? bodies : pick(random, bodies, 4)) add(urlOf(pattern), body, body.label);
  const params = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  for (const name of params) {
    for (const bad of pick(random, BAD_PARAMS, thorough ? 5 : 1)) add(urlOf(pattern, { [name]: bad }), valid, `${name}=${bad.slice(0, 20)}`);
  }
  for (const query of pick(random, BAD_QUERIES, thorough ? 4 : 1)) add(urlOf(pattern, {}, query), valid, `query ${query.slice(0, 20)}`);
  return tasks;
}

describe("the fuzzer's list of routes", () => {
  it("is every route the app answers", () => {
    expect(Object.keys(ROUTES).sort()).toEqual(server.hameau.routes);
  });
});

describe("every HTTP route, fed malformed input", () => {
  it("never answers 5xx, and the server still serves", { timeout: 120_000 }, async () => {
    const random = seeded(SEED);
    const started = Date.now();
    const sessions: Array<[string, string | undefined, boolean]> = [
      ["nobody", undefined, false], ["guest", guest.token, false], ["other player", other.token, false], ["NGO admin", admin.token, true],
    ];
    for (const [who, token, thorough] of sessions) {
      const tasks = Object.keys(ROUTES).flatMap((route) => requestsFor(route, token, who, random, thorough));
      await inBatches(tasks);
    }
    const health = await server.api<{ ok: boolean }>("/healthz");
    expect(health.status).toBe(200);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe("every village room message, fed malformed payloads", () => {
  async function joinOwnVillage(): Promise<Room<any, VillageState>> {
    const owner = await server.guest();
    const room = await joinVillageRoom(server.url, owner.token, owner.villageId);
    await vi.waitFor(() => expect(room.state.items.size).toBeGreaterThan(0));
    return room;
  }

  it("answers them with error messages, keeps the client connected and the server alive", { timeout: 60_000 }, async () => {
    const room = await joinOwnVillage();
    const errors: RoomErrorMessage[] = [];
    room.onMessage("error", (m: RoomErrorMessage) => errors.push(m));
    let closedWith: number | undefined;
    room.onLeave((code: number) => {
      closedWith = code;
    });
    const random = seeded(SEED + 1);
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    // Small enough for one websocket frame (a bigger one closes the socket: next test).
    const small = BAD_VALUES.filter(([, v]) => JSON.stringify(v).length < 1000);
    const payloads: unknown[] = [undefined, null, 0, "x", [], {}, deep, ...pick(random, small, 5).map(([, v]) => v), { itemId: "\u0000", x: "a", y: null }];
    const types = [...Object.keys(ClientMessages), "unknown-type", "\u0000"];
    for (const type of types) {
      for (const payload of payloads) {
        room.send(type, payload);
        // The room limits messages per second per type: pace them so most get their answer.
        await new Promise((r) => setTimeout(r, 35));
      }
    }
    const answered = (type: string) => errors.some((e) => e.about === type || (type.startsWith("unknown") || type === "\u0000" ? e.about === "unknown" : false));
    await vi.waitFor(() => expect(types.filter((t) => !answered(t))).toEqual([]), { timeout: 5000 });
    expect(errors.filter((e) => e.code === "internal")).toEqual([]);
    expect(errors.every((e) => e.code === "bad_request" || e.code === "rate_limited")).toBe(true);
    expect(closedWith).toBeUndefined();
    expect(room.connection.isOpen).toBe(true);
    expect((await server.api("/healthz")).status).toBe(200);
    await room.leave();
  });

  it("closes only the sender's connection for a message too big for a frame, and keeps serving", { timeout: 30_000 }, async () => {
    const room = await joinOwnVillage();
    const bystander = await joinOwnVillage();
    const closed = new Promise<number>((resolve) => room.onLeave((code: number) => resolve(code)));
    room.send("place", { itemId: "x".repeat(200_000) });
    expect(await closed).toBeGreaterThanOrEqual(1000);
    expect(bystander.connection.isOpen).toBe(true);
    expect((await server.api("/healthz")).status).toBe(200);
    await bystander.leave();
  });
});
