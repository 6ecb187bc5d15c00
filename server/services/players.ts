/**
 * Guest identities: a player, their village and a bearer token, created in
 * one transaction. Only the token's SHA-256 is stored; the token is shown once.
 */
import { createHash, randomBytes, randomInt } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { MeResponse, SessionResponse } from "../../shared/api.ts";
import type { Db } from "../db/connect.ts";
import { accounts, players, sessions, villages } from "../db/schema.ts";
import { createStarterVillage } from "./villages.ts";

const NAMES = ["Capucine", "Basilic", "Lavande", "Romarin", "Coquelicot", "Tournesol", "Myrtille", "Sorgho", "Manioc", "Baobab", "Karité", "Mimosa"];

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createGuest(db: Db): Promise<SessionResponse> {
  const token = `hg_${randomBytes(32).toString("base64url")}`;
  const name = `${NAMES[randomInt(NAMES.length)]} ${randomInt(10, 1000)}`;
  return db.transaction(async (tx) => {
    const [player] = await tx.insert(players).values({ displayName: name }).returning();
    if (!player) throw new Error("player insert returned nothing");
    await tx.insert(sessions).values({ tokenHash: hashToken(token), playerId: player.id });
    const villageId = await createStarterVillage(tx, player.id, name);
    return { token, player: { id: player.id, name: player.displayName }, villageId };
  });
}

/** The player behind a bearer token (a session not expired), or null. */
export async function authenticate(db: Db, token: string | undefined | null): Promise<MeResponse | null> {
  if (!token || token.length > 200) return null;
  return authenticateSession(db, hashToken(token));
}

/** The player behind a stored session (its token's SHA-256), if that session has not ended nor expired. */
export async function authenticateSession(db: Db, sessionHash: string): Promise<MeResponse | null> {
  const [row] = await db
    .select({
      id: players.id, name: players.displayName, villageId: villages.id, email: accounts.email,
      villageVisibility: players.villageVisibility, showPresence: players.showPresence, showOnLeaderboards: players.showOnLeaderboards,
      shareReferrals: players.shareReferrals, showAmountsOnLeaderboards: players.showAmountsOnLeaderboards, impactDigest: players.impactDigest,
    })
    .from(sessions)
    .innerJoin(players, eq(players.id, sessions.playerId))
    .innerJoin(villages, eq(villages.ownerId, players.id))
    .leftJoin(accounts, eq(accounts.playerId, players.id))
    .where(and(eq(sessions.tokenHash, sessionHash), gt(sessions.expiresAt, sql`now()`)))
    .limit(1);
  if (!row) return null;
  return {
    player: { id: row.id, name: row.name },
    villageId: row.villageId,
    account: row.email ? { email: row.email } : null,
    settings: { villageVisibility: row.villageVisibility, showPresence: row.showPresence, showOnLeaderboards: row.showOnLeaderboards, shareReferrals: row.shareReferrals,
      showAmountsOnLeaderboards: row.showAmountsOnLeaderboards, impactDigest: row.impactDigest,
    },
  };
}
