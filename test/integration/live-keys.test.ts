/**
 * Live Stripe keys bring production rules whatever NODE_ENV says (here
 * "test", as every test server): no TEST MODE outbox or checkout, mail only
 * through SMTP, the production guest limit, and TRUST_PROXY=1 giving each
 * client behind the proxy its own limit. (Its own file: one server per file.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiErrorBody } from "../../shared/errors.ts";
import { loadConfig } from "../../server/config.ts";
import { mailOutbox } from "../../server/db/schema.ts";
import { confirmationToken, uniqueSuffix as unique } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { startSmtpServer, type SmtpServer } from "../support/smtp-server.ts";
import { startStripeStandIn, type StripeStandIn } from "../support/stripe-stand-in.ts";

let smtp: SmtpServer;
let stripe: StripeStandIn;
let server: TestServer;
beforeAll(async () => {
  smtp = await startSmtpServer({});
  // The stand-in answers the start-up check of the webhook endpoints (complete by default).
  stripe = await startStripeStandIn();
  server = await startTestServer({
    env: {
      STRIPE_SECRET_KEY: "sk_live_not_a_real_key", STRIPE_API_BASE: stripe.url, SMTP_URL: smtp.url,
      MAIL_FROM: "Hameau <no-reply@hameau.example>", TRUST_PROXY: "1",
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
  await stripe?.close();
});

describe("a server with live Stripe keys and NODE_ENV=test", () => {
  it("does not start without SMTP: the TEST MODE outbox would publish every link", () => {
    const env = { NODE_ENV: "test", STRIPE_WEBHOOK_SECRET: "whsec_x", STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_y", SEED_DEMO: "false" };
    for (const key of ["sk_live_abc", "rk_live_abc"]) {
      expect(() => loadConfig({ ...env, STRIPE_SECRET_KEY: key })).toThrow(/Live Stripe keys \(production rules\) needs SMTP_URL and MAIL_FROM/);
    }
  });

  it("serves no TEST MODE outbox and no TEST MODE checkout", async () => {
    for (const path of ["/dev/mail.json", "/dev/mail", "/dev/mail.json?to=a%40example.org", "/checkout/test/cs_test_1"]) {
      expect((await server.api(path)).status, path).toBe(404);
    }
    expect((await server.api("/checkout/test/cs_test_1/pay", { method: "POST" })).status).toBe(404);
    expect((await server.api<{ payments: string }>("/healthz")).body.payments).toBe("live");
  });

  it("mails through SMTP only: a confirmation link never lands in the database", async () => {
    const email = `live.${unique()}@example.org`;
    expect((await server.api("/api/account/signup", { body: { email, name: `Live ${unique()}` } })).status).toBe(202);
    const mail = await smtp.nextMail();
    expect(mail.to).toEqual([email]);
    expect(confirmationToken(mail.text)).toBeDefined();
    expect(await server.hameau.database.db.$count(mailOutbox)).toBe(0);
  });

  it("creates at most 10 guests a minute per client, each client behind the proxy counted apart", async () => {
    const guest = (from: string) => server.api<ApiErrorBody>("/api/session/guest", { method: "POST", headers: { "x-forwarded-for": from } });
    const first: number[] = [];
    for (let i = 0; i < 11; i++) first.push((await guest("203.0.113.20")).status);
    expect(first).toEqual([...Array(10).fill(201), 429]);
    expect((await guest("203.0.113.21")).status).toBe(201);
    // The proxy appends the address it saw; an address the client wrote before it changes nothing.
    expect((await guest("198.51.100.1, 203.0.113.20")).status).toBe(429);
  });
});
