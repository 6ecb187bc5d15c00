/**
 * The receipt mails, each in French then English (a queued mail does not know
 * the reader's language): a paid order's receipt, and a tax receipt cancelled
 * (and replaced) after a refund or a lost dispute. Only our words, the NGOs'
 * and gifts' names from the catalog, amounts and numbers.
 */
import { formatMoney, type Locale } from "../../shared/money.ts";
import type { DonationReceipt } from "../../shared/receipts.ts";
import type { Mail } from "./mailer.ts";

const euros = (cents: number, locale: Locale) => formatMoney({ cents, currency: "EUR" }, locale).replace(/\u202f|\u00a0/g, " ");
const day = (date: Date, locale: Locale) =>
  new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: "Europe/Paris" }).format(date);

/** A paid order's receipt: what was given, to which NGO, and where the PDF is. */
export function orderReceiptMail(to: string, receipt: { fr: DonationReceipt; en: DonationReceipt }, gameUrl: string): Mail {
  const part = (r: DonationReceipt, l: Locale) => {
    const fr = l === "fr";
    const lines = r.lines.map((x) => `- ${x.giftName} × ${x.quantity} — ${x.projectName}${x.ngoName ? ` (${x.ngoName})` : ""} : ${euros(x.amountCents, l)}`);
    const ngos = (r.ngos ?? []).map((n) => `- ${n.legalName} : ${euros(n.paidCents, l)}`);
    return [
      fr ? "Bonjour," : "Hello,",
      "",
      fr ? `Merci pour votre don ! Votre paiement du ${day(r.paidAt, l)} est bien reçu.` : `Thank you for your donation! Your payment of ${day(r.paidAt, l)} is received.`,
      "",
      `${fr ? "Commande n°" : "Order no."} ${r.orderId}`,
      ...lines,
      `${fr ? "Total payé" : "Total paid"} : ${euros(r.totalCents, l)}`,
      "",
      fr ? "Ce que reçoit chaque organisation :" : "What each organisation receives:",
      ...ngos,
      "",
      fr ? `Votre reçu de paiement (PDF) est dans « Mes dons », dans le jeu : ${gameUrl}` : `Your payment receipt (PDF) is in "My donations", in the game: ${gameUrl}`,
      fr ? "Ce message n'est pas un reçu fiscal." : "This mail is not a tax receipt.",
    ].join("\n");
  };
  return {
    to,
    subject: "Votre reçu de don Hameau / Your Hameau donation receipt",
    text: `${part(receipt.fr, "fr")}\n\n— Hameau\n\n-----\n\n${part(receipt.en, "en")}\n\n— Hameau`,
  };
}

export interface CancelledReceiptFacts {
  ngoName: string;
  year: number;
  cancelled: { number: string; totalCents: number };
  replacement: { number: string; totalCents: number } | null;
  reason: "refunded" | "dispute_lost";
}

/** A tax receipt cancelled by a refund or a lost dispute, and the one that replaces it (if any). */
export function taxReceiptCancelledMail(to: string, f: CancelledReceiptFacts, gameUrl: string): Mail {
  const fr = [
    "Bonjour,",
    "",
    `${f.reason === "refunded" ? "Une partie de vos dons a été remboursée" : "Une contestation bancaire a repris une partie de vos dons"} : ` +
      `le reçu fiscal n° ${f.cancelled.number} de ${f.ngoName} pour ${f.year} (${euros(f.cancelled.totalCents, "fr")}) est annulé.`,
    f.replacement
      ? `Il est annulé et remplacé par le reçu n° ${f.replacement.number}, de ${euros(f.replacement.totalCents, "fr")}. Utilisez ce nouveau reçu pour votre déclaration.`
      : "Il ne reste aucun don à attester : aucun reçu ne le remplace.",
    `Vos reçus (l'annulé, marqué comme tel, et le nouveau) sont dans « Mes dons », dans le jeu : ${gameUrl}`,
  ];
  const en = [
    "Hello,",
    "",
    `${f.reason === "refunded" ? "Part of your donations was refunded" : "A bank dispute took back part of your donations"}: ` +
      `tax receipt no. ${f.cancelled.number} from ${f.ngoName} for ${f.year} (${euros(f.cancelled.totalCents, "en")}) is cancelled.`,
    f.replacement
      ? `It is cancelled and replaced by receipt no. ${f.replacement.number}, for ${euros(f.replacement.totalCents, "en")}. Use the new receipt for your tax return.`
      : "No donation is left to certify: no receipt replaces it.",
    `Your receipts (the cancelled one, marked so, and the new one) are in "My donations", in the game: ${gameUrl}`,
  ];
  return {
    to,
    subject: `Reçu fiscal ${f.cancelled.number} annulé / Tax receipt ${f.cancelled.number} cancelled`,
    text: `${fr.join("\n")}\n\n— Hameau\n\n-----\n\n${en.join("\n")}\n\n— Hameau`,
  };
}
