/**
 * The local TEST MODE checkout, served only when no Stripe key is configured.
 * Its Pay button makes the server build a checkout.session.completed event,
 * sign it exactly as Stripe signs, and deliver it over HTTP to its own
 * webhook: the real verification and fulfilment code runs. No money moves.
 */
import { randomBytes } from "node:crypto";
import express, { type Router } from "express";
import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import { CHECKOUT_VALIDITY_MS } from "../../shared/gift-offer.ts";
import { formatMoney, type Currency, type Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { orderLines, orders, players, villages } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { giftLabels } from "../services/catalog.ts";
import { orderReturnPath, recipientLine } from "./checkout.ts";
import { expireOpenOrder } from "./checkout-cancel.ts";
import { WEBHOOK_PATH } from "./webhook.ts";

export interface TestCheckoutDeps {
  db: Db;
  webhookSecret: string;
  /** Where this very process listens, for delivering the event to itself. */
  selfUrl: () => string;
  /** Told when a cancelled order's held units came back (the shops refetch). */
  stockChanged?: (giftIds: string[]) => void;
}

const TEXT = {
  fr: {
    title: "Paiement de test", banner: "MODE TEST — aucun argent ne circule", pay: "Payer (test)", cancel: "Annuler",
    total: "Total", to: "Au profit de", support: "Soutien en plus au projet", paid: "Cette commande est déjà payée.", back: "Retour au village",
    note: "Cette page remplace Stripe Checkout quand aucune clé Stripe n'est configurée. Le bouton envoie au serveur un événement signé comme le ferait Stripe.",
  },
  en: {
    title: "Test checkout", banner: "TEST MODE — no money moves", pay: "Pay (test)", cancel: "Cancel",
    total: "Total", to: "In support of", support: "Extra support for the project", paid: "This order is already paid.", back: "Back to the village",
    note: "This page stands in for Stripe Checkout when no Stripe key is configured. The button sends the server an event signed exactly as Stripe would.",
  },
} as const;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The owner's name when the order gives into someone else's village (shown to the payer), else null. */
async function recipientOf(db: Db, order: typeof orders.$inferSelect): Promise<string | null> {
  const [village] = await db
    .select({ ownerId: villages.ownerId, name: players.displayName })
    .from(villages)
    .innerJoin(players, eq(players.id, villages.ownerId))
    .where(eq(villages.id, order.villageId));
  return village && village.ownerId !== order.playerId ? village.name : null;
}

async function findOrder(db: Db, sessionId: string) {
  if (!/^cs_test_local_[A-Za-z0-9_-]{10,64}$/.test(sessionId)) throw new HttpError(404, "not_found", "No such test checkout session");
  const [order] = await db.select().from(orders).where(eq(orders.checkoutSessionId, sessionId));
  if (!order || order.provider !== "test") throw new HttpError(404, "not_found", "No such test checkout session");
  return order;
}

export function testCheckoutRouter(deps: TestCheckoutDeps): Router {
  const router = express.Router();

  router.get("/checkout/test/:sessionId", async (req, res, next) => {
    try {
      const order = await findOrder(deps.db, req.params.sessionId);
      const lang: Locale = req.query.lang === "en" ? "en" : "fr";
      const t = TEXT[lang];
      const lines = await deps.db.select().from(orderLines).where(eq(orderLines.orderId, order.id));
      const labels = await giftLabels(deps.db, lines.map((l) => l.giftId));
      const cur = order.currency as Currency;
      const recipient = recipientLine(await recipientOf(deps.db, order), lang);
      const rows = lines
        .map((l) => {
          const g = labels.get(l.giftId);
          const name = lang === "fr" ? g?.nameFr : g?.nameEn;
          const project = lang === "fr" ? g?.projectNameFr : g?.projectNameEn;
          return `<tr><td><img src="/assets/sprites/${escape(g?.sprite ?? "coin")}.svg" alt="" width="32" height="32"></td>
            <td><strong>${escape(name ?? "")}</strong> × ${l.quantity}<br><small>${t.to} ${escape(project ?? "")} — ${escape(g?.ngoName ?? "")}</small></td>
            <td class="amount">${escape(formatMoney({ cents: l.lineTotalCents, currency: cur }, lang))}</td></tr>`;
        })
        .join("") + (order.supportCents > 0
          ? `<tr class="support"><td><img src="/assets/sprites/heart.svg" alt="" width="32" height="32"></td><td><strong>${t.support}</strong></td>
             <td class="amount">${escape(formatMoney({ cents: order.supportCents, currency: cur }, lang))}</td></tr>`
          : "");
      const action = order.status === "paid"
        ? `<p class="paid">${t.paid}</p><a class="button" href="${orderReturnPath(order.id, order.villageId)}">${t.back}</a>`
        : `<form method="post" action="/checkout/test/${escape(req.params.sessionId)}/pay?lang=${lang}">
             <button type="submit" id="pay">${t.pay} — ${escape(formatMoney({ cents: order.totalCents, currency: cur }, lang))}</button></form>
           <form method="post" action="/checkout/test/${escape(req.params.sessionId)}/cancel?lang=${lang}">
             <button type="submit" class="cancel" id="cancel">${t.cancel}</button></form>`;
      res.type("html").send(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title} — Hameau</title>
<link rel="stylesheet" href="/assets/test-checkout.css"></head><body>
<div class="banner" role="alert">${t.banner}</div>
<main><h1>${t.title}</h1>${recipient ? `<p class="recipient" id="recipient">${escape(recipient)}</p>` : ""}<table>${rows}<tr class="total"><td></td><td>${t.total}</td>
<td class="amount" id="total">${escape(formatMoney({ cents: order.totalCents, currency: cur }, lang))}</td></tr></table>
${action}<p class="note">${t.note}</p></main></body></html>`);
    } catch (err) {
      next(err);
    }
  });

  router.post("/checkout/test/:sessionId/pay", async (req, res, next) => {
    try {
      const order = await findOrder(deps.db, req.params.sessionId);
      const lang = req.query.lang === "en" ? "en" : "fr";
      // Like a Stripe session, a test session expires: its units of a limited stock are held only that long.
      if (order.status === "pending" && Date.now() - order.createdAt.getTime() > CHECKOUT_VALIDITY_MS) {
        await deps.db.update(orders).set({ status: "expired" }).where(and(eq(orders.id, order.id), eq(orders.status, "pending")));
      } else if (order.status === "pending") {
        const payload = JSON.stringify(completedEvent(order));
        const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: deps.webhookSecret });
        const delivery = await fetch(`${deps.selfUrl()}${WEBHOOK_PATH}`, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": header },
          body: payload,
        });
        if (!delivery.ok) throw new Error(`webhook delivery answered ${delivery.status}: ${await delivery.text()}`);
      }
      res.redirect(303, `${orderReturnPath(order.id, order.villageId)}&lang=${lang}`);
    } catch (err) {
      next(err);
    }
  });
  // Cancel, like Stripe's cancel_url plus checkout.sessions.expire: the order expires now and its held units are free again.
  router.post("/checkout/test/:sessionId/cancel", async (req, res, next) => {
    try {
      const order = await findOrder(deps.db, req.params.sessionId);
      const lang = req.query.lang === "en" ? "en" : "fr";
      if (order.status === "pending") await expireOpenOrder(deps, order.id);
      res.redirect(303, `${orderReturnPath(order.id, order.villageId)}&cancelled=1&lang=${lang}`);
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/** A checkout.session.completed event shaped as Stripe sends it. */
function completedEvent(order: typeof orders.$inferSelect) {
  const now = Math.floor(Date.now() / 1000);
  return {
    id: `evt_local_${randomBytes(16).toString("hex")}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: now,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "checkout.session.completed",
    data: {
      object: {
        id: order.checkoutSessionId,
        object: "checkout.session",
        mode: "payment",
        status: "complete",
        payment_status: "paid",
        amount_subtotal: order.totalCents,
        amount_total: order.totalCents,
        currency: order.currency.toLowerCase(),
        client_reference_id: order.id,
        metadata: { orderId: order.id },
        payment_intent: `pi_local_${randomBytes(12).toString("hex")}`,
        livemode: false,
        created: Math.floor(order.createdAt.getTime() / 1000),
      },
    },
  };
}
