/** Bearer-token authentication for the API. */
import type { Request, RequestHandler } from "express";
import type { MeResponse } from "../../shared/api.ts";
import type { Db } from "../db/connect.ts";
import { authenticate } from "../services/players.ts";
import { HttpError } from "./errors.ts";

const ME = Symbol("me");

export function bearerToken(req: Request): string | undefined {
  const header = req.header("authorization");
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

/** Requires a valid session; the player is then available through `me(req)`. */
export function requirePlayer(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const me = await authenticate(db, bearerToken(req));
    if (!me) return next(new HttpError(401, "unauthorized", "Sign in first: missing or unknown session token"));
    (req as Request & { [ME]?: MeResponse })[ME] = me;
    next();
  };
}

export function me(req: Request): MeResponse {
  const value = (req as Request & { [ME]?: MeResponse })[ME];
  if (!value) throw new Error("requirePlayer must run before me()");
  return value;
}
