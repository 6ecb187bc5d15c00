/**
 * GET/PUT /api/ngos/:ngoId/embed-sites: the websites allowed to frame the
 * NGO's campaign widgets. Members read them; editors replace the whole list
 * (non-members get 404, viewers 403 on PUT). Each site is normalised to an
 * https origin (shared/embed.ts); one that cannot be is refused with 400
 * `origin_invalid` naming its field, and nothing is written.
 */
import express, { type Router } from "express";
import { EmbedSitesRequest, type EmbedSitesResponse, normaliseOrigin } from "../../shared/embed.ts";
import type { Db } from "../db/connect.ts";
import { embedSites, replaceEmbedSites } from "../services/embed-sites.ts";
import { requirePlayer } from "./auth.ts";
import { HttpError, fromZod } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

export function embedSitesRouter(deps: { db: Db; /** http://localhost… allowed (never under production rules). */ loopbackHttp: boolean }): Router {
  const router = express.Router();
  const { db } = deps;
  const auth = requirePlayer(db);
  const path = "/api/ngos/:ngoId/embed-sites";

  router.get(path, auth, requireNgoRole(db, "viewer"), async (req, res) => {
    const body: EmbedSitesResponse = { sites: await embedSites(db, ngoOf(req).ngoId) };
    res.json(body);
  });

  router.put(path, auth, requireNgoRole(db, "editor"), async (req, res) => {
    const parsed = EmbedSitesRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const origins = new Set<string>();
    for (const [i, site] of parsed.data.sites.entries()) {
      const result = normaliseOrigin(site, { loopbackHttp: deps.loopbackHttp });
      if (!result.ok) throw new HttpError(400, "origin_invalid", `Invalid request body: sites.${i}: ${result.message}`, { [`sites.${i}`]: result.message });
      origins.add(result.origin);
    }
    const body: EmbedSitesResponse = { sites: await replaceEmbedSites(db, ngoOf(req).ngoId, [...origins]) };
    res.json(body);
  });

  return router;
}
