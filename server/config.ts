/**
 * Configuration: environment variables parsed once, with embedded defaults
 * that make `npm start` work on a fresh machine. Every variable is listed in
 * the README.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(2567),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default("data"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional(),
  REDIS_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, "letters, digits, : . _ - only").default("hameau:"),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, "must be a Stripe secret or restricted key").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "must start with whsec_").optional(),
  STRIPE_API_BASE: z.url().optional(),
  CORS_ORIGINS: z.string().default(""),
  SEED_DEMO: z.enum(["true", "false"]).default("true"),
  WAITING_EVENTS_SWEEP_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  WAITING_EVENTS_STALE_MINUTES: z.coerce.number().min(0).max(525_600).default(1440),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  CLIENT_DIR: z.string().default("dist/client"),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/?#]+/, "must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>@\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, "must be an address, e.g. Hameau <no-reply@example.org>")
    .optional(),
});

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** Base URL players reach the server at (used in Stripe return URLs). */
  publicUrl: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  stripe:
    | { mode: "live"; secretKey: string; webhookSecret: string; apiBase: URL | undefined }
    | { mode: "test-checkout"; webhookSecret: string };
  corsOrigins: string[];
  /** Stripe events waiting for their payment: how often they are swept, and after how long one still waiting is reported. */
  waitingEvents: { sweepMs: number; staleAfterMs: number };
  seedDemo: boolean;
  logLevel: string;
  clientDir: string;
  assetsDir: string;
  /** Mail: sent through SMTP, or (development, tests) kept in the local outbox shown at /dev/mail. */
  mail: { mode: "smtp"; url: string; from: string } | { mode: "outbox"; from: string };
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  let stripe: Config["stripe"];
  if (e.STRIPE_SECRET_KEY) {
    if (!e.STRIPE_WEBHOOK_SECRET) {
      throw new ConfigError("STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: payments could not be verified");
    }
    stripe = {
      mode: "live",
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      apiBase: e.STRIPE_API_BASE ? new URL(e.STRIPE_API_BASE) : undefined,
    };
  } else {
    if (e.NODE_ENV === "production") {
      throw new ConfigError("NODE_ENV=production needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: the test checkout is never served in production");
    }
    // The local test checkout signs its events exactly as Stripe does, with this secret.
    stripe = { mode: "test-checkout", webhookSecret: e.STRIPE_WEBHOOK_SECRET ?? `whsec_local_${randomBytes(24).toString("base64url")}` };
  }
  if (e.NODE_ENV === "production" && (!e.SMTP_URL || !e.MAIL_FROM)) {
    throw new ConfigError("NODE_ENV=production needs SMTP_URL and MAIL_FROM: sign-up mails its confirmation links, and the local test outbox is never served in production");
  }
  const from = e.MAIL_FROM ?? "Hameau <no-reply@localhost>";
  const mail: Config["mail"] = e.SMTP_URL ? { mode: "smtp", url: e.SMTP_URL, from } : { mode: "outbox", from };
  const root = path.resolve(import.meta.dirname, "..");
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ""),
    dataDir: path.resolve(root, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    stripe,
    corsOrigins: e.CORS_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean),
    waitingEvents: { sweepMs: e.WAITING_EVENTS_SWEEP_MS, staleAfterMs: Math.round(e.WAITING_EVENTS_STALE_MINUTES * 60_000) },
    seedDemo: e.SEED_DEMO === "true",
    logLevel: e.LOG_LEVEL,
    clientDir: path.resolve(root, e.CLIENT_DIR),
    assetsDir: path.resolve(root, "assets"),
    mail,
  };
}
