/**
 * Authorisation for the NGO console's routes. `requireNgoRole(needed)` runs
 * after requirePlayer on a route with an `:ngoId` parameter: a non-member gets
 * 404 (an NGO's data does not even confirm it exists to outsiders), a member
 * whose role is too low gets 403 with the role needed. `requirePlatformAdmin`
 * guards the approval of NGO applications.
 */
import type { Request, RequestHandler } from "express";
import { z } from "zod";
import { type NgoRole, roleAllows } from "../../shared/ngo-roles.ts";
import type { Db } from "../db/connect.ts";
import { isPlatformAdmin, roleIn } from "../services/ngo-members.ts";
import { me } from "./auth.ts";
import { HttpError } from "./errors.ts";

const ROLE = Symbol("ngoRole");
const NgoId = z.uuid();

export function requireNgoRole(db: Db, needed: NgoRole): RequestHandler {
  return async (req, _res, next) => {
    const ngoId = NgoId.safeParse(req.params.ngoId);
    if (!ngoId.success) return next(new HttpError(400, "bad_request", "ngoId must be an NGO id"));
    const role = await roleIn(db, ngoId.data, me(req).player.id);
    if (!role) return next(new HttpError(404, "not_found", "No such NGO"));
    if (!roleAllows(role, needed)) return next(new HttpError(403, "forbidden", `This needs the ${needed} role in this NGO; yours is ${role}`));
    (req as Request & { [ROLE]?: { ngoId: string; role: NgoRole } })[ROLE] = { ngoId: ngoId.data, role };
    next();
  };
}

/** The NGO and the caller's role, after requireNgoRole. */
export function ngoOf(req: Request): { ngoId: string; role: NgoRole } {
  const value = (req as Request & { [ROLE]?: { ngoId: string; role: NgoRole } })[ROLE];
  if (!value) throw new Error("requireNgoRole must run before ngoOf()");
  return value;
}

export function requirePlatformAdmin(db: Db): RequestHandler {
  return async (req, _res, next) => {
    if (!(await isPlatformAdmin(db, me(req).player.id))) return next(new HttpError(403, "forbidden", "Only a platform administrator may do this"));
    next();
  };
}
