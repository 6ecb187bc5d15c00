import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.ts";

describe("configuration", () => {
  it("runs on embedded defaults with the local TEST MODE checkout", () => {
    const c = loadConfig({});
    expect(c.port).toBe(2567);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.stripe.mode).toBe("test-checkout");
    expect(c.stripe.webhookSecret).toMatch(/^whsec_local_/);
    expect(c.stripe.connectWebhookSecret).toMatch(/^whsec_local_/);
    expect(c.stripe.connectWebhookSecret).not.toBe(c.stripe.webhookSecret);
    expect(c.mail).toEqual({ mode: "outbox", from: "Hameau <no-reply@localhost>" });
  });

  it("refuses to start in production without a way to send mail", () => {
    const stripe = { STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc", STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_connect" };
    expect(() => loadConfig({ NODE_ENV: "production", ...stripe })).toThrow(/SMTP_URL and MAIL_FROM/);
    expect(loadConfig({ NODE_ENV: "production", ...stripe, SMTP_URL: "smtp://mail.example.org:587", MAIL_FROM: "Hameau <a@example.org>" }).mail.mode).toBe("smtp");
  });

  it("refuses to start in production without real Stripe keys", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production", STRIPE_WEBHOOK_SECRET: "whsec_x" })).toThrow(/STRIPE_SECRET_KEY/);
  });

  it("refuses a secret key without the webhook secret that verifies payments", () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: "sk_test_abc" })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => loadConfig({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc" })).toThrow(/STRIPE_CONNECT_WEBHOOK_SECRET/);
    expect(() => loadConfig({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc", STRIPE_CONNECT_WEBHOOK_SECRET: "nope" })).toThrow(/STRIPE_CONNECT_WEBHOOK_SECRET/);
    const c = loadConfig({
      NODE_ENV: "production", STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc", STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_connect",
      SMTP_URL: "smtps://mail.example.org", MAIL_FROM: "no-reply@example.org",
    });
    expect(c.stripe).toMatchObject({ mode: "live", secretKey: "sk_live_abc", webhookSecret: "whsec_abc", connectWebhookSecret: "whsec_connect" });
  });

  it("names every bad variable", () => {
    expect(() => loadConfig({ PORT: "70000", DATABASE_URL: "mysql://x", STRIPE_SECRET_KEY: "pk_test_1" })).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*STRIPE_SECRET_KEY/);
  });
});
