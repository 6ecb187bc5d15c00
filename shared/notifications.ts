/**
 * A player's notifications (GET /api/notifications, POST /api/notifications/read,
 * and the owner-only "notification" room message): request schemas (zod,
 * validated by the server) and response types, shared by both sides.
 *
 * Privacy: a notification never carries an amount. A gift from someone else
 * names its giver only when the giver allowed it (fromName, else null). A
 * friend request or an accepted one carries only the other player's public
 * name and id (the id is what accepting needs), and is never written for a
 * player blocked either way.
 */
import { z } from "zod";
import type { PlayerView, Translated } from "./api.ts";
import type { DedicationReceivedPayload } from "./dedications.ts";

export const NOTIFICATION_KINDS = [
  "gift_received", "gift_withdrawn", "impact_update", "gift_restored", "ngo_invitation", "milestone_reached", "friend_request", "friend_accepted",
  "crops_helped", "thanks_received",
  "dedication_received",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A gift a notification is about, with what the client needs to show it without the catalog. */
export interface NotificationGift {
  giftId: string;
  quantity: number;
  /** The gift's catalog name; { fr: "", en: "" } if the gift is no longer known. */
  name: Translated;
  /** Sprite name under /assets/sprites (same as the catalog's). */
  sprite: string;
}

/** Someone gave gifts into my village (a friend, or anyone for a public village). */
export interface GiftReceivedPayload {
  orderId: string;
  villageId: string;
  /** The giver's name, only if they allowed it (and still have an account); null otherwise. */
  fromName: string | null;
  gifts: NotificationGift[];
  /** Whether I already thanked the giver for it (POST /api/thanks/:orderId, once per gift). */
  thanked: boolean;
}

/** Gifts left my village because their payment was refunded or lost in a dispute. */
export interface GiftWithdrawnPayload {
  orderId: string;
  reason: "refunded" | "dispute_lost";
  /** The village items that left. */
  items: Array<{ itemId: string; giftId: string }>;
  /** The same, grouped per gift. */
  gifts: NotificationGift[];
}

/** Gifts came back to my village: the refund that had taken them failed or shrank. */
export interface GiftRestoredPayload {
  orderId: string;
  /** The village items back in the village. */
  items: Array<{ itemId: string; giftId: string }>;
  /** The same, grouped per gift. */
  gifts: NotificationGift[];
}

/** An NGO posted news about a project I gave to (shared/impact-updates.ts); the feed shows it in full. */
export interface ImpactUpdatePayload {
  updateId: string;
  ngo: { id: string; name: string };
  project: { id: string; name: Translated };
  title: Translated;
  /** The update's photo (/media/photos/:id), null without one. */
  photoUrl: string | null;
}

/** An NGO admin invited me to join the NGO with a role: I accept or decline in the NGO console. */
export interface NgoInvitationPayload {
  ngo: { id: string; name: string };
  role: "admin" | "editor" | "viewer";
}

/**
 * A campaign I gave to reached milestones (shared/milestones.ts): their shared decorations are in my
 * village now (or in its barn when it was full). Kept even if a refund lowers the progress later.
 */
export interface MilestoneReachedPayload {
  campaign: { id: string; title: Translated };
  milestones: Array<{ id: string; percent: number; title: Translated; sprite: string }>;
  /** The village items given. */
  itemIds: string[];
}

/** Someone asked to be my friend: accept with POST /api/friends/:id/accept (from.id). */
export interface FriendRequestPayload {
  from: PlayerView;
}

/** Someone accepted my friend request (or my invite link): we are friends now. */
export interface FriendAcceptedPayload {
  friend: PlayerView;
}

/**
 * Someone who may visit my village watered my crops. One notification per helper per
 * HELP_NOTICE_WINDOW_MS while unread: more waterings add to its count instead of writing another.
 */
export interface CropsHelpedPayload {
  helper: PlayerView;
  /** How many waterings this notice counts. */
  count: number;
  /** The kinds of crops watered (shared/farming.ts CropKind), each once. */
  crops: string[];
}

/** A batch of helps grows for this long, while unread; then the next help starts a new notice. */
export const HELP_NOTICE_WINDOW_MS = 60 * 60_000;

/**
 * The owner of a village I gave into thanked me (shared/neighbours.ts): the village's name (which I
 * chose to give into), their note and/or the decoration now in my village. Never the owner's account.
 */
export interface ThanksReceivedPayload {
  orderId: string;
  villageName: string;
  note: string | null;
  decoration: { id: string; sprite: string; name: Translated } | null;
  gifts: NotificationGift[];
}

/** The notification kinds about friends (removed with the request, a block, or the other's account). */
export const FRIEND_NOTIFICATION_KINDS = ["friend_request", "friend_accepted"] as const;

interface NotificationBase {
  id: string;
  /** ISO date-time. */
  createdAt: string;
  /** ISO date-time, null while unread. */
  readAt: string | null;
}

export type NotificationView =
  | (NotificationBase & { kind: "gift_received"; payload: GiftReceivedPayload })
  | (NotificationBase & { kind: "gift_withdrawn"; payload: GiftWithdrawnPayload })
  | (NotificationBase & { kind: "gift_restored"; payload: GiftRestoredPayload })
  | (NotificationBase & { kind: "impact_update"; payload: ImpactUpdatePayload })
  | (NotificationBase & { kind: "ngo_invitation"; payload: NgoInvitationPayload })
  | (NotificationBase & { kind: "milestone_reached"; payload: MilestoneReachedPayload })
  | (NotificationBase & { kind: "friend_request"; payload: FriendRequestPayload })
  | (NotificationBase & { kind: "friend_accepted"; payload: FriendAcceptedPayload })
  | (NotificationBase & { kind: "crops_helped"; payload: CropsHelpedPayload })
  | (NotificationBase & { kind: "thanks_received"; payload: ThanksReceivedPayload })
  | (NotificationBase & { kind: "dedication_received"; payload: DedicationReceivedPayload });

/** How many notifications GET /api/notifications returns at most (?limit=, newest first). */
export const NOTIFICATIONS_DEFAULT_LIMIT = 50;
export const NOTIFICATIONS_MAX_LIMIT = 100;

/** GET /api/notifications query: ?limit= (1 to NOTIFICATIONS_MAX_LIMIT). */
export const NotificationsQuery = z.object({
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int({ error: "limit must be a whole number" })
    .min(1, { error: "limit must be at least 1" })
    .max(NOTIFICATIONS_MAX_LIMIT, { error: `limit must be at most ${NOTIFICATIONS_MAX_LIMIT}` })
    .default(NOTIFICATIONS_DEFAULT_LIMIT),
});

export interface NotificationsResponse {
  /** The player's own notifications, newest first. */
  notifications: NotificationView[];
  /** How many of all the player's notifications are unread (not only those listed). */
  unread: number;
}

/** POST /api/notifications/read: mark these as read. Ids that are not mine (or unknown) are ignored. */
export const MarkNotificationsReadRequest = z.object({
  ids: z
    .array(z.uuid({ error: "ids must be notification ids" }), { error: "ids must be a list of notification ids" })
    .min(1, { error: "ids must not be empty" })
    .max(NOTIFICATIONS_MAX_LIMIT, { error: `at most ${NOTIFICATIONS_MAX_LIMIT} ids at once` }),
});
export type MarkNotificationsReadRequest = z.input<typeof MarkNotificationsReadRequest>;

export interface MarkNotificationsReadResponse {
  /** How many of mine became read now (already read ones and others' ids do not count). */
  marked: number;
  unread: number;
}

/**
 * server → one player's clients only (in whichever village room they are): a
 * notification was just created for them. Never sent to anyone else present.
 */
export interface NotificationMessage {
  notification: NotificationView;
  unread: number;
}
