/**
 * "Bob watered your wheat": the crops_helped notification an owner gets when
 * someone else waters their crops. Written in the watering's own transaction
 * (under the village lock, so two waterings never race here). Batched: while
 * the owner has not read it, and for HELP_NOTICE_WINDOW_MS after it was
 * written, one notice per helper counts every further watering instead of a
 * new one, so twenty waterings are one line in the bell and one live push.
 *
 * The payload holds the helper's id and public name (the owner already sees
 * helpers' names on their crops), never anything about anyone else. A block
 * or a deleted account takes it away like a friend notification
 * (friend-notifications.ts, PLAYER_NOTIFICATION_KINDS).
 */
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { HELP_NOTICE_WINDOW_MS } from "../../shared/notifications.ts";
import type { Tx } from "../db/connect.ts";
import { notifications, players } from "../db/schema.ts";
import { DEMO_NEIGHBOUR } from "../db/seed-neighbour.ts";
import type { Told } from "./friend-notifications.ts";

interface StoredHelp {
  playerId: string;
  name: string;
  count: number;
  crops: string[];
}

/** Notes one watering of `ownerId`'s crop by `helperId`; a new notice to push live, or null (added to one, or none due). */
export async function noteHelp(tx: Tx, input: { ownerId: string; helperId: string; cropKind: string; now: number }): Promise<Told | null> {
  // Nobody plays the demo neighbour: no bell to ring.
  if (input.helperId === input.ownerId || input.ownerId === DEMO_NEIGHBOUR.playerId) return null;
  const [open] = await tx
    .select({ id: notifications.id, payload: notifications.payload })
    .from(notifications)
    .where(and(
      eq(notifications.playerId, input.ownerId), eq(notifications.kind, "crops_helped"), isNull(notifications.readAt),
      sql`${notifications.payload}->>'playerId' = ${input.helperId}`, gt(notifications.createdAt, new Date(input.now - HELP_NOTICE_WINDOW_MS)),
    ))
    .orderBy(desc(notifications.createdAt))
    .limit(1);
  if (open) {
    const stored = open.payload as StoredHelp;
    const crops = stored.crops.includes(input.cropKind) ? stored.crops : [...stored.crops, input.cropKind];
    await tx.update(notifications).set({ payload: { ...stored, count: stored.count + 1, crops } }).where(eq(notifications.id, open.id));
    return null;
  }
  const [helper] = await tx.select({ name: players.displayName }).from(players).where(eq(players.id, input.helperId));
  if (!helper) return null;
  const payload: StoredHelp = { playerId: input.helperId, name: helper.name, count: 1, crops: [input.cropKind] };
  const [row] = await tx
    .insert(notifications)
    .values({ playerId: input.ownerId, kind: "crops_helped", payload, createdAt: new Date(input.now) })
    .returning({ id: notifications.id });
  return { playerId: input.ownerId, notificationId: row!.id };
}
