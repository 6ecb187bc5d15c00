/**
 * `npm run reconcile -- --from 2026-11-01 --to 2026-12-01 [--json]` — compares Hameau's orders
 * and ledger with Stripe's own record (Checkout Sessions, balance transactions) for the period
 * [from, to), on the configured database and Stripe account. Reads only, on both sides.
 * Dates are UTC days (YYYY-MM-DD) or ISO 8601 timestamps with a zone.
 * Exit codes: 0 no difference, 1 differences found, 2 usage or configuration error,
 * 3 the reconciliation could not run (database or Stripe unreachable…).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.ts";
import { openDatabase } from "../db/connect.ts";
import { reconcile, type ReconciliationReport } from "../payments/reconciliation.ts";
import { createStripe } from "../payments/stripe.ts";

const USAGE = "usage: node server/cli/reconcile.ts --from YYYY-MM-DD --to YYYY-MM-DD [--json]";
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function fail(message: string, opts: { usage?: boolean } = {}): never {
  console.error(`reconcile: ${message}`);
  if (opts.usage) console.error(USAGE);
  process.exit(2);
}

function parseDate(name: string, value: string | undefined): Date {
  if (!value) fail(`--${name} is required`, { usage: true });
  if (!DAY.test(value) && !TIMESTAMP.test(value)) fail(`--${name} must be YYYY-MM-DD or an ISO timestamp with a zone, got "${value}"`, { usage: true });
  const date = new Date(DAY.test(value) ? `${value}T00:00:00Z` : value);
  // Date rolls 2026-02-30 over to March: refuse a day that does not exist.
  if (Number.isNaN(date.getTime()) || (DAY.test(value) && date.toISOString().slice(0, 10) !== value)) fail(`--${name}: no such date "${value}"`, { usage: true });
  return date;
}

/** Cents as a decimal amount, without floating point: -1234 → "-12.34". */
function amount(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

function printReport(r: ReconciliationReport, databaseKind: string): void {
  const c = r.counts;
  console.log(`Reconciliation ${r.period.from} → ${r.period.to} (${databaseKind} ↔ Stripe)`);
  console.log(
    `Compared: ${c.stripeSessions} Stripe sessions (${c.sessionsFetchedById} more fetched by id), ${c.stripeOrders} Stripe orders ` +
      `(${c.ordersCompared} matched to a session, ${c.ordersWithoutSession} never got one), ${c.skippedTestOrders} TEST MODE orders skipped`,
  );
  console.log(`          ${c.balanceTransactions} payment balance transactions (${c.otherBalanceTransactions} others ignored), ${c.ledgerTransactions} ledger transactions`);
  for (const [currency, t] of Object.entries(r.totals)) {
    console.log(
      `Totals ${currency}: Stripe gross ${amount(t.stripeGross)}, fees ${amount(t.stripeFees)}, refunds ${amount(t.stripeRefunds)}, ` +
        `disputes ${amount(t.stripeDisputes)}, net ${amount(t.stripeNet)} | ledger donations ${amount(t.ledgerDonations)}, ` +
        `refunds ${amount(t.ledgerRefunds)}, disputes ${amount(t.ledgerDisputes)}, fees ${amount(t.ledgerFees)}`,
    );
  }
  for (const [currency, t] of Object.entries(r.connect)) {
    console.log(
      `NGO accounts ${currency}: transfers Stripe ${amount(t.stripeTransfers)} / Hameau ${amount(t.hameauTransfers)}, ` +
        `reversals Stripe ${amount(t.stripeTransferReversals)} / Hameau ${amount(t.hameauTransferReversals)}, ` +
        `payouts Stripe ${amount(t.stripePayouts)} / ledger ${amount(t.ledgerPayouts)}`,
    );
  }
  if (r.differences.length === 0) {
    console.log("reconcile: OK, Hameau and Stripe agree");
    return;
  }
  console.log(`Differences (${r.differences.length}):`);
  for (const d of r.differences) {
    const ids = [
      d.stripeEventId && `event=${d.stripeEventId}`, d.orderId && `order=${d.orderId}`, d.sessionId && `session=${d.sessionId}`, d.paymentIntentId && `payment_intent=${d.paymentIntentId}`,
      d.chargeId && `charge=${d.chargeId}`, d.balanceTransactionIds?.length && `balance_transactions=${d.balanceTransactionIds.join(",")}`,
      d.ledgerTransactionIds?.length && `ledger_transactions=${d.ledgerTransactionIds.join(",")}`,
    ].filter(Boolean);
    const values = d.stripe !== undefined || d.hameau !== undefined ? ` [Stripe: ${d.stripe ?? "—"}, Hameau: ${d.hameau ?? "—"}]` : "";
    console.log(`  ${d.kind.padEnd(28)} ${d.detail}${values}\n  ${" ".repeat(28)} ${ids.join(" ")}`);
  }
  console.log(`reconcile: ${r.differences.length} difference(s)`);
}

let args: { from?: string; to?: string; json?: boolean; help?: boolean };
try {
  args = parseArgs({
    options: { from: { type: "string" }, to: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  }).values;
} catch (err) {
  fail((err as Error).message, { usage: true });
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const from = parseDate("from", args.from);
const to = parseDate("to", args.to);
if (from.getTime() >= to.getTime()) fail("--from must be before --to", { usage: true });

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  fail(err instanceof ConfigError ? err.message : String(err));
}
const stripe = createStripe(config);
if (!stripe) fail("reconciliation needs STRIPE_SECRET_KEY (with STRIPE_WEBHOOK_SECRET, as the server does): TEST MODE orders never reach Stripe");

process.exitCode = 3;
try {
  const database = await openDatabase(
    config.databaseUrl ? { kind: "postgres", url: config.databaseUrl } : { kind: "pglite", dataDir: path.join(config.dataDir, "pglite") },
  );
  try {
    const report = await reconcile({ db: database.db, stripe, from, to, staleAfterMs: config.waitingEvents.staleAfterMs });
    if (args.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report, database.kind);
    process.exitCode = report.differences.length === 0 ? 0 : 1;
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(`reconcile: could not complete: ${(err as Error).message}`);
}
