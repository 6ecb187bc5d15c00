/**
 * Photos for impact updates: the uploaded bytes are never kept as they came.
 * They are decoded with sharp (JPEG, PNG or WebP by content, whatever the
 * filename or the declared type said), refused when corrupt, too large or too
 * small, then auto-rotated, shrunk to PHOTO_MAX_SIDE on the long side and
 * re-encoded as WebP without any metadata (no EXIF, so no GPS position).
 *
 * Who may read one: anyone once it illustrates an update of an approved NGO;
 * before that, only the NGO's members.
 */
import { and, eq, sql } from "drizzle-orm";
import sharp, { type Metadata } from "sharp";
import type { RuleResult } from "../../shared/errors.ts";
import { refuse } from "../../shared/errors.ts";
import { PHOTO_MAX_PIXELS, PHOTO_MAX_SIDE, PHOTO_MIN_SIDE, type PhotoView, photoUrl } from "../../shared/impact-updates.ts";
import type { Db } from "../db/connect.ts";
import { photos } from "../db/schema.ts";
import { roleIn } from "./ngo-members.ts";

const ACCEPTED_FORMATS = new Set(["jpeg", "png", "webp"]);
const OUTPUT_MIME = "image/webp";
const WEBP_QUALITY = 82;

export interface ProcessedPhoto {
  bytes: Buffer;
  mimeType: string;
  width: number;
  height: number;
}

/** Decodes, checks and re-encodes an uploaded image (pure apart from the CPU it takes). */
export async function processPhoto(input: Buffer): Promise<RuleResult<{ photo: ProcessedPhoto }>> {
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    return refuse("photo_invalid", "The file is not an image (JPEG, PNG or WebP)");
  }
  if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format)) {
    return refuse("photo_invalid", `Only JPEG, PNG and WebP photos are accepted (this one is ${metadata.format ?? "unknown"})`);
  }
  const { width, height } = metadata.autoOrient ?? metadata;
  if (!width || !height) return refuse("photo_invalid", "The image has no size");
  if (width * height > PHOTO_MAX_PIXELS) return refuse("photo_too_large", `The image has too many pixels (${width} × ${height})`);
  if (Math.min(width, height) < PHOTO_MIN_SIDE) {
    return refuse("photo_too_small", `The photo is ${width} × ${height} px; each side must be at least ${PHOTO_MIN_SIDE} px`);
  }
  try {
    const { data, info } = await sharp(input, { failOn: "error", limitInputPixels: PHOTO_MAX_PIXELS })
      .autoOrient()
      .resize({ width: PHOTO_MAX_SIDE, height: PHOTO_MAX_SIDE, fit: "inside", withoutEnlargement: true })
      .webp({ quality: WEBP_QUALITY })
      .toBuffer({ resolveWithObject: true });
    return { ok: true, photo: { bytes: data, mimeType: OUTPUT_MIME, width: info.width, height: info.height } };
  } catch {
    return refuse("photo_invalid", "The image is corrupt or truncated");
  }
}

export function photoView(row: { id: string; mimeType: string; width: number; height: number }): PhotoView {
  return { id: row.id, url: photoUrl(row.id), mimeType: row.mimeType, width: row.width, height: row.height };
}

export async function storePhoto(db: Db, ngoId: string, photo: ProcessedPhoto): Promise<PhotoView> {
  const [row] = await db
    .insert(photos)
    .values({ ngoId, mimeType: photo.mimeType, width: photo.width, height: photo.height, bytes: photo.bytes })
    .returning({ id: photos.id, mimeType: photos.mimeType, width: photos.width, height: photos.height });
  if (!row) throw new Error("photo insert returned nothing");
  return photoView(row);
}

/** Whether this photo belongs to this NGO (an update may only show the NGO's own photos). */
export async function isPhotoOf(db: Db, ngoId: string, photoId: string): Promise<boolean> {
  const [row] = await db.select({ id: photos.id }).from(photos).where(and(eq(photos.id, photoId), eq(photos.ngoId, ngoId))).limit(1);
  return row !== undefined;
}

export interface ServedPhoto {
  bytes: Uint8Array;
  mimeType: string;
  /** True when anyone may see it (attached to an update of an approved NGO). */
  isPublic: boolean;
}

/** A photo for this viewer (null: unknown, or not theirs to see). `viewerId` is null without a session. */
export async function photoFor(db: Db, photoId: string, viewerId: string | null): Promise<ServedPhoto | null> {
  const result = (await db.execute(sql`
    select p.ngo_id as "ngoId", p.mime_type as "mimeType", p.bytes,
      exists (select 1 from impact_updates u join ngos n on n.id = u.ngo_id
              where u.photo_id = p.id and n.status = 'approved') as "isPublic"
    from photos p where p.id = ${photoId}`)) as unknown as { rows: Array<{ ngoId: string; mimeType: string; bytes: Uint8Array; isPublic: boolean }> };
  const row = result.rows[0];
  if (!row) return null;
  if (!row.isPublic && !(viewerId && (await roleIn(db, row.ngoId, viewerId)))) return null;
  return { bytes: row.bytes, mimeType: row.mimeType, isPublic: row.isPublic };
}
