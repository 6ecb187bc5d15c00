/**
 * The baseline for test/bench/webhooks.ts: a bare node:http server whose
 * POST /webhooks/stripe ONLY verifies the Stripe signature on the raw body
 * (Stripe.webhooks.constructEventAsync, as Hameau does) and answers 200.
 * No Express, no database. It is the ceiling the real endpoint can reach on
 * this machine with this client.
 *
 *   PORT=0 STRIPE_WEBHOOK_SECRET=whsec_… node test/bench/bare-webhook.ts
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

const secret = process.env.STRIPE_WEBHOOK_SECRET;
if (!secret) {
  console.error("STRIPE_WEBHOOK_SECRET is required");
  process.exit(78);
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") return reply(res, 200, { ok: true });
  if (req.method !== "POST" || req.url !== "/webhooks/stripe") return reply(res, 404, { error: { code: "not_found" } });
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const signature = req.headers["stripe-signature"];
    if (typeof signature !== "string" || body.length === 0) return reply(res, 400, { error: { code: "webhook_signature_invalid" } });
    Stripe.webhooks.constructEventAsync(body, signature, secret).then(
      (event) => reply(res, 200, { received: true, eventId: event.id, outcome: "verified" }),
      () => reply(res, 400, { error: { code: "webhook_signature_invalid" } }),
    );
  });
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1", () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port, msg: "bare webhook listening" }));
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
