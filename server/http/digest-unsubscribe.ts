/**
 * The monthly digest's one-click unsubscribe link, usable without signing in:
 *  - GET /mail/unsubscribe?p&m&s: a page that asks to confirm (a link opened by
 *    a mail scanner changes nothing), or says the link was already used.
 *  - POST /mail/unsubscribe?p&m&s: turns the digest off, once per link (also
 *    the RFC 8058 one-click POST mail programs send from List-Unsubscribe-Post).
 * The link is signed (services/mail-links.ts): a forged or altered one gets
 * 403 and changes nothing; a used one 410.
 */
import express, { type Request, type Router } from "express";
import type { Logger } from "pino";
import type { Locale } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { html } from "../pages/html.ts";
import { pageDocument } from "../pages/page-document.ts";
import { pageLocale } from "../pages/page-language.ts";
import { linkUnused, unsubscribeByLink } from "../services/impact-digest.ts";
import { verifyDigestUnsubscribe } from "../services/mail-links.ts";

const TEXT = {
  fr: {
    askTitle: "Ne plus recevoir l'e-mail mensuel ?",
    ask: "Vous ne recevrez plus l'e-mail mensuel des nouvelles de vos cadeaux. Vous pourrez le réactiver à tout moment dans vos réglages de confidentialité.",
    confirm: "Me désinscrire",
    doneTitle: "C'est fait",
    done: "Vous ne recevrez plus l'e-mail mensuel. Les nouvelles restent dans « Votre impact », dans le jeu.",
    spentTitle: "Ce lien a déjà servi",
    spent: "Ce lien de désinscription a déjà été utilisé. Vos réglages de confidentialité, dans le jeu, disent si l'e-mail mensuel est activé.",
    badTitle: "Ce lien n'est pas valide",
    bad: "Ce lien de désinscription n'est pas valide ou a été modifié. Vous pouvez désactiver l'e-mail mensuel dans vos réglages de confidentialité, dans le jeu.",
    back: "Retour au jeu",
  },
  en: {
    askTitle: "Stop the monthly e-mail?",
    ask: "You will no longer get the monthly e-mail with news of your gifts. You can turn it on again at any time in your privacy settings.",
    confirm: "Unsubscribe me",
    doneTitle: "Done",
    done: "You will no longer get the monthly e-mail. The news stays in \"Your impact\", in the game.",
    spentTitle: "This link was already used",
    spent: "This unsubscribe link was already used. Your privacy settings, in the game, say whether the monthly e-mail is on.",
    badTitle: "This link is not valid",
    bad: "This unsubscribe link is not valid or was changed. You can turn the monthly e-mail off in your privacy settings, in the game.",
    back: "Back to the game",
  },
} as const;

type Answer = "ask" | "done" | "spent" | "bad";

function page(req: Request, origin: string, answer: Answer): string {
  const locale: Locale = pageLocale(req.query, req.header("accept-language"));
  const t = TEXT[locale];
  const keep = { p: str(req.query.p), m: str(req.query.m), s: str(req.query.s) };
  const title = answer === "ask" ? t.askTitle : answer === "done" ? t.doneTitle : answer === "spent" ? t.spentTitle : t.badTitle;
  const text = answer === "ask" ? t.ask : answer === "done" ? t.done : answer === "spent" ? t.spent : t.bad;
  const action = `/mail/unsubscribe?${new URLSearchParams({ ...clean(keep), lang: locale }).toString()}`;
  const body = html`<section class="not-found">
<h1>${title}</h1>
<p>${text}</p>
${answer === "ask" ? html`<form method="post" action="${action}"><p><button class="button" type="submit">${t.confirm}</button></p></form>` : html``}
<p><a href="/">${t.back}</a></p>
</section>`;
  return pageDocument({ meta: null, title: `${title} · Hameau`, path: "/mail/unsubscribe", body, kind: "unsubscribe" }, { locale, origin, keep: clean(keep) });
}

const str = (v: unknown) => (typeof v === "string" && v.length <= 100 ? v : undefined);
const clean = (o: Record<string, string | undefined>) => Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));

export function digestUnsubscribeRouter(deps: { db: Db; logger: Logger; publicUrl: () => string }): Router {
  const router = express.Router();
  const send = (res: express.Response, req: Request, status: number, answer: Answer) =>
    res.status(status).set({ "cache-control": "no-store", "referrer-policy": "no-referrer" }).type("html").send(page(req, deps.publicUrl(), answer));

  router.get("/mail/unsubscribe", async (req, res) => {
    const link = await verifyDigestUnsubscribe(deps.db, req.query);
    if (!link) return send(res, req, 403, "bad");
    send(res, req, 200, (await linkUnused(deps.db, link)) ? "ask" : "spent");
  });

  // The body (a form, or "List-Unsubscribe=One-Click") is not read: the signed query says everything.
  router.post("/mail/unsubscribe", async (req, res) => {
    const link = await verifyDigestUnsubscribe(deps.db, req.query);
    if (!link) return send(res, req, 403, "bad");
    const outcome = await unsubscribeByLink(deps.db, link);
    if (outcome === "used") deps.logger.info({ playerId: link.playerId, month: link.month }, "impact digest unsubscribed by its link");
    send(res, req, outcome === "used" ? 200 : 410, outcome === "used" ? "done" : "spent");
  });

  return router;
}
