/**
 * The Connect accounts side of the loopback Stripe stand-in: connected accounts
 * (`POST /v1/accounts`, honouring the idempotency key as Stripe does,
 * `GET /v1/accounts/:id`), onboarding links (`POST /v1/account_links`) and
 * the webhook endpoints the start-up check lists (`GET /v1/webhook_endpoints`).
 * By default the endpoints are complete (every event, platform and Connect);
 * tests replace them to prove the server refuses to start.
 */
import { randomBytes } from "node:crypto";
import { CONNECT_EVENTS, PLATFORM_EVENTS } from "../../server/payments/required-events.ts";
import { listPage, type StripeObject } from "./stripe-stand-in-store.ts";

export interface StandInWebhookEndpoint {
  url: string;
  enabled_events: string[];
  /** Set for a Connect endpoint (Stripe does not return `connect`; the endpoint has an application). */
  application?: string | null;
  status?: "enabled" | "disabled";
}

export interface ConnectStandIn {
  /** Connected accounts by id. */
  accounts: Map<string, StripeObject>;
  /** Changes an account as Stripe would after onboarding (charges_enabled…). */
  updateAccount(id: string, patch: Record<string, unknown>): StripeObject;
  /** What GET /v1/webhook_endpoints lists. */
  webhookEndpoints: StandInWebhookEndpoint[];
}

/** Complete endpoints at this base URL: the platform one and the Connect one, each with every event Hameau needs. */
export function completeWebhookEndpoints(base = "https://hameau.example"): StandInWebhookEndpoint[] {
  return [
    { url: `${base}/webhooks/stripe`, enabled_events: [...PLATFORM_EVENTS] },
    { url: `${base}/webhooks/stripe/connect`, enabled_events: [...CONNECT_EVENTS], application: "ca_standin" },
  ];
}

type Send = (status: number, body: unknown) => void;

export function createConnectStandIn() {
  const accounts = new Map<string, StripeObject>();
  const byIdempotencyKey = new Map<string, StripeObject>();
  const state: ConnectStandIn = {
    accounts,
    webhookEndpoints: completeWebhookEndpoints(),
    updateAccount(id, patch) {
      const account = accounts.get(id);
      if (!account) throw new Error(`no account ${id} in the stand-in`);
      Object.assign(account, patch);
      return account;
    },
  };

  /** Answers a Connect request, or returns false when it is not one. */
  function handle(method: string, url: URL, form: Record<string, string>, idempotencyKey: string, send: Send): boolean {
    if (method === "POST" && url.pathname === "/v1/accounts") {
      const existing = idempotencyKey ? byIdempotencyKey.get(idempotencyKey) : undefined;
      if (existing) {
        send(200, existing);
        return true;
      }
      const metadata = Object.fromEntries(Object.entries(form).flatMap(([k, v]) => (/^metadata\[(\w+)\]$/.test(k) ? [[k.slice(9, -1), v]] : [])));
      const account: StripeObject = {
        id: `acct_${randomBytes(8).toString("hex")}`, object: "account", created: Math.floor(Date.now() / 1000),
        country: form.country ?? "US", email: form.email ?? null, type: "express",
        details_submitted: false, charges_enabled: false, payouts_enabled: false,
        requirements: { currently_due: ["business_profile.mcc", "external_account"], past_due: [], eventually_due: [], disabled_reason: "requirements.past_due" },
        metadata,
      };
      accounts.set(account.id, account);
      if (idempotencyKey) byIdempotencyKey.set(idempotencyKey, account);
      send(200, account);
      return true;
    }
    const single = /^\/v1\/accounts\/([\w-]+)$/.exec(url.pathname);
    if (method === "GET" && single) {
      const account = accounts.get(single[1] ?? "");
      if (account) send(200, account);
      else send(404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such account: '${single[1]}'` } });
      return true;
    }
    if (method === "POST" && url.pathname === "/v1/account_links") {
      if (!accounts.has(form.account ?? "")) {
        send(400, { error: { type: "invalid_request_error", message: `No such account: '${form.account}'` } });
        return true;
      }
      send(200, {
        object: "account_link", created: Math.floor(Date.now() / 1000), expires_at: Math.floor(Date.now() / 1000) + 300,
        url: `https://connect.stripe.example/setup/e/${form.account}/${randomBytes(8).toString("hex")}`,
      });
      return true;
    }
    if (method === "GET" && url.pathname === "/v1/webhook_endpoints") {
      const all = state.webhookEndpoints.map((e, i): StripeObject => ({
        id: `we_${i}`, object: "webhook_endpoint", created: 1_700_000_000 + i, api_version: null, description: null, livemode: false, metadata: {},
        application: e.application ?? null, status: e.status ?? "enabled", url: e.url, enabled_events: e.enabled_events,
      }));
      send(200, listPage(all, url.searchParams, { url: url.pathname, filters: [], maxPageSize: 100, order: (o) => Number(String(o.id).slice(3)) }));
      return true;
    }
    return false;
  }
  return { state, handle };
}
