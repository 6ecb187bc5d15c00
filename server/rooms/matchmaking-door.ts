/**
 * The matchmaking door: every `/matchmake/<method>/<room>` request comes here
 * (app.ts routes them past Colyseus's own handler), and only what passes it
 * reaches the matchmaker.
 *
 * - The body is capped (MATCHMAKE_BODY_LIMIT) before anything reads it: a
 *   larger one is answered 413 at once and its connection closed.
 * - Methods: `joinOrCreate` (and `join` / `create`, which mean the same checked
 *   join here) and `reconnect`. `joinById` and anything else: 404.
 * - A village seat needs a room ticket (a single-use, minute-long ticket from
 *   POST /api/room-tickets) and the visit rules (owner, friend, anyone when
 *   public; never blocked or sent away), checked from the database before any
 *   room is looked up or created: nobody else can cause a room to exist, and
 *   every refusal is the same whether or not the owner is online.
 * - A village has one room across every process (a claim in presence): a join
 *   finds it, or waits briefly for the one being created.
 * - Joins are rate limited per address and per session (counted in Redis when
 *   processes share it), and one player may hold at most 4 seats in a
 *   village not connected to yet.
 * - Every refusal is a 4xx `{ error: { code, message } }` (with `message` at
 *   the top too, which the SDK reads); the SDK's error code is the status,
 *   from JOIN_REFUSALS.
 */
import { ErrorCode, matchMaker } from "@colyseus/core";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { rateLimit } from "express-rate-limit";
import type { Logger } from "pino";
import type { ErrorCode as AppErrorCode } from "../../shared/errors.ts";
import {
  JOIN_REFUSALS, JoinCampaignOptions, JoinVillageOptions, MATCHMAKE_BODY_LIMIT, ROOM_CAMPAIGN, ROOM_VILLAGE, type JoinRefusal, joinRefusalOf,
} from "../../shared/messages.ts";
import type { Db } from "../db/connect.ts";
import type { LimiterStores } from "../http/rate-limit-store.ts";
import { anyCampaign, visibleCampaign } from "../services/campaign-progress.ts";
import { roleIn } from "../services/ngo-members.ts";
import { type SeatHolder, redeemRoomTicket } from "../services/room-tickets.ts";
import { seatReserved, seatSettled } from "../realtime/room-access.ts";
import { type AdmissionDeps, admitToVillage, admittedContext } from "./admission.ts";
import { VILLAGE_ROOM_ELSEWHERE } from "./VillageRoom.ts";

export interface RoomJoinLimits {
  /** Joins per address per minute (every room). */
  perAddress: number;
  /** Joins per session per minute. */
  perSession: number;
}

export interface MatchmakingDoorDeps extends AdmissionDeps {
  logger: Logger;
  stores: LimiterStores;
  limits: RoomJoinLimits;
}

/** Seats one player may hold in one village without connecting to them (each lasts 15 s at most). */
const PENDING_SEATS_PER_PLAYER = 4;
const SEAT_RESERVATION_SECONDS = 15;
/** How long a join waits for a village room another request is creating. */
const CREATION_WAIT_MS = 3000;
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

class Refusal extends Error {
  readonly status: number;
  readonly code: AppErrorCode;
  constructor(status: number, code: AppErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const refused = (reason: JoinRefusal, message: string) => new Refusal(JOIN_REFUSALS[reason], reason, message);
const HOLDER = Symbol("hameau.seatHolder");
type DoorRequest = Request & { [HOLDER]?: SeatHolder | null; matchmakeBody?: unknown };

export function matchmakingDoor(deps: MatchmakingDoorDeps): Router {
  const router = express.Router();
  const tooMany = (_req: Request, _res: Response, next: NextFunction) => next(refused("rate_limited", "Too many joins; try again in a minute"));
  const store = (limiter: string) => {
    const shared = deps.stores(limiter);
    return shared ? { store: shared } : {};
  };
  const common = { windowMs: 60_000, standardHeaders: "draft-8" as const, legacyHeaders: false, handler: tooMany };
  const perAddress = rateLimit({ ...common, ...store("room-joins-address"), limit: deps.limits.perAddress });
  const perSession = rateLimit({
    ...common, ...store("room-joins-session"), limit: deps.limits.perSession,
    skip: (req) => !(req as DoorRequest)[HOLDER], keyGenerator: (req) => (req as DoorRequest)[HOLDER]!.session,
  });

  router.use("/matchmake", (req, res, next) => {
    res.set(corsHeaders(req));
    if (req.method === "OPTIONS") return void res.status(204).end();
    if (req.method !== "POST") return next(new Refusal(404, "not_found", "Matchmaking takes POST only"));
    next();
  });

  router.post("/matchmake/:method/:room", perAddress, async (req: DoorRequest, res, next) => {
    try {
      req.matchmakeBody = await readCappedJson(req, res);
      const method = req.params.method;
      const room = String(req.params.room);
      if (method === "reconnect") return void res.json(await reconnect(room, req.matchmakeBody));
      if (method !== "joinOrCreate" && method !== "join" && method !== "create") {
        throw new Refusal(404, "not_found", `Unknown matchmaking method ${String(method).slice(0, 40)}`);
      }
      if (room !== ROOM_VILLAGE && room !== ROOM_CAMPAIGN) throw new Refusal(404, "not_found", "No such room type");
      const ticket = (req.matchmakeBody as { ticket?: unknown }).ticket;
      // A ticket is used up here, whatever follows: a second try needs a new one.
      req[HOLDER] = ticket === undefined ? null : await redeemRoomTicket(deps.db, ticket);
      if (ticket !== undefined && !req[HOLDER]) throw refused("unauthorized", "Unknown, used or expired room ticket: ask POST /api/room-tickets for a new one");
      next();
    } catch (err) {
      next(err);
    }
  }, perSession, async (req: DoorRequest, res, next) => {
    try {
      const holder = req[HOLDER] ?? null;
      const reservation = req.params.room === ROOM_VILLAGE
        ? await joinVillage(deps, holder, req.matchmakeBody, req.ip)
        : await joinCampaign(deps, holder, req.matchmakeBody, req.ip);
      res.json(reservation);
    } catch (err) {
      next(err);
    }
  });

  router.use("/matchmake", (_req, _res, next) => next(new Refusal(404, "not_found", "No such matchmaking route")));
  router.use("/matchmake", (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const refusal = asRefusal(err, deps.logger, req);
    if (res.headersSent) return;
    res.status(refusal.status).json({ error: { code: refusal.code, message: refusal.message }, message: refusal.message });
  });
  return router;
}

async function joinVillage(deps: MatchmakingDoorDeps, holder: SeatHolder | null, body: unknown, ip: string | undefined) {
  if (!holder) throw refused("unauthorized", "Sign in first: join with a room ticket (POST /api/room-tickets)");
  const parsed = JoinVillageOptions.safeParse(body);
  if (!parsed.success) throw refused("village_unknown", "No such village: villageId must be a village id");
  const { villageId } = parsed.data;
  // Checked from the database alone, before any room is looked at: the answer says nothing of who is online.
  const admitted = await admitToVillage(deps, holder.player.id, villageId);
  if (!admitted.ok) throw refused(admitted.reason, admitted.message);
  // One player cannot fill a village's room with reservations never used.
  if ((await seatReserved(deps.presence, villageId, holder.player.id, SEAT_RESERVATION_SECONDS)) > PENDING_SEATS_PER_PLAYER) {
    await seatSettled(deps.presence, villageId, holder.player.id);
    throw refused("rate_limited", "Too many seats waiting for you in this village; use them or try again in a moment");
  }
  const context = admittedContext({ holder }, ip);
  const deadline = Date.now() + CREATION_WAIT_MS;
  for (;;) {
    try {
      return await matchMaker.joinOrCreate(ROOM_VILLAGE, { villageId }, context);
    } catch (err) {
      // Another request (maybe in another process) is creating this village's room: it will be found.
      if ((err as { code?: unknown }).code !== VILLAGE_ROOM_ELSEWHERE || Date.now() > deadline) {
        await seatSettled(deps.presence, villageId, holder.player.id);
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function joinCampaign(deps: MatchmakingDoorDeps, holder: SeatHolder | null, body: unknown, ip: string | undefined) {
  const parsed = JoinCampaignOptions.safeParse(body);
  if (!parsed.success) throw new Refusal(404, "not_found", "No such campaign: campaignId must be a campaign id");
  const { campaignId } = parsed.data;
  const found = await anyCampaign(deps.db, campaignId);
  // Not public (a draft, an NGO not approved yet): only its NGO's members may watch; to anyone else it does not exist.
  const allowed = found
    && ((await visibleCampaign(deps.db, campaignId)) || (holder !== null && (await roleIn(deps.db, found.campaign.ngoId, holder.player.id)) !== null));
  if (!allowed) throw new Refusal(404, "not_found", "No such campaign");
  return matchMaker.joinOrCreate(ROOM_CAMPAIGN, { campaignId }, admittedContext({ holder }, ip));
}

/** A dropped connection coming back: the room checks the session and the visit again (onReconnect). */
async function reconnect(roomId: string, body: unknown) {
  const token = (body as { reconnectionToken?: unknown }).reconnectionToken;
  if (!ROOM_ID.test(roomId) || typeof token !== "string" || token.length > 100) throw new Refusal(404, "not_found", "No such room or seat");
  return matchMaker.reconnect(roomId, { reconnectionToken: token });
}

/** Reads at most MATCHMAKE_BODY_LIMIT bytes of JSON; a larger body is refused before it is read. */
function readCappedJson(req: Request, res: Response): Promise<unknown> {
  const tooLarge = () => {
    // Answer now and close: the rest of the body is not read, let alone kept.
    res.set("connection", "close");
    res.once("finish", () => setTimeout(() => req.socket.destroy(), 200).unref());
    return new Refusal(413, "bad_request", `The matchmaking request body is limited to ${MATCHMAKE_BODY_LIMIT} bytes`);
  };
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MATCHMAKE_BODY_LIMIT) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: unknown, value?: unknown) => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MATCHMAKE_BODY_LIMIT) {
        req.pause();
        return done(tooLarge());
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (text.trim() === "") return done(null, {});
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value !== "object" || value === null || Array.isArray(value)) return done(new Refusal(400, "bad_request", "The body must be a JSON object"));
        done(null, value);
      } catch {
        done(new Refusal(400, "invalid_json", "The request body is not valid JSON"));
      }
    };
    const onError = (err: unknown) => done(err);
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

/** Colyseus's CORS answer for the matchmaking routes (an allow-list: server/http/cors.ts). */
function corsHeaders(req: Request): Record<string, string> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  return { ...(matchMaker.controller.DEFAULT_CORS_HEADERS as Record<string, string>), ...matchMaker.controller.getCorsHeaders(headers) };
}

/** Every failure as a 4xx with a code; only a real fault (presence or database down) is a 503. */
function asRefusal(err: unknown, logger: Logger, req: Request): Refusal {
  if (err instanceof Refusal) return err;
  // A broken percent-encoding in the room name or method is the caller's mistake, not a fault.
  if (err instanceof URIError) return new Refusal(400, "bad_request", "Malformed room path");
  const code = (err as { code?: unknown }).code;
  const reason = joinRefusalOf(code);
  const message = err instanceof Error ? err.message : String(err);
  if (reason) return new Refusal(JOIN_REFUSALS[reason], reason, message);
  if (code === ErrorCode.MATCHMAKE_INVALID_ROOM_ID || code === ErrorCode.MATCHMAKE_EXPIRED || code === ErrorCode.MATCHMAKE_INVALID_CRITERIA
    || code === ErrorCode.MATCHMAKE_NO_HANDLER || code === 404) {
    return new Refusal(404, "not_found", "No such room or seat (it may have closed, or the reconnection expired)");
  }
  if (code === VILLAGE_ROOM_ELSEWHERE) return refused("village_full", "This village's room is busy; try again in a moment");
  if (typeof code === "number" && code >= 400 && code < 500) return new Refusal(code, "bad_request", message);
  logger.error({ err, path: req.path }, "matchmaking failed");
  return new Refusal(503, "internal", "Matchmaking is unavailable for a moment; try again");
}

