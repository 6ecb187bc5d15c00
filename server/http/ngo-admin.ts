/**
 * Platform administration of NGOs: the applications to review, and their
 * approval or rejection. Platform administrators only (403 for everyone
 * else); the first one is made from the command line (`npm run admin:grant`).
 */
import express, { type Router } from "express";
import type { Logger } from "pino";
import { type NgoAdminListResponse, NgoAdminListQuery, NgoApproveRequest, NgoRejectRequest } from "../../shared/ngo-accounts.ts";
import type { Db } from "../db/connect.ts";
import { ngosForReview, reviewNgo } from "../services/ngo-accounts.ts";
import { me, requirePlayer } from "./auth.ts";
import { fromZod, idParam } from "./errors.ts";
import { ngoRefusal } from "./ngo-accounts.ts";
import { requirePlatformAdmin } from "./ngo-auth.ts";

export function ngoAdminRouter(deps: {
  db: Db; logger: Logger; now?: () => number;
  /** Publishes "catalog changed" (server/realtime/catalog-events.ts): an approval puts the NGO's gifts in every shop. */
  catalogChanged?: (giftIds: string[]) => Promise<void>;
}): Router {
  const { db } = deps;
  const router = express.Router();
  const guard = [requirePlayer(db), requirePlatformAdmin(db)];
  const now = () => new Date((deps.now ?? Date.now)());

  router.get("/api/admin/ngos", ...guard, async (req, res) => {
    const parsed = NgoAdminListQuery.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error, "query");
    const body: NgoAdminListResponse = { ngos: await ngosForReview(db, parsed.data.status) };
    res.set("cache-control", "private, no-store").json(body);
  });

  router.post("/api/admin/ngos/:ngoId/approve", ...guard, async (req, res) => {
    const ngoId = idParam(req.params.ngoId, "No such NGO");
    const parsed = NgoApproveRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await reviewNgo(db, { ngoId, reviewerId: me(req).player.id, decision: "approve", note: parsed.data.note, receiptPrefix: parsed.data.receiptPrefix, now: now() });
    if (!result.ok) throw ngoRefusal(result);
    deps.logger.info({ ngoId, reviewerId: me(req).player.id, decision: "approve" }, "ngo reviewed");
    await deps.catalogChanged?.([]).catch((err: unknown) => deps.logger.error({ err, ngoId }, "catalog change not published"));
    res.json({ ngo: result.ngo });
  });

  router.post("/api/admin/ngos/:ngoId/reject", ...guard, async (req, res) => {
    const ngoId = idParam(req.params.ngoId, "No such NGO");
    const parsed = NgoRejectRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await reviewNgo(db, { ngoId, reviewerId: me(req).player.id, decision: "reject", note: parsed.data.note, now: now() });
    if (!result.ok) throw ngoRefusal(result);
    deps.logger.info({ ngoId, reviewerId: me(req).player.id, decision: "reject" }, "ngo reviewed");
    res.json({ ngo: result.ngo });
  });

  return router;
}
