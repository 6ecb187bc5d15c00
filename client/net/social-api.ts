/**
 * The accounts, friends, notifications and privacy API (server/http/account.ts,
 * friends.ts, notifications.ts, and the data export and deletion routes), with
 * the types of shared/social.ts, notifications.ts and privacy.ts. Refusals
 * become ApiError like the rest of the API.
 */
import type { PlayerView, SessionResponse } from "../../shared/api.ts";
import type {
  MarkNotificationsReadRequest, MarkNotificationsReadResponse, NotificationsResponse,
} from "../../shared/notifications.ts";
import type { DeleteAccountRequest } from "../../shared/privacy.ts";
import type {
  CompletePasswordResetRequest, ConfirmationPreviewRequest, ConfirmationPreviewResponse, ConfirmSignUpRequest, FriendRequestByName, FriendsResponse, InvitePreviewRequest, InvitePreviewResponse, InviteResponse, PasswordResetRequest,
  PasswordResetResponse, PrivacySettings, SettingsRequest, SignInRequest, SignUpRequest, SignUpResponse,
} from "../../shared/social.ts";
import { request } from "./api.ts";

const id = (playerId: string) => encodeURIComponent(playerId);

export const accountApi = {
  /**
   * Asks for an account: the server mails a confirmation link (or, for an email that already has an
   * account, a note saying so) and answers the same either way. With a guest's token, the guest's
   * player and village become the account's once the link is opened in this browser.
   */
  signUp: (guestToken: string | undefined, body: SignUpRequest) =>
    request<SignUpResponse>("POST", "/api/account/signup", { token: guestToken, body }),
  /** The name a mailed confirmation link was made with (the link stays unused). */
  previewConfirmation: (body: ConfirmationPreviewRequest) =>
    request<ConfirmationPreviewResponse>("POST", "/api/account/confirm/preview", { body }),
  /** Creates the account of a mailed confirmation link, with the password (and the name) chosen now. */
  confirm: (currentToken: string | undefined, body: ConfirmSignUpRequest) =>
    request<SessionResponse>("POST", "/api/account/confirm", { token: currentToken, body }),
  /** Mails a reset link (or, for an unknown address, a note saying so); the same answer either way. */
  requestPasswordReset: (body: PasswordResetRequest) => request<PasswordResetResponse>("POST", "/api/account/password-reset", { body }),
  /** Sets a new password from a mailed reset link: every other session of the account ends. */
  completePasswordReset: (body: CompletePasswordResetRequest) =>
    request<SessionResponse>("POST", "/api/account/password-reset/complete", { body }),
  signIn: (body: SignInRequest) => request<SessionResponse>("POST", "/api/account/signin", { body }),
  /** Revokes this session only (other devices stay signed in). */
  signOut: (token: string) => request<null>("POST", "/api/account/signout", { token }),
  saveSettings: (token: string, body: SettingsRequest) => request<PrivacySettings>("PATCH", "/api/account/settings", { token, body }),
};

export const friendsApi = {
  list: (token: string) => request<FriendsResponse>("GET", "/api/friends", { token }),
  requestByName: (token: string, body: FriendRequestByName) =>
    request<{ friend: PlayerView; status: "friend" | "outgoing" }>("POST", "/api/friends/requests", { token, body }),
  accept: (token: string, playerId: string) => request<null>("POST", `/api/friends/${id(playerId)}/accept`, { token }),
  /** Declines a request, cancels mine, or ends a friendship. */
  remove: (token: string, playerId: string) => request<null>("DELETE", `/api/friends/${id(playerId)}`, { token }),
  block: (token: string, playerId: string) => request<null>("POST", `/api/blocks/${id(playerId)}`, { token }),
  unblock: (token: string, playerId: string) => request<null>("DELETE", `/api/blocks/${id(playerId)}`, { token }),
  createInvite: (token: string) => request<InviteResponse>("POST", "/api/friends/invites", { token }),
  /** Withdraws every invite link of mine that still works. */
  revokeInvites: (token: string) => request<{ revoked: number }>("DELETE", "/api/friends/invites", { token }),
  /** Who sent an invite link (404 invite_invalid when it names nobody: unknown, expired, withdrawn, deleted or blocked inviter). */
  previewInvite: (token: string, body: InvitePreviewRequest) => request<InvitePreviewResponse>("POST", "/api/friends/invites/preview", { token, body }),
  acceptInvite: (token: string, inviteToken: string) =>
    request<{ friend: PlayerView; status: "friend" }>("POST", "/api/friends/invites/accept", { token, body: { token: inviteToken } }),
};

export const notificationsApi = {
  /** My notifications, newest first, and how many are unread. */
  list: (token: string) => request<NotificationsResponse>("GET", "/api/notifications", { token }),
  markRead: (token: string, body: MarkNotificationsReadRequest) =>
    request<MarkNotificationsReadResponse>("POST", "/api/notifications/read", { token, body }),
};

export const privacyApi = {
  /** GET /api/me/export: the JSON document, downloaded as a file (see client/net/download.ts). */
  exportPath: "/api/me/export",
  /** Deletes my account (and a guest's village); the session ends with it. */
  deleteAccount: (token: string, body: DeleteAccountRequest) => request<null>("DELETE", "/api/me", { token, body }),
};
