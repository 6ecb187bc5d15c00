/**
 * GET /api/campaigns/:campaignId/live: a published campaign's public progress
 * as Server-Sent Events (shared/campaign-live.ts), for public pages and the
 * widget, on any website (CORS `*`, no credentials). The first event is the
 * current progress; the next ones follow every change, from the campaign's
 * shared upstream (server/realtime/campaign-live-feed.ts). A draft, an unknown
 * campaign or one of an NGO not approved is a 404; past a cap on open
 * streams, a 429 `too_many_streams`.
 */
import express, { type Router } from "express";
import { LIVE_RETRY_MS } from "../../shared/campaign-live.ts";
import type { CampaignLiveFeed, LiveSink } from "../realtime/campaign-live-feed.ts";
import { dataEvent } from "../realtime/campaign-live-feed.ts";
import { HttpError, idParam } from "./errors.ts";

export function campaignLiveRouter(feed: CampaignLiveFeed): Router {
  const router = express.Router();

  router.get("/api/campaigns/:campaignId/live", async (req, res) => {
    const campaignId = idParam(req.params.campaignId, "No such campaign");
    const slot = feed.reserve(req.ip ?? req.socket.remoteAddress ?? "unknown");
    if (!slot.ok) {
      if (slot.why === "closing") throw new HttpError(503, "try_again", "The server is restarting; try again in a moment");
      res.set("retry-after", "30");
      throw new HttpError(429, "too_many_streams", slot.why === "address"
        ? "Too many live streams are open from your address; close some pages and try again"
        : "Too many live streams are open on this server; try again later");
    }
    let gone = false;
    let leave: (() => void) | null = null;
    const finish = () => {
      if (gone) return;
      gone = true;
      leave?.();
      slot.release();
    };
    req.on("close", finish);
    try {
      leave = await feed.attach(campaignId, (snapshot) => {
        if (gone || res.destroyed) return null;
        res.status(200).set({
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          "x-accel-buffering": "no",
          "access-control-allow-origin": "*",
        });
        res.flushHeaders();
        req.socket.setNoDelay(true);
        res.write(`retry: ${LIVE_RETRY_MS}\n\n${dataEvent(snapshot)}`);
        const sink: LiveSink = {
          write: (chunk) => void res.write(chunk),
          end: () => {
            if (!res.writableEnded) res.end();
          },
          backlog: () => res.writableLength,
        };
        return sink;
      });
    } catch (err) {
      finish();
      throw err;
    }
    if (!leave) {
      finish();
      throw new HttpError(404, "not_found", "No such campaign");
    }
    if (gone) leave();
  });

  return router;
}
