/**
 * Campaign events over Colyseus presence (in process, or Redis pub/sub with
 * REDIS_URL), so every process hears them:
 * - "progress changed" on a campaign's own channel, after a payment, refund
 *   or dispute that touched one of its gifts committed (or after the NGO
 *   corrected it): each CampaignRoom re-reads its progress from the database;
 * - an emergency on one global channel, when an emergency campaign is
 *   published: every village room tells its clients at once. The message
 *   carries the public facts, so no room has to read anything.
 *
 * One presence subscription per process fans emergencies out to its rooms
 * (a subscription per room would pile listeners on one channel).
 */
import type { Presence } from "@colyseus/core";
import { watchChannel } from "./fan-out.ts";
import type { Logger } from "pino";
import type { EmergencyMessage } from "../../shared/messages.ts";
import type { Db } from "../db/connect.ts";
import { campaignsOfOrder } from "../services/campaign-progress.ts";

export function campaignChannel(campaignId: string): string {
  return `hameau:campaign:${campaignId}`;
}

export const EMERGENCY_CHANNEL = "hameau:emergency";

export interface CampaignChanged {
  kind: "progress-changed";
}

export async function publishCampaignChanged(presence: Presence, campaignId: string): Promise<void> {
  const event: CampaignChanged = { kind: "progress-changed" };
  await presence.publish(campaignChannel(campaignId), event);
}

/**
 * After a payment event committed: tells the rooms of every published campaign that counts one of
 * the order's gifts. Never fails the webhook: progress is read from the database anyway, only the
 * live update would be late.
 */
export async function announceCampaignsOfOrder(deps: { db: Db; presence: Presence; logger: Logger }, orderId: string): Promise<void> {
  try {
    for (const id of await campaignsOfOrder(deps.db, orderId)) await publishCampaignChanged(deps.presence, id);
  } catch (err) {
    deps.logger.warn({ err, orderId }, "campaign progress announcement failed");
  }
}

export async function announceEmergency(presence: Presence, message: EmergencyMessage): Promise<void> {
  await presence.publish(EMERGENCY_CHANNEL, message);
}

function isEmergencyMessage(value: unknown): value is EmergencyMessage {
  const v = value as Partial<EmergencyMessage> | null;
  return typeof v === "object" && v !== null && typeof v.campaignId === "string" && typeof v.endsAt === "string" && Array.isArray(v.giftIds);
}

/** Calls `listener` for every emergency published (any process) until the returned function is called. */
export function watchEmergencies(presence: Presence, listener: (event: EmergencyMessage) => void): Promise<() => void> {
  return watchChannel(presence, EMERGENCY_CHANNEL, isEmergencyMessage, listener);
}
