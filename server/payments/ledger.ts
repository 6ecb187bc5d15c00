/**
 * Double-entry ledger. A transaction's entries sum to zero in one currency;
 * entries are only ever inserted (the database refuses updates and deletes,
 * and checks the balance at commit). Debits are positive, credits negative.
 * Each money movement has a source key, so posting it twice posts it once.
 */
import { and, eq, sql } from "drizzle-orm";
import { sumCents } from "../../shared/money.ts";
import type { Tx } from "../db/connect.ts";
import { ledgerEntries, ledgerTransactions } from "../db/schema.ts";

/** Money Stripe holds for the platform (received, not yet paid out). */
export const ACCOUNT_STRIPE_CLEARING = "asset:stripe-clearing";
/** Stripe's processing fees. */
export const ACCOUNT_STRIPE_FEES = "expense:stripe-fees";

export function projectAccount(ngoId: string, projectId: string): string {
  return `liability:ngo:${ngoId}:project:${projectId}`;
}

export interface LedgerLine {
  account: string;
  amountCents: number;
}

export type LedgerKind = (typeof ledgerTransactions.$inferInsert)["kind"];

export class UnbalancedLedgerError extends Error {}

/** Entries of a donation: the payment received, owed to each project it funds. */
export function donationEntries(
  totalCents: number,
  lines: ReadonlyArray<{ ngoId: string; projectId: string; lineTotalCents: number }>,
  support?: { ngoId: string; projectId: string; cents: number },
): LedgerLine[] {
  const byProject = new Map<string, number>();
  const add = (account: string, cents: number) => byProject.set(account, (byProject.get(account) ?? 0) + cents);
  for (const l of lines) add(projectAccount(l.ngoId, l.projectId), l.lineTotalCents);
  if (support && support.cents > 0) add(projectAccount(support.ngoId, support.projectId), support.cents);
  return [
    { account: ACCOUNT_STRIPE_CLEARING, amountCents: totalCents },
    ...[...byProject].map(([account, cents]) => ({ account, amountCents: -cents })),
  ];
}

/** The opposite of a set of entries (a dispute won gives back what the dispute took). */
export function negate(lines: readonly LedgerLine[]): LedgerLine[] {
  return lines.map((l) => ({ account: l.account, amountCents: -l.amountCents }));
}

/** The non-zero entries of a transaction, checked to balance (at least two, summing to zero). */
export function balancedEntries(sourceKey: string, entries: readonly LedgerLine[]): LedgerLine[] {
  const lines = entries.filter((l) => l.amountCents !== 0);
  if (lines.length < 2) throw new UnbalancedLedgerError(`ledger transaction ${sourceKey} needs at least two entries`);
  if (sumCents(lines.map((l) => l.amountCents)) !== 0) {
    throw new UnbalancedLedgerError(`ledger transaction ${sourceKey} does not sum to zero`);
  }
  return lines;
}

export async function postTransaction(
  tx: Tx,
  input: { kind: LedgerKind; sourceKey: string; orderId: string | null; stripeEventId: string | null; currency: string; lines: LedgerLine[] },
): Promise<string | null> {
  const lines = balancedEntries(input.sourceKey, input.lines);
  // One statement: the transaction row (skipped when its source key exists) and its entries.
  const entries = sql.join(lines.map((l, i) => sql`(${i + 1}::int, ${l.account}::text, ${l.amountCents}::int)`), sql`, `);
  const result = (await tx.execute(sql`
    with t as (
      insert into ledger_transactions (kind, source_key, order_id, stripe_event_id, currency)
      values (${input.kind}, ${input.sourceKey}, ${input.orderId}, ${input.stripeEventId}, ${input.currency})
      on conflict (source_key) do nothing
      returning id
    )
    insert into ledger_entries (transaction_id, line, account, amount_cents, currency)
    select t.id, e.line, e.account, e.amount, ${input.currency} from t, (values ${entries}) as e(line, account, amount)
    returning transaction_id`)) as unknown as { rows: Array<{ transaction_id: string }> };
  return result.rows[0]?.transaction_id ?? null; // null: already posted
}

/** The entries of an order's donation transaction. */
export async function donationOf(tx: Tx, orderId: string): Promise<LedgerLine[]> {
  return tx
    .select({ account: ledgerEntries.account, amountCents: ledgerEntries.amountCents })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .where(and(eq(ledgerTransactions.orderId, orderId), eq(ledgerTransactions.kind, "donation")))
    .orderBy(ledgerEntries.line);
}
