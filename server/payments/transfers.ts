/**
 * Making one transfer or reversal owed in the outbox, at Stripe or simulated:
 * - a destination charge's transfer is made by Stripe with the payment: it is only
 *   looked up (the charge's `transfer`);
 * - a separate transfer is `transfers.create({ amount, currency, destination,
 *   transfer_group, source_transaction: <charge> })`;
 * - a reversal is `transfers.createReversal(<the NGO's transfer>, { amount })`.
 * The Stripe idempotency key is the row's obligation key, so a retry after a lost
 * answer gets the same object; past Stripe's 24 h key memory, a retry first looks
 * for the object by its metadata. In TEST MODE (no Stripe key, or a TEST MODE
 * order or simulated account) the ids are tr_test_local_… / trr_test_local_…,
 * derived from the obligation key, and no money moves.
 */
import { createHash } from "node:crypto";
import type Stripe from "stripe";
import { isSimulatedAccount, transferGroupOf } from "./charge-routing.ts";

/** An outbox row taken to be made, with what making it needs. */
export interface ClaimedTransfer {
  id: string;
  obligationKey: string;
  kind: "transfer" | "transfer_reversal";
  orderId: string;
  ngoId: string;
  amountCents: number;
  currency: string;
  chargeMode: "destination" | "separate";
  /** The NGO's connected account (the row's, else the NGO's current one). */
  destination: string | null;
  attempts: number;
  provider: "stripe" | "test";
  paymentIntentId: string | null;
  chargeId: string | null;
  /** For a reversal: the NGO's transfer for the order. */
  transferId: string | null;
}

export interface MadeTransfer {
  transferId: string;
  reversalId: string | null;
  destination: string | null;
  /** The order's charge, when it was looked up. */
  chargeId: string | null;
}

export const idempotencyKeyOf = (obligationKey: string) => `hameau-${obligationKey}`;

const simulatedId = (prefix: string, key: string) => `${prefix}_test_local_${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;

export function isSimulated(stripe: Stripe | null, row: ClaimedTransfer): boolean {
  return !stripe || row.provider === "test" || (row.destination !== null && isSimulatedAccount(row.destination));
}

/** TEST MODE: the transfer or reversal Stripe would make, with stable ids and no money moving. */
export function simulate(row: ClaimedTransfer): MadeTransfer {
  if (row.kind === "transfer") {
    return { transferId: simulatedId("tr", `transfer:${row.orderId}:${row.ngoId}`), reversalId: null, destination: row.destination, chargeId: null };
  }
  if (!row.transferId) throw new Error(`reversal ${row.obligationKey}: the NGO's transfer is not made yet`);
  return { transferId: row.transferId, reversalId: simulatedId("trr", row.obligationKey), destination: row.destination, chargeId: null };
}

const metadataOf = (row: ClaimedTransfer) => ({ orderId: row.orderId, ngoId: row.ngoId, obligation: row.obligationKey });
const idOf = (v: string | { id: string } | null | undefined) => (typeof v === "string" ? v : (v?.id ?? null));

/** The order's successful charge (by id when known, else by its payment intent). */
async function chargeOf(stripe: Stripe, row: ClaimedTransfer): Promise<Stripe.Charge> {
  if (row.chargeId) return stripe.charges.retrieve(row.chargeId);
  if (!row.paymentIntentId) throw new Error(`order ${row.orderId} has no payment intent`);
  const charges = await stripe.charges.list({ payment_intent: row.paymentIntentId, limit: 10 });
  const charge = charges.data.find((c) => c.paid && c.status === "succeeded");
  if (!charge) throw new Error(`no successful charge at Stripe for ${row.paymentIntentId} yet`);
  return charge;
}

export async function makeAtStripe(stripe: Stripe, row: ClaimedTransfer): Promise<MadeTransfer> {
  if (row.kind === "transfer_reversal") {
    if (!row.transferId) throw new Error(`reversal ${row.obligationKey}: the NGO's transfer is not made yet`);
    if (row.attempts > 1) {
      for await (const r of stripe.transfers.listReversals(row.transferId, { limit: 100 })) {
        if (r.metadata?.obligation === row.obligationKey) return { transferId: row.transferId, reversalId: r.id, destination: row.destination, chargeId: null };
      }
    }
    const reversal = await stripe.transfers.createReversal(
      row.transferId,
      { amount: row.amountCents, metadata: metadataOf(row) },
      { idempotencyKey: idempotencyKeyOf(row.obligationKey) },
    );
    return { transferId: row.transferId, reversalId: reversal.id, destination: row.destination, chargeId: null };
  }
  const charge = await chargeOf(stripe, row);
  if (row.chargeMode === "destination") {
    const transferId = idOf(charge.transfer);
    if (!transferId) throw new Error(`destination charge ${charge.id} has no transfer yet`);
    return { transferId, reversalId: null, destination: idOf(charge.transfer_data?.destination) ?? row.destination, chargeId: charge.id };
  }
  if (!row.destination) throw new Error(`NGO ${row.ngoId} has no connected Stripe account`);
  const group = transferGroupOf(row.orderId);
  if (row.attempts > 1) {
    for await (const t of stripe.transfers.list({ transfer_group: group, limit: 100 })) {
      if (t.metadata?.obligation === row.obligationKey) return { transferId: t.id, reversalId: null, destination: idOf(t.destination), chargeId: charge.id };
    }
  }
  const transfer = await stripe.transfers.create(
    {
      amount: row.amountCents, currency: row.currency.toLowerCase(), destination: row.destination, transfer_group: group,
      source_transaction: charge.id, metadata: metadataOf(row),
    },
    { idempotencyKey: idempotencyKeyOf(row.obligationKey) },
  );
  return { transferId: transfer.id, reversalId: null, destination: idOf(transfer.destination), chargeId: charge.id };
}
