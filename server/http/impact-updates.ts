/**
 * Impact updates over HTTP:
 *  - POST /api/ngos/:ngoId/photos (editor+): one image in the multipart field
 *    "image", at most 8 MB, validated and re-encoded (services/photos.ts);
 *  - POST /api/ngos/:ngoId/updates (editor+): the update and its donors'
 *    notifications in one transaction, pushed live after commit;
 *  - GET /api/ngos/:ngoId/updates (members);
 *  - GET /api/feed: the caller's feed (updates of the projects they gave to);
 *  - GET /media/photos/:photoId: the photo bytes, for anyone once public,
 *    for the NGO's members (bearer token) before.
 */
import type { Presence } from "@colyseus/core";
import express, { type RequestHandler, type Router } from "express";
import multer from "multer";
import type { Logger } from "pino";
import {
  CreateImpactUpdateRequest, type CreateImpactUpdateResponse, FeedQuery, type FeedResponse, type NgoUpdatesResponse, PHOTO_FIELD, PHOTO_MAX_BYTES,
  type PhotoUploadResponse,
} from "../../shared/impact-updates.ts";
import type { Db } from "../db/connect.ts";
import { publishPlayerEvent } from "../realtime/player-events.ts";
import { feedOf, isProjectOf, ngoIsApproved, ngoUpdates, postUpdate } from "../services/impact-updates.ts";
import { isPhotoOf, photoFor, processPhoto, storePhoto } from "../services/photos.ts";
import { authenticate } from "../services/players.ts";
import { bearerToken, me, requirePlayer } from "./auth.ts";
import { HttpError, fromZod, idParam } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 0, parts: 1, fieldNameSize: 64, headerPairs: 20 },
}).single(PHOTO_FIELD);

const PHOTO_STATUS = { photo_invalid: 400, photo_too_small: 422, photo_too_large: 413 } as const;

/** multer's refusals as the API's own: a clear code, the field it is about. */
function uploadError(err: unknown): HttpError {
  const code = err instanceof multer.MulterError ? err.code : undefined;
  const field = { [PHOTO_FIELD]: "" };
  if (code === "LIMIT_FILE_SIZE") {
    return new HttpError(413, "photo_too_large", `The photo must be at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB`, { [PHOTO_FIELD]: "at most 8 MB" });
  }
  if (code === "LIMIT_FILE_COUNT" || code === "LIMIT_PART_COUNT" || code === "LIMIT_FIELD_COUNT" || code === "LIMIT_UNEXPECTED_FILE") {
    field[PHOTO_FIELD] = `send exactly one file, in the field "${PHOTO_FIELD}", and nothing else`;
    return new HttpError(400, "photo_invalid", `Send one photo in the multipart field "${PHOTO_FIELD}" and no other field`, field);
  }
  return new HttpError(400, "photo_invalid", "The upload is not a valid multipart/form-data request", { [PHOTO_FIELD]: "not a valid upload" });
}

const receivePhoto: RequestHandler = (req, res, next) => {
  upload(req, res, (err: unknown) => next(err ? uploadError(err) : undefined));
};

export interface ImpactUpdatesDeps {
  db: Db;
  presence: Presence;
  logger: Logger;
}

export function impactUpdatesRouter(deps: ImpactUpdatesDeps): Router {
  const { db } = deps;
  const router = express.Router();
  const auth = requirePlayer(db);
  const editor = requireNgoRole(db, "editor");
  const member = requireNgoRole(db, "viewer");

  // Authorised before multer reads anything: an outsider's upload is never buffered.
  router.post("/api/ngos/:ngoId/photos", auth, editor, receivePhoto, async (req, res) => {
    const file = req.file;
    if (!file) {
      throw new HttpError(400, "photo_invalid", `Send the photo as multipart/form-data in the field "${PHOTO_FIELD}"`, { [PHOTO_FIELD]: "required" });
    }
    const processed = await processPhoto(file.buffer);
    if (!processed.ok) {
      const status = PHOTO_STATUS[processed.code as keyof typeof PHOTO_STATUS] ?? 400;
      throw new HttpError(status, processed.code, processed.message, { [PHOTO_FIELD]: processed.message });
    }
    const photo = await storePhoto(db, ngoOf(req).ngoId, processed.photo);
    deps.logger.info({ ngoId: ngoOf(req).ngoId, photoId: photo.id, width: photo.width, height: photo.height, bytes: processed.photo.bytes.length }, "photo stored");
    const body: PhotoUploadResponse = { photo };
    res.status(201).json(body);
  });

  router.post("/api/ngos/:ngoId/updates", auth, editor, async (req, res) => {
    const parsed = CreateImpactUpdateRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const { ngoId } = ngoOf(req);
    const input = parsed.data;
    if (!(await ngoIsApproved(db, ngoId))) {
      throw new HttpError(409, "ngo_not_approved", "Updates reach donors once a platform administrator has approved the NGO");
    }
    if (!(await isProjectOf(db, ngoId, input.projectId))) {
      throw new HttpError(400, "project_unknown", "No such project in this NGO", { projectId: "must be one of this NGO's projects" });
    }
    if (input.photoId && !(await isPhotoOf(db, ngoId, input.photoId))) {
      throw new HttpError(400, "photo_unknown", "No such photo in this NGO", { photoId: "must be a photo uploaded by this NGO" });
    }
    const posted = await postUpdate(db, { ...input, photoId: input.photoId ?? null, ngoId, authorId: me(req).player.id });
    deps.logger.info({ ngoId, updateId: posted.update.id, projectId: input.projectId, notified: posted.notified.length }, "impact update posted");
    await pushLive(deps, posted.notified);
    const body: CreateImpactUpdateResponse = { update: posted.update, notified: posted.notified.length };
    res.status(201).json(body);
  });

  router.get("/api/ngos/:ngoId/updates", auth, member, async (req, res) => {
    const body: NgoUpdatesResponse = { updates: await ngoUpdates(db, ngoOf(req).ngoId) };
    res.set("cache-control", "no-store").json(body);
  });

  router.get("/api/feed", auth, async (req, res) => {
    const query = FeedQuery.safeParse(req.query);
    if (!query.success) throw fromZod(query.error, "query");
    const body: FeedResponse = await feedOf(db, me(req).player.id, query.data);
    res.set("cache-control", "no-store").json(body);
  });

  router.get("/media/photos/:photoId", async (req, res) => {
    const photoId = idParam(req.params.photoId, "No such photo");
    const viewer = await authenticate(db, bearerToken(req));
    const photo = await photoFor(db, photoId, viewer?.player.id ?? null);
    if (!photo) throw new HttpError(404, "not_found", "No such photo");
    // A photo's bytes never change (a new photo gets a new id); before it is public, each
    // request is re-authorised (no-cache) and may still be answered 304 from the ETag.
    res.set({
      "content-type": photo.mimeType,
      "x-content-type-options": "nosniff",
      etag: `"${photoId}"`,
      "cache-control": photo.isPublic ? "public, max-age=31536000, immutable" : "private, no-cache",
    });
    if (!photo.isPublic) res.vary("Authorization");
    // The bytes behind an id never change, so a matching ETag is always current (even when the
    // request says no-cache, as fetch does for conditional requests: this is the revalidation).
    const etags = (req.header("if-none-match") ?? "").split(",").map((t) => t.trim().replace(/^W\//, ""));
    if (etags.includes(`"${photoId}"`) || etags.includes("*")) return void res.status(304).end();
    res.send(Buffer.from(photo.bytes.buffer, photo.bytes.byteOffset, photo.bytes.byteLength));
  });

  return router;
}

/** After commit: each donor's clients hear of their notification, in whichever room and process. Never fails the post. */
async function pushLive(deps: ImpactUpdatesDeps, notified: ReadonlyArray<{ id: string; playerId: string }>): Promise<void> {
  const results = await Promise.allSettled(
    notified.map((n) => publishPlayerEvent(deps.presence, n.playerId, { kind: "notification", notificationId: n.id })),
  );
  const failed = results.filter((r) => r.status === "rejected").length;
  if (failed > 0) deps.logger.warn({ failed, total: notified.length }, "live push of impact update notifications failed for some donors");
}
