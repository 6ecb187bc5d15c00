/**
 * A loopback stand-in of the Stripe API for integration tests. The real
 * Stripe SDK talks to it (STRIPE_API_BASE); it records every request exactly
 * as received (headers, form-encoded body) so tests can assert what was sent.
 * It keeps the sessions it creates and serves the lists reconciliation reads
 * (Checkout Sessions, balance transactions, charges, disputes) and the
 * payment intents of paid sessions (with their latest charge); see
 * stripe-stand-in-store.ts for the seeding helpers; stripe-stand-in-accounts.ts for
 * connected accounts, account links and webhook endpoints. Connect money: a session's
 * payment_intent_data routing (destination, on_behalf_of, transfer_group) is
 * kept, so markPaid makes a destination charge's transfer; transfers,
 * reversals and connected accounts' payouts are in stripe-stand-in-connect.ts.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type ConnectStore, createConnectStore, StandInError } from "./stripe-stand-in-connect.ts";
import { createStripeStore, expand, listPage, type StripeObject, type StripeStore } from "./stripe-stand-in-store.ts";
import { type ConnectStandIn as AccountsStandIn, createConnectStandIn as createAccountsStandIn } from "./stripe-stand-in-accounts.ts";
import { type BillingStandIn, createBillingStandIn } from "./stripe-stand-in-billing.ts";

export { cardFee, type StripeObject } from "./stripe-stand-in-store.ts";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The form-encoded body, decoded into flat Stripe keys: "line_items[0][quantity]" → "2". */
  form: Record<string, string>;
}

export type StripeStandInStore = Pick<
  StripeStore,
  "sessions" | "objects" | "balanceTransactions" | "addSession" | "addBalanceTransaction" | "addCharge" | "markPaid" | "refund" | "dispute" | "closeDispute"
>;

/** How a Checkout Session routes its payment (what payment_intent_data said). */
export interface SessionRouting {
  destination?: string;
  onBehalfOf?: string;
  transferGroup?: string;
}

export interface StripeStandIn extends StripeStandInStore, AccountsStandIn, Pick<ConnectStore, "transfers" | "reversals" | "payouts" | "addPayout">, Pick<BillingStandIn, "subscriptions" | "addSubscription"> {
  url: string;
  requests: RecordedRequest[];
  /** Makes the next checkout-session creation fail with this HTTP status. */
  failNextWith(status: number): void;
  /**
   * Makes the next `count` transfer and reversal creations answer 500. With `afterCreate`, the
   * object is made first and only the answer is lost (as when a connection drops).
   */
  failTransfers(count: number, opts?: { afterCreate?: boolean }): void;
  /** The routing each session was created with, by session id. */
  routing: Map<string, SessionRouting>;
  /** The most a list page returns, whatever `limit` asks (lower it to make the SDK turn pages). */
  maxPageSize: number;
  close(): Promise<void>;
}

/** GET routes: lists (with the fields they can be filtered on) and single objects. */
const LISTS: Record<string, { filters: string[]; items: (s: StripeStore) => Iterable<StripeObject> }> = {
  "/v1/checkout/sessions": { filters: ["status", "payment_intent"], items: (s) => s.sessions.values() },
  "/v1/balance_transactions": { filters: ["type", "source", "currency"], items: (s) => s.balanceTransactions },
  "/v1/charges": { filters: ["payment_intent"], items: (s) => [...s.objects.values()].filter((o) => o.object === "charge") },
  "/v1/disputes": { filters: ["payment_intent", "charge"], items: (s) => [...s.objects.values()].filter((o) => o.object === "dispute") },
  "/v1/transfers": { filters: ["transfer_group", "destination"], items: (s) => [...s.objects.values()].filter((o) => o.object === "transfer") },
};

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const requests: RecordedRequest[] = [];
  const byIdempotencyKey = new Map<string, unknown>();
  let failNext: number | undefined;
  const store = createStripeStore();
  const accounts = createAccountsStandIn();
  const connect = createConnectStore(store);
  const billing = createBillingStandIn();
  const routing = new Map<string, SessionRouting>();
  let failTransfers = { count: 0, afterCreate: false };
  /** Replays an idempotent creation, or makes it once (with the failure injection of transfers). */
  const idempotent = (key: string, create: () => StripeObject, send: (status: number, body: unknown) => void) => {
    const existing = key ? byIdempotencyKey.get(key) : undefined;
    if (existing) return send(200, existing);
    if (failTransfers.count > 0 && !failTransfers.afterCreate) {
      failTransfers.count--;
      return send(500, { error: { type: "api_error", message: "stand-in failed the transfer call" } });
    }
    let made: StripeObject;
    try {
      made = create();
    } catch (err) {
      if (err instanceof StandInError) return send(err.status, { error: { type: "invalid_request_error", message: err.message } });
      throw err;
    }
    if (key) byIdempotencyKey.set(key, made);
    if (failTransfers.count > 0) {
      failTransfers.count--;
      return send(500, { error: { type: "api_error", message: "stand-in lost the answer" } });
    }
    send(200, made);
  };
  const lookup = (id: string) => store.sessions.get(id) ?? store.objects.get(id) ?? store.balanceTransactions.find((b) => b.id === id);
  // One object holds the settings tests change (maxPageSize, webhookEndpoints): the handlers read them from it.
  const standIn = Object.assign(accounts.state, { maxPageSize: 100 });
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, form });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json", "request-id": `req_${randomBytes(6).toString("hex")}` });
        res.end(JSON.stringify(body));
      };
      if (req.method === "POST" && req.url === "/v1/checkout/sessions") {
        if (failNext) {
          const status = failNext;
          failNext = undefined;
          return send(status, { error: { type: "invalid_request_error", message: "stand-in refused the session" } });
        }
        const key = String(req.headers["idempotency-key"] ?? "");
        const existing = key ? byIdempotencyKey.get(key) : undefined;
        if (existing) return send(200, existing);
        let amount = 0;
        for (let i = 0; form[`line_items[${i}][quantity]`]; i++) {
          amount += Number(form[`line_items[${i}][quantity]`]) * Number(form[`line_items[${i}][price_data][unit_amount]`]);
        }
        const session = store.addSession({
          amount_total: amount, currency: form["line_items[0][price_data][currency]"],
          metadata: form["metadata[orderId]"] === undefined ? {} : { orderId: form["metadata[orderId]"] },
          client_reference_id: form.client_reference_id ?? null,
        });
        if (key) byIdempotencyKey.set(key, session);
        routing.set(session.id, {
          ...(form["payment_intent_data[transfer_data][destination]"] ? { destination: form["payment_intent_data[transfer_data][destination]"] } : {}),
          ...(form["payment_intent_data[on_behalf_of]"] ? { onBehalfOf: form["payment_intent_data[on_behalf_of]"] } : {}),
          ...(form["payment_intent_data[transfer_group]"] ? { transferGroup: form["payment_intent_data[transfer_group]"] } : {}),
        });
        return send(200, session);
      }
      const key = String(req.headers["idempotency-key"] ?? "");
      if (req.method === "POST" && req.url === "/v1/transfers") return idempotent(key, () => connect.createTransfer(form), send);
      const reversal = /^\/v1\/transfers\/([\w-]+)\/reversals$/.exec(req.url ?? "");
      if (req.method === "POST" && reversal) return idempotent(key, () => connect.createReversal(reversal[1]!, form), send);
      const url = new URL(req.url ?? "/", "http://stand-in");
      if (accounts.handle(req.method ?? "", url, form, String(req.headers["idempotency-key"] ?? ""), send)) return;
      if (billing.handle(req.method ?? "", url.pathname, form, send)) return;
      const reversalsOf = /^\/v1\/transfers\/([\w-]+)\/reversals$/.exec(url.pathname);
      if (req.method === "GET" && reversalsOf) {
        const items = [...connect.reversals.values()].filter((r) => r.transfer === reversalsOf[1]);
        return send(200, listPage(items, url.searchParams, { url: url.pathname, filters: [], maxPageSize: standIn.maxPageSize, order: store.orderOf }));
      }
      if (req.method === "GET" && url.pathname === "/v1/payouts") {
        const account = String(req.headers["stripe-account"] ?? "");
        const items = [...connect.payouts.values()].filter((p) => p.account === account);
        return send(200, listPage(items, url.searchParams, { url: url.pathname, filters: ["status"], maxPageSize: standIn.maxPageSize, order: store.orderOf }));
      }
      // Expiring a session, as Stripe does: only an open one; a complete one answers 400.
      const expire = /^\/v1\/checkout\/sessions\/([\w-]+)\/expire$/.exec(url.pathname);
      if (req.method === "POST" && expire) {
        const session = store.sessions.get(expire[1] ?? "");
        if (!session) return send(404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such checkout.session: '${expire[1]}'` } });
        if (session.status !== "open") {
          return send(400, { error: { type: "invalid_request_error", message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".` } });
        }
        session.status = "expired";
        return send(200, session);
      }
      const list = LISTS[url.pathname];
      if (req.method === "GET" && list) {
        const page = listPage(list.items(store), url.searchParams, { url: url.pathname, filters: list.filters, maxPageSize: standIn.maxPageSize, order: store.orderOf });
        return send(200, { ...page, data: page.data.map((o) => expand(o, url.searchParams, lookup, true)) });
      }
      const single = /^\/v1\/(?:checkout\/sessions|charges|refunds|disputes|balance_transactions|transfers|payment_intents)\/([\w-]+)$/.exec(url.pathname);
      if (req.method === "GET" && single) {
        const found = lookup(single[1] ?? "");
        if (found) return send(200, expand(found, url.searchParams, lookup, false));
        return send(404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such object: '${single[1]}'` } });
      }
      send(404, { error: { type: "invalid_request_error", message: `stand-in has no ${req.method} ${req.url}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const { sessions, objects, balanceTransactions, addSession, addBalanceTransaction, addCharge, refund, dispute, closeDispute } = store;
  /** Stripe's side of a payment, routed as the session said: a destination charge's transfer is made with it. */
  const markPaid: StripeStore["markPaid"] = (sessionId, paymentIntentId, opts = {}) => {
    const paid = store.markPaid(sessionId, paymentIntentId, opts);
    const route = routing.get(sessionId) ?? {};
    const charge = paid.charge;
    if (route.transferGroup) charge.transfer_group = route.transferGroup;
    if (route.onBehalfOf) charge.on_behalf_of = route.onBehalfOf;
    if (route.destination) {
      const transfer = connect.addTransfer({ amount: Number(charge.amount), currency: String(charge.currency), destination: route.destination, source_transaction: charge.id });
      Object.assign(charge, { transfer_data: { destination: route.destination }, transfer: transfer.id });
    }
    return paid;
  };
  return Object.assign(standIn, {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNextWith(status: number) {
      failNext = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    failTransfers(count: number, opts: { afterCreate?: boolean } = {}) {
      failTransfers = { count, afterCreate: opts.afterCreate ?? false };
    },
    routing,
    subscriptions: billing.subscriptions, addSubscription: billing.addSubscription,
    transfers: connect.transfers, reversals: connect.reversals, payouts: connect.payouts, addPayout: connect.addPayout,
    sessions, objects, balanceTransactions, addSession, addBalanceTransaction, addCharge, markPaid, refund, dispute, closeDispute,
  });
}
