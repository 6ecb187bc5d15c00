/**
 * Referral and share-message routes.
 * - GET /api/me/referrals: what my share links brought, per campaign (counts only), and my code.
 * - GET /api/ngos/:ngoId/referrals: the NGO's totals per campaign and channel (viewers).
 * - GET|PUT /api/ngos/:ngoId/campaigns/:campaignId/share-messages: the campaign's suggested share
 *   messages (viewers read, editors write); a campaign of another NGO is a 404.
 * Nobody is shown who gave (docs/accounts-and-social.md).
 */
import express, { type Router } from "express";
import { type MyReferralsResponse, type NgoReferralsResponse, ShareMessagesRequest, type ShareMessagesResponse } from "../../shared/referrals.ts";
import type { Db } from "../db/connect.ts";
import { ngoCampaign } from "../services/campaigns.ts";
import { myReferrals, ngoReferrals } from "../services/referrals.ts";
import { saveShareMessages, shareMessagesOf } from "../services/share-messages.ts";
import { me, requirePlayer } from "./auth.ts";
import { HttpError, fromZod, idParam } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

export function referralsRouter(deps: { db: Db }): Router {
  const router = express.Router();
  const { db } = deps;
  const auth = requirePlayer(db);
  const viewer = requireNgoRole(db, "viewer");
  const editor = requireNgoRole(db, "editor");

  router.get("/api/me/referrals", auth, async (req, res) => {
    const body: MyReferralsResponse = await myReferrals(db, me(req).player.id);
    res.set("cache-control", "private, no-store").json(body);
  });

  router.get("/api/ngos/:ngoId/referrals", auth, viewer, async (req, res) => {
    const body: NgoReferralsResponse = await ngoReferrals(db, ngoOf(req).ngoId);
    res.set("cache-control", "private, no-store").json(body);
  });

  const path = "/api/ngos/:ngoId/campaigns/:campaignId/share-messages";
  const campaignOf = async (ngoId: string, raw: string | string[] | undefined) => {
    const found = await ngoCampaign(db, ngoId, idParam(raw, "No such campaign"));
    if (!found) throw new HttpError(404, "not_found", "No such campaign");
    return found.campaign.id;
  };

  router.get(path, auth, viewer, async (req, res) => {
    const campaignId = await campaignOf(ngoOf(req).ngoId, req.params.campaignId);
    const body: ShareMessagesResponse = { campaignId, messages: (await shareMessagesOf(db, [campaignId])).get(campaignId)! };
    res.set("cache-control", "private, no-store").json(body);
  });

  router.put(path, auth, editor, async (req, res) => {
    const campaignId = await campaignOf(ngoOf(req).ngoId, req.params.campaignId);
    const parsed = ShareMessagesRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const body: ShareMessagesResponse = { campaignId, messages: await saveShareMessages(db, campaignId, parsed.data) };
    res.json(body);
  });

  return router;
}
