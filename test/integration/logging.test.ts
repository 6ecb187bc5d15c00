/**
 * No secret in the logs: session tokens, the Stripe key, the webhook secret
 * and sign-up confirmation tokens and links never appear, even at debug level
 * and on errors.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { createLogger } from "../../server/logger.ts";
import { mailedConfirmationToken, outboxFor, resetToken, uniqueSuffix } from "../support/accounts.ts";
import { checkoutCompletedEvent, deliver, sign } from "../support/stripe-events.ts";
import { TEST_WEBHOOK_SECRET, startTestServer, type TestServer } from "../support/server.ts";
import { startStripeStandIn, type StripeStandIn } from "../support/stripe-stand-in.ts";

const SECRET_KEY = "sk_test_hameau_do_not_log_me";
let logs = "";
let server: TestServer;
let stripe: StripeStandIn;
let guest: SessionResponse;

beforeAll(async () => {
  const sink = new Writable({ write(chunk, _enc, done) { logs += String(chunk); done(); } });
  stripe = await startStripeStandIn();
  server = await startTestServer({ env: { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_API_BASE: stripe.url }, logger: createLogger("trace", sink) });
  guest = await server.guest();
});
afterAll(async () => {
  await server?.stop();
  await stripe?.close();
});

describe("logs", () => {
  it("carry events and errors but never a token, a key or a secret", async () => {
    const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
    const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
    const ok = await server.api<CheckoutResponse>("/api/checkout", { token: guest.token, body: { lines: [{ giftId: goat.id, quantity: 1 }] } });
    stripe.failNextWith(500);
    await server.api("/api/checkout", { token: guest.token, body: { lines: [{ giftId: goat.id, quantity: 1 }] } });
    const [row] = await server.hameau.database.db.query.orders.findMany({ where: (o, { eq }) => eq(o.id, ok.body.orderId) });
    const payload = JSON.stringify(checkoutCompletedEvent({ id: row!.checkoutSessionId!, orderId: row!.id, amountTotal: row!.totalCents }));
    await deliver(server.url, payload, sign(payload));
    await deliver(server.url, payload, "t=1,v1=forged");
    await server.api("/api/me", { token: "hg_not_a_real_token_but_still_secret" });
    // Sign-up: the confirmation mail, its link, the confirmed session, and a replayed link.
    const email = `logged.${uniqueSuffix()}@example.org`;
    await server.api("/api/account/signup", { token: guest.token, body: { email, name: `Logged ${uniqueSuffix()}` } });
    const confirmation = await mailedConfirmationToken(server.url, email);
    const confirmed = await server.api<SessionResponse>("/api/account/confirm", { token: guest.token, body: { token: confirmation, password: "a password never logged" } });
    expect(confirmed.status).toBe(201);
    await server.api("/api/account/confirm", { body: { token: confirmation, password: "a password never logged" } });
    await server.api("/api/account/signup", { body: { email, name: `Logged ${uniqueSuffix()}` } });
    // Password reset: the mailed link, the new password, the session it opens.
    expect((await server.api("/api/account/password-reset", { body: { email } })).status).toBe(202);
    const reset = resetToken((await outboxFor(server.url, email))[0]!.text)!;
    const afterReset = await server.api<SessionResponse>("/api/account/password-reset/complete", { body: { token: reset, password: "a new password never logged" } });
    expect(afterReset.status).toBe(200);

    expect(logs).toContain("stripe event");
    expect(logs).toContain("mail sent");
    for (const secret of [
      guest.token, SECRET_KEY, TEST_WEBHOOK_SECRET, "hg_not_a_real_token_but_still_secret",
      confirmation, encodeURIComponent(confirmation), "?confirm=", confirmed.body.token, "a password never logged", email,
      reset, "?reset=", afterReset.body.token, "a new password never logged",
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
