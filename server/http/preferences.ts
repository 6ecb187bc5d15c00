/**
 * /api/me/preferences: how the game behaves for me on every device (whether
 * its sound is on, shared/sound.ts; the language of the monthly digest). Mine
 * only: the bearer token says whose; a guest has them too.
 */
import express, { type Router } from "express";
import { eq } from "drizzle-orm";
import { PreferencesRequest, type PreferencesView } from "../../shared/sound.ts";
import type { Db } from "../db/connect.ts";
import { players } from "../db/schema.ts";
import { me, requirePlayer } from "./auth.ts";
import { fromZod } from "./errors.ts";

async function preferencesOf(db: Db, playerId: string): Promise<PreferencesView> {
  const [row] = await db.select({ soundOn: players.soundOn, mailLocale: players.mailLocale }).from(players).where(eq(players.id, playerId));
  return { soundOn: row?.soundOn ?? false, mailLocale: row?.mailLocale ?? "fr" };
}

export function preferencesRouter(deps: { db: Db }): Router {
  const router = express.Router();
  const auth = requirePlayer(deps.db);

  router.get("/api/me/preferences", auth, async (req, res) => {
    res.set("cache-control", "no-store").json(await preferencesOf(deps.db, me(req).player.id));
  });

  router.patch("/api/me/preferences", auth, async (req, res) => {
    const parsed = PreferencesRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const playerId = me(req).player.id;
    const { soundOn, mailLocale } = parsed.data;
    if (soundOn !== undefined || mailLocale !== undefined) {
      await deps.db.update(players).set({ ...(soundOn !== undefined ? { soundOn } : {}), ...(mailLocale ? { mailLocale } : {}) }).where(eq(players.id, playerId));
    }
    res.json(await preferencesOf(deps.db, playerId));
  });

  return router;
}
