/** Serves the built client (Vite output: the game at /, the NGO console at /console) and the art assets. */
import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Router } from "express";

export function siteRouter(opts: { clientDir: string; assetsDir: string }): Router {
  const router = express.Router();
  router.use("/assets", express.static(opts.assetsDir, { index: false, maxAge: "1h", fallthrough: false }));
  const index = path.join(opts.clientDir, "index.html");
  // An explicit "/" route: it also tells Colyseus not to answer "/" itself.
  router.get("/", (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type("text").send("The client is not built yet: run `npm run build` (npm start does it for you).");
      return;
    }
    res.set("cache-control", "no-cache").sendFile(index);
  });
  const consolePage = path.join(opts.clientDir, "console.html");
  router.get(["/console", "/console/"], (_req, res) => {
    if (!existsSync(consolePage)) {
      res.status(503).type("text").send("The client is not built yet: run `npm run build` (npm start does it for you).");
      return;
    }
    res.set("cache-control", "no-cache").sendFile(consolePage);
  });
  router.use(express.static(opts.clientDir, { index: false, maxAge: "1d" }));
  return router;
}
