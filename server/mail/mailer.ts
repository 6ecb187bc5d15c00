/**
 * Sends Hameau's mails: through SMTP when SMTP_URL is set (nodemailer, one
 * pooled transport per process, see smtp-transport.ts), otherwise into the
 * local outbox (development, tests), which the TEST MODE page /dev/mail shows.
 * Logs say which mail went out and how, never its address, text or link.
 */
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Db } from "../db/connect.ts";
import { storeInOutbox } from "./outbox.ts";
import { createSmtpTransport, SmtpError } from "./smtp-transport.ts";

/** One plain-text mail to one address (From is MAIL_FROM). */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Extra headers (the digest's List-Unsubscribe); only SMTP carries them, the local outbox keeps the text. */
  headers?: Record<string, string>;
}

/** What a mail is for, for the logs. */
export type MailKind =
  | "signup_confirmation" | "signup_existing_account" | "password_reset" | "password_reset_unknown" | "order_receipt" | "tax_receipt_cancelled"
  | "monthly_payment_problem"
  | "dedication_ecard" | "impact_digest";

export interface Mailer {
  readonly mode: Config["mail"]["mode"];
  send(kind: MailKind, mail: Mail): Promise<void>;
  /** On shutdown: closes the SMTP connections (nothing to do for the outbox). */
  close(): void;
}

export function createMailer(config: Config["mail"], deps: { db: Db; logger: Logger }): Mailer {
  const smtp = config.mode === "smtp" ? createSmtpTransport({ url: config.url, from: config.from }) : undefined;
  const deliver = smtp ? (mail: Mail) => smtp.send(mail) : (mail: Mail) => storeInOutbox(deps.db, mail);
  return {
    mode: config.mode,
    async send(kind, mail) {
      const started = Date.now();
      try {
        await deliver(mail);
      } catch (err) {
        const e = err as Error;
        const smtpFailure = e instanceof SmtpError ? { code: e.code, replyCode: e.replyCode } : {};
        deps.logger.error({ mail: kind, transport: config.mode, ...smtpFailure, reason: e.message }, "mail not sent");
        throw new Error(`the ${kind} mail could not be sent`);
      }
      deps.logger.info({ mail: kind, transport: config.mode, ms: Date.now() - started }, "mail sent");
    },
    close() {
      smtp?.close();
    },
  };
}
