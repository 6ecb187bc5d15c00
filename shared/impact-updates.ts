/**
 * Impact updates: news from the field an NGO posts about a project (text in
 * FR and EN, an optional photo), shown in the feed of every donor to that
 * project with a notification. Request schemas (zod, validated by the
 * server) and response types, shared by the console, the client and the server.
 */
import { z } from "zod";
import type { Translated } from "./api.ts";
import { checkText } from "./text.ts";

/** Upload limits (POST /api/ngos/:ngoId/photos, multipart field "image"). */
export const PHOTO_FIELD = "image";
export const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
/** Neither side of a photo may be shorter (after auto-rotation). */
export const PHOTO_MIN_SIDE = 200;
/** The long side of a stored photo, at most. */
export const PHOTO_MAX_SIDE = 1600;
/** Decoded pixels at most (a decompression bomb is refused before it is decoded). */
export const PHOTO_MAX_PIXELS = 50_000_000;

/** A photo no update shows this long after its upload is deleted (server/services/photo-sweeper.ts). */
export const UNATTACHED_PHOTO_TTL_MS = 24 * 60 * 60_000;

export const TITLE_MAX = 120;
export const BODY_MAX = 5000;

/** Line breaks and tabs are fine in a body, not in a title; control and bidi control characters never (shared/text.ts). */
const text = (field: string, max: number, kind: "line" | "paragraph") =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` })
    .superRefine(checkText(field, kind));

/** POST /api/ngos/:ngoId/updates */
export const CreateImpactUpdateRequest = z.object({
  projectId: z.uuid({ error: "projectId must be one of this NGO's projects" }),
  titleFr: text("titleFr", TITLE_MAX, "line"),
  titleEn: text("titleEn", TITLE_MAX, "line"),
  bodyFr: text("bodyFr", BODY_MAX, "paragraph"),
  bodyEn: text("bodyEn", BODY_MAX, "paragraph"),
  photoId: z.uuid({ error: "photoId must be a photo uploaded by this NGO" }).nullish(),
});
export type CreateImpactUpdateRequest = z.input<typeof CreateImpactUpdateRequest>;

/** A stored photo, as the upload answers it. */
export interface PhotoView {
  id: string;
  /** /media/photos/:id (public once attached to an update of an approved NGO; members only before). */
  url: string;
  mimeType: string;
  width: number;
  height: number;
}

export interface PhotoUploadResponse {
  photo: PhotoView;
}

/** One update, as the NGO's console and a donor's feed show it. */
export interface ImpactUpdateView {
  id: string;
  ngo: { id: string; name: string };
  project: { id: string; name: Translated };
  title: Translated;
  body: Translated;
  photo: PhotoView | null;
  /** ISO date-time. */
  createdAt: string;
}

export interface CreateImpactUpdateResponse {
  update: ImpactUpdateView;
  /** How many donors were notified. */
  notified: number;
}

/** GET /api/ngos/:ngoId/updates */
export interface NgoUpdatesResponse {
  updates: ImpactUpdateView[];
}

export const FEED_DEFAULT_LIMIT = 20;
export const FEED_MAX_LIMIT = 50;

/** GET /api/feed?limit=&before=<update id> (newest first; `before` is the last update of the previous page). */
export const FeedQuery = z.object({
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int({ error: "limit must be a whole number" })
    .min(1, { error: "limit must be at least 1" })
    .max(FEED_MAX_LIMIT, { error: `limit must be at most ${FEED_MAX_LIMIT}` })
    .default(FEED_DEFAULT_LIMIT),
  before: z.uuid({ error: "before must be an update id" }).optional(),
});

export interface FeedResponse {
  updates: ImpactUpdateView[];
  /** Pass as ?before= for the next page; null when there is none. */
  next: string | null;
}

/** The URL a photo is served from. */
export function photoUrl(photoId: string): string {
  return `/media/photos/${photoId}`;
}
