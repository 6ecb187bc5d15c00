/**
 * The mails Hameau sends, in French and English. They carry no text typed by
 * whoever asked for them (a sign-up can name any address), only our words and
 * our links.
 */
import type { Locale } from "../../shared/money.ts";
import type { Mail } from "./mailer.ts";

/** Sign-up, new email: the link that creates the account. */
export function signUpConfirmationMail(locale: Locale, to: string, link: string, hours: number): Mail {
  if (locale === "en") {
    return {
      to,
      subject: "Confirm your Hameau account",
      text: `Hello,

To finish creating your Hameau account, open this link within ${hours} hours:

${link}

If you did not ask to create an account, ignore this mail: nothing will be created.

— Hameau`,
    };
  }
  return {
    to,
    subject: "Confirmez votre compte Hameau",
    text: `Bonjour,

Pour terminer la création de votre compte Hameau, ouvrez ce lien dans les ${hours} heures :

${link}

Si vous n'avez pas demandé à créer un compte, ignorez ce message : rien ne sera créé.

— Hameau`,
  };
}

/** Sign-up, email that already has an account: nothing is created, the owner is told. */
export function signUpExistingAccountMail(locale: Locale, to: string, signInUrl: string): Mail {
  if (locale === "en") {
    return {
      to,
      subject: "Someone tried to create a Hameau account with your address",
      text: `Hello,

Someone tried to create a Hameau account with this address, which already has one.

If it was you, simply sign in: ${signInUrl}

If it was not you, ignore this mail: your account has not changed.

— Hameau`,
    };
  }
  return {
    to,
    subject: "Quelqu'un a essayé de créer un compte Hameau avec votre adresse",
    text: `Bonjour,

Quelqu'un a essayé de créer un compte Hameau avec cette adresse, qui en a déjà un.

Si c'était vous, connectez-vous simplement : ${signInUrl}

Si ce n'était pas vous, ignorez ce message : votre compte n'a pas changé.

— Hameau`,
  };
}
