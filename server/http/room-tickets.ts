/**
 * POST /api/room-tickets: a room ticket for the session that asks (see
 * services/room-tickets.ts). The client joins a room with it, so the session
 * token itself never travels in a websocket URL. Limited per session.
 */
import express, { type Router } from "express";
import { rateLimit } from "express-rate-limit";
import type { RoomTicketResponse } from "../../shared/api.ts";
import type { Db } from "../db/connect.ts";
import { hashToken } from "../services/players.ts";
import { issueRoomTicket } from "../services/room-tickets.ts";
import { bearerToken, requirePlayer } from "./auth.ts";
import { HttpError } from "./errors.ts";
import type { LimiterStores } from "./rate-limit-store.ts";

/** Tickets per session per minute: a player joins a room a few times a minute at most. */
const TICKETS_PER_MINUTE = 30;

export function roomTicketsRouter(deps: { db: Db; stores: LimiterStores }): Router {
  const router = express.Router();
  const shared = deps.stores("room-tickets");
  const perSession = rateLimit({
    windowMs: 60_000, limit: TICKETS_PER_MINUTE, standardHeaders: "draft-8", legacyHeaders: false, ...(shared ? { store: shared } : {}),
    keyGenerator: (req) => hashToken(bearerToken(req)!),
    handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "Too many room tickets; try again in a minute")),
  });
  router.post("/api/room-tickets", requirePlayer(deps.db), perSession, async (req, res) => {
    const issued: RoomTicketResponse = await issueRoomTicket(deps.db, hashToken(bearerToken(req)!));
    res.status(201).set("cache-control", "no-store").json(issued);
  });
  return router;
}
