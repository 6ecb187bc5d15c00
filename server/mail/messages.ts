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

To finish creating your Hameau account, open this link within ${hours} hours and choose your password:

${link}

If you did not ask to create an account, ignore this mail: nothing will be created.

— Hameau`,
    };
  }
  return {
    to,
    subject: "Confirmez votre compte Hameau",
    text: `Bonjour,

Pour terminer la création de votre compte Hameau, ouvrez ce lien dans les ${hours} heures et choisissez votre mot de passe :

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
(Forgotten your password? "Forgot password?" in the account window sends you a link to choose a new one.)

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
(Mot de passe oublié ? « Mot de passe oublié ? » dans la fenêtre du compte vous envoie un lien pour en choisir un nouveau.)

Si ce n'était pas vous, ignorez ce message : votre compte n'a pas changé.

— Hameau`,
  };
}

/** Password reset, email with an account: the single-use link that sets a new password. */
export function passwordResetMail(locale: Locale, to: string, link: string, minutes: number): Mail {
  if (locale === "en") {
    return {
      to,
      subject: "Choose a new Hameau password",
      text: `Hello,

To choose a new password for your Hameau account, open this link within ${minutes} minutes:

${link}

Choosing a new password signs out every device signed in to your account.

If you did not ask for this, ignore this mail: your password has not changed.

— Hameau`,
    };
  }
  return {
    to,
    subject: "Choisissez un nouveau mot de passe Hameau",
    text: `Bonjour,

Pour choisir un nouveau mot de passe pour votre compte Hameau, ouvrez ce lien dans les ${minutes} minutes :

${link}

Choisir un nouveau mot de passe déconnecte tous les appareils connectés à votre compte.

Si vous n'avez rien demandé, ignorez ce message : votre mot de passe n'a pas changé.

— Hameau`,
  };
}

/** Password reset, email without an account: nothing to reset, and how to create one. */
export function passwordResetUnknownMail(locale: Locale, to: string, gameUrl: string): Mail {
  if (locale === "en") {
    return {
      to,
      subject: "Hameau password reset: no account with this address",
      text: `Hello,

Someone asked to reset the Hameau password of this address, which has no Hameau account.

If it was you, perhaps you signed up with another address; or create an account: ${gameUrl}

If it was not you, ignore this mail.

— Hameau`,
    };
  }
  return {
    to,
    subject: "Mot de passe Hameau : aucun compte avec cette adresse",
    text: `Bonjour,

Quelqu'un a demandé à réinitialiser le mot de passe Hameau de cette adresse, qui n'a pas de compte Hameau.

Si c'était vous, vous vous êtes peut-être inscrit avec une autre adresse ; ou créez un compte : ${gameUrl}

Si ce n'était pas vous, ignorez ce message.

— Hameau`,
  };
}
