/**
 * TEST MODE monthly gifts (served only without Stripe keys): the local
 * checkout page that starts one, the local page a payment-problem mail links
 * to (it stands in for Stripe's hosted invoice page), and
 * POST /api/dev/monthly-gifts/:id/invoice, which simulates the next month's
 * invoice — paid, failed, or needing 3-D Secure. Every one of them builds
 * the event Stripe would send, signs it exactly as Stripe signs, and
 * delivers it over HTTP to the server's own webhook: the real verification,
 * fulfilment and mail code runs. No money moves.
 */
import { randomBytes } from "node:crypto";
import express, { type Router } from "express";
import { and, eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { addOneMonth, type InvoiceOutcome, SimulateInvoiceRequest } from "../../shared/monthly-gifts.ts";
import { formatMoney, type Currency, type Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { monthlyGifts, stripeEvents } from "../db/schema.ts";
import { me, requirePlayer } from "../http/auth.ts";
import { fromZod, HttpError, idParam } from "../http/errors.ts";
import { giftLabels } from "../services/catalog.ts";
import { MONTHLY_RETURN_PATH, ownMonthlyGift } from "./monthly-checkout.ts";
import { WEBHOOK_PATH } from "./webhook.ts";

export interface TestMonthlyDeps {
  db: Db;
  webhookSecret: string;
  selfUrl: () => string;
  publicUrl: () => string;
}

type MonthlyRow = typeof monthlyGifts.$inferSelect;

const TEXT = {
  fr: {
    title: "Don mensuel de test", banner: "MODE TEST — aucun argent ne circule", start: "Donner chaque mois (test)", cancel: "Annuler",
    perMonth: "par mois", to: "Au profit de", methods: "Carte ou prélèvement SEPA", started: "Ce don mensuel est déjà en place.",
    back: "Retour au village", invoice: "Paiement du mois (test)", confirm: "Confirmer le paiement (test)", settled: "Ce mois est payé.",
    note: "Cette page remplace Stripe Checkout quand aucune clé Stripe n'est configurée. Le bouton envoie au serveur les événements signés comme le ferait Stripe.",
  },
  en: {
    title: "Test monthly gift", banner: "TEST MODE — no money moves", start: "Give every month (test)", cancel: "Cancel",
    perMonth: "per month", to: "In support of", methods: "Card or SEPA Direct Debit", started: "This monthly gift is already set up.",
    back: "Back to the village", invoice: "This month's payment (test)", confirm: "Confirm the payment (test)", settled: "This month is paid.",
    note: "This page stands in for Stripe Checkout when no Stripe key is configured. The button sends the server events signed exactly as Stripe would.",
  },
} as const;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const langOf = (q: unknown): Locale => (q === "en" ? "en" : "fr");
const localId = (prefix: string) => `${prefix}_local_${randomBytes(12).toString("hex")}`;

async function findBySession(db: Db, sessionId: string): Promise<MonthlyRow> {
  if (!/^cs_test_local_[A-Za-z0-9_-]{10,64}$/.test(sessionId)) throw new HttpError(404, "not_found", "No such test checkout session");
  const [row] = await db.select().from(monthlyGifts).where(eq(monthlyGifts.checkoutSessionId, sessionId));
  if (!row || row.provider !== "test") throw new HttpError(404, "not_found", "No such test checkout session");
  return row;
}

function page(lang: Locale, title: string, body: string): string {
  const t = TEXT[lang];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} — Hameau</title>
<link rel="stylesheet" href="/assets/test-checkout.css"></head><body>
<div class="banner" role="alert">${t.banner}</div><main><h1>${escape(title)}</h1>${body}<p class="note">${t.note}</p></main></body></html>`;
}

export function testMonthlyRouter(deps: TestMonthlyDeps): Router {
  const router = express.Router();
  const deliver = (event: object) => deliverSigned(deps, event);

  router.get("/checkout/test/monthly/:sessionId", async (req, res) => {
    const row = await findBySession(deps.db, req.params.sessionId);
    const lang = langOf(req.query.lang);
    const t = TEXT[lang];
    const g = (await giftLabels(deps.db, [row.giftId])).get(row.giftId);
    const amount = escape(formatMoney({ cents: row.amountCents, currency: row.currency as Currency }, lang));
    const action = row.status !== "incomplete"
      ? `<p class="paid">${t.started}</p><a class="button" href="${MONTHLY_RETURN_PATH}">${t.back}</a>`
      : `<form method="post" action="/checkout/test/monthly/${escape(req.params.sessionId)}/start?lang=${lang}">
           <button type="submit" id="pay">${t.start} — ${amount}</button></form>
         <form method="post" action="/checkout/test/monthly/${escape(req.params.sessionId)}/cancel?lang=${lang}">
           <button type="submit" class="cancel" id="cancel">${t.cancel}</button></form>`;
    res.type("html").send(page(lang, t.title, `<table><tr><td><img src="/assets/sprites/${escape(g?.sprite ?? "coin")}.svg" alt="" width="32" height="32"></td>
      <td><strong>${escape((lang === "fr" ? g?.nameFr : g?.nameEn) ?? "")}</strong><br><small>${t.to} ${escape((lang === "fr" ? g?.projectNameFr : g?.projectNameEn) ?? "")} — ${escape(g?.ngoName ?? "")}</small></td>
      <td class="amount" id="total">${amount} ${t.perMonth}</td></tr></table><p id="methods">${t.methods}</p>${action}`));
  });

  // Like Stripe: the session completes (the subscription exists), then the first month's invoice is paid.
  router.post("/checkout/test/monthly/:sessionId/start", async (req, res) => {
    const row = await findBySession(deps.db, req.params.sessionId);
    if (row.status === "incomplete" && !row.stripeSubscriptionId) {
      const subscription = localId("sub");
      const customer = localId("cus");
      await deliver(eventOf("checkout.session.completed", {
        id: row.checkoutSessionId, object: "checkout.session", mode: "subscription", status: "complete", payment_status: "paid",
        subscription, customer, metadata: { monthlyGiftId: row.id }, amount_total: row.amountCents, currency: row.currency.toLowerCase(),
      }));
      await deliver(eventOf("invoice.paid", invoiceOf({ ...row, stripeSubscriptionId: subscription, stripeCustomerId: customer }, "paid", Date.now(), deps.publicUrl())));
    }
    res.redirect(303, `${MONTHLY_RETURN_PATH}&monthly=${row.id}&lang=${langOf(req.query.lang)}`);
  });

  router.post("/checkout/test/monthly/:sessionId/cancel", async (req, res) => {
    const row = await findBySession(deps.db, req.params.sessionId);
    await deps.db.update(monthlyGifts).set({ status: "cancelled", cancelledAt: new Date() })
      .where(and(eq(monthlyGifts.id, row.id), eq(monthlyGifts.status, "incomplete")));
    res.redirect(303, `${MONTHLY_RETURN_PATH}&monthly=${row.id}&cancelled=1&lang=${langOf(req.query.lang)}`);
  });

  // The stand-in of Stripe's hosted invoice page, where a payment-problem mail leads.
  router.get("/checkout/test/invoice/:invoiceId", async (req, res) => {
    const { row, invoice } = await problemInvoice(deps.db, req.params.invoiceId);
    const lang = langOf(req.query.lang);
    const t = TEXT[lang];
    const amount = escape(formatMoney({ cents: Number(invoice.amount_due ?? row.amountCents), currency: row.currency as Currency }, lang));
    const body = row.actionUrl === null || row.status === "cancelled"
      ? `<p class="paid">${t.settled}</p><a class="button" href="${MONTHLY_RETURN_PATH}">${t.back}</a>`
      : `<p class="amount" id="total">${amount}</p><form method="post" action="/checkout/test/invoice/${escape(req.params.invoiceId)}/pay?lang=${lang}">
           <button type="submit" id="pay">${t.confirm}</button></form>`;
    res.type("html").send(page(lang, t.invoice, body));
  });

  router.post("/checkout/test/invoice/:invoiceId/pay", async (req, res) => {
    const { row, invoice } = await problemInvoice(deps.db, req.params.invoiceId);
    if (row.status !== "cancelled") {
      await deliver(eventOf("invoice.paid", { ...invoice, amount_paid: invoice.amount_due, paid: true, status: "paid" }));
    }
    res.redirect(303, `${MONTHLY_RETURN_PATH}&monthly=${row.id}&lang=${langOf(req.query.lang)}`);
  });

  // The next month, now: paid, failed, or waiting for the donor's 3-D Secure (the owner only).
  router.post("/api/dev/monthly-gifts/:id/invoice", requirePlayer(deps.db), async (req, res) => {
    const parsed = SimulateInvoiceRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const row = await ownMonthlyGift(deps.db, me(req).player.id, idParam(req.params.id, "No such monthly gift"));
    if (row.provider !== "test" || !row.stripeSubscriptionId) throw new HttpError(409, "monthly_gift_not_started", "This monthly gift has no test subscription");
    if (row.status === "cancelled") throw new HttpError(409, "monthly_gift_cancelled", "This monthly gift is cancelled");
    const invoice = invoiceOf(row, parsed.data.outcome, row.nextInvoiceAt?.getTime() ?? Date.now(), deps.publicUrl());
    const type = parsed.data.outcome === "paid" ? "invoice.paid" : parsed.data.outcome === "failed" ? "invoice.payment_failed" : "invoice.payment_action_required";
    const outcome = await deliver(eventOf(type, invoice));
    res.status(201).json({ invoiceId: invoice.id, outcome });
  });
  return router;
}

/** An invoice of the monthly gift for the month starting at `periodStart`, shaped as Stripe sends it. */
function invoiceOf(row: MonthlyRow, outcome: InvoiceOutcome, periodStart: number, publicUrl: string) {
  const id = localId("in");
  const paid = outcome === "paid";
  return {
    id, object: "invoice", status: paid ? "paid" : "open", paid, billing_reason: "subscription_cycle",
    amount_due: row.amountCents, amount_paid: paid ? row.amountCents : 0, currency: row.currency.toLowerCase(),
    customer: row.stripeCustomerId, subscription: row.stripeSubscriptionId, subscription_details: { metadata: { monthlyGiftId: row.id } },
    payment_intent: localId("pi"), hosted_invoice_url: paid ? null : `${publicUrl}/checkout/test/invoice/${id}`,
    lines: { object: "list", data: [{ period: { start: Math.floor(periodStart / 1000), end: Math.floor(addOneMonth(periodStart) / 1000) } }] },
    livemode: false, created: Math.floor(Date.now() / 1000),
  };
}

function eventOf(type: string, object: object) {
  return {
    id: `evt_local_${randomBytes(16).toString("hex")}`, object: "event", api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000),
    livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object },
  };
}

/** Signs an event as Stripe does and delivers it to this server's own webhook; its outcome. */
async function deliverSigned(deps: TestMonthlyDeps, event: object): Promise<string> {
  const payload = JSON.stringify(event);
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: deps.webhookSecret });
  const delivery = await fetch(`${deps.selfUrl()}${WEBHOOK_PATH}`, {
    method: "POST", headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": header }, body: payload,
  });
  const text = await delivery.text();
  if (!delivery.ok) throw new Error(`webhook delivery answered ${delivery.status}: ${text}`);
  return String((JSON.parse(text) as { outcome?: unknown }).outcome ?? "");
}

/** A local invoice whose payment failed or waits for the donor, from the event that said so. */
async function problemInvoice(db: Db, invoiceId: string): Promise<{ row: MonthlyRow; invoice: Record<string, unknown> }> {
  if (!/^in_local_[a-f0-9]{24}$/.test(invoiceId)) throw new HttpError(404, "not_found", "No such test invoice");
  const [event] = await db.select({ payload: stripeEvents.payload }).from(stripeEvents)
    .where(and(sql`${stripeEvents.payload}->'data'->'object'->>'id' = ${invoiceId}`, sql`${stripeEvents.type} in ('invoice.payment_failed', 'invoice.payment_action_required')`))
    .limit(1);
  const invoice = (event?.payload as { data?: { object?: Record<string, unknown> } } | undefined)?.data?.object;
  const giftId = (invoice?.subscription_details as { metadata?: { monthlyGiftId?: string } } | undefined)?.metadata?.monthlyGiftId;
  const [row] = giftId ? await db.select().from(monthlyGifts).where(eq(monthlyGifts.id, giftId)) : [];
  if (!invoice || !row) throw new HttpError(404, "not_found", "No such test invoice");
  return { row, invoice };
}
