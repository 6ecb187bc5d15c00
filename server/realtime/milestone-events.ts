/**
 * After a payment's fulfilment committed: the milestones of every published
 * campaign counting one of the order's gifts are checked (server/services/
 * milestones.ts reaches each once), and each village given a decoration hears
 * it live ("items-added" on its channel: an open village room reloads) with
 * its owner's milestone_reached notification pushed. Never fails the webhook:
 * the next payment for the campaign grants what a failure here left out.
 */
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import type { Db } from "../db/connect.ts";
import { campaignsOfOrder } from "../services/campaign-progress.ts";
import { reachMilestones } from "../services/milestones.ts";
import { publishPlayerEvent } from "./player-events.ts";
import { publishVillageEvent } from "./village-events.ts";

export async function reachMilestonesOfOrder(deps: { db: Db; presence: Presence; logger: Logger; now: () => number }, orderId: string): Promise<void> {
  try {
    for (const campaignId of await campaignsOfOrder(deps.db, orderId)) {
      const { reached, granted } = await reachMilestones(deps.db, campaignId, deps.now());
      if (reached.length > 0) deps.logger.info({ campaignId, milestones: reached.map((m) => m.percent), villages: granted.length }, "campaign milestones reached");
      for (const g of granted) {
        await publishVillageEvent(deps.presence, g.villageId, { kind: "items-added", itemIds: g.itemIds });
        await publishPlayerEvent(deps.presence, g.playerId, { kind: "notification", notificationId: g.notificationId });
      }
    }
  } catch (err) {
    deps.logger.error({ err, orderId }, "campaign milestones not checked");
  }
}
