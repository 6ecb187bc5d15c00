/**
 * The local TEST MODE onboarding of an NGO's simulated Stripe account,
 * served only when no Stripe key is configured. Its "Complete onboarding"
 * button makes the server build an `account.updated` event (details
 * submitted, charges and payouts enabled), sign it exactly as Stripe signs
 * with the Connect endpoint's secret, and deliver it over HTTP to its own
 * Connect webhook: the real verification and processing code runs. No money
 * moves, no Stripe account exists.
 */
import { randomBytes } from "node:crypto";
import express, { type Router } from "express";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import type { Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { ngos } from "../db/schema.ts";
import { HttpError } from "../http/errors.ts";
import { TEST_ACCOUNT_PREFIX } from "../services/payments-account.ts";
import { CONNECT_WEBHOOK_PATH } from "./connect-webhook.ts";
import { consolePaymentsPath } from "./connected-accounts.ts";

export interface TestOnboardingDeps {
  db: Db;
  connectWebhookSecret: string;
  /** Where this very process listens, for delivering the event to itself. */
  selfUrl: () => string;
}

const TEXT = {
  fr: {
    title: "Compte de paiement de test", banner: "MODE TEST — aucun compte Stripe, aucun argent ne circule",
    lead: "Compte Stripe simulé de", complete: "Terminer l'inscription (test)", back: "Retour à la console",
    done: "L'inscription de ce compte est terminée : il peut recevoir des paiements.",
    note: "Cette page remplace l'inscription Stripe Connect quand aucune clé Stripe n'est configurée. Le bouton envoie au serveur un événement account.updated signé comme le ferait Stripe.",
  },
  en: {
    title: "Test payments account", banner: "TEST MODE — no Stripe account, no money moves",
    lead: "Simulated Stripe account of", complete: "Complete onboarding (test)", back: "Back to the console",
    done: "This account's onboarding is complete: it can take payments.",
    note: "This page stands in for Stripe Connect onboarding when no Stripe key is configured. The button sends the server an account.updated event signed exactly as Stripe would.",
  },
} as const;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function findNgo(db: Db, accountId: string) {
  if (!accountId.startsWith(TEST_ACCOUNT_PREFIX) || !/^acct_test_local_\w{4,64}$/.test(accountId)) {
    throw new HttpError(404, "not_found", "No such test account");
  }
  const [ngo] = await db
    .select({ id: ngos.id, name: ngos.name, charges: ngos.stripeChargesEnabled, details: ngos.stripeDetailsSubmitted })
    .from(ngos)
    .where(eq(ngos.stripeAccountId, accountId));
  if (!ngo) throw new HttpError(404, "not_found", "No such test account");
  return ngo;
}

export function testOnboardingRouter(deps: TestOnboardingDeps): Router {
  const router = express.Router();

  router.get("/connect/test/:accountId", async (req, res, next) => {
    try {
      const accountId = req.params.accountId;
      const ngo = await findNgo(deps.db, accountId);
      const lang: Locale = req.query.lang === "en" ? "en" : "fr";
      const t = TEXT[lang];
      const action = ngo.charges && ngo.details
        ? `<p class="paid" id="onboarding-done">${t.done}</p>`
        : `<form method="post" action="/connect/test/${escape(accountId)}/complete?lang=${lang}">
             <button type="submit" id="complete-onboarding">${t.complete}</button></form>`;
      res.type("html").send(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title} — Hameau</title>
<link rel="stylesheet" href="/assets/test-checkout.css"></head><body>
<div class="banner" role="alert">${t.banner}</div>
<main><h1>${t.title}</h1><p>${t.lead} <strong>${escape(ngo.name)}</strong> — <code>${escape(accountId)}</code></p>
${action}<a class="cancel" href="${consolePaymentsPath(ngo.id, "return")}">${t.back}</a><p class="note">${t.note}</p></main></body></html>`);
    } catch (err) {
      next(err);
    }
  });

  router.post("/connect/test/:accountId/complete", async (req, res, next) => {
    try {
      const accountId = req.params.accountId;
      const ngo = await findNgo(deps.db, accountId);
      const payload = JSON.stringify(accountUpdatedEvent(accountId, ngo.id));
      const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: deps.connectWebhookSecret });
      const delivery = await fetch(`${deps.selfUrl()}${CONNECT_WEBHOOK_PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": header },
        body: payload,
      });
      if (!delivery.ok) throw new Error(`connect webhook delivery answered ${delivery.status}: ${await delivery.text()}`);
      res.redirect(303, consolePaymentsPath(ngo.id, "return"));
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/** An account.updated event of a connected account whose onboarding is complete, shaped as Stripe sends it. */
function accountUpdatedEvent(accountId: string, ngoId: string) {
  return {
    id: `evt_local_${randomBytes(16).toString("hex")}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    account: accountId,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "account.updated",
    data: {
      object: {
        id: accountId,
        object: "account",
        type: "express",
        country: "FR",
        details_submitted: true,
        charges_enabled: true,
        payouts_enabled: true,
        capabilities: { card_payments: "active", transfers: "active" },
        requirements: { currently_due: [], eventually_due: [], past_due: [], pending_verification: [], disabled_reason: null },
        metadata: { ngoId },
      },
      previous_attributes: { charges_enabled: false, details_submitted: false, payouts_enabled: false },
    },
  };
}
