/**
 * The local outbox (no SMTP_URL: development and tests). Mails are stored in
 * the database instead of sent, and shown on a TEST MODE page, /dev/mail (and
 * /dev/mail.json), mounted only in that mode, like the TEST MODE checkout.
 */
import { desc, eq } from "drizzle-orm";
import express, { type Router } from "express";
import type { Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { mailOutbox } from "../db/schema.ts";
import type { Mail } from "./mailer.ts";

export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

/** What /dev/mail.json answers: the newest mails first. */
export interface OutboxResponse {
  mode: "test";
  mails: OutboxMail[];
}

export async function storeInOutbox(db: Db, mail: Mail): Promise<void> {
  await db.insert(mailOutbox).values({ recipient: mail.to, subject: mail.subject, body: mail.text });
}

const LIMIT = 50;

async function listOutbox(db: Db, to: string | undefined): Promise<OutboxMail[]> {
  const rows = await db
    .select()
    .from(mailOutbox)
    .where(to ? eq(mailOutbox.recipient, to.trim().toLowerCase()) : undefined)
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(LIMIT);
  return rows.map((r) => ({ id: r.id, to: r.recipient, subject: r.subject, text: r.body, createdAt: r.createdAt.toISOString() }));
}

const TEXT = {
  fr: {
    title: "Boîte d'envoi de test", banner: "MODE TEST — aucun e-mail n'est envoyé", empty: "Aucun e-mail pour l'instant.", to: "À",
    note: "Sans SMTP_URL, Hameau n'envoie pas de mails : il les garde ici. Cette page n'existe pas quand SMTP_URL est configuré.",
  },
  en: {
    title: "Test outbox", banner: "TEST MODE — no mail is sent", empty: "No mail yet.", to: "To",
    note: "Without SMTP_URL, Hameau sends no mail: it keeps them here. This page does not exist when SMTP_URL is set.",
  },
} as const;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Escaped text with its http(s) links made clickable. */
const linkify = (s: string) => escape(s).replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}">${u}</a>`);

export function outboxRouter(deps: { db: Db }): Router {
  const router = express.Router();
  const to = (q: unknown) => (typeof q === "string" && q.length > 0 && q.length <= 254 ? q : undefined);

  router.get("/dev/mail.json", async (req, res) => {
    const body: OutboxResponse = { mode: "test", mails: await listOutbox(deps.db, to(req.query.to)) };
    res.set("cache-control", "no-store").json(body);
  });

  router.get("/dev/mail", async (req, res) => {
    const lang: Locale = req.query.lang === "en" ? "en" : "fr";
    const t = TEXT[lang];
    const mails = await listOutbox(deps.db, to(req.query.to));
    const items = mails
      .map((m) => `<article class="mail"><h2>${escape(m.subject)}</h2>
<p class="meta">${t.to} <strong>${escape(m.to)}</strong> — <time datetime="${m.createdAt}">${escape(new Date(m.createdAt).toLocaleString(lang === "fr" ? "fr-FR" : "en-GB", { timeZone: "UTC" }))} UTC</time></p>
<pre>${linkify(m.text)}</pre></article>`)
      .join("\n");
    res.set("cache-control", "no-store").type("html").send(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title} — Hameau</title>
<link rel="stylesheet" href="/assets/test-checkout.css">
<style>.mail{border-top:2px solid #efe2c2;padding:12px 0}.mail h2{font-size:18px;margin:0 0 4px}.meta{margin:0 0 8px;font-size:14px}
pre{white-space:pre-wrap;word-break:break-word;font:inherit;margin:0}</style></head><body>
<div class="banner" role="alert">${t.banner}</div>
<main><h1>${t.title}</h1>${items || `<p>${t.empty}</p>`}<p class="note">${t.note}</p></main></body></html>`);
  });
  return router;
}
