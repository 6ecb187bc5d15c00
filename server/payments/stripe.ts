/**
 * The Stripe SDK client, built only when a secret key is configured.
 * STRIPE_API_BASE points the real SDK at another host (tests use a loopback
 * stand-in of the Stripe API; nothing else should set it).
 */
import Stripe from "stripe";
import type { Config } from "../config.ts";

export function createStripe(config: Config): Stripe | null {
  if (config.stripe.mode !== "live") return null;
  const base = config.stripe.apiBase;
  return new Stripe(config.stripe.secretKey, {
    maxNetworkRetries: base ? 0 : 2,
    timeout: 20_000,
    appInfo: { name: "Hameau" },
    ...(base
      ? { host: base.hostname, port: Number(base.port || (base.protocol === "https:" ? 443 : 80)), protocol: base.protocol.replace(":", "") as "http" | "https" }
      : {}),
  });
}

export { Stripe };
