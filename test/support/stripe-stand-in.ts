/**
 * A loopback stand-in of the Stripe API for integration tests. The real
 * Stripe SDK talks to it (STRIPE_API_BASE); it records every request exactly
 * as received (headers, form-encoded body) so tests can assert what was sent.
 * It keeps the sessions it creates and serves the lists reconciliation reads
 * (Checkout Sessions, balance transactions, charges, disputes); see
 * stripe-stand-in-store.ts for the seeding helpers.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createStripeStore, expand, listPage, type StripeObject, type StripeStore } from "./stripe-stand-in-store.ts";

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

export interface StripeStandIn extends StripeStandInStore {
  url: string;
  requests: RecordedRequest[];
  /** Makes the next checkout-session creation fail with this HTTP status. */
  failNextWith(status: number): void;
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
};

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const requests: RecordedRequest[] = [];
  const byIdempotencyKey = new Map<string, unknown>();
  let failNext: number | undefined;
  const store = createStripeStore();
  const lookup = (id: string) => store.sessions.get(id) ?? store.objects.get(id) ?? store.balanceTransactions.find((b) => b.id === id);
  const standIn = { maxPageSize: 100 };
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
        return send(200, session);
      }
      const url = new URL(req.url ?? "/", "http://stand-in");
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
      const single = /^\/v1\/(?:checkout\/sessions|charges|refunds|disputes|balance_transactions)\/([\w-]+)$/.exec(url.pathname);
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
  const { sessions, objects, balanceTransactions, addSession, addBalanceTransaction, addCharge, markPaid, refund, dispute, closeDispute } = store;
  return Object.assign(standIn, {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNextWith(status: number) {
      failNext = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    sessions, objects, balanceTransactions, addSession, addBalanceTransaction, addCharge, markPaid, refund, dispute, closeDispute,
  });
}
