/**
 * Configuration: environment variables parsed once, with embedded defaults
 * that make `npm start` work on a fresh machine. Every variable is listed in
 * the README.
 */
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(2567),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.url().optional(),
  /** Behind a reverse proxy with several processes: the path segment the proxy routes to this process. */
  PROXY_ROUTE: z.string().regex(/^[a-z0-9-]{1,32}$/, "lower-case letters, digits and - only (e.g. g1)").optional(),
  DATA_DIR: z.string().default("data"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional(),
  REDIS_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, "letters, digits, : . _ - only").default("hameau:"),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, "must be a Stripe secret or restricted key").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "must start with whsec_").optional(),
  STRIPE_CONNECT_WEBHOOK_SECRET: z.string().startsWith("whsec_", "must start with whsec_").optional(),
  STRIPE_API_BASE: z.url().optional(),
  CORS_ORIGINS: z.string().default(""),
  /** Default: true, but false under production rules. */
  SEED_DEMO: z.enum(["true", "false"]).optional(),
  WAITING_EVENTS_SWEEP_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  WAITING_EVENTS_STALE_MINUTES: z.coerce.number().min(0).max(525_600).default(1440),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  CLIENT_DIR: z.string().default("dist/client"),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/?#]+/, "must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>@\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, "must be an address, e.g. Hameau <no-reply@example.org>")
    .optional(),
  TRUST_PROXY: z.string().default(""),
  /** Live campaign feeds (public pages, widget): open streams per client address, and in one process. */
  LIVE_STREAMS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
  LIVE_STREAMS_TOTAL: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  /** GET /metrics needs `Authorization: Bearer <this>`; unset, /metrics does not exist. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").max(256).regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces").optional(),
  /** After SIGTERM: seconds /readyz answers 503 (the proxy stops sending) before the process closes. */
  DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(0),
});

/** `https://play.example.org/hameau/` → `play.example.org/hameau` (host and path, no scheme: the client adds ws:// or wss://). */
function publicAddressBase(publicUrl: string): string {
  const u = new URL(publicUrl);
  return `${u.host}${u.pathname.replace(/\/$/, "")}`;
}

/** Express's names for address ranges, accepted in TRUST_PROXY besides addresses and CIDRs. */
const NAMED_RANGES = ["loopback", "linklocal", "uniquelocal"];

/**
 * TRUST_PROXY: how many reverse proxies stand in front (a hop count), or which addresses are
 * proxies (comma-separated addresses, CIDRs, or loopback / linklocal / uniquelocal). Empty: none,
 * and X-Forwarded-For is ignored. `true` (trust every hop) is refused: anyone could then choose
 * their own address by sending the header.
 */
function parseTrustProxy(raw: string): false | number | string[] {
  const value = raw.trim();
  if (value === "" || value === "false" || value === "0") return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new ConfigError("TRUST_PROXY: a hop count is at most 10");
    return hops;
  }
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (NAMED_RANGES.includes(item)) continue;
    const [address, bits, extra] = item.split("/");
    const family = isIP(address ?? "");
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (!family || !bitsOk || extra !== undefined) {
      throw new ConfigError(`TRUST_PROXY: "${item}" is not a hop count, an address, a CIDR, loopback, linklocal or uniquelocal`);
    }
  }
  return items;
}

/** Live Stripe keys move real money: they bring production rules whatever NODE_ENV says. */
export const isLiveKey = (key: string | undefined) => /^(sk|rk)_live_/.test(key ?? "");

export interface Config {
  env: "development" | "production" | "test";
  /**
   * Production rules: NODE_ENV=production or live Stripe keys (real money). Then SMTP is required
   * (no TEST MODE outbox), there is no TEST MODE checkout, the demo NGO is not seeded unless asked,
   * and the per-address limits are the production ones.
   */
  production: boolean;
  /** Express `trust proxy`: false, a hop count, or the proxies' addresses and ranges. */
  trustProxy: false | number | string[];
  port: number;
  host: string;
  /** Base URL players reach the server at (used in Stripe return URLs). */
  publicUrl: string | undefined;
  /**
   * With PROXY_ROUTE: where players open this process's room sockets, `<PUBLIC_URL's host>/<route>`
   * (Colyseus's publicAddress; the proxy sends `/<route>/…` to this process). Undefined: this server's own address.
   */
  publicAddress: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  stripe:
    | { mode: "live"; secretKey: string; webhookSecret: string; connectWebhookSecret: string; apiBase: URL | undefined }
    | { mode: "test-checkout"; webhookSecret: string; connectWebhookSecret: string };
  corsOrigins: string[];
  /** Stripe events waiting for their payment: how often they are swept, and after how long one still waiting is reported. */
  waitingEvents: { sweepMs: number; staleAfterMs: number };
  seedDemo: boolean;
  logLevel: string;
  clientDir: string;
  assetsDir: string;
  /** Mail: sent through SMTP, or (development, tests) kept in the local outbox shown at /dev/mail. */
  mail: { mode: "smtp"; url: string; from: string } | { mode: "outbox"; from: string };
  /** Caps on the live campaign feed's open streams (GET /api/campaigns/:id/live). */
  liveStreams: { perAddress: number; total: number };
  /** The token /metrics asks for; undefined: no /metrics. */
  metricsToken: string | undefined;
  /** Seconds between SIGTERM (readyz turns 503) and closing. */
  drainSeconds: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const live = isLiveKey(e.STRIPE_SECRET_KEY);
  const production = e.NODE_ENV === "production" || live;
  const rules = live ? "Live Stripe keys (production rules)" : "NODE_ENV=production";
  let stripe: Config["stripe"];
  if (e.STRIPE_SECRET_KEY) {
    if (!e.STRIPE_WEBHOOK_SECRET) {
      throw new ConfigError("STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: payments could not be verified");
    }
    if (!e.STRIPE_CONNECT_WEBHOOK_SECRET) {
      throw new ConfigError("STRIPE_SECRET_KEY is set but STRIPE_CONNECT_WEBHOOK_SECRET is not: the NGOs' account updates could not be verified");
    }
    stripe = {
      mode: "live",
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      connectWebhookSecret: e.STRIPE_CONNECT_WEBHOOK_SECRET,
      apiBase: e.STRIPE_API_BASE ? new URL(e.STRIPE_API_BASE) : undefined,
    };
  } else {
    if (production) {
      throw new ConfigError(`${rules} needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: the test checkout is never served in production`);
    }
    // The local test checkout and onboarding sign their events exactly as Stripe does, with these secrets.
    stripe = {
      mode: "test-checkout",
      webhookSecret: e.STRIPE_WEBHOOK_SECRET ?? `whsec_local_${randomBytes(24).toString("base64url")}`,
      connectWebhookSecret: e.STRIPE_CONNECT_WEBHOOK_SECRET ?? `whsec_local_${randomBytes(24).toString("base64url")}`,
    };
  }
  if (production && (!e.SMTP_URL || !e.MAIL_FROM)) {
    throw new ConfigError(`${rules} needs SMTP_URL and MAIL_FROM: sign-up and password reset mail their links, and the local test outbox is never served in production`);
  }
  if (live && e.SEED_DEMO === "true") {
    throw new ConfigError("Live Stripe keys with SEED_DEMO=true: the demo NGO would take real donations. Leave SEED_DEMO unset or false");
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if (e.PROXY_ROUTE && !e.PUBLIC_URL) {
    throw new ConfigError("PROXY_ROUTE needs PUBLIC_URL: players open room sockets at <PUBLIC_URL's host>/<PROXY_ROUTE>/…");
  }
  const publicAddress = e.PROXY_ROUTE && e.PUBLIC_URL ? `${publicAddressBase(e.PUBLIC_URL)}/${e.PROXY_ROUTE}` : undefined;
  const from = e.MAIL_FROM ?? "Hameau <no-reply@localhost>";
  const mail: Config["mail"] = e.SMTP_URL ? { mode: "smtp", url: e.SMTP_URL, from } : { mode: "outbox", from };
  const root = path.resolve(import.meta.dirname, "..");
  return {
    env: e.NODE_ENV,
    production,
    trustProxy,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ""),
    publicAddress,
    dataDir: path.resolve(root, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    stripe,
    corsOrigins: e.CORS_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean),
    waitingEvents: { sweepMs: e.WAITING_EVENTS_SWEEP_MS, staleAfterMs: Math.round(e.WAITING_EVENTS_STALE_MINUTES * 60_000) },
    seedDemo: (e.SEED_DEMO ?? (production ? "false" : "true")) === "true",
    logLevel: e.LOG_LEVEL,
    clientDir: path.resolve(root, e.CLIENT_DIR),
    assetsDir: path.resolve(root, "assets"),
    mail,
    liveStreams: { perAddress: e.LIVE_STREAMS_PER_ADDRESS, total: e.LIVE_STREAMS_TOTAL },
    metricsToken: e.METRICS_TOKEN,
    drainSeconds: e.DRAIN_SECONDS,
  };
}
