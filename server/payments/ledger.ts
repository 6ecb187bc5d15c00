/**
 * Double-entry ledger. A transaction's entries sum to zero in one currency;
 * entries are only ever inserted. Debits are positive, credits negative.
 */
import { sumCents } from "../../shared/money.ts";
import type { Tx } from "../db/connect.ts";
import { ledgerEntries, ledgerTransactions } from "../db/schema.ts";

export const ACCOUNT_STRIPE_CLEARING = "asset:stripe-clearing";

export function projectAccount(ngoId: string, projectId: string): string {
  return `liability:ngo:${ngoId}:project:${projectId}`;
}

export interface LedgerLine {
  account: string;
  amountCents: number;
}

export class UnbalancedLedgerError extends Error {}

/** Entries of a donation: the payment received, owed to each project it funds. */
export function donationEntries(
  totalCents: number,
  lines: ReadonlyArray<{ ngoId: string; projectId: string; lineTotalCents: number }>,
): LedgerLine[] {
  const byProject = new Map<string, number>();
  for (const l of lines) {
    const account = projectAccount(l.ngoId, l.projectId);
    byProject.set(account, (byProject.get(account) ?? 0) + l.lineTotalCents);
  }
  return [
    { account: ACCOUNT_STRIPE_CLEARING, amountCents: totalCents },
    ...[...byProject].map(([account, cents]) => ({ account, amountCents: -cents })),
  ];
}

export async function postTransaction(
  tx: Tx,
  input: { kind: "donation"; orderId: string; stripeEventId: string; currency: string; lines: LedgerLine[] },
): Promise<string> {
  if (input.lines.length < 2) throw new UnbalancedLedgerError("a ledger transaction needs at least two entries");
  if (sumCents(input.lines.map((l) => l.amountCents)) !== 0) {
    throw new UnbalancedLedgerError(`ledger transaction for order ${input.orderId} does not sum to zero`);
  }
  const [row] = await tx
    .insert(ledgerTransactions)
    .values({ kind: input.kind, orderId: input.orderId, stripeEventId: input.stripeEventId, currency: input.currency })
    .returning({ id: ledgerTransactions.id });
  if (!row) throw new Error("ledger transaction insert returned nothing");
  await tx.insert(ledgerEntries).values(
    input.lines.map((l, i) => ({ transactionId: row.id, line: i + 1, account: l.account, amountCents: l.amountCents, currency: input.currency })),
  );
  return row.id;
}
