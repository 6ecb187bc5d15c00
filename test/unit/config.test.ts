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

  it("behind the proxy, names where the room sockets open: the public host and the process's route", () => {
    expect(loadConfig({}).publicAddress).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: "https://play.example.org/", PROXY_ROUTE: "g2" }).publicAddress).toBe("play.example.org/g2");
    expect(loadConfig({ PUBLIC_URL: "http://127.0.0.1:8080/hameau", PROXY_ROUTE: "g1" }).publicAddress).toBe("127.0.0.1:8080/hameau/g1");
    expect(() => loadConfig({ PROXY_ROUTE: "g1" })).toThrow(/PROXY_ROUTE needs PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: "https://play.example.org", PROXY_ROUTE: "../g1" })).toThrow(ConfigError);
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

  it("applies production rules with live Stripe keys, whatever NODE_ENV says", () => {
    const smtp = { SMTP_URL: "smtps://mail.example.org", MAIL_FROM: "Hameau <no-reply@example.org>" };
    for (const NODE_ENV of [undefined, "development", "test"]) {
      for (const key of ["sk_live_abc", "rk_live_abc"]) {
        const env = { NODE_ENV, STRIPE_SECRET_KEY: key, STRIPE_WEBHOOK_SECRET: "whsec_abc", STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_connect" };
        // No SMTP: the TEST MODE outbox would be public.
        expect(() => loadConfig(env)).toThrow(/Live Stripe keys \(production rules\) needs SMTP_URL and MAIL_FROM/);
        expect(() => loadConfig({ ...env, SMTP_URL: smtp.SMTP_URL })).toThrow(/MAIL_FROM/);
        // No webhook secret: payments could not be verified.
        expect(() => loadConfig({ NODE_ENV, STRIPE_SECRET_KEY: key, ...smtp })).toThrow(/STRIPE_WEBHOOK_SECRET/);
        expect(() => loadConfig({ NODE_ENV, STRIPE_SECRET_KEY: key, STRIPE_WEBHOOK_SECRET: "whsec_abc", ...smtp })).toThrow(/STRIPE_CONNECT_WEBHOOK_SECRET/);
        // The demo NGO would take real donations.
        expect(() => loadConfig({ ...env, ...smtp, SEED_DEMO: "true" })).toThrow(/SEED_DEMO/);
        const c = loadConfig({ ...env, ...smtp });
        expect(c.production).toBe(true);
        expect(c.mail.mode).toBe("smtp");
        expect(c.stripe.mode).toBe("live");
        expect(c.seedDemo).toBe(false);
      }
    }
    // Test keys keep the rules of NODE_ENV.
    const dev = loadConfig({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc", STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_connect" });
    expect(dev.production).toBe(false);
    expect(dev.mail.mode).toBe("outbox");
    expect(dev.seedDemo).toBe(true);
    expect(loadConfig({}).production).toBe(false);
    const prod = loadConfig({ NODE_ENV: "production", STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc", STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_connect", ...smtp });
    expect(prod.production).toBe(true);
    expect(prod.seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc", STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_connect", ...smtp, SEED_DEMO: "true" }).seedDemo).toBe(true);
  });

  it("reads TRUST_PROXY as a hop count or a list of proxies, off by default", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "" }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "loopback" }).trustProxy).toEqual(["loopback"]);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, 192.168.1.7,fd00::/8, loopback" }).trustProxy).toEqual(["10.0.0.0/8", "192.168.1.7", "fd00::/8", "loopback"]);
    for (const bad of ["true", "*", "11", "10.0.0.0/33", "fd00::/129", "example.org", "10.0.0.1/8/2", "-1", "1.5"]) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });
});
