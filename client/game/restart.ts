/**
 * Changing who plays on this device (sign up, sign in, sign out) stores the
 * new token and reloads the page: the village room, the scene and every panel
 * then start again from the new session, with nothing left over from the old
 * one. A short notice survives the reload (sessionStorage) and is shown once.
 */
import type { MessageKey } from "../i18n.ts";
import { storeToken } from "../net/session.ts";

const NOTICE_KEY = "hameau.notice";

/** What the player is told after the reload. */
export const NOTICES = {
  signedUp: "account.notice.signedUp",
  accountReady: "account.notice.accountReady",
  passwordReset: "account.notice.passwordReset",
  signedIn: "account.notice.signedIn",
  signedOut: "account.notice.signedOut",
  deleted: "account.notice.deleted",
} as const satisfies Record<string, MessageKey>;
export type Notice = keyof typeof NOTICES;

export function restartAs(token: string | null, notice: Notice): void {
  storeToken(token);
  try {
    sessionStorage.setItem(NOTICE_KEY, notice);
  } catch {
    // No sessionStorage: the page reloads without the notice.
  }
  location.reload();
}

/** The notice left by restartAs, once. */
export function takeNotice(): Notice | null {
  try {
    const raw = sessionStorage.getItem(NOTICE_KEY);
    sessionStorage.removeItem(NOTICE_KEY);
    return raw && Object.hasOwn(NOTICES, raw) ? (raw as Notice) : null;
  } catch {
    return null;
  }
}
