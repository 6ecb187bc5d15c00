/**
 * NGOs connect their own Stripe account (TEST MODE: no Stripe key). The
 * admin's onboarding goes through the local page, whose button makes the
 * server sign an account.updated event and deliver it to its own Connect
 * webhook; account.updated (in any order) and deauthorization decide whether
 * the NGO's gifts are in the shop; forged events and the wrong people are
 * refused and write nothing.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { CatalogChangedMessage } from "../../shared/messages.ts";
import type { NgoGiftsResponse } from "../../shared/ngo-catalog.ts";
import type { PaymentsAccountView, PaymentsOnboardingResponse } from "../../shared/payments-account.ts";
import { ngos, stripeEvents } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { tableCounts } from "../support/counts.ts";
import { gifting, nextMessage } from "../support/gifting.ts";
import { addNgoMember, createNgoWithGift } from "../support/ngo.ts";
import { startTestServer, TEST_CONNECT_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET, type TestServer } from "../support/server.ts";
import { sign } from "../support/stripe-events.ts";

let server: TestServer;
let admin: SessionResponse;
let editor: SessionResponse;
let viewer: SessionResponse;
let stranger: SessionResponse;
const g = gifting(() => server, () => ({ gifts: [], nextChangeAt: null }));
const db = () => server.hameau.database.db;
type ErrorBody = { error: { code: string; message: string } };

beforeAll(async () => {
  server = await startTestServer();
  [admin, editor, viewer, stranger] = await Promise.all([
    signUpAccount(server, "Admin"), signUpAccount(server, "Editor"), signUpAccount(server, "Viewer"), signUpAccount(server, "Stranger"),
  ]);
});
afterAll(async () => {
  for (const room of g.rooms) await room.leave().catch(() => undefined);
  await server.stop();
});

/** An approved NGO that never connected, with a French address, one gift, and the admin, editor and viewer as members. */
async function unconnectedNgo() {
  const ngo = await createNgoWithGift(server, "approved", { connected: false });
  await db().update(ngos).set({ address: { addressLines: ["1 rue Haute"], postalCode: "75001", city: "Paris", country: "France" } }).where(eq(ngos.id, ngo.ngoId));
  await addNgoMember(server, ngo.ngoId, admin.player.id, "admin");
  await addNgoMember(server, ngo.ngoId, editor.player.id, "editor");
  await addNgoMember(server, ngo.ngoId, viewer.player.id, "viewer");
  return ngo;
}

const inShop = async (giftId: string) => (await server.api<CatalogResponse>("/api/catalog")).body.gifts.some((x) => x.id === giftId);
const status = async (ngoId: string, who: SessionResponse = viewer) =>
  (await server.api<PaymentsAccountView>(`/api/ngos/${ngoId}/payments-account`, { token: who.token })).body;
const accountOf = async (ngoId: string) => (await db().select().from(ngos).where(eq(ngos.id, ngoId)))[0]!;

/** An account.updated event of a connected account, created at `created` (epoch seconds). */
function accountUpdated(accountId: string, flags: { charges: boolean; payouts?: boolean; details?: boolean; due?: string[] }, created = Math.floor(Date.now() / 1000)) {
  return {
    id: `evt_${randomBytes(12).toString("hex")}`, object: "event", api_version: "2026-11-18", account: accountId, created, livemode: false,
    pending_webhooks: 1, request: { id: null, idempotency_key: null }, type: "account.updated",
    data: {
      object: {
        id: accountId, object: "account", charges_enabled: flags.charges, payouts_enabled: flags.payouts ?? flags.charges,
        details_submitted: flags.details ?? true, requirements: { currently_due: flags.due ?? [], past_due: [] },
      },
    },
  };
}

/** POSTs an event to the Connect webhook, signed with `secret` (the Connect one unless told; null: unsigned). */
async function deliverConnect(event: object, secret: string | null = TEST_CONNECT_WEBHOOK_SECRET, path = "/webhooks/stripe/connect") {
  const payload = JSON.stringify(event);
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret ? { "stripe-signature": sign(payload, secret) } : {}) },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as { outcome?: string } & Partial<ErrorBody> };
}

/** Connects the NGO through the TEST MODE onboarding (admin) and returns its simulated account id. */
async function connect(ngoId: string): Promise<string> {
  const res = await server.api<PaymentsOnboardingResponse>(`/api/ngos/${ngoId}/payments-account/onboarding`, { method: "POST", token: admin.token });
  expect(res.status).toBe(200);
  const complete = await fetch(`${server.url}${res.body.url.replace(/\?.*$/, "")}/complete`, { method: "POST", redirect: "manual" });
  expect(complete.status).toBe(303);
  return (await accountOf(ngoId)).stripeAccountId!;
}

describe("an NGO that cannot take payments", () => {
  it("has its gifts hidden from the shop, refused at checkout (409) writing nothing, and marked in the console", async () => {
    const ngo = await unconnectedNgo();
    expect(await inShop(ngo.giftId)).toBe(false);
    const before = await tableCounts(db());
    const refused = await server.api<ErrorBody>("/api/checkout", { token: stranger.token, body: { lines: [{ giftId: ngo.giftId, quantity: 1 }] } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("ngo_payments_unavailable");
    expect(await tableCounts(db())).toEqual(before);
    const console = await server.api<NgoGiftsResponse>(`/api/ngos/${ngo.ngoId}/gifts`, { token: viewer.token });
    expect(console.body.gifts.find((x) => x.id === ngo.giftId)?.state).toBe("ngo_payments_off");
    expect(await status(ngo.ngoId)).toMatchObject({ connected: false, chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false, ngoApproved: true });
  });
});

describe("TEST MODE onboarding", () => {
  it("goes through the local page: the signed account.updated reaches the Connect webhook, the gift enters the shop and every village hears it", async () => {
    const ngo = await unconnectedNgo();
    const res = await server.api<PaymentsOnboardingResponse>(`/api/ngos/${ngo.ngoId}/payments-account/onboarding`, { method: "POST", token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.url).toMatch(/^\/connect\/test\/acct_test_local_[0-9a-f]{24}\?ngo=/);
    expect(await status(ngo.ngoId)).toMatchObject({ connected: true, testMode: true, chargesEnabled: false });
    // Onboarding again (the admin came back before finishing) keeps the same account.
    const again = await server.api<PaymentsOnboardingResponse>(`/api/ngos/${ngo.ngoId}/payments-account/onboarding`, { method: "POST", token: admin.token });
    expect(again.body.url).toBe(res.body.url);

    const page = await fetch(`${server.url}${res.body.url}`);
    const html = await page.text();
    expect(html).toContain("MODE TEST");
    expect(html).toContain('id="complete-onboarding"');
    const room = await g.join(stranger, stranger.villageId);
    const heard = nextMessage<CatalogChangedMessage>(room, "catalogChanged");
    const complete = await fetch(`${server.url}${res.body.url.replace(/\?.*$/, "")}/complete`, { method: "POST", redirect: "manual" });
    expect(complete.status).toBe(303);
    expect(complete.headers.get("location")).toBe(`/console/#/ngo/${ngo.ngoId}/payments/return`);

    expect(await status(ngo.ngoId)).toMatchObject({ connected: true, detailsSubmitted: true, chargesEnabled: true, payoutsEnabled: true, requirementsDue: [] });
    expect((await heard).giftIds).toEqual([ngo.giftId]);
    expect(await inShop(ngo.giftId)).toBe(true);
    const accountId = (await accountOf(ngo.ngoId)).stripeAccountId!;
    const stored = await db().select().from(stripeEvents).where(eq(stripeEvents.type, "account.updated"));
    // Stored by id, processed once, and marked as the Connect endpoint's (a replay uses its dispatch).
    expect(stored.filter((e) => (e.payload as { account?: string }).account === accountId).map((e) => [e.outcome, e.endpoint, e.paymentIntentId])).toEqual([
      ["account_updated", "connect", null],
    ]);
    expect(await fetch(`${server.url}${res.body.url}`).then((r) => r.text())).toContain('id="onboarding-done"');
  });

  it("refuses an NGO not approved yet (409) and an address without a country Stripe knows (409), creating no account", async () => {
    const pending = await createNgoWithGift(server, "pending", { connected: false });
    await addNgoMember(server, pending.ngoId, admin.player.id, "admin");
    const notYet = await server.api<ErrorBody>(`/api/ngos/${pending.ngoId}/payments-account/onboarding`, { method: "POST", token: admin.token });
    expect([notYet.status, notYet.body.error.code]).toEqual([409, "ngo_not_approved"]);
    const ngo = await unconnectedNgo();
    await db().update(ngos).set({ address: { addressLines: ["x"], postalCode: "1", city: "y", country: "Atlantis" } }).where(eq(ngos.id, ngo.ngoId));
    const unknown = await server.api<ErrorBody>(`/api/ngos/${ngo.ngoId}/payments-account/onboarding`, { method: "POST", token: admin.token });
    expect([unknown.status, unknown.body.error.code]).toEqual([409, "payments_account_country_unknown"]);
    expect((await accountOf(ngo.ngoId)).stripeAccountId).toBeNull();
    expect((await accountOf(pending.ngoId)).stripeAccountId).toBeNull();
  });

  it("20 admins' clicks at once make one account", async () => {
    const ngo = await unconnectedNgo();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => server.api<PaymentsOnboardingResponse>(`/api/ngos/${ngo.ngoId}/payments-account/onboarding`, { method: "POST", token: admin.token })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.url)).size).toBe(1);
  });
});

describe("account.updated on the Connect webhook", () => {
  it("flips the shop: charges off hides the gift, charges on shows it again, requirements are shown", async () => {
    const ngo = await unconnectedNgo();
    const accountId = await connect(ngo.ngoId);
    expect(await inShop(ngo.giftId)).toBe(true);
    const t = Math.floor(Date.now() / 1000) + 5;
    const off = await deliverConnect(accountUpdated(accountId, { charges: false, payouts: false, due: ["external_account", "company.tax_id"] }, t));
    expect(off).toMatchObject({ status: 200, body: { outcome: "account_updated" } });
    expect(await inShop(ngo.giftId)).toBe(false);
    expect(await status(ngo.ngoId)).toMatchObject({ chargesEnabled: false, payoutsEnabled: false, requirementsDue: ["external_account", "company.tax_id"] });
    const on = await deliverConnect(accountUpdated(accountId, { charges: true }, t + 1));
    expect(on.body.outcome).toBe("account_updated");
    expect(await inShop(ngo.giftId)).toBe(true);
  });

  it("out of order: an older event delivered after a newer one changes nothing; the same event twice is processed once", async () => {
    const ngo = await unconnectedNgo();
    const accountId = await connect(ngo.ngoId);
    const t = Math.floor(Date.now() / 1000) + 60;
    const newer = accountUpdated(accountId, { charges: false, due: ["external_account"] }, t);
    const older = accountUpdated(accountId, { charges: true }, t - 30);
    expect((await deliverConnect(newer)).body.outcome).toBe("account_updated");
    expect((await deliverConnect(older)).body.outcome).toBe("stale");
    expect(await status(ngo.ngoId)).toMatchObject({ chargesEnabled: false, requirementsDue: ["external_account"], updatedAt: new Date(t * 1000).toISOString() });
    expect(await inShop(ngo.giftId)).toBe(false);
    expect((await deliverConnect(newer)).body.outcome).toBe("duplicate:account_updated");
  });

  it("an account of no NGO changes nothing; deauthorization takes the NGO's gifts out of the shop", async () => {
    const stray = await deliverConnect(accountUpdated(`acct_${randomBytes(8).toString("hex")}`, { charges: true }));
    expect(stray).toMatchObject({ status: 200, body: { outcome: "unknown_account" } });
    const ngo = await unconnectedNgo();
    const accountId = await connect(ngo.ngoId);
    const deauthorized = {
      ...accountUpdated(accountId, { charges: true }, Math.floor(Date.now() / 1000) + 1),
      type: "account.application.deauthorized", data: { object: { id: "ca_hameau", object: "application", name: "Hameau" } },
    };
    expect((await deliverConnect(deauthorized)).body.outcome).toBe("account_updated");
    expect(await status(ngo.ngoId)).toMatchObject({ connected: true, chargesEnabled: false, payoutsEnabled: false });
    expect(await inShop(ngo.giftId)).toBe(false);
  });

  it("refuses forged, unsigned, wrongly signed and misrouted events with 400, writing nothing", async () => {
    const ngo = await unconnectedNgo();
    const accountId = await connect(ngo.ngoId);
    const before = { counts: await tableCounts(db()), ngo: await accountOf(ngo.ngoId) };
    const event = accountUpdated(accountId, { charges: false }, Math.floor(Date.now() / 1000) + 10);
    expect((await deliverConnect(event, null)).status).toBe(400);
    expect((await deliverConnect(event, "whsec_forged_by_someone")).status).toBe(400);
    // The platform endpoint's secret does not sign Connect events, and the platform endpoint refuses the Connect secret.
    expect((await deliverConnect(event, TEST_WEBHOOK_SECRET)).status).toBe(400);
    expect((await deliverConnect(event, TEST_CONNECT_WEBHOOK_SECRET, "/webhooks/stripe")).status).toBe(400);
    const tampered = await fetch(`${server.url}/webhooks/stripe/connect`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": sign(JSON.stringify(event), TEST_CONNECT_WEBHOOK_SECRET) },
      body: JSON.stringify({ ...event, data: { object: { ...event.data.object, charges_enabled: true } } }),
    });
    expect(tampered.status).toBe(400);
    const nul = await deliverConnect({ ...event, id: "evt_\u0000" }, "whsec_x");
    expect(nul.status).toBe(400);
    expect(nul.body.error?.code).toBe("webhook_signature_invalid");
    expect(await tableCounts(db())).toEqual(before.counts);
    expect(await accountOf(ngo.ngoId)).toEqual(before.ngo);
  });
});

describe("who may see and connect", () => {
  it("members read the status; only admins connect and refresh; outsiders get 404, nobody without a session", async () => {
    const ngo = await unconnectedNgo();
    const path = `/api/ngos/${ngo.ngoId}/payments-account`;
    expect((await server.api(path)).status).toBe(401);
    expect((await server.api(path, { method: "POST", raw: "" })).status).toBe(404);
    for (const who of [viewer, editor, admin]) expect((await server.api(path, { token: who.token })).status).toBe(200);
    for (const step of ["onboarding", "refresh"]) {
      expect((await server.api(`${path}/${step}`, { method: "POST" })).status).toBe(401);
      expect((await server.api<ErrorBody>(`${path}/${step}`, { method: "POST", token: stranger.token })).status).toBe(404);
      for (const who of [viewer, editor]) {
        const res = await server.api<ErrorBody>(`${path}/${step}`, { method: "POST", token: who.token });
        expect([res.status, res.body.error.code]).toEqual([403, "forbidden"]);
      }
    }
    expect((await server.api(path, { token: stranger.token })).status).toBe(404);
    expect((await server.api("/api/ngos/not-an-id/payments-account", { token: admin.token })).status).toBe(400);
    expect((await server.api("/api/ngos/%00/payments-account/onboarding", { method: "POST", token: admin.token })).status).toBe(400);
    const huge = await server.api(`${path}/onboarding`, { method: "POST", token: admin.token, raw: JSON.stringify({ x: "y".repeat(100_000) }), headers: { "content-type": "application/json" } });
    expect(huge.status).toBe(413);
    expect((await accountOf(ngo.ngoId)).stripeAccountId).toBeNull();
    expect(await inShop(ngo.giftId)).toBe(false);
  });

  it("a simulated account's page exists only for a simulated account of an NGO", async () => {
    expect((await fetch(`${server.url}/connect/test/acct_test_local_nobody1234`)).status).toBe(404);
    expect((await fetch(`${server.url}/connect/test/acct_test_local_%00abcd`)).status).toBe(400); // a NUL in the URL is refused at the door (text_invalid)
    expect((await fetch(`${server.url}/connect/test/acct_123/complete`, { method: "POST" })).status).toBe(404);
  });
});
