/**
 * The social tables: accounts (email and password), friendships, blocks and
 * invite links. Re-exported by schema.ts, so drizzle sees one schema.
 */
import { sql } from "drizzle-orm";
import { check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { players } from "./schema.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** A player who signed up. Guests have no row here; signing up keeps the guest's player and village. */
export const accounts = pgTable(
  "accounts",
  {
    playerId: uuid("player_id").primaryKey().references(() => players.id, { onDelete: "cascade" }),
    /** Trimmed and lower-cased. */
    email: text("email").notNull(),
    /** argon2id, PHC string format (parameters and salt included). */
    passwordHash: text("password_hash").notNull(),
    /** The display name, case-folded: unique among accounts, so friends can find each other by name. */
    nameKey: text("name_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("accounts_email").on(t.email), uniqueIndex("accounts_name_key").on(t.nameKey)],
);

/** A friend request (pending) or a friendship (accepted). One row per pair, whoever asked. */
export const friendLinks = pgTable(
  "friend_links",
  {
    requesterId: uuid("requester_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    addresseeId: uuid("addressee_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["pending", "accepted"] }).notNull().default("pending"),
    createdAt: createdAt(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.requesterId, t.addresseeId] }),
    uniqueIndex("friend_links_pair").using("btree", sql`least(${t.requesterId}, ${t.addresseeId})`, sql`greatest(${t.requesterId}, ${t.addresseeId})`),
    index("friend_links_addressee_idx").on(t.addresseeId),
    check("friend_links_not_self", sql`${t.requesterId} <> ${t.addresseeId}`),
    check("friend_links_status", sql`${t.status} in ('pending', 'accepted')`),
  ],
);

/** A player blocked by another: no requests, no visits, no friendship between them. */
export const blocks = pgTable(
  "blocks",
  {
    blockerId: uuid("blocker_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    blockedId: uuid("blocked_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] }), index("blocks_blocked_idx").on(t.blockedId), check("blocks_not_self", sql`${t.blockerId} <> ${t.blockedId}`)],
);

/** An invite link: whoever opens it while signed in becomes the inviter's friend, until it expires. */
export const friendInvites = pgTable(
  "friend_invites",
  {
    /** SHA-256 of the token in the link; the token itself is shown once. */
    tokenHash: text("token_hash").primaryKey(),
    inviterId: uuid("inviter_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("friend_invites_inviter_idx").on(t.inviterId)],
);

/**
 * A sign-up waiting for its email to be confirmed. Nothing else exists for it yet: the account,
 * and for a guest the move of their player to it, are made when the link is opened, and the
 * password is chosen there, by whoever reads the mail (a sign-up can name any address, so it holds
 * no password). One per email: signing up again replaces the older one, so only the newest link works.
 */
export const pendingSignups = pgTable(
  "pending_signups",
  {
    /** SHA-256 of the token in the confirmation link; the token itself is only in the mail. */
    tokenHash: text("token_hash").primaryKey(),
    /** Trimmed and lower-cased, as in accounts. */
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    nameKey: text("name_key").notNull(),
    /** The guest who signed up, if any: their player and village become the account's. */
    guestPlayerId: uuid("guest_player_id").references(() => players.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("pending_signups_email").on(t.email), index("pending_signups_expires_idx").on(t.expiresAt)],
);

/**
 * A password reset asked for by mail: the link's token (stored as SHA-256) sets a new password once,
 * within an hour. One per account: asking again replaces the older link.
 */
export const passwordResets = pgTable(
  "password_resets",
  {
    tokenHash: text("token_hash").primaryKey(),
    playerId: uuid("player_id").notNull().references(() => accounts.playerId, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("password_resets_player").on(t.playerId), index("password_resets_expires_idx").on(t.expiresAt)],
);

/**
 * The local outbox: without SMTP_URL (development, tests) mails are stored here instead of sent,
 * and shown on the TEST MODE page /dev/mail. Never written when SMTP_URL is set.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("mail_outbox_recipient_idx").on(t.recipient, t.createdAt)],
);
