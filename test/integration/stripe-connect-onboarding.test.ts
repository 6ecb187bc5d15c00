/**
 * Connect onboarding with real keys, against the loopback Stripe stand-in:
 * what the SDK sends to create the NGO's account (once, idempotency key per
 * NGO) and its onboarding links, the refresh when the admin comes back, the
 * demo NGO without a simulated account, and the start-up check of the
 * webhook endpoints (the server refuses to start naming what is missing).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { PaymentsAccountView, PaymentsOnboardingResponse } from "../../shared/payments-account.ts";
import { ngos } from "../../server/db/schema.ts";
import { DEMO_TEST_ACCOUNT_ID } from "../../server/db/seed.ts";
import { CONNECT_EVENTS, PLATFORM_EVENTS } from "../../server/payments/required-events.ts";
import { signUpAccount } from "../support/accounts.ts";
import { freshDatabase } from "../support/database.ts";
import { addNgoMember, createNgoWithGift, demoNgoOf } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { completeWebhookEndpoints } from "../support/stripe-stand-in-accounts.ts";
import { startStripeStandIn, type StripeStandIn } from "../support/stripe-stand-in.ts";

const PUBLIC_URL = "https://hameau.example";
let stripe: StripeStandIn;
let server: TestServer;
let admin: SessionResponse;
const db = () => server.hameau.database.db;
const liveEnv = () => ({ STRIPE_SECRET_KEY: "sk_test_hameau_standin", STRIPE_API_BASE: stripe.url, PUBLIC_URL });

beforeAll(async () => {
  stripe = await startStripeStandIn();
  server = await startTestServer({ env: liveEnv() });
  admin = await signUpAccount(server, "Admin");
});
afterAll(async () => {
  await server.stop();
  await stripe.close();
});

async function unconnectedNgo(country = "France") {
  const ngo = await createNgoWithGift(server, "approved", { connected: false });
  await db().update(ngos)
    .set({ address: { addressLines: ["1 rue Haute"], postalCode: "75001", city: "Paris", country }, website: "https://ngo.example", contactEmail: "ngo@example.org" })
    .where(eq(ngos.id, ngo.ngoId));
  await addNgoMember(server, ngo.ngoId, admin.player.id, "admin");
  return ngo;
}
const onboard = (ngoId: string) => server.api<PaymentsOnboardingResponse>(`/api/ngos/${ngoId}/payments-account/onboarding`, { method: "POST", token: admin.token });
const inShop = async (giftId: string) => (await server.api<CatalogResponse>("/api/catalog")).body.gifts.some((x) => x.id === giftId);

describe("onboarding with Stripe", () => {
  it("creates the NGO's account once (country, capabilities, metadata, idempotency key) and a fresh link back to the console each time", async () => {
    const ngo = await unconnectedNgo();
    const from = stripe.requests.length;
    const first = await onboard(ngo.ngoId);
    expect(first.status).toBe(200);
    const sent = stripe.requests.slice(from);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/accounts", "POST /v1/account_links"]);
    const [create, link] = sent;
    expect(create!.headers["idempotency-key"]).toBe(`hameau-connect-account-${ngo.ngoId}`);
    expect(create!.form).toMatchObject({
      country: "FR", email: "ngo@example.org", business_type: "non_profit",
      "capabilities[card_payments][requested]": "true", "capabilities[transfers][requested]": "true",
      "controller[stripe_dashboard][type]": "express", "controller[fees][payer]": "application", "controller[losses][payments]": "application",
      "business_profile[url]": "https://ngo.example", "metadata[ngoId]": ngo.ngoId,
    });
    const [row] = await db().select().from(ngos).where(eq(ngos.id, ngo.ngoId));
    expect(row!.stripeAccountId).toMatch(/^acct_[0-9a-f]{16}$/);
    expect(link!.form).toEqual({
      account: row!.stripeAccountId, type: "account_onboarding", "collection_options[fields]": "eventually_due",
      refresh_url: `${PUBLIC_URL}/console/#/ngo/${ngo.ngoId}/payments/refresh`, return_url: `${PUBLIC_URL}/console/#/ngo/${ngo.ngoId}/payments/return`,
    });
    expect(first.body.url).toMatch(/^https:\/\/connect\.stripe\.example\/setup\/e\/acct_/);

    const again = stripe.requests.length;
    expect((await onboard(ngo.ngoId)).status).toBe(200);
    expect(stripe.requests.slice(again).map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/account_links"]);
    expect(stripe.accounts.size).toBeGreaterThanOrEqual(1);
    const view = (await server.api<PaymentsAccountView>(`/api/ngos/${ngo.ngoId}/payments-account`, { token: admin.token })).body;
    expect(view).toMatchObject({ connected: true, testMode: false, chargesEnabled: false });
  });

  it("refresh reads the account from Stripe when the admin comes back: its flags and requirements, and the gift enters the shop", async () => {
    const ngo = await unconnectedNgo("BE");
    expect((await onboard(ngo.ngoId)).status).toBe(200);
    const [row] = await db().select().from(ngos).where(eq(ngos.id, ngo.ngoId));
    const accountId = row!.stripeAccountId!;
    expect(stripe.accounts.get(accountId)).toMatchObject({ country: "BE" });
    const refresh = () => server.api<PaymentsAccountView>(`/api/ngos/${ngo.ngoId}/payments-account/refresh`, { method: "POST", token: admin.token });
    const half = await refresh();
    expect(half.body).toMatchObject({ connected: true, detailsSubmitted: false, chargesEnabled: false, requirementsDue: ["business_profile.mcc", "external_account"] });
    expect(await inShop(ngo.giftId)).toBe(false);
    stripe.updateAccount(accountId, { details_submitted: true, charges_enabled: true, payouts_enabled: false, requirements: { currently_due: [], past_due: ["external_account"] } });
    const from = stripe.requests.length;
    const done = await refresh();
    expect(stripe.requests.slice(from).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/accounts/${accountId}`]);
    expect(done.body).toMatchObject({ detailsSubmitted: true, chargesEnabled: true, payoutsEnabled: false, requirementsDue: ["external_account"] });
    expect(await inShop(ngo.giftId)).toBe(true);
  });

  it("an address whose country Stripe would not know is refused (409) before calling Stripe", async () => {
    const ngo = await unconnectedNgo("Atlantis");
    const from = stripe.requests.length;
    const unknown = await onboard(ngo.ngoId);
    expect(unknown.status).toBe(409);
    expect(stripe.requests.length).toBe(from);
    const [row] = await db().select().from(ngos).where(eq(ngos.id, ngo.ngoId));
    expect(row!.stripeAccountId).toBeNull();
  });
});

describe("the demo NGO", () => {
  it("has no simulated account with real keys: seeded in TEST MODE, its gifts leave the shop once the server starts with keys", async () => {
    const demo = await demoNgoOf(server);
    const [before] = await db().select().from(ngos).where(eq(ngos.id, demo.id));
    expect(before!.stripeAccountId).toBe(DEMO_TEST_ACCOUNT_ID); // the test template is seeded in TEST MODE
    const seeded = await startTestServer({ env: { ...liveEnv(), SEED_DEMO: "true" } });
    try {
      const [after] = await seeded.hameau.database.db.select().from(ngos).where(eq(ngos.slug, "semences-solidaires"));
      expect(after).toMatchObject({ stripeAccountId: null, stripeChargesEnabled: false });
      expect((await seeded.api<CatalogResponse>("/api/catalog")).body.gifts).toEqual([]);
    } finally {
      await seeded.stop();
    }
  });
});

describe("the start-up check of the webhook endpoints", () => {
  async function start(endpoints: typeof stripe.webhookEndpoints, publicUrl: string | null = PUBLIC_URL) {
    stripe.webhookEndpoints = endpoints;
    const database = await freshDatabase();
    const env: Record<string, string> = { STRIPE_SECRET_KEY: "sk_test_hameau_standin", STRIPE_API_BASE: stripe.url, ...(publicUrl ? { PUBLIC_URL: publicUrl } : {}) };
    try {
      const started = await startTestServer({ env, database });
      await started.stop();
      return "started";
    } catch (err) {
      await database.drop();
      return (err as Error).message;
    } finally {
      stripe.webhookEndpoints = completeWebhookEndpoints();
    }
  }

  it("refuses to start naming every missing event of each endpoint, and starts once they are all there", async () => {
    const [platform, connect] = completeWebhookEndpoints();
    const missing = await start([
      { ...platform!, enabled_events: PLATFORM_EVENTS.filter((e) => e !== "charge.refunded" && e !== "charge.dispute.closed") },
      { ...connect!, enabled_events: ["account.updated"] },
    ]);
    expect(missing).toContain("Stripe will not send Hameau every event it needs");
    expect(missing).toContain(`the platform webhook endpoint ${PUBLIC_URL}/webhooks/stripe is missing the events charge.refunded, charge.dispute.closed`);
    expect(missing).toContain(`the Connect webhook endpoint ${PUBLIC_URL}/webhooks/stripe/connect is missing the events ${CONNECT_EVENTS.filter((e) => e !== "account.updated").join(", ")}`);
    expect(await start(completeWebhookEndpoints())).toBe("started");
  });

  it("names a missing endpoint (a platform endpoint is no Connect one, another host is not ours, a disabled one does not count); '*' is enough", async () => {
    const [platform] = completeWebhookEndpoints();
    const noConnect = await start([platform!, { url: `${PUBLIC_URL}/webhooks/stripe/connect`, enabled_events: ["*"] }]);
    expect(noConnect).toContain(`no enabled Connect webhook endpoint at ${PUBLIC_URL}/webhooks/stripe/connect`);
    expect(noConnect).toContain(CONNECT_EVENTS.join(", "));
    expect(noConnect).not.toContain("platform");
    const elsewhere = await start(completeWebhookEndpoints("https://other.example"));
    expect(elsewhere).toContain(`no enabled platform webhook endpoint at ${PUBLIC_URL}/webhooks/stripe`);
    const disabled = await start(completeWebhookEndpoints().map((e) => ({ ...e, status: "disabled" as const })));
    expect(disabled).toContain("no enabled platform webhook endpoint");
    expect(await start([
      { url: `${PUBLIC_URL}/webhooks/stripe`, enabled_events: ["*"] },
      { url: `${PUBLIC_URL}/webhooks/stripe/connect`, enabled_events: ["*"], application: "ca_x" },
    ])).toBe("started");
    // Without PUBLIC_URL the endpoints are found by their path.
    expect(await start(completeWebhookEndpoints("https://other.example"), null)).toBe("started");
  });
});
