/**
 * Photos uploaded for an update that never came: an NGO member uploads a
 * photo (POST /api/ngos/:ngoId/photos) before writing the update; if no
 * update shows it within UNATTACHED_PHOTO_TTL_MS, it is deleted. Each process
 * sweeps on start and every PHOTO_SWEEP_EVERY_MS; deleting is idempotent, so
 * several processes sweeping at once is harmless. A photo an update is being
 * attached to at that very moment is kept by the foreign key (the sweep skips
 * it and tries again next time).
 */
import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import { UNATTACHED_PHOTO_TTL_MS } from "../../shared/impact-updates.ts";
import type { Db } from "../db/connect.ts";

export const PHOTO_SWEEP_EVERY_MS = 60 * 60_000;

/** Deletes photos older than the TTL that no update shows; answers how many went. */
export async function sweepUnattachedPhotos(db: Db, now: number): Promise<number> {
  const cutoff = new Date(now - UNATTACHED_PHOTO_TTL_MS).toISOString();
  const result = (await db.execute(sql`
    delete from photos p
    where p.created_at < ${cutoff}::timestamptz
      and not exists (select 1 from impact_updates u where u.photo_id = p.id)
    returning p.id`)) as unknown as { rows: unknown[] };
  return result.rows.length;
}

/** Sweeps now, then every `everyMs`; `stop()` ends it. */
export async function startPhotoSweeper(deps: { db: Db; logger: Logger; now: () => number }, everyMs = PHOTO_SWEEP_EVERY_MS): Promise<{ stop(): void }> {
  const sweep = async () => {
    try {
      const deleted = await sweepUnattachedPhotos(deps.db, deps.now());
      if (deleted > 0) deps.logger.info({ deleted }, "unattached photos deleted");
    } catch (err) {
      deps.logger.warn({ err }, "unattached photos not swept; next time");
    }
  };
  await sweep();
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= sweep().finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
