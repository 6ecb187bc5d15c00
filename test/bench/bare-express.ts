/**
 * The baseline for test/bench/api.ts: a bare Express 5 server with the same body parser limit
 * as Hameau. GET /api/catalog answers `res.json` of the catalog body it was given (CATALOG_FILE,
 * the JSON Hameau served), serialised on every request; POST /api/checkout parses the JSON body
 * and answers 201 with a small JSON. No database, no auth, no rate limit.
 *
 *   PORT=0 CATALOG_FILE=/tmp/catalog.json node test/bench/bare-express.ts
 */
import { readFileSync } from "node:fs";
import express from "express";

const catalog = JSON.parse(readFileSync(process.env.CATALOG_FILE ?? "", "utf8")) as unknown;
const app = express();
app.disable("x-powered-by");
app.get("/healthz", (_req, res) => void res.json({ ok: true }));
app.get("/api/catalog", (_req, res) => void res.set("cache-control", "no-cache").json(catalog));
app.post("/api/checkout", express.json({ limit: "32kb" }), (req, res) => {
  const lines = (req.body as { lines?: unknown[] }).lines ?? [];
  res.status(201).json({ orderId: "00000000-0000-0000-0000-000000000000", lines: lines.length, testMode: true });
});
app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
