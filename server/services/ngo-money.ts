/**
 * "What has NGO X been given, what has reached its Stripe account, what was paid
 * out": read from the ledger's accounts for the NGO (payments/ngo-ledger.ts)
 * and from the transfers outbox, per currency.
 */
import { and, eq, like, or, sql } from "drizzle-orm";
import type { NgoMoneyFigures, NgoMoneyResponse } from "../../shared/ngo-money.ts";
import type { Db } from "../db/connect.ts";
import { ledgerEntries, ngos, ngoTransfers } from "../db/schema.ts";
import { projectAccount } from "../payments/ledger.ts";
import { ngoPaidOutAccount, transferredAccount } from "../payments/ngo-ledger.ts";

export async function ngoMoney(db: Db, ngoId: string): Promise<NgoMoneyResponse> {
  // The NGO id is a uuid (validated by the route): no LIKE wildcard can hide in the prefix.
  const projects = `${projectAccount(ngoId, "")}%`;
  const [transferred, paidOut] = [transferredAccount(ngoId), ngoPaidOutAccount(ngoId)];
  const sum = (where: ReturnType<typeof sql>) => sql<number>`coalesce(sum(${ledgerEntries.amountCents}) filter (where ${where}), 0)`.mapWith(Number);
  const books = await db
    .select({
      currency: ledgerEntries.currency,
      given: sum(sql`${ledgerEntries.account} like ${projects}`),
      transferred: sum(sql`${ledgerEntries.account} = ${transferred}`),
      paidOut: sum(sql`${ledgerEntries.account} = ${paidOut}`),
    })
    .from(ledgerEntries)
    .where(or(like(ledgerEntries.account, projects), eq(ledgerEntries.account, transferred), eq(ledgerEntries.account, paidOut)))
    .groupBy(ledgerEntries.currency);
  const pending = await db
    .select({
      currency: ngoTransfers.currency, kind: ngoTransfers.kind,
      count: sql<number>`count(*)`.mapWith(Number), cents: sql<number>`coalesce(sum(${ngoTransfers.amountCents}), 0)`.mapWith(Number),
    })
    .from(ngoTransfers)
    .where(and(eq(ngoTransfers.ngoId, ngoId), eq(ngoTransfers.status, "pending")))
    .groupBy(ngoTransfers.currency, ngoTransfers.kind);
  const byCurrency = new Map<string, NgoMoneyFigures>();
  const figures = (currency: string) => {
    let f = byCurrency.get(currency);
    if (!f) {
      f = { currency, givenCents: 0, transferredCents: 0, owedCents: 0, paidOutCents: 0, pending: { transfers: 0, transferCents: 0, reversals: 0, reversalCents: 0 } };
      byCurrency.set(currency, f);
    }
    return f;
  };
  for (const b of books) {
    const f = figures(b.currency);
    // Credits are negative on the project accounts; the transferred contra account is debited.
    f.givenCents = 0 - b.given || 0; // never -0 in JSON
    f.transferredCents = b.transferred;
    f.owedCents = f.givenCents - f.transferredCents || 0;
    f.paidOutCents = b.paidOut;
  }
  for (const p of pending) {
    const f = figures(p.currency);
    if (p.kind === "transfer") Object.assign(f.pending, { transfers: p.count, transferCents: p.cents });
    else Object.assign(f.pending, { reversals: p.count, reversalCents: p.cents });
  }
  const [ngo] = await db.select({ account: ngos.stripeAccountId }).from(ngos).where(eq(ngos.id, ngoId));
  return { ngoId, stripeAccountId: ngo?.account ?? null, currencies: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
}
