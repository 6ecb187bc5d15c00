/**
 * The mail a donor gets when a month of their monthly gift failed or needs
 * them (3-D Secure): in French then English, with the link to settle it
 * (Stripe's hosted invoice page, or the local one in TEST MODE) and where to
 * change or cancel it (My donations).
 */
import { formatMoney, type Locale } from "../../shared/money.ts";
import type { Mail } from "./mailer.ts";

export interface MonthlyProblemFacts {
  problem: "failed" | "action_required";
  giftName: { fr: string; en: string };
  ngoName: string;
  amountCents: number;
  currency: string;
  /** Where to pay or confirm the month; null when Stripe gave none (then My donations). */
  url: string | null;
}

const money = (cents: number, currency: string, locale: Locale) =>
  formatMoney({ cents, currency: currency as "EUR" }, locale).replace(/\u202f|\u00a0/g, " ");

export function monthlyProblemMail(to: string, f: MonthlyProblemFacts, gameUrl: string): Mail {
  const manage = `${gameUrl}/?donations=1`;
  const part = (l: Locale) => {
    const fr = l === "fr";
    const what = `${fr ? f.giftName.fr : f.giftName.en} — ${f.ngoName} (${money(f.amountCents, f.currency, l)}${fr ? " par mois" : " a month"})`;
    const said = f.problem === "failed"
      ? (fr ? "Le paiement de ce mois pour votre don mensuel n'a pas abouti :" : "This month's payment for your monthly gift did not go through:")
      : (fr ? "Votre banque demande de confirmer le paiement de ce mois pour votre don mensuel :" : "Your bank asks you to confirm this month's payment for your monthly gift:");
    return [
      fr ? "Bonjour," : "Hello,", "", said, `- ${what}`, "",
      f.url
        ? (fr ? `Pour ${f.problem === "failed" ? "le régler" : "le confirmer"} : ${f.url}` : `To ${f.problem === "failed" ? "pay it" : "confirm it"}: ${f.url}`)
        : (fr ? `Pour mettre à jour votre moyen de paiement : ${manage}` : `To update your payment method: ${manage}`),
      fr ? `Pour changer le montant ou arrêter ce don : « Mes dons », ${manage}` : `To change the amount or stop this gift: "My donations", ${manage}`,
    ].join("\n");
  };
  return {
    to,
    subject: f.problem === "failed"
      ? "Votre don mensuel : paiement non abouti / Your monthly gift: payment failed"
      : "Votre don mensuel : confirmation demandée / Your monthly gift: please confirm the payment",
    text: `${part("fr")}\n\n— Hameau\n\n-----\n\n${part("en")}\n\n— Hameau`,
  };
}
