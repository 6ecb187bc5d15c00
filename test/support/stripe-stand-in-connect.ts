/**
 * The Connect part of the loopback Stripe stand-in: transfers (and a
 * destination charge's automatic transfer), transfer reversals, and payouts
 * of connected accounts (listed with the Stripe-Account header), each with
 * the balance transactions Stripe writes on the platform's balance.
 */
import { randomBytes } from "node:crypto";
import type { StripeObject, StripeStore } from "./stripe-stand-in-store.ts";

const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export class StandInError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export type ConnectStore = ReturnType<typeof createConnectStore>;

export function createConnectStore(store: StripeStore) {
  /** Transfers by id (also in store.objects, so lists and expand find them). */
  const transfers = new Map<string, StripeObject>();
  /** Reversals by id. */
  const reversals = new Map<string, StripeObject>();
  /** Payouts of connected accounts, by id (each with its `account`). */
  const payouts = new Map<string, StripeObject>();

  function addTransfer(seed: { amount: number; currency: string; destination: string; transfer_group?: string | null; source_transaction?: string | null; metadata?: Record<string, string> }): StripeObject {
    const transfer: StripeObject = {
      id: newId("tr"), object: "transfer", amount: seed.amount, amount_reversed: 0, reversed: false, currency: seed.currency,
      destination: seed.destination, transfer_group: seed.transfer_group ?? null, source_transaction: seed.source_transaction ?? null,
      metadata: seed.metadata ?? {}, created: nowSeconds(), livemode: false,
    };
    transfers.set(transfer.id, transfer);
    store.objects.set(transfer.id, transfer);
    const bt = store.addBalanceTransaction({ type: "transfer", amount: -seed.amount, currency: seed.currency, source: transfer.id });
    transfer.balance_transaction = bt.id;
    return transfer;
  }

  /** transfers.create: the source charge must exist and cover what was already transferred from it. */
  function createTransfer(form: Record<string, string>): StripeObject {
    const amount = Number(form.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new StandInError(400, "amount must be a positive integer");
    if (!form.destination?.startsWith("acct_")) throw new StandInError(400, "destination must be a connected account");
    const source = form.source_transaction;
    if (source) {
      const charge = store.objects.get(source);
      if (charge?.object !== "charge") throw new StandInError(400, `No such charge: '${source}'`);
      const already = [...transfers.values()].filter((t) => t.source_transaction === source).reduce((a, t) => a + Number(t.amount), 0);
      if (already + amount > Number(charge.amount)) throw new StandInError(400, "transfers would exceed the source charge");
    }
    const metadata = Object.fromEntries(Object.entries(form).flatMap(([k, v]) => (k.startsWith("metadata[") ? [[k.slice(9, -1), v]] : [])));
    return addTransfer({ amount, currency: form.currency ?? "eur", destination: form.destination, transfer_group: form.transfer_group ?? null, source_transaction: source ?? null, metadata });
  }

  /** transfers.createReversal: never more than what is left of the transfer. */
  function createReversal(transferId: string, form: Record<string, string>): StripeObject {
    const transfer = transfers.get(transferId);
    if (!transfer) throw new StandInError(404, `No such transfer: '${transferId}'`);
    const left = Number(transfer.amount) - Number(transfer.amount_reversed);
    const amount = form.amount === undefined ? left : Number(form.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > left) throw new StandInError(400, `reversal of ${amount} exceeds what is left of the transfer (${left})`);
    const metadata = Object.fromEntries(Object.entries(form).flatMap(([k, v]) => (k.startsWith("metadata[") ? [[k.slice(9, -1), v]] : [])));
    const reversal: StripeObject = {
      id: newId("trr"), object: "transfer_reversal", amount, currency: transfer.currency, transfer: transferId, metadata, created: nowSeconds(),
    };
    reversals.set(reversal.id, reversal);
    store.objects.set(reversal.id, reversal);
    transfer.amount_reversed = Number(transfer.amount_reversed) + amount;
    transfer.reversed = transfer.amount_reversed === transfer.amount;
    const bt = store.addBalanceTransaction({ type: "transfer_refund", amount, currency: String(transfer.currency), source: reversal.id, reporting_category: "transfer_reversal" });
    reversal.balance_transaction = bt.id;
    return reversal;
  }

  /** A payout Stripe made from a connected account to its bank. */
  function addPayout(account: string, amount: number, status: "paid" | "failed" | "pending" = "paid", currency = "eur"): StripeObject {
    const payout: StripeObject = {
      id: newId("po"), object: "payout", amount, currency, status, account, arrival_date: nowSeconds(), created: nowSeconds(),
      failure_code: status === "failed" ? "account_closed" : null, livemode: false,
    };
    payouts.set(payout.id, payout);
    return payout;
  }

  return { transfers, reversals, payouts, addTransfer, createTransfer, createReversal, addPayout };
}
