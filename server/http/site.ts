/**
 * Serves the built client (Vite output: the game at /, the NGO console at /console) and the art
 * assets, in br or gzip when the client accepts it (http/precompressed-static.ts). Vite's hashed
 * files (/static/…) are cached for a year, immutable; the pages are revalidated on every load.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Router } from "express";
import { HttpError, sendError } from "./errors.ts";
import { encodedFileServer, precompressedStatic, staticCacheControl } from "./precompressed-static.ts";

const NOT_BUILT = "The client is not built yet: run `npm run build` (npm start does it for you).";

export function siteRouter(opts: { clientDir: string; assetsDir: string }): Router {
  const router = express.Router();
  const assets = { maxAgeSeconds: 3600 };
  router.use("/assets", precompressedStatic(opts.assetsDir, assets));
  router.use("/assets", express.static(opts.assetsDir, { index: false, cacheControl: false, setHeaders: staticCacheControl(assets), fallthrough: false }));
  const serveEncoded = encodedFileServer();
  const page = (file: string): express.RequestHandler => (req, res, next) => {
    if (!existsSync(file)) {
      res.status(503).type("text").send(NOT_BUILT);
      return;
    }
    serveEncoded(req, res, (err?: unknown) => (err ? next(err) : res.set("cache-control", "no-cache").sendFile(file)), file, "no-cache");
  };
  // An explicit "/" route: it also tells Colyseus not to answer "/" itself.
  router.get("/", page(path.join(opts.clientDir, "index.html")));
  router.get(["/console", "/console/"], page(path.join(opts.clientDir, "console.html")));
  const client = { maxAgeSeconds: 86400, immutablePrefix: "/static/" };
  // The compressed copies are sent for their originals, never on their own.
  router.use((req, res, next) => (/\.(br|gz)$/i.test(req.path) ? sendError(res, new HttpError(404, "not_found", "Not found")) : next()));
  router.use(precompressedStatic(opts.clientDir, client));
  router.use(express.static(opts.clientDir, { index: false, cacheControl: false, setHeaders: staticCacheControl(client) }));
  return router;
}
