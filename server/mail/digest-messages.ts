/**
 * The monthly digest of impact news, in the player's language: what the NGOs
 * posted that month about the projects they gave to, and where their gifts
 * went on the fund trail. Only the NGOs' words (titles, names) and ours:
 * never an amount. Ends with the one-click unsubscribe link, also given to
 * mail programs in the List-Unsubscribe headers (RFC 2369 and 8058).
 */
import type { Locale } from "../../shared/money.ts";
import type { DigestNews } from "../services/impact-digest.ts";
import type { Mail } from "./mailer.ts";

const monthName = (month: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-15T12:00:00Z`));
const day = (iso: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { day: "numeric", month: "long", timeZone: "Europe/Paris" }).format(new Date(iso));

export function impactDigestMail(to: string, locale: Locale, news: DigestNews, links: { game: string; unsubscribe: string }): Mail {
  const fr = locale === "fr";
  const pick = (t: { fr: string; en: string }) => (fr ? t.fr : t.en);
  const when = monthName(news.month, locale);
  const updates = news.updates.map((u) =>
    `  • ${pick(u.title)}${u.photo ? (fr ? " (avec photo)" : " (with a photo)") : ""}\n    ${pick(u.project)}, ${u.ngo} — ${day(u.createdAt, locale)}`);
  const steps = news.steps.map((s) => {
    const count = s.units > 1 ? ` × ${s.units}` : "";
    const where = s.stage === "in_use" ? (fr ? "utilisé sur le terrain" : "in use in the field") : (fr ? "envoyé sur le terrain" : "sent to the field");
    return `  • ${pick(s.gift)}${count}${fr ? " : " : ": "}${where}\n    ${pick(s.project)}, ${s.ngo}`;
  });
  const parts = [
    fr ? "Bonjour," : "Hello,",
    "",
    fr ? `Voici les nouvelles de ${when} des projets que vous soutenez sur Hameau.` : `Here is the news of ${when} from the projects you support on Hameau.`,
    ...(updates.length ? ["", fr ? "Les associations racontent :" : "The NGOs tell:", "", updates.join("\n\n")] : []),
    ...(steps.length ? ["", fr ? "Le chemin de vos cadeaux :" : "Where your gifts went:", "", steps.join("\n\n")] : []),
    "",
    fr ? `Les photos et tout le reste sont dans « Votre impact », dans le jeu : ${links.game}/` : `The photos and the rest are in "Your impact", in the game: ${links.game}/`,
    "",
    "— Hameau",
    "",
    fr
      ? `Vous recevez cet e-mail parce que vous l'avez demandé dans vos réglages de confidentialité. Pour ne plus le recevoir, en un clic : ${links.unsubscribe}`
      : `You get this mail because you asked for it in your privacy settings. To stop it, in one click: ${links.unsubscribe}`,
  ];
  return {
    to,
    subject: fr ? `Des nouvelles de vos cadeaux — ${when}` : `News of your gifts — ${when}`,
    text: parts.join("\n"),
    headers: { "List-Unsubscribe": `<${links.unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
