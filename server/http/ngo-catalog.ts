/**
 * The NGO console's catalog routes, under /api/ngos/:ngoId: its projects and
 * gifts. Any member reads (viewer and up); editors and admins write. A
 * non-member gets 404, a viewer writing 403 (requireNgoRole). A bad body
 * answers 400 `bad_request` with `fields` (field → shared/ngo-catalog.ts
 * FieldErrorCode) and writes nothing. After a gift write commits, every
 * village room in every process hears "catalog changed" and its shops refetch.
 */
import express, { type Router } from "express";
import type { Logger } from "pino";
import type { z } from "zod";
import {
  type FieldErrorCode, GiftCreateRequest, GiftPatchRequest, type NgoGiftsResponse, type NgoGiftView, type NgoProjectsResponse, ProjectCreateRequest,
  ProjectPatchRequest, fieldErrorsOf,
} from "../../shared/ngo-catalog.ts";
import type { Db } from "../db/connect.ts";
import { type CatalogWrite, createGift, createProject, listNgoGifts, listProjects, setRetired, updateGift, updateProject } from "../services/ngo-catalog.ts";
import { requirePlayer } from "./auth.ts";
import { HttpError, idParam } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

export interface NgoCatalogDeps {
  db: Db;
  logger: Logger;
  now: () => number;
  /** Publishes "catalog changed" (server/realtime/catalog-events.ts). */
  catalogChanged: (giftIds: string[]) => Promise<void>;
}

const ENGLISH: Record<FieldErrorCode, string> = {
  required: "required", too_long: "too long", control_characters: "contains control characters", bidi_controls: "contains bidirectional control characters", not_boolean: "must be true or false",
  unknown_field: "unknown field", nothing_to_change: "nothing to change", price_not_cents: "must be a whole number of cents",
  price_too_low: "at least 100 cents", price_too_high: "above the most one order may hold", project_unknown: "not a project of this NGO",
  sprite_unknown: "not a sprite of the art set", stock_invalid: "null or a whole number from 0", stock_below_sold: "below the units already sold",
  date_invalid: "not an ISO date", window_order: "must be after availableFrom", sort_order_invalid: "not a whole number in range",
  country_invalid: "not an ISO 3166 two-letter country code",
};

function fieldError(fields: Record<string, FieldErrorCode>): HttpError {
  const summary = Object.entries(fields).map(([k, v]) => `${k}: ${ENGLISH[v]}`).join("; ");
  return new HttpError(400, "bad_request", `Invalid request body: ${summary}`, fields);
}

function parse<S extends z.ZodType>(schema: S, body: unknown, opts: { patch?: boolean } = {}): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw fieldError(fieldErrorsOf(parsed.error));
  if (opts.patch && Object.keys(parsed.data as object).length === 0) throw fieldError({ "(root)": "nothing_to_change" });
  return parsed.data;
}

function written<T>(result: CatalogWrite<T>, what: string): T {
  if (result.ok) return result.value;
  if (result.notFound) throw new HttpError(404, "not_found", `No such ${what} in this NGO`);
  throw fieldError(result.fields);
}

export function ngoCatalogRouter(deps: NgoCatalogDeps): Router {
  const router = express.Router();
  const { db } = deps;
  const auth = requirePlayer(db);
  const reader = [auth, requireNgoRole(db, "viewer")];
  const editor = [auth, requireNgoRole(db, "editor")];
  /** After the write committed: the shops refetch. A failed publish is logged; the write stands. */
  const changed = async (gift: NgoGiftView) => {
    await deps.catalogChanged([gift.id]).catch((err: unknown) => deps.logger.error({ err, giftId: gift.id }, "catalog change not published"));
  };

  router.get("/api/ngos/:ngoId/projects", ...reader, async (req, res) => {
    const body: NgoProjectsResponse = { projects: await listProjects(db, ngoOf(req).ngoId) };
    res.json(body);
  });

  router.post("/api/ngos/:ngoId/projects", ...editor, async (req, res) => {
    const body = parse(ProjectCreateRequest, req.body);
    res.status(201).json(await createProject(db, ngoOf(req).ngoId, body));
  });

  router.patch("/api/ngos/:ngoId/projects/:projectId", ...editor, async (req, res) => {
    const projectId = idParam(req.params.projectId, "No such project in this NGO");
    const patch = parse(ProjectPatchRequest, req.body, { patch: true });
    const project = written(await updateProject(db, ngoOf(req).ngoId, projectId, patch), "project");
    // A project's name shows in the shop: its gifts' cards change.
    await deps.catalogChanged([]).catch((err: unknown) => deps.logger.error({ err, projectId }, "catalog change not published"));
    res.json(project);
  });

  router.get("/api/ngos/:ngoId/gifts", ...reader, async (req, res) => {
    const body: NgoGiftsResponse = { gifts: await listNgoGifts(db, ngoOf(req).ngoId, deps.now()) };
    res.json(body);
  });

  router.post("/api/ngos/:ngoId/gifts", ...editor, async (req, res) => {
    const draft = parse(GiftCreateRequest, req.body);
    const gift = written(await createGift(db, ngoOf(req).ngoId, draft, deps.now()), "project");
    await changed(gift);
    res.status(201).json(gift);
  });

  router.patch("/api/ngos/:ngoId/gifts/:giftId", ...editor, async (req, res) => {
    const giftId = idParam(req.params.giftId, "No such gift in this NGO");
    const patch = parse(GiftPatchRequest, req.body, { patch: true });
    const gift = written(await updateGift(db, ngoOf(req).ngoId, giftId, patch, deps.now()), "gift");
    await changed(gift);
    res.json(gift);
  });

  for (const [action, retired] of [["retire", true], ["restore", false]] as const) {
    router.post(`/api/ngos/:ngoId/gifts/:giftId/${action}`, ...editor, async (req, res) => {
      const giftId = idParam(req.params.giftId, "No such gift in this NGO");
      const gift = written(await setRetired(db, ngoOf(req).ngoId, giftId, retired, deps.now()), "gift");
      res.json(gift);
      await changed(gift);
    });
  }

  return router;
}
