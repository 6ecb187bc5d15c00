/**
 * The NGO transfers outbox, executed: rows of ngo_transfers written by the
 * transaction that made them owed (fulfilment, refund, lost dispute) are made
 * after commit (transfers.ts) and booked (ngo-ledger.ts) in one statement that
 * marks them done, so a row is booked once, when made. Nothing is lost to a
 * crash: a row not done is taken again by the sweeper, on start and then
 * periodically, and a failed attempt is retried later (backing off, up to an
 * hour). Several processes may sweep together: a row is claimed for a while
 * (FOR UPDATE SKIP LOCKED), and the Stripe idempotency key plus the unique
 * obligation key make each transfer exactly once even if two processes try.
 * A reversal waits until the NGO's transfer it reverses is made.
 */
import type Stripe from "stripe";
import type { Logger } from "pino";
import type { Db } from "../db/connect.ts";
import { type RawSql, rawSql, type Statement } from "../db/raw.ts";
import { transferEntries } from "./ngo-ledger.ts";
import { type ClaimedTransfer, isSimulated, type MadeTransfer, makeAtStripe, simulate } from "./transfers.ts";

export interface TransferOutboxOptions {
  /** How often the sweeper looks for rows not done (default 60 s). */
  sweepEveryMs?: number;
  /** The first retry delay after a failure, doubled each attempt up to an hour (default 30 s). */
  retryBaseMs?: number;
  /** How long a process holds a row it works on (default 120 s). */
  claimMs?: number;
  /**
   * After a payment, the outbox waits for this long without a new one before it works (default
   * 100 ms), and never longer than maxWaitMs (default 2 s): a burst of payments is fulfilled first
   * and its transfers made together, in a few statements, instead of competing with it.
   */
  quietMs?: number;
  maxWaitMs?: number;
}

const BATCH = 200;
const MAX_RETRY_MS = 3_600_000;

const CLAIM: Statement = {
  name: "hameau_ngo_transfers_claim",
  text: `with picked as (
      select r.id from ngo_transfers r
      where r.status = 'pending' and r.next_attempt_at <= now() and (r.claimed_until is null or r.claimed_until < now())
        and (r.kind = 'transfer' or exists (select 1 from ngo_transfers t
             where t.order_id = r.order_id and t.ngo_id = r.ngo_id and t.kind = 'transfer' and t.status = 'done'))
      order by r.created_at, r.id limit $1
      for update of r skip locked
    )
    update ngo_transfers r set claimed_until = now() + make_interval(secs => $2::int / 1000.0), attempts = r.attempts + 1
    from picked, orders o, ngos n
    where r.id = picked.id and o.id = r.order_id and n.id = r.ngo_id
    returning r.id, r.obligation_key as "obligationKey", r.kind, r.order_id as "orderId", r.ngo_id as "ngoId", r.amount_cents as "amountCents",
      r.currency, r.charge_mode as "chargeMode", coalesce(r.destination, n.stripe_account_id) as destination, r.attempts,
      o.provider, o.payment_intent_id as "paymentIntentId", o.charge_id as "chargeId",
      (select t.stripe_transfer_id from ngo_transfers t where t.order_id = r.order_id and t.ngo_id = r.ngo_id
         and t.kind = 'transfer' and t.status = 'done' limit 1) as "transferId"`,
};

/** Marks made rows done and posts their ledger transactions (source key = obligation key), in one statement. */
const COMPLETE: Statement = {
  name: "hameau_ngo_transfers_complete",
  text: `with made as (
      select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as m(id, transfer_id, reversal_id, destination)
    ), done as (
      update ngo_transfers r set status = 'done', stripe_transfer_id = made.transfer_id, stripe_reversal_id = made.reversal_id,
        destination = coalesce(made.destination, r.destination), done_at = now(), claimed_until = null, last_error = null
      from made where r.id = made.id and r.status = 'pending'
      returning r.obligation_key, r.kind, r.order_id, r.currency
    ), posted as (
      insert into ledger_transactions (kind, source_key, order_id, currency)
      select kind, obligation_key, order_id, currency from done
      on conflict (source_key) do nothing
      returning id, source_key, currency
    )
    insert into ledger_entries (transaction_id, line, account, amount_cents, currency)
    select posted.id, e.line, e.account, e.amount, posted.currency
    from posted join unnest($5::text[], $6::int[], $7::text[], $8::int[]) as e(source_key, line, account, amount) on e.source_key = posted.source_key
    returning transaction_id`,
};

const FAIL: Statement = {
  name: "hameau_ngo_transfers_fail",
  text: `update ngo_transfers set last_error = left($2, 500), claimed_until = null,
      next_attempt_at = now() + make_interval(secs => least($3::float8 * power(2, greatest(attempts - 1, 0)), $4::float8) / 1000.0)
    where id = $1 and status = 'pending'`,
};

const CHARGE: Statement = {
  name: "hameau_orders_charge_id",
  text: "update orders set charge_id = $2 where id = $1 and charge_id is null",
};

export class TransferOutbox {
  private readonly raw: RawSql;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private scheduled: NodeJS.Timeout | undefined;
  private firstKickAt = 0;
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private stopped = false;
  private readonly sweepEveryMs: number;
  private readonly retryBaseMs: number;
  private readonly claimMs: number;
  /** Rows made and failed attempts, since start. */
  readonly stats = { made: 0, failed: 0 };

  private readonly deps: { db: Db; stripe: Stripe | null; logger: Logger };

  constructor(deps: { db: Db; stripe: Stripe | null; logger: Logger }, opts: TransferOutboxOptions = {}) {
    this.deps = deps;
    this.raw = rawSql(deps.db);
    this.sweepEveryMs = opts.sweepEveryMs ?? 60_000;
    this.retryBaseMs = opts.retryBaseMs ?? 30_000;
    this.claimMs = opts.claimMs ?? 120_000;
    this.quietMs = opts.quietMs ?? 100;
    this.maxWaitMs = opts.maxWaitMs ?? 2_000;
  }

  /** Sweeps now, then every sweepEveryMs. */
  start(): void {
    this.run();
    this.timer = setInterval(() => this.kick(), this.sweepEveryMs);
    this.timer.unref();
  }

  /** Makes what is owed soon (see quietMs); calls made while a sweep runs start one more after it. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const now = Date.now();
    if (!this.scheduled) this.firstKickAt = now;
    clearTimeout(this.scheduled);
    this.scheduled = setTimeout(() => this.run(), Math.min(this.quietMs, Math.max(0, this.firstKickAt + this.maxWaitMs - now)));
  }

  private run(): void {
    clearTimeout(this.scheduled);
    this.scheduled = undefined;
    if (this.stopped || this.running) return;
    this.running = this.sweep()
      .catch((err: unknown) => this.deps.logger.error({ err }, "NGO transfers sweep failed; the next sweep retries"))
      .finally(() => {
        this.running = null;
        // Owed while this sweep ran: made after the next quiet moment.
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Makes what is owed now and resolves once no sweep is running (tests). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.scheduled) this.run();
      if (!this.running) return;
      await this.running;
    }
  }

  /** Stops sweeping; what is not made stays in the outbox for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.scheduled);
    this.scheduled = undefined;
    while (this.running) await this.running;
  }

  private async sweep(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const rows = await this.raw.query<ClaimedTransfer>(CLAIM, [BATCH, this.claimMs]);
      if (rows.length === 0) return;
      await this.make(rows);
    }
  }

  private async make(rows: ClaimedTransfer[]): Promise<void> {
    const made: Array<{ row: ClaimedTransfer; result: MadeTransfer }> = [];
    for (const row of rows) {
      try {
        const result = isSimulated(this.deps.stripe, row) ? simulate(row) : await makeAtStripe(this.deps.stripe!, row);
        if (result.chargeId && !row.chargeId) await this.raw.query(CHARGE, [row.orderId, result.chargeId]);
        made.push({ row, result });
      } catch (err) {
        this.stats.failed++;
        const message = (err as Error).message ?? String(err);
        this.deps.logger.warn({ obligation: row.obligationKey, attempts: row.attempts, err: message }, "NGO transfer not made; retried later");
        await this.raw.query(FAIL, [row.id, message, this.retryBaseMs, MAX_RETRY_MS]);
      }
    }
    if (made.length === 0) return;
    const entries = made.flatMap(({ row }) =>
      transferEntries(row.ngoId, row.amountCents, row.kind).map((e, i) => ({ key: row.obligationKey, line: i + 1, ...e })),
    );
    await this.raw.query(COMPLETE, [
      made.map((m) => m.row.id), made.map((m) => m.result.transferId), made.map((m) => m.result.reversalId), made.map((m) => m.result.destination),
      entries.map((e) => e.key), entries.map((e) => e.line), entries.map((e) => e.account), entries.map((e) => e.amountCents),
    ]);
    this.stats.made += made.length;
    this.deps.logger.info({ count: made.length }, "NGO transfers made");
  }
}

const outboxes = new WeakMap<Db, TransferOutbox>();

/** The process's outbox for a database (made by app.ts; tests reach it through the server). */
export function transferOutbox(deps: { db: Db; stripe: Stripe | null; logger: Logger }, opts?: TransferOutboxOptions): TransferOutbox {
  let outbox = outboxes.get(deps.db);
  if (!outbox) outboxes.set(deps.db, (outbox = new TransferOutbox(deps, opts)));
  return outbox;
}
