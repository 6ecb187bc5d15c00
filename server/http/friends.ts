/**
 * /api/friends and /api/blocks: friend requests by name, invite links,
 * accept / decline / remove, blocks. Friends need an account (a guest lives
 * on one device only, so nobody could find them again); blocking does not,
 * nor does reading who sent an invite link. A request and an acceptance ring
 * the other player's bell live, wherever they play.
 */
import express, { type Request, type RequestHandler, type Router } from "express";
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import { FriendRequestByName, InvitePreviewRequest, type InvitePreviewResponse, type InviteResponse } from "../../shared/social.ts";
import type { Db } from "../db/connect.ts";
import type { Told } from "../services/friend-notifications.ts";
import {
  acceptFriend, acceptInvite, blockPlayer, createInvite, listFriends, previewInvite, removeFriend, requestFriend, revokeInvites, unblockPlayer,
} from "../services/friends.ts";
import { publishPlayerEvent } from "../realtime/player-events.ts";
import { announceVisitsChanged } from "../realtime/room-access.ts";
import { me, requirePlayer } from "./auth.ts";
import { HttpError, fromRule, fromZod, idParam } from "./errors.ts";

export function friendsRouter(deps: { db: Db; presence: Presence; publicUrl: () => string; logger: Logger }): Router {
  const router = express.Router();
  const auth = requirePlayer(deps.db);
  const account: RequestHandler = (req, _res, next) =>
    next(me(req).account ? undefined : new HttpError(403, "account_required", "Create an account to have friends"));
  const myId = (req: Request) => me(req).player.id;
  const playerParam = (req: Request) => idParam(req.params.playerId, "No such player");
  const done = (result: { ok: true } | Parameters<typeof fromRule>[0]) => {
    if (!result.ok) throw fromRule(result);
  };
  /** The notifications written are stored already: a failed live push only means the bell learns at its next read. */
  const push = async (told: Told[]) => {
    for (const t of told) {
      await publishPlayerEvent(deps.presence, t.playerId, { kind: "notification", notificationId: t.notificationId })
        .catch((err: unknown) => deps.logger.warn({ err }, "live notification push failed"));
    }
  };

  router.get("/api/friends", auth, account, async (req, res) => {
    res.json(await listFriends(deps.db, deps.presence, myId(req)));
  });

  router.post("/api/friends/requests", auth, account, async (req, res) => {
    const parsed = FriendRequestByName.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await requestFriend(deps.db, myId(req), parsed.data.name);
    if (!result.ok) throw fromRule(result);
    res.status(201).json({ friend: result.friend, status: result.status });
    await push(result.told);
  });

  router.post("/api/friends/invites", auth, account, async (req, res) => {
    const invite = await createInvite(deps.db, myId(req));
    const url = new URL("/", deps.publicUrl());
    url.searchParams.set("invite", invite.token);
    const body: InviteResponse = { url: url.toString(), token: invite.token, expiresAt: invite.expiresAt.toISOString() };
    res.status(201).json(body);
  });

  router.delete("/api/friends/invites", auth, account, async (req, res) => {
    res.json({ revoked: await revokeInvites(deps.db, myId(req)) });
  });

  router.post("/api/friends/invites/accept", auth, account, async (req, res) => {
    const token = (req.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== "string") throw new HttpError(400, "bad_request", "token must be the invite token from the link");
    const result = await acceptInvite(deps.db, myId(req), token);
    if (!result.ok) throw fromRule(result);
    res.json({ friend: result.friend, status: "friend" });
    await push(result.told);
  });

  // Who sent the link the page was opened with (a guest is asked to sign up first: no account needed here).
  router.post("/api/friends/invites/preview", auth, async (req, res) => {
    const parsed = InvitePreviewRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const result = await previewInvite(deps.db, myId(req), parsed.data.token);
    if (!result.ok) throw fromRule(result);
    const body: InvitePreviewResponse = { inviter: result.inviter };
    res.json(body);
  });

  router.post("/api/friends/:playerId/accept", auth, account, async (req, res) => {
    const result = await acceptFriend(deps.db, myId(req), playerParam(req));
    if (!result.ok) throw fromRule(result);
    res.status(204).end();
    await push(result.told);
  });

  // Removing a friend, or blocking: whoever of the two is visiting the other's village and may not stay leaves, live.
  router.delete("/api/friends/:playerId", auth, account, async (req, res) => {
    done(await removeFriend(deps.db, myId(req), playerParam(req)));
    await announceVisitsChanged(deps.presence, [myId(req), playerParam(req)]);
    res.status(204).end();
  });

  // Anyone signed in may block (an owner sending a stranger away from a public village, too).
  router.post("/api/blocks/:playerId", auth, async (req, res) => {
    done(await blockPlayer(deps.db, myId(req), playerParam(req)));
    await announceVisitsChanged(deps.presence, [myId(req), playerParam(req)]);
    res.status(204).end();
  });

  router.delete("/api/blocks/:playerId", auth, async (req, res) => {
    done(await unblockPlayer(deps.db, myId(req), playerParam(req)));
    res.status(204).end();
  });

  return router;
}
