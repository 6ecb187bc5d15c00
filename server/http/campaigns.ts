/**
 * Campaign routes.
 * - The console (`/api/ngos/:ngoId/campaigns…`): viewers read, editors create,
 *   correct and publish; non-members get 404 (requireNgoRole).
 * - Players (`/api/campaigns…`): published campaigns of approved NGOs only,
 *   with progress and, for one campaign, the leaderboard.
 * After a write, the campaign's rooms recompute; publishing an emergency
 * campaign that is running alerts every online village at once.
 */
import type { Presence } from "@colyseus/core";
import express, { type Router } from "express";
import type { Logger } from "pino";
import { type CampaignLeaderboardResponse, isLeaderboardOrder } from "../../shared/campaign-leaderboard.ts";
import { campaignPhase } from "../../shared/campaign-progress.ts";
import {
  type CampaignListResponse, type CampaignView, CreateCampaignRequest, type PublicCampaignListResponse, type PublicCampaignResponse, UpdateCampaignRequest,
} from "../../shared/campaigns.ts";
import { MilestonesRequest, type MilestonesResponse } from "../../shared/milestones.ts";
import type { Db } from "../db/connect.ts";
import { announceEmergency, publishCampaignChanged } from "../realtime/campaign-events.ts";
import { emergencyMessageOf, listPublicCampaigns, publicCampaign, publicLeaderboard, visibleCampaign } from "../services/campaign-progress.ts";
import { setMilestones } from "../services/milestones.ts";
import { type CampaignRefusal, createCampaign, ngoCampaign, ngoCampaigns, publishCampaign, updateCampaign, viewOf } from "../services/campaigns.ts";
import { shareMessagesOf } from "../services/share-messages.ts";
import { requirePlayer } from "./auth.ts";
import { HttpError, fromZod, idParam } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

export interface CampaignRouteDeps {
  db: Db;
  presence: Presence;
  logger: Logger;
  now: () => number;
}

const STATUS: Record<string, number> = { bad_request: 400, not_found: 404, campaign_published: 409, campaign_ended: 409 };

function refused(r: CampaignRefusal): HttpError {
  return new HttpError(STATUS[r.code] ?? 400, r.code, r.message, r.fields);
}

export function campaignsRouter(deps: CampaignRouteDeps): Router {
  const router = express.Router();
  const { db } = deps;
  const auth = requirePlayer(db);
  const viewer = requireNgoRole(db, "viewer");
  const editor = requireNgoRole(db, "editor");
  const base = "/api/ngos/:ngoId/campaigns";
  /** Rooms recompute; never fails the request (the write is committed, rooms catch up on the next event). */
  const changed = async (campaignId: string) => {
    await publishCampaignChanged(deps.presence, campaignId).catch((err: unknown) => deps.logger.warn({ err, campaignId }, "campaign change not announced"));
  };

  router.get(base, auth, viewer, async (req, res) => {
    const body: CampaignListResponse = { campaigns: await ngoCampaigns(db, ngoOf(req).ngoId, deps.now()) };
    res.json(body);
  });

  router.get(`${base}/:campaignId`, auth, viewer, async (req, res) => {
    const found = await ngoCampaign(db, ngoOf(req).ngoId, idParam(req.params.campaignId, "No such campaign"));
    if (!found) throw new HttpError(404, "not_found", "No such campaign");
    const body: CampaignView = await viewOf(db, found, deps.now());
    res.json(body);
  });

  router.post(base, auth, editor, async (req, res) => {
    const parsed = CreateCampaignRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await createCampaign(db, ngoOf(req).ngoId, parsed.data);
    if (!result.ok) throw refused(result);
    const body: CampaignView = await viewOf(db, result.value, deps.now());
    deps.logger.info({ ngoId: ngoOf(req).ngoId, campaignId: body.id }, "campaign created");
    res.status(201).json(body);
  });

  router.patch(`${base}/:campaignId`, auth, editor, async (req, res) => {
    const campaignId = idParam(req.params.campaignId, "No such campaign");
    const parsed = UpdateCampaignRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await updateCampaign(db, ngoOf(req).ngoId, campaignId, parsed.data);
    if (!result.ok) throw refused(result);
    // Members watch drafts live too: every edit tells the campaign's room to read it again.
    await changed(campaignId);
    const body: CampaignView = await viewOf(db, result.value, deps.now());
    res.json(body);
  });

  router.post(`${base}/:campaignId/publish`, auth, editor, async (req, res) => {
    const campaignId = idParam(req.params.campaignId, "No such campaign");
    const now = deps.now();
    const result = await publishCampaign(db, ngoOf(req).ngoId, campaignId, now);
    if (!result.ok) throw refused(result);
    const c = result.value.campaign;
    if (result.value.newly) {
      deps.logger.info({ ngoId: c.ngoId, campaignId, emergency: c.emergency }, "campaign published");
      await changed(campaignId);
      // An emergency reaches every online village at once, if players may see it, are offered its gifts, and it is running.
      const visible = c.emergency ? await visibleCampaign(db, campaignId) : null;
      if (visible?.ngoTakesPayments && campaignPhase({ startsAt: c.startsAt.getTime(), endsAt: c.endsAt.getTime() }, now) === "running") {
        await announceEmergency(deps.presence, emergencyMessageOf(visible))
          .catch((err: unknown) => deps.logger.warn({ err, campaignId }, "emergency not announced"));
      }
    }
    const body: CampaignView = await viewOf(db, result.value, now);
    res.json(body);
  });

  router.get("/api/campaigns", async (_req, res) => {
    const list = await listPublicCampaigns(db, deps.now());
    const messages = await shareMessagesOf(db, list.map((c) => c.id));
    const body: PublicCampaignListResponse = { campaigns: list.map((c) => ({ ...c, shareMessages: messages.get(c.id)! })) };
    res.set("cache-control", "no-cache").json(body);
  });

  router.get("/api/campaigns/:campaignId/leaderboard", async (req, res) => {
    const campaignId = idParam(req.params.campaignId, "No such campaign");
    const by = req.query.by ?? "gifts";
    if (!isLeaderboardOrder(by)) throw new HttpError(400, "bad_request", "by must be gifts or villages", { by: "by must be gifts or villages" });
    const found = await publicLeaderboard(db, campaignId, by, deps.now());
    if (!found) throw new HttpError(404, "not_found", "No such campaign");
    const body: CampaignLeaderboardResponse = found;
    res.set("cache-control", "no-cache").json(body);
  });

  router.put(`${base}/:campaignId/milestones`, auth, editor, async (req, res) => {
    const campaignId = idParam(req.params.campaignId, "No such campaign");
    const parsed = MilestonesRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await setMilestones(db, ngoOf(req).ngoId, campaignId, parsed.data.milestones);
    if (!result.ok) throw new HttpError(result.status, result.code, result.message, result.fields);
    await changed(campaignId);
    const body: MilestonesResponse = { milestones: result.milestones };
    res.json(body);
  });

  router.get("/api/campaigns/:campaignId", async (req, res) => {
    const found = await publicCampaign(db, idParam(req.params.campaignId, "No such campaign"), deps.now());
    if (!found) throw new HttpError(404, "not_found", "No such campaign");
    const body: PublicCampaignResponse = { ...found, shareMessages: (await shareMessagesOf(db, [found.id])).get(found.id)! };
    res.set("cache-control", "no-cache").json(body);
  });

  return router;
}
