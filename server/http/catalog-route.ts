/**
 * GET /api/catalog, answered from the process's cached copy (services/catalog-cache.ts):
 * the JSON as built, or its br or gzip form by Accept-Encoding, with a weak ETag, and
 * 304 Not Modified when the client already holds it (If-None-Match).
 */
import express, { type Router } from "express";
import type { CatalogCache } from "../services/catalog-cache.ts";
import { chooseEncoding } from "./content-encoding.ts";

/** Whether If-None-Match names this ETag (weak comparison, as for GET). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch || ifNoneMatch.length > 4096) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === opaque);
}

export function catalogRouter(cache: CatalogCache): Router {
  const router = express.Router();
  router.get("/api/catalog", async (req, res) => {
    const catalog = await cache.get();
    res.set({ "cache-control": "no-cache", etag: catalog.etag, vary: "Accept-Encoding" });
    if (etagMatches(req.headers["if-none-match"], catalog.etag)) {
      res.status(304).end();
      return;
    }
    const encoding = catalog.encoded ? chooseEncoding(req.headers["accept-encoding"]) : null;
    const body = encoding ? catalog.encoded![encoding] : catalog.json;
    if (encoding) res.set("content-encoding", encoding);
    res.set({ "content-type": "application/json; charset=utf-8", "content-length": String(body.length) });
    res.end(body);
  });
  return router;
}
