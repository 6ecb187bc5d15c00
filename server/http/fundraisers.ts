/**
 * Fundraiser routes.
 * - Mine (`/api/me/fundraisers…`): accounts only (a guest gets 403
 *   account_required); someone else's fundraiser is a 404.
 * - Anyone: one fundraiser (`/api/fundraisers/:id`, hidden ones are 404) and a
 *   campaign's listed ones (`/api/campaigns/:id/fundraisers`), owners named
 *   only when they chose so, donors a count only.
 * - The console: a campaign's fundraisers for its NGO's viewers, hiding one
 *   for its editors (other NGOs: 404, viewers: 403).
 * After a write, the owner's village sign is read again (any process).
 */
import type { Presence } from "@colyseus/core";
import express, { type Router } from "express";
import type { Logger } from "pino";
import type { RuleError } from "../../shared/errors.ts";
import {
  type CampaignFundraisersResponse, CreateFundraiserRequest, ModerateFundraiserRequest, type MyFundraiser, type MyFundraisersResponse,
  type NgoFundraiser, type NgoFundraisersResponse, type PublicFundraiser, UpdateFundraiserRequest,
} from "../../shared/fundraisers.ts";
import type { Db } from "../db/connect.ts";
import { publishSignChanged } from "../realtime/fundraiser-events.ts";
import {
  campaignFundraisers, createFundraiser, moderateFundraiser, myFundraisers, ngoFundraisers, publicFundraiser, updateFundraiser,
} from "../services/fundraisers.ts";
import { me, requirePlayer } from "./auth.ts";
import { HttpError, fromZod, idParam } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

export interface FundraiserRouteDeps {
  db: Db;
  presence: Presence;
  logger: Logger;
  now: () => number;
}

const STATUS: Record<string, number> = { not_found: 404, fundraiser_exists: 409, fundraiser_closed: 409, campaign_ended: 409 };

function refused(r: RuleError): HttpError {
  return new HttpError(STATUS[r.code] ?? 400, r.code, r.message);
}

export function fundraisersRouter(deps: FundraiserRouteDeps): Router {
  const router = express.Router();
  const { db } = deps;
  const auth = requirePlayer(db);
  const account: express.RequestHandler = (req, _res, next) => {
    next(me(req).account ? undefined : new HttpError(403, "account_required", "Create an account to start a fundraiser"));
  };
  const viewer = requireNgoRole(db, "viewer");
  const editor = requireNgoRole(db, "editor");
  /** The owner's sign is read again; never fails the request (the write is committed). */
  const signChanged = async (ownerId: string) => {
    await publishSignChanged(deps.presence, ownerId).catch((err: unknown) => deps.logger.warn({ err, ownerId }, "fundraiser sign change not announced"));
  };

  router.get("/api/me/fundraisers", auth, async (req, res) => {
    const body: MyFundraisersResponse = { fundraisers: await myFundraisers(db, me(req).player.id, deps.now()) };
    res.set("cache-control", "no-store").json(body);
  });

  router.post("/api/me/fundraisers", auth, account, async (req, res) => {
    const parsed = CreateFundraiserRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const playerId = me(req).player.id;
    const result = await createFundraiser(db, playerId, parsed.data, deps.now());
    if (!result.ok) throw refused(result);
    deps.logger.info({ fundraiserId: result.value.id, campaignId: parsed.data.campaignId }, "fundraiser started");
    await signChanged(playerId);
    const body: MyFundraiser = result.value;
    res.status(201).json(body);
  });

  router.patch("/api/me/fundraisers/:fundraiserId", auth, account, async (req, res) => {
    const id = idParam(req.params.fundraiserId, "No such fundraiser");
    const parsed = UpdateFundraiserRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const playerId = me(req).player.id;
    const result = await updateFundraiser(db, playerId, id, parsed.data, deps.now());
    if (!result.ok) throw refused(result);
    await signChanged(playerId);
    const body: MyFundraiser = result.value;
    res.json(body);
  });

  router.get("/api/fundraisers/:fundraiserId", async (req, res) => {
    const found = await publicFundraiser(db, idParam(req.params.fundraiserId, "No such fundraiser"), deps.now());
    if (!found) throw new HttpError(404, "not_found", "No such fundraiser");
    const body: PublicFundraiser = found;
    res.set("cache-control", "no-cache").json(body);
  });

  router.get("/api/campaigns/:campaignId/fundraisers", async (req, res) => {
    const list = await campaignFundraisers(db, idParam(req.params.campaignId, "No such campaign"), deps.now());
    if (!list) throw new HttpError(404, "not_found", "No such campaign");
    const body: CampaignFundraisersResponse = { fundraisers: list };
    res.set("cache-control", "no-cache").json(body);
  });

  router.get("/api/ngos/:ngoId/campaigns/:campaignId/fundraisers", auth, viewer, async (req, res) => {
    const list = await ngoFundraisers(db, ngoOf(req).ngoId, idParam(req.params.campaignId, "No such campaign"), deps.now());
    if (!list) throw new HttpError(404, "not_found", "No such campaign");
    const body: NgoFundraisersResponse = { fundraisers: list };
    res.json(body);
  });

  router.patch("/api/ngos/:ngoId/fundraisers/:fundraiserId", auth, editor, async (req, res) => {
    const id = idParam(req.params.fundraiserId, "No such fundraiser");
    const parsed = ModerateFundraiserRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await moderateFundraiser(db, ngoOf(req).ngoId, id, parsed.data.hidden, me(req).player.id, deps.now());
    if (!result.ok) throw refused(result);
    deps.logger.info({ ngoId: ngoOf(req).ngoId, fundraiserId: id, hidden: parsed.data.hidden }, "fundraiser moderated");
    await signChanged(result.value.ownerId);
    const body: NgoFundraiser = result.value.view;
    res.json(body);
  });

  return router;
}
