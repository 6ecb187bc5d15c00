/**
 * Sends Hameau's mails: through SMTP when SMTP_URL is set, otherwise into the
 * local outbox (development, tests), which the TEST MODE page /dev/mail shows.
 * Logs say which mail went out and how, never its address, text or link.
 */
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Db } from "../db/connect.ts";
import type { Mail } from "./mime.ts";
import { storeInOutbox } from "./outbox.ts";
import { sendSmtp } from "./smtp.ts";

/** What a mail is for, for the logs. */
export type MailKind = "signup_confirmation" | "signup_existing_account";

export interface Mailer {
  readonly mode: Config["mail"]["mode"];
  send(kind: MailKind, mail: Mail): Promise<void>;
}

export function createMailer(config: Config["mail"], deps: { db: Db; logger: Logger }): Mailer {
  const deliver =
    config.mode === "smtp"
      ? (mail: Mail) => sendSmtp({ url: config.url, from: config.from }, mail)
      : (mail: Mail) => storeInOutbox(deps.db, mail);
  return {
    mode: config.mode,
    async send(kind, mail) {
      const started = Date.now();
      try {
        await deliver(mail);
      } catch (err) {
        deps.logger.error({ mail: kind, transport: config.mode, reason: (err as Error).message }, "mail not sent");
        throw new Error(`the ${kind} mail could not be sent`);
      }
      deps.logger.info({ mail: kind, transport: config.mode, ms: Date.now() - started }, "mail sent");
    },
  };
}
