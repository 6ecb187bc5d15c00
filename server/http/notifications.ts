/**
 * /api/notifications: the signed-in player's own notifications (newest first,
 * with the unread count) and marking them read. Only ever the caller's own:
 * ids of someone else's notifications are ignored, never reported.
 */
import express, { type Router } from "express";
import {
  MarkNotificationsReadRequest, NotificationsQuery, type MarkNotificationsReadResponse, type NotificationsResponse,
} from "../../shared/notifications.ts";
import type { Db } from "../db/connect.ts";
import { listNotifications, markRead } from "../services/notifications.ts";
import { me, requirePlayer } from "./auth.ts";
import { fromZod } from "./errors.ts";

export function notificationsRouter(db: Db): Router {
  const router = express.Router();
  const auth = requirePlayer(db);

  router.get("/api/notifications", auth, async (req, res) => {
    const query = NotificationsQuery.safeParse({ limit: req.query.limit });
    if (!query.success) throw fromZod(query.error, "query");
    const body: NotificationsResponse = await listNotifications(db, me(req).player.id, query.data.limit);
    res.set("cache-control", "private, no-store").json(body);
  });

  router.post("/api/notifications/read", auth, async (req, res) => {
    const parsed = MarkNotificationsReadRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const body: MarkNotificationsReadResponse = await markRead(db, me(req).player.id, parsed.data.ids);
    res.json(body);
  });

  return router;
}
