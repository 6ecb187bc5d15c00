/**
 * "Your fundraiser's sign changed" over Colyseus presence (in process, or Redis
 * pub/sub with REDIS_URL), on a channel per owner: after a payment, refund or
 * dispute of an order given through one of their fundraisers committed, and
 * after they (or the NGO) changed one. The owner's village room, in whichever
 * process holds it, reads the sign again from the database.
 */
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import type { Db } from "../db/connect.ts";
import { fundraiserOwnerOfOrder } from "../services/fundraisers.ts";

export function fundraiserSignChannel(ownerId: string): string {
  return `hameau:fundraiser-sign:${ownerId}`;
}

export interface FundraiserSignChanged {
  kind: "fundraiser-sign-changed";
}

export async function publishSignChanged(presence: Presence, ownerId: string): Promise<void> {
  const event: FundraiserSignChanged = { kind: "fundraiser-sign-changed" };
  await presence.publish(fundraiserSignChannel(ownerId), event);
}

/** After a payment event committed: the sign of the fundraiser the order went through, if any. Never fails the webhook. */
export async function announceFundraiserOfOrder(deps: { db: Db; presence: Presence; logger: Logger }, orderId: string): Promise<void> {
  try {
    const ownerId = await fundraiserOwnerOfOrder(deps.db, orderId);
    if (ownerId) await publishSignChanged(deps.presence, ownerId);
  } catch (err) {
    deps.logger.warn({ err, orderId }, "fundraiser sign announcement failed");
  }
}
