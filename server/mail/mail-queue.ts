/**
 * Sends the queued mails (table mail_queue): receipt mails of paid orders
 * (queued by a trigger in the transaction that pays the order), tax
 * receipt cancellations (queued with the correction), monthly gifts' payment
 * problems and the monthly impact digests (services/impact-digest.ts). Runs after commit,
 * never in the payment's hot path: on start, every few seconds, and when
 * kicked after a payment event.
 *
 * A row is claimed by pushing its next attempt into the future (a lease,
 * growing with each attempt) before sending, so processes sharing the
 * database never send one twice at once; it is marked done once sent, or
 * when nobody can receive it (a guest, a deleted account). A crash between
 * the send and the mark resends it once the lease is over: the dedupe key
 * already made it one mail per order, whatever replays the payment.
 */
import { eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "../db/connect.ts";
import { accounts, gifts, mailQueue, monthlyGifts, ngos, players, taxReceipts } from "../db/schema.ts";
import { digestNews, hasNews } from "../services/impact-digest.ts";
import { signDigestUnsubscribe } from "../services/mail-links.ts";
import { impactDigestMail } from "./digest-messages.ts";
import { monthlyProblemMail } from "./monthly-messages.ts";
import { donationReceipt } from "../services/receipts.ts";
import type { Mail, Mailer, MailKind } from "./mailer.ts";
import { orderReceiptMail, taxReceiptCancelledMail } from "./receipt-messages.ts";

const GIVE_UP_AFTER = 8;

interface QueuedMail {
  id: string;
  kind: "order_receipt" | "tax_receipt_cancelled" | "monthly_payment_problem" | "impact_digest";
  player_id: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface MailQueueDeps {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  /** The game's address, for the links in mails. */
  publicUrl: () => string;
}

export interface MailQueue {
  /** Sends what is due now, soon (after the current round, if one runs). */
  kick(): void;
  /** Sends what is due, and resolves when done (tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export function startMailQueue(deps: MailQueueDeps, intervalMs = 5000): MailQueue {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const round = async () => {
    do {
      again = false;
      try {
        while (!stopped && (await sendNext(deps)));
      } catch (err) {
        deps.logger.error({ err }, "mail queue round failed");
      }
    } while (again && !stopped);
  };
  const drain = () => {
    if (running) {
      again = true;
      return running;
    }
    running = round().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void drain(), intervalMs);
  timer.unref();
  void drain();
  return {
    kick: () => void drain(),
    drain,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** Claims and sends one due mail; false when none is due. */
async function sendNext(deps: MailQueueDeps): Promise<boolean> {
  const claimed = (await deps.db.execute(sql`
    update mail_queue set attempts = attempts + 1, next_attempt_at = now() + interval '1 minute' * power(2, least(attempts, 10))
    where id = (select id from mail_queue where done_at is null and next_attempt_at <= now() order by next_attempt_at limit 1 for update skip locked)
    returning id, kind, player_id, payload, attempts`)) as unknown as { rows: QueuedMail[] };
  const row = claimed.rows[0];
  if (!row) return false;
  const finish = (outcome: string) => deps.db.update(mailQueue).set({ doneAt: new Date(), outcome }).where(eq(mailQueue.id, row.id));
  const [account] = await deps.db.select({ email: accounts.email }).from(accounts).where(eq(accounts.playerId, row.player_id));
  if (!account) {
    await finish("no_recipient");
    return true;
  }
  try {
    const mail = await compose(deps, row, account.email);
    if (!mail) {
      await finish("nothing_to_tell");
      return true;
    }
    await deps.mailer.send(row.kind as MailKind, mail);
    await finish("sent");
  } catch (err) {
    if (row.attempts >= GIVE_UP_AFTER) await finish("failed");
    deps.logger.warn({ mailId: row.id, kind: row.kind, attempts: row.attempts, reason: (err as Error).message }, "queued mail not sent, retried later");
  }
  return true;
}

async function compose(deps: MailQueueDeps, row: QueuedMail, to: string): Promise<Mail | null> {
  const url = deps.publicUrl();
  if (row.kind === "order_receipt") {
    const orderId = String(row.payload.orderId);
    const [fr, en] = [await donationReceipt(deps.db, row.player_id, orderId, "fr"), await donationReceipt(deps.db, row.player_id, orderId, "en")];
    return orderReceiptMail(to, { fr, en }, url);
  }
  if (row.kind === "impact_digest") {
    // Turned off (or the account deleted) since it was queued, or the news taken back: nothing to send.
    const [p] = await deps.db.select({ on: players.impactDigest, locale: players.mailLocale, deletedAt: players.deletedAt }).from(players)
      .where(eq(players.id, row.player_id));
    if (!p?.on || p.deletedAt) return null;
    const month = String(row.payload.month);
    const news = await digestNews(deps.db, row.player_id, month);
    if (!hasNews(news)) return null;
    const unsubscribe = `${url}/mail/unsubscribe?${await signDigestUnsubscribe(deps.db, { playerId: row.player_id, month })}&lang=${p.locale}`;
    return impactDigestMail(to, p.locale, news, { game: url, unsubscribe });
  }
  if (row.kind === "monthly_payment_problem") {
    const [m] = await deps.db.select({ m: monthlyGifts, fr: gifts.nameFr, en: gifts.nameEn, ngoName: ngos.name }).from(monthlyGifts)
      .innerJoin(gifts, eq(gifts.id, monthlyGifts.giftId)).innerJoin(ngos, eq(ngos.id, monthlyGifts.ngoId))
      .where(eq(monthlyGifts.id, String(row.payload.monthlyGiftId)));
    // Settled or cancelled since: nothing to ask of the donor any more.
    if (!m || m.m.status === "cancelled" || m.m.actionUrl === null && row.payload.url) return null;
    return monthlyProblemMail(to, {
      problem: row.payload.problem === "failed" ? "failed" : "action_required", giftName: { fr: m.fr, en: m.en }, ngoName: m.ngoName,
      amountCents: m.m.amountCents, currency: m.m.currency, url: typeof row.payload.url === "string" ? row.payload.url : null,
    }, url);
  }
  const [cancelled] = await deps.db.select({ receipt: taxReceipts, ngoName: ngos.name }).from(taxReceipts)
    .innerJoin(ngos, eq(ngos.id, taxReceipts.ngoId)).where(eq(taxReceipts.id, String(row.payload.cancelledId)));
  if (!cancelled) return null;
  const replacementId = row.payload.replacementId;
  const [replacement] = typeof replacementId === "string" ? await deps.db.select().from(taxReceipts).where(eq(taxReceipts.id, replacementId)) : [];
  return taxReceiptCancelledMail(to, {
    ngoName: cancelled.ngoName, year: cancelled.receipt.year, reason: cancelled.receipt.cancellationReason ?? "refunded",
    cancelled: { number: cancelled.receipt.number, totalCents: cancelled.receipt.totalCents },
    replacement: replacement ? { number: replacement.number, totalCents: replacement.totalCents } : null,
  }, url);
}
