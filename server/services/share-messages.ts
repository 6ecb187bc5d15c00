/**
 * The share messages an NGO wrote for a campaign (FR/EN; a general text and
 * per-channel texts, "" keeping the default of shared/share.ts), stored in
 * campaign_share_messages and served with the campaign to players.
 */
import { inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { ShareMessagesRequest } from "../../shared/referrals.ts";
import { EMPTY_SHARE_TEXTS, type ShareMessages } from "../../shared/share.ts";
import type { Db } from "../db/connect.ts";
import { campaignShareMessages } from "../db/schema.ts";

export const EMPTY_SHARE_MESSAGES: ShareMessages = { fr: { ...EMPTY_SHARE_TEXTS }, en: { ...EMPTY_SHARE_TEXTS } };

/** Fills what an old or partial stored value lacks, so every field is a string. */
function complete(m: Partial<ShareMessages> | null | undefined): ShareMessages {
  return { fr: { ...EMPTY_SHARE_TEXTS, ...m?.fr }, en: { ...EMPTY_SHARE_TEXTS, ...m?.en } };
}

/** Each campaign's messages (all fields empty for one that has none). */
export async function shareMessagesOf(db: Db, campaignIds: readonly string[]): Promise<Map<string, ShareMessages>> {
  const out = new Map(campaignIds.map((id) => [id, complete(null)]));
  if (campaignIds.length === 0) return out;
  const rows = await db.select().from(campaignShareMessages).where(inArray(campaignShareMessages.campaignId, [...campaignIds]));
  for (const r of rows) out.set(r.campaignId, complete(r.messages));
  return out;
}

/** Replaces the campaign's messages (the caller checked the campaign is the NGO's). */
export async function saveShareMessages(db: Db, campaignId: string, messages: z.output<typeof ShareMessagesRequest>): Promise<ShareMessages> {
  const value = complete(messages);
  await db
    .insert(campaignShareMessages)
    .values({ campaignId, messages: value })
    .onConflictDoUpdate({ target: campaignShareMessages.campaignId, set: { messages: value, updatedAt: sql`now()` } });
  return value;
}
