/**
 * A loopback stand-in of the Stripe API for integration tests. The real
 * Stripe SDK talks to it (STRIPE_API_BASE); it records every request exactly
 * as received (headers, form-encoded body) so tests can assert what was sent.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The form-encoded body, decoded into flat Stripe keys: "line_items[0][quantity]" → "2". */
  form: Record<string, string>;
}

export interface StripeStandIn {
  url: string;
  requests: RecordedRequest[];
  /** Makes the next checkout-session creation fail with this HTTP status. */
  failNextWith(status: number): void;
  close(): Promise<void>;
}

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const requests: RecordedRequest[] = [];
  const byIdempotencyKey = new Map<string, unknown>();
  let failNext: number | undefined;
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
        const id = `cs_test_${randomBytes(12).toString("hex")}`;
        let amount = 0;
        for (let i = 0; form[`line_items[${i}][quantity]`]; i++) {
          amount += Number(form[`line_items[${i}][quantity]`]) * Number(form[`line_items[${i}][price_data][unit_amount]`]);
        }
        const session = {
          id, object: "checkout.session", mode: "payment", status: "open", payment_status: "unpaid",
          amount_total: amount, currency: form["line_items[0][price_data][currency]"],
          metadata: { orderId: form["metadata[orderId]"] }, client_reference_id: form.client_reference_id,
          url: `https://checkout.stripe.com/c/pay/${id}`,
        };
        if (key) byIdempotencyKey.set(key, session);
        return send(200, session);
      }
      send(404, { error: { type: "invalid_request_error", message: `stand-in has no ${req.method} ${req.url}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNextWith(status) {
      failNext = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
