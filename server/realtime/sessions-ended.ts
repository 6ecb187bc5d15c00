/**
 * Sessions that ended without a sign-out of their own: a password reset ends
 * every session of the account, a guest who becomes an account loses the
 * guest token. Their tokens stop working at once for the API and for joining
 * rooms (they are deleted); connections already open with them are what this
 * hook is for: it is called once per ending, after the commit, with the
 * SHA-256 of each ended token.
 */
export interface SessionsEnded {
  playerId: string;
  /** SHA-256 (hex) of every token that ended. */
  tokenHashes: string[];
  reason: "password_reset" | "signed_up";
}

export type SessionsEndedHook = (ended: SessionsEnded) => Promise<void>;
