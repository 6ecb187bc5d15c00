/**
 * NGO accounts, for their members: apply for an NGO (an account, not a
 * guest), my NGOs, and the NGO admins' routes: members and settings. A
 * non-member gets 404 on an NGO's routes and a member with a lower role 403
 * (requireNgoRole); the last admin can be neither demoted nor removed. Adding
 * a member sends an invitation the player accepts or declines.
 */
import express, { type Request, type RequestHandler, type Router } from "express";
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import type { RuleError } from "../../shared/errors.ts";
import {
  type MyNgosResponse, NgoApplicationRequest, type NgoApplicationResponse, type NgoInvitationResponse, NgoMemberAddRequest, NgoMemberRoleRequest, type NgoMembersResponse,
  NgoSettingsRequest,
} from "../../shared/ngo-accounts.ts";
import type { Db } from "../db/connect.ts";
import { applyForNgo, ngoSettings, updateNgoSettings } from "../services/ngo-accounts.ts";
import { isPlatformAdmin, membershipsOf } from "../services/ngo-members.ts";
import { changeMemberRole, listMembers, removeMember } from "../services/ngo-team.ts";
import { acceptInvitation, declineInvitation, invitationsOf, inviteByName, pendingInvitations } from "../services/ngo-invitations.ts";
import { publishPlayerEvent } from "../realtime/player-events.ts";
import { me, requirePlayer } from "./auth.ts";
import { HttpError, fromRule, fromZod, idParam } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

/** Statuses of the NGO rules' refusals that fromRule does not know. */
const CONFLICTS = new Set(["last_admin", "already_member", "invitation_pending", "ngo_review_conflict", "receipt_prefix_taken"]);
const NOT_FOUND = new Set(["invitation_unknown"]);

export function ngoRefusal(rule: RuleError): HttpError {
  if (CONFLICTS.has(rule.code)) return new HttpError(409, rule.code, rule.message);
  return NOT_FOUND.has(rule.code) ? new HttpError(404, rule.code, rule.message) : fromRule(rule);
}

export function ngoAccountsRouter(deps: { db: Db; logger: Logger; presence?: Presence; catalogChanged?: (giftIds: string[]) => Promise<void> }): Router {
  const { db } = deps;
  const router = express.Router();
  const auth = requirePlayer(db);
  const account: RequestHandler = (req, _res, next) =>
    next(me(req).account ? undefined : new HttpError(403, "account_required", "Create an account to apply for an NGO"));
  const admin = requireNgoRole(db, "admin");
  const memberParam = (req: Request) => idParam(req.params.playerId, "No such member in this NGO");

  router.post("/api/ngos/applications", auth, account, async (req, res) => {
    const parsed = NgoApplicationRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error, "application");
    const ngo = await applyForNgo(db, me(req).player.id, parsed.data);
    deps.logger.info({ ngoId: ngo.id, slug: ngo.slug, applicantId: me(req).player.id }, "ngo application received");
    const body: NgoApplicationResponse = { ngo, role: "admin" };
    res.status(201).json(body);
  });

  router.get("/api/me/ngos", auth, async (req, res) => {
    const playerId = me(req).player.id;
    const body: MyNgosResponse = {
      memberships: await membershipsOf(db, playerId), platformAdmin: await isPlatformAdmin(db, playerId), invitations: await invitationsOf(db, playerId),
    };
    res.set("cache-control", "private, no-store").json(body);
  });

  // The invited player answers (ngo-invitations.ts); only their own invitations exist for them.
  router.post("/api/me/ngo-invitations/:ngoId/accept", auth, account, async (req, res) => {
    const result = await acceptInvitation(db, me(req).player.id, idParam(req.params.ngoId, "No pending invitation to this NGO"));
    if (!result.ok) throw ngoRefusal(result);
    deps.logger.info({ ngoId: result.membership.ngo.id, playerId: me(req).player.id, role: result.membership.role }, "ngo invitation accepted");
    res.json({ membership: result.membership });
  });

  router.post("/api/me/ngo-invitations/:ngoId/decline", auth, account, async (req, res) => {
    const result = await declineInvitation(db, me(req).player.id, idParam(req.params.ngoId, "No pending invitation to this NGO"));
    if (!result.ok) throw ngoRefusal(result);
    res.status(204).end();
  });

  router.get("/api/ngos/:ngoId/settings", auth, admin, async (req, res) => {
    const ngo = await ngoSettings(db, ngoOf(req).ngoId);
    if (!ngo) throw new HttpError(404, "not_found", "No such NGO");
    res.set("cache-control", "private, no-store").json(ngo);
  });

  router.patch("/api/ngos/:ngoId/settings", auth, admin, async (req, res) => {
    const parsed = NgoSettingsRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error, "settings");
    const ngo = await updateNgoSettings(db, ngoOf(req).ngoId, parsed.data);
    if (!ngo) throw new HttpError(404, "not_found", "No such NGO");
    deps.logger.info({ ngoId: ngo.id, by: me(req).player.id, fields: Object.keys(parsed.data) }, "ngo settings changed");
    // The NGO's name shows on its gifts in the shop.
    if (parsed.data.name !== undefined) await deps.catalogChanged?.([]).catch((err: unknown) => deps.logger.error({ err, ngoId: ngo.id }, "catalog change not published"));
    res.json(ngo);
  });

  router.get("/api/ngos/:ngoId/members", auth, admin, async (req, res) => {
    const body: NgoMembersResponse = { members: await listMembers(db, ngoOf(req).ngoId), invitations: await pendingInvitations(db, ngoOf(req).ngoId) };
    res.set("cache-control", "private, no-store").json(body);
  });

  router.post("/api/ngos/:ngoId/members", auth, admin, async (req, res) => {
    const parsed = NgoMemberAddRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error, "member");
    // An invitation: the player becomes a member only once they accept.
    const result = await inviteByName(db, ngoOf(req).ngoId, parsed.data.name, parsed.data.role, me(req).player.id);
    if (!result.ok) throw ngoRefusal(result);
    deps.logger.info({ ngoId: ngoOf(req).ngoId, by: me(req).player.id, playerId: result.invitation.playerId, role: result.invitation.role }, "ngo member invited");
    const body: NgoInvitationResponse = { invitation: result.invitation };
    res.status(201).json(body);
    // The invited player's bell rings live wherever they play (the notification is stored already).
    if (deps.presence) {
      await publishPlayerEvent(deps.presence, result.invitation.playerId, { kind: "notification", notificationId: result.notificationId })
        .catch((err: unknown) => deps.logger.warn({ err }, "live notification push failed"));
    }
  });

  // An admin withdraws an invitation not answered yet.
  router.delete("/api/ngos/:ngoId/invitations/:playerId", auth, admin, async (req, res) => {
    const result = await declineInvitation(db, idParam(req.params.playerId, "No pending invitation for this player"), ngoOf(req).ngoId);
    if (!result.ok) throw ngoRefusal(result);
    deps.logger.info({ ngoId: ngoOf(req).ngoId, by: me(req).player.id, playerId: req.params.playerId }, "ngo invitation withdrawn");
    res.status(204).end();
  });

  router.patch("/api/ngos/:ngoId/members/:playerId", auth, admin, async (req, res) => {
    const playerId = memberParam(req);
    const parsed = NgoMemberRoleRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error, "member");
    const result = await changeMemberRole(db, ngoOf(req).ngoId, playerId, parsed.data.role);
    if (!result.ok) throw ngoRefusal(result);
    deps.logger.info({ ngoId: ngoOf(req).ngoId, by: me(req).player.id, playerId, role: result.member.role }, "ngo member role changed");
    res.json({ member: result.member });
  });

  // An admin removes anyone; any member may leave (remove themselves).
  router.delete("/api/ngos/:ngoId/members/:playerId", auth, requireNgoRole(db, "viewer"), async (req, res) => {
    const playerId = memberParam(req);
    const { ngoId, role } = ngoOf(req);
    if (playerId !== me(req).player.id && role !== "admin") throw new HttpError(403, "forbidden", `This needs the admin role in this NGO; yours is ${role}`);
    const result = await removeMember(db, ngoId, playerId);
    if (!result.ok) throw ngoRefusal(result);
    deps.logger.info({ ngoId, by: me(req).player.id, playerId }, "ngo member removed");
    res.status(204).end();
  });

  return router;
}
