/**
 * With real keys, the server checks on start that Stripe will send it every
 * event it needs: it lists the account's webhook endpoints, finds the
 * platform one (`$PUBLIC_URL/webhooks/stripe`) and the Connect one
 * (`$PUBLIC_URL/webhooks/stripe/connect`, `connect: true`), and refuses to
 * start naming every missing endpoint or event (required-events.ts). An
 * endpoint enabled for `*` gets every event. Without PUBLIC_URL, endpoints
 * are matched by path alone. Stripe's WebhookEndpoint object does not return
 * the `connect` flag it was created with: a Connect endpoint is one with an
 * `application` (Stripe's own answer).
 */
import type Stripe from "stripe";
import { ConfigError } from "../config.ts";
import { CONNECT_WEBHOOK_PATH } from "./connect-webhook.ts";
import { CONNECT_EVENTS, PLATFORM_EVENTS } from "./required-events.ts";
import { WEBHOOK_PATH } from "./webhook.ts";

/** A configuration error: the server refuses to start (exit code 78, like a bad variable). */
export class WebhookEndpointsError extends ConfigError {}

export interface EndpointFacts {
  url: string;
  status: string;
  connect: boolean;
  enabledEvents: readonly string[];
}

interface Wanted {
  name: string;
  path: string;
  connect: boolean;
  events: readonly string[];
}

const WANTED: Wanted[] = [
  { name: "platform", path: WEBHOOK_PATH, connect: false, events: PLATFORM_EVENTS },
  { name: "Connect", path: CONNECT_WEBHOOK_PATH, connect: true, events: CONNECT_EVENTS },
];

function pathOf(url: string): string | null {
  try {
    return new URL(url).pathname.replace(/\/$/, "");
  } catch {
    return null;
  }
}

/**
 * What is missing from these endpoints (a pure rule): one line per missing
 * endpoint or per endpoint missing events, naming them. Empty when complete.
 */
export function missingWebhookSetup(endpoints: readonly EndpointFacts[], publicUrl: string | undefined): string[] {
  const problems: string[] = [];
  for (const want of WANTED) {
    const url = publicUrl ? `${publicUrl}${want.path}` : undefined;
    const candidates = endpoints.filter(
      (e) => e.status !== "disabled" && e.connect === want.connect && (url ? e.url.replace(/\/$/, "") === url : pathOf(e.url) === want.path),
    );
    const where = url ?? `…${want.path}`;
    if (candidates.length === 0) {
      problems.push(`no enabled ${want.name} webhook endpoint at ${where}${want.connect ? " (listening to events on connected accounts)" : ""}: create it with the events ${want.events.join(", ")}`);
      continue;
    }
    // Several endpoints may share the URL; together they must cover every event.
    const enabled = new Set(candidates.flatMap((e) => e.enabledEvents));
    if (enabled.has("*")) continue;
    const missing = want.events.filter((e) => !enabled.has(e));
    if (missing.length > 0) problems.push(`the ${want.name} webhook endpoint ${where} is missing the events ${missing.join(", ")}`);
  }
  return problems;
}

/** Lists the account's webhook endpoints (every page) and throws WebhookEndpointsError naming what is missing. */
export async function checkWebhookEndpoints(stripe: Stripe, publicUrl: string | undefined): Promise<void> {
  const endpoints: EndpointFacts[] = [];
  for await (const e of stripe.webhookEndpoints.list({ limit: 100 })) {
    const connect = Boolean(e.application) || (e as { connect?: boolean }).connect === true;
    endpoints.push({ url: e.url, status: e.status, connect, enabledEvents: e.enabled_events });
  }
  const problems = missingWebhookSetup(endpoints, publicUrl);
  if (problems.length > 0) {
    throw new WebhookEndpointsError(`Stripe will not send Hameau every event it needs:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}
