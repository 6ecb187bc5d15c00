/**
 * Matching pledges on an NGO's campaigns (`/api/ngos/:ngoId/campaigns/:campaignId/pledges`):
 * viewers read, editors record and end them; non-members get 404 (requireNgoRole), and another
 * NGO's campaign is as unknown as a missing one. After a write the campaign's rooms recompute
 * (progress carries the pledges).
 */
import type { Presence } from "@colyseus/core";
import express, { type Router } from "express";
import type { Logger } from "pino";
import { CreatePledgeRequest, type PledgeListResponse, type PledgeView } from "../../shared/matching.ts";
import type { Db } from "../db/connect.ts";
import { publishCampaignChanged } from "../realtime/campaign-events.ts";
import type { CampaignRefusal } from "../services/campaigns.ts";
import { ngoCampaign } from "../services/campaigns.ts";
import { campaignPledgeRows, createPledge, endPledge, pledgeView } from "../services/pledges.ts";
import { me, requirePlayer } from "./auth.ts";
import { HttpError, fromZod, idParam } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

export interface PledgeRouteDeps {
  db: Db;
  presence: Presence;
  logger: Logger;
  now: () => number;
}

const STATUS: Record<string, number> = { bad_request: 400, not_found: 404, campaign_ended: 409, pledge_ended: 409, pledge_limit: 409 };

function refused(r: CampaignRefusal): HttpError {
  return new HttpError(STATUS[r.code] ?? 400, r.code, r.message, r.fields);
}

export function pledgesRouter(deps: PledgeRouteDeps): Router {
  const router = express.Router();
  const { db } = deps;
  const auth = requirePlayer(db);
  const viewer = requireNgoRole(db, "viewer");
  const editor = requireNgoRole(db, "editor");
  const base = "/api/ngos/:ngoId/campaigns/:campaignId/pledges";
  const changed = async (campaignId: string) => {
    await publishCampaignChanged(deps.presence, campaignId).catch((err: unknown) => deps.logger.warn({ err, campaignId }, "campaign change not announced"));
  };

  router.get(base, auth, viewer, async (req, res) => {
    const campaignId = idParam(req.params.campaignId, "No such campaign");
    if (!(await ngoCampaign(db, ngoOf(req).ngoId, campaignId))) throw new HttpError(404, "not_found", "No such campaign");
    const now = deps.now();
    const body: PledgeListResponse = { pledges: ((await campaignPledgeRows(db, [campaignId])).get(campaignId) ?? []).map((p) => pledgeView(p, now)) };
    res.json(body);
  });

  router.post(base, auth, editor, async (req, res) => {
    const campaignId = idParam(req.params.campaignId, "No such campaign");
    const parsed = CreatePledgeRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const now = deps.now();
    const result = await createPledge(db, ngoOf(req).ngoId, campaignId, me(req).player.id, parsed.data, now);
    if (!result.ok) throw refused(result);
    deps.logger.info({ ngoId: ngoOf(req).ngoId, campaignId, pledgeId: result.value.id, capCents: result.value.capCents }, "matching pledge recorded");
    await changed(campaignId);
    const body: PledgeView = pledgeView(result.value, now);
    res.status(201).json(body);
  });

  router.post(`${base}/:pledgeId/end`, auth, editor, async (req, res) => {
    const campaignId = idParam(req.params.campaignId, "No such campaign");
    const pledgeId = idParam(req.params.pledgeId, "No such pledge");
    const now = deps.now();
    const result = await endPledge(db, ngoOf(req).ngoId, campaignId, pledgeId, now);
    if (!result.ok) throw refused(result);
    deps.logger.info({ ngoId: ngoOf(req).ngoId, campaignId, pledgeId, status: result.value.status }, "matching pledge ended");
    await changed(campaignId);
    const body: PledgeView = pledgeView(result.value, now);
    res.json(body);
  });

  return router;
}
