/**
 * Accounts, friends and privacy settings: the API's request schemas (zod,
 * validated by the server) and response types, shared by both sides.
 */
import { z } from "zod";
import { LocaleSchema, type PlayerView } from "./api.ts";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const Email = z
  .string({ error: "email must be text" })
  .trim()
  .toLowerCase()
  .max(254, { error: "email is too long" })
  .pipe(z.email({ error: "email must be an email address" }));
const Password = z
  .string({ error: "password must be text" })
  .min(PASSWORD_MIN, { error: `password needs at least ${PASSWORD_MIN} characters` })
  .max(PASSWORD_MAX, { error: `password has at most ${PASSWORD_MAX} characters` });

/**
 * Sign up. With a guest's bearer token, the guest's player and village become the account's once
 * the email is confirmed from that guest's browser. `locale` chooses the language of the mail
 * (French by default). No password here: it is chosen from the mailed link (ConfirmSignUpRequest),
 * by whoever reads the mail; a password sent with a sign-up is ignored.
 */
export const SignUpRequest = z.object({
  email: Email,
  name: z.string({ error: "name must be text" }).max(200),
  locale: LocaleSchema.default("fr"),
});
export type SignUpRequest = z.input<typeof SignUpRequest>;

/**
 * The one answer to a valid sign-up (202), whether the email is new or already has an account: a
 * mail went to the address either way (a confirmation link, or "you already have an account").
 */
export interface SignUpResponse {
  status: "confirmation_sent";
}

const LinkToken = z.string({ error: "token must be text" }).min(1, { error: "token is missing" }).max(200);

/**
 * Confirm a sign-up with the token from the mailed link (`/?confirm=<token>`) and the account's
 * password, chosen now, and optionally another name than the one given at sign-up: answers a
 * SessionResponse (201). Sent with the bearer token of the guest who signed up, the guest's player
 * and village become the account's.
 */
export const ConfirmSignUpRequest = z.object({ token: LinkToken, password: Password, name: z.string({ error: "name must be text" }).max(200).optional() });
export type ConfirmSignUpRequest = z.input<typeof ConfirmSignUpRequest>;

/** What a confirmation link is for, before it is used (the form shows the name, which can be changed). */
export const ConfirmationPreviewRequest = z.object({ token: LinkToken });
export type ConfirmationPreviewRequest = z.input<typeof ConfirmationPreviewRequest>;

export interface ConfirmationPreviewResponse {
  name: string;
}

/** Ask for a password reset link by mail. Always answered 202 PasswordResetResponse, account or not. */
export const PasswordResetRequest = z.object({ email: Email, locale: LocaleSchema.default("fr") });
export type PasswordResetRequest = z.input<typeof PasswordResetRequest>;

export interface PasswordResetResponse {
  status: "reset_sent";
}

/**
 * Set a new password with the token from the mailed link (`/?reset=<token>`): answers a
 * SessionResponse (200); every other session of the account has ended.
 */
export const CompletePasswordResetRequest = z.object({ token: LinkToken, password: Password });
export type CompletePasswordResetRequest = z.input<typeof CompletePasswordResetRequest>;

export const SignInRequest = z.object({ email: Email, password: z.string({ error: "password must be text" }).max(PASSWORD_MAX) });
export type SignInRequest = z.input<typeof SignInRequest>;

export const VILLAGE_VISIBILITIES = ["friends", "public"] as const;
export type VillageVisibility = (typeof VILLAGE_VISIBILITIES)[number];

export interface PrivacySettings {
  /** Who may visit: friends only (default) or anyone. */
  villageVisibility: VillageVisibility;
  /** Whether friends see that I am online and where (off by default). */
  showPresence: boolean;
  /** Whether my village may be named on campaign leaderboards (off by default; units only, never amounts). */
  showOnLeaderboards: boolean;
  /** Whether, when named on a leaderboard, the amount I gave is shown too (off by default; only with showOnLeaderboards). */
  showAmountsOnLeaderboards: boolean;
  /** Whether my share links carry my referral code, so I see what they brought (on by default; counts only, never who gave). */
  shareReferrals: boolean;
  /** Whether a monthly mail tells the news of the projects I gave to (off by default; accounts only). */
  impactDigest: boolean;
}

export const SettingsRequest = z
  .object({
    villageVisibility: z.enum(VILLAGE_VISIBILITIES).optional(),
    showPresence: z.boolean().optional(),
    showOnLeaderboards: z.boolean({ error: "showOnLeaderboards must be true or false" }).optional(),
    showAmountsOnLeaderboards: z.boolean({ error: "showAmountsOnLeaderboards must be true or false" }).optional(),
    shareReferrals: z.boolean({ error: "shareReferrals must be true or false" }).optional(),
    impactDigest: z.boolean({ error: "impactDigest must be true or false" }).optional(),
  })
  .strict();
export type SettingsRequest = z.input<typeof SettingsRequest>;

export const FriendRequestByName = z.object({ name: z.string({ error: "name must be text" }).max(200) });
export type FriendRequestByName = z.input<typeof FriendRequestByName>;

export type FriendStatus = "friend" | "incoming" | "outgoing";

export interface FriendView {
  player: PlayerView;
  status: FriendStatus;
  villageId: string;
  /** Where the friend is now, only if they are online and share it (friends only). */
  online: { villageId: string } | null;
}

export interface FriendsResponse {
  friends: FriendView[];
  blocked: PlayerView[];
}

export interface InviteResponse {
  /** The link to share; whoever opens it while signed in becomes a friend. */
  url: string;
  token: string;
  expiresAt: string;
}

/**
 * What an invite link says before it is used (POST /api/friends/invites/preview, any session, a
 * guest's too): who invited you. An unknown, expired or withdrawn link, one whose inviter deleted
 * their account, and one across a block either way are all 404 `invite_invalid`: no name.
 */
export const InvitePreviewRequest = z.object({
  token: z.string({ error: "token must be the invite token from the link" }).min(1, { error: "token is missing" }).max(200),
});
export type InvitePreviewRequest = z.input<typeof InvitePreviewRequest>;

export interface InvitePreviewResponse {
  inviter: { name: string };
}
