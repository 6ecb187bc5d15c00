/**
 * Dedications at checkout and on the giver's side: where one may go (checked
 * before anything is written), storing it with the pending order (same
 * transaction), and how its giver sees it (My donations, the receipt page).
 * Delivery on its date is services/dedication-delivery.ts.
 */
import { inArray, eq } from "drizzle-orm";
import { checkDeliveryDate, type Dedication, type DedicationView } from "../../shared/dedications.ts";
import { type RuleResult, refuse } from "../../shared/errors.ts";
import type { Locale } from "../../shared/money.ts";
import type { Db, Tx } from "../db/connect.ts";
import { giftDedications, villages } from "../db/schema.ts";
import { mayVisit } from "./friends.ts";

/**
 * A dedication may be made now: its date is today up to a year ahead, and a village it goes to is
 * someone else's the giver may visit (a friend's or a public one, never across a block, never a
 * deleted account's). A stranger's private village answers village_private, as a visit would.
 */
export async function checkDedication(db: Db, giverId: string, dedication: Dedication, now: number): Promise<RuleResult<object>> {
  const late = checkDeliveryDate(dedication.deliverOn, now);
  if (late) return late;
  if (dedication.to.kind === "email") return { ok: true };
  const allowed = await mayVisit(db, giverId, dedication.to.villageId);
  if (!allowed.ok) return allowed;
  if (allowed.owner) return refuse("dedication_own_village", "A dedication goes to someone else's village");
  return { ok: true };
}

/** Stores the dedication of a pending order (in the order's transaction). */
export async function insertDedication(tx: Tx, orderId: string, giverId: string, d: Dedication, locale: Locale): Promise<void> {
  await tx.insert(giftDedications).values({
    orderId, giverId, honoreeName: d.honoreeName, message: d.message, deliverOn: d.deliverOn, kind: d.to.kind,
    villageId: d.to.kind === "village" ? d.to.villageId : null, email: d.to.kind === "email" ? d.to.email : null,
    showGiverName: d.showGiverName, locale,
  });
}

/** The dedications of these orders, as their giver sees them (keyed by order id). */
export async function dedicationsOfOrders(db: Db, orderIds: readonly string[]): Promise<Map<string, DedicationView>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db
    .select({ d: giftDedications, villageName: villages.name })
    .from(giftDedications)
    .leftJoin(villages, eq(villages.id, giftDedications.villageId))
    .where(inArray(giftDedications.orderId, [...orderIds]));
  return new Map(rows.map(({ d, villageName }) => [d.orderId, {
    honoreeName: d.honoreeName, message: d.message, deliverOn: d.deliverOn, showGiverName: d.showGiverName, status: d.status,
    to: d.kind === "village" ? { kind: "village", villageName: villageName ?? "" } : { kind: "email", email: d.email ?? "" },
  } satisfies DedicationView]));
}
