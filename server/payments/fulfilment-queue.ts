/**
 * The fulfilment queue: payments are applied in batches. A payment arriving
 * while the database applies a batch waits for it and goes with the next
 * one, so under load many payments share one round trip and one commit, and
 * when idle a payment goes at once, alone (after one turn of the event loop,
 * which lets requests already received join; no timer).
 *
 * On PostgreSQL two lanes run side by side (the database works on one batch
 * while the server prepares the next); a payment's lane is chosen by its
 * order, so every payment of one order goes through one lane, and batches
 * take their village locks in one order (see applyPlans), so lanes never
 * deadlock. PGlite runs one statement at a time: one lane.
 *
 * Each payment in a batch is applied in its own subtransaction; one that
 * fails (or a batch whose commit fails) is retried alone, so it never takes
 * the others down. A caller's promise resolves only after the batch holding
 * its payment has committed.
 */
import type { Db } from "../db/connect.ts";
import { type RawQuery, type RawSql, rawSql } from "../db/raw.ts";
import { pauseBeforeCommit, pausesBeforeCommit } from "./fault-injection.ts";
import { applyPlans, type FulfilmentResult, type Payment, readPlans } from "./fulfilment.ts";

/** The most payments applied in one transaction (bounds lock hold time and statement size). */
export const MAX_BATCH = 64;
/** Batches applied side by side on PostgreSQL. */
export const POSTGRES_LANES = 2;

interface Waiting {
  payment: Payment;
  resolve: (result: FulfilmentResult) => void;
  reject: (err: Error) => void;
}

class Lane {
  readonly waiting: Waiting[] = [];
  draining = false;
}

export class FulfilmentQueue {
  private readonly raw: RawSql;
  private readonly lanes: Lane[];
  /** Batches applied, payments in them, and payments retried alone after a failure in a batch. */
  readonly stats = { batches: 0, payments: 0, retriedAlone: 0 };

  constructor(raw: RawSql) {
    this.raw = raw;
    this.lanes = Array.from({ length: raw.concurrent ? POSTGRES_LANES : 1 }, () => new Lane());
  }

  /** Payments waiting for a batch, in every lane (metrics). */
  get depth(): number {
    let waiting = 0;
    for (const lane of this.lanes) waiting += lane.waiting.length;
    return waiting;
  }

  fulfil(payment: Payment): Promise<FulfilmentResult> {
    const lane = this.lanes[laneOf(payment.paid.orderId, this.lanes.length)]!;
    return new Promise((resolve, reject) => {
      lane.waiting.push({ payment, resolve, reject });
      if (!lane.draining) void this.drain(lane);
    });
  }

  private async drain(lane: Lane): Promise<void> {
    lane.draining = true;
    try {
      while (lane.waiting.length > 0) {
        // One turn of the event loop first: payments whose requests are already in lets them join.
        await new Promise((resolve) => setImmediate(resolve));
        await this.run(lane.waiting.splice(0, MAX_BATCH));
      }
    } finally {
      lane.draining = false;
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    let outcomes: Array<FulfilmentResult | Error>;
    this.stats.batches++;
    this.stats.payments += batch.length;
    try {
      outcomes = await this.apply(batch.map((w) => w.payment));
    } catch (err) {
      // The whole batch was rolled back (its commit failed, the connection broke…): each payment alone.
      if (batch.length === 1) return batch[0]!.reject(err as Error);
      for (const w of batch) await this.alone(w);
      return;
    }
    for (const [i, w] of batch.entries()) {
      const outcome = outcomes[i]!;
      if (!(outcome instanceof Error)) w.resolve(outcome);
      else if (batch.length > 1) await this.alone(w); // e.g. a deadlock with another process: once more, alone
      else w.reject(outcome);
    }
  }

  private alone(w: Waiting): Promise<void> {
    this.stats.retriedAlone++;
    return this.run([w]);
  }

  /** Reads the plans, then applies those not already processed, in one transaction. */
  private async apply(payments: Payment[]): Promise<Array<FulfilmentResult | Error>> {
    const read = await readPlans(this.raw.query, payments);
    const plans = read.flatMap((r) => ("plan" in r ? [r.plan] : []));
    const applied = plans.length === 0 ? [] : await this.inTransaction((query) => applyPlans(query, plans));
    let next = 0;
    return read.map((r) => ("duplicate" in r ? { outcome: r.duplicate } : "failed" in r ? r.failed : applied[next++]!));
  }

  private inTransaction<T>(fn: (query: RawQuery) => Promise<T>): Promise<T> {
    // One statement is its own transaction; the test-only pause needs an explicit one to pause in.
    if (!pausesBeforeCommit) return fn(this.raw.query);
    return this.raw.transaction(async (query) => {
      const result = await fn(query);
      await pauseBeforeCommit();
      return result;
    });
  }
}

/** A lane for an order id (a uuid): every payment of one order goes through the same lane. */
function laneOf(orderId: string, lanes: number): number {
  if (lanes === 1) return 0;
  let hash = 0;
  for (let i = 0; i < orderId.length; i++) hash = (hash * 31 + orderId.charCodeAt(i)) | 0;
  return Math.abs(hash) % lanes;
}

const queues = new WeakMap<Db, FulfilmentQueue>();

/** The process's fulfilment queue for a database. */
export function fulfilmentQueue(db: Db): FulfilmentQueue {
  let queue = queues.get(db);
  if (!queue) queues.set(db, (queue = new FulfilmentQueue(rawSql(db))));
  return queue;
}
