/**
 * The e-card of a dedicated gift, in the giver's language: who it honours,
 * what the gift does and for which project, the giver's message, the giver's
 * name only if they chose to show it, and a link to Hameau. Never an amount,
 * never a link to a page that shows one.
 */
import type { Locale } from "../../shared/money.ts";
import type { Mail } from "./mailer.ts";

export interface ECardGift {
  name: string;
  impact: string;
  project: string;
  ngo: string;
  quantity: number;
  sprite: string;
}

export interface ECard {
  to: string;
  locale: Locale;
  honoreeName: string;
  /** The giver's name, only when they chose to show it. */
  fromName: string | null;
  message: string;
  gifts: ECardGift[];
}

/** Every line of a message, indented and quoted, so it reads as the giver's words. */
const quoted = (message: string) => message.split("\n").map((l) => `  ${l}`).join("\n");

export function dedicationECardMail(card: ECard, gameUrl: string): Mail {
  const fr = card.locale === "fr";
  const who = card.fromName ?? (fr ? "Quelqu'un" : "Someone");
  const gifts = card.gifts.map((g) => {
    const count = g.quantity > 1 ? `${g.quantity} × ` : "";
    const picture = `${gameUrl}/assets/sprites/${encodeURIComponent(g.sprite)}.svg`;
    return `  • ${count}${g.name} — ${g.impact}\n    ${g.project}, ${g.ngo}\n    ${fr ? "Image :" : "Picture:"} ${picture}`;
  }).join("\n\n");
  const message = card.message ? (fr ? `\nSon message :\n\n${quoted(card.message)}\n` : `\nTheir message:\n\n${quoted(card.message)}\n`) : "";
  if (fr) {
    return {
      to: card.to,
      subject: `Un cadeau solidaire en votre honneur, ${card.honoreeName}`,
      text: `Bonjour ${card.honoreeName},

${who} a offert un cadeau à un projet solidaire en votre honneur, sur Hameau :

${gifts}
${message}
Sur Hameau, chaque cadeau est un vrai don à une association, et il apparaît dans un petit village que l'on fait grandir avec ses amis.
Venez voir et faire pousser le vôtre : ${gameUrl}/

— Hameau`,
    };
  }
  return {
    to: card.to,
    subject: `A charity gift in your honour, ${card.honoreeName}`,
    text: `Hello ${card.honoreeName},

${who} gave a gift to a charity project in your honour, on Hameau:

${gifts}
${message}
On Hameau every gift is a real donation to a charity, and it appears in a little village you grow with your friends.
Come and see, and grow your own: ${gameUrl}/

— Hameau`,
  };
}
