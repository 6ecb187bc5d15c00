/**
 * GET /embed/live.js: the standalone live-campaign script (built by Vite from
 * client/embed/live.ts) that other websites include. Unlike the rest of the
 * built client it must load cross-origin (helmet's default
 * Cross-Origin-Resource-Policy is same-origin), and its name never changes,
 * so it is cached briefly rather than for a day.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Router } from "express";

export function embedScriptRouter(opts: { clientDir: string }): Router {
  const router = express.Router();
  const file = path.join(opts.clientDir, "embed", "live.js");
  router.get("/embed/live.js", (_req, res, next) => {
    if (!existsSync(file)) return next();
    res.set({ "cross-origin-resource-policy": "cross-origin", "cache-control": "public, max-age=300" });
    res.sendFile(file, { maxAge: 0, cacheControl: false, headers: { "content-type": "text/javascript; charset=utf-8" } });
  });
  return router;
}
