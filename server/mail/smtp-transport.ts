/**
 * Hameau's SMTP transport: nodemailer, built once per process from SMTP_URL,
 * with nodemailer's `createTransport(url)` semantics made strict:
 *
 * - `smtps://host[:465]`: TLS from the first byte.
 * - `smtp://host[:587]`: upgraded with STARTTLS whenever the server offers it.
 * - `user:password@` (percent-encoded) in the URL: SMTP AUTH (PLAIN, else LOGIN).
 *   With credentials, TLS is required (`requireTLS`) except to a loopback
 *   host, so the password never goes in clear over a network.
 * - Certificates are verified (Node's defaults). The URL takes no `?options`:
 *   nodemailer would read `?tls.rejectUnauthorized=false` or `?logger=true`
 *   from it, so a URL with a query is refused at startup.
 * - nodemailer's own logger and debug output stay off (they would print
 *   addresses and, with debug, the whole SMTP conversation).
 *
 * Pooled (at most 3 connections, reused, closed with QUIT after 20 idle
 * seconds, before the 30-second inactivity timeout would cut them): sign-ups
 * come in bursts, and a burst then shares one TLS handshake and one AUTH per
 * connection instead of opening a connection per mail; it also bounds how many
 * connections Hameau opens at once (providers refuse past a few per account),
 * queueing the rest. A connection dropped in the middle of a delivery is
 * retried on a new one.
 *
 * Errors (SmtpError) name the step and the server's reply, never the SMTP
 * password nor the recipient's address, which replies often echo.
 */
import { randomBytes } from "node:crypto";
import type tls from "node:tls";
import nodemailer, { type NodemailerError, type SMTPPoolOptions } from "nodemailer";
import addressparser from "nodemailer/lib/addressparser";
import { ConfigError } from "../config.ts";
import type { Mail } from "./mailer.ts";

export interface SmtpOptions {
  /** smtp:// or smtps:// URL, with optional user:password (SMTP_URL). */
  url: string;
  /** The From header and envelope sender (MAIL_FROM). */
  from: string;
  /** Extra TLS options (tests pass the CA of their own certificate). */
  tls?: tls.ConnectionOptions;
  /** Connection, greeting and inactivity timeouts (default 30 s each). */
  timeoutMs?: number;
}

export class SmtpError extends Error {
  /** The SMTP reply code, when the server answered (535 for wrong credentials). */
  readonly replyCode: number | undefined;
  /** nodemailer's error code (EAUTH, ETLS, ESOCKET, ...). */
  readonly code: string | undefined;
  constructor(message: string, replyCode?: number, code?: string) {
    super(message);
    this.name = "SmtpError";
    this.replyCode = replyCode;
    this.code = code;
  }
}

export interface SmtpTransport {
  send(mail: Mail): Promise<void>;
  /** Closes idle connections at once; a delivery in flight finishes first. */
  close(): void;
}

const isLoopback = (host: string) => host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The nodemailer options for an SMTP_URL (throws ConfigError for a URL it would not send through safely). */
export function smtpPoolOptions(opts: Pick<SmtpOptions, "url" | "tls" | "timeoutMs">): SMTPPoolOptions & { pool: true } {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new ConfigError("SMTP_URL is not a valid URL");
  }
  const secure = url.protocol === "smtps:";
  if (!secure && url.protocol !== "smtp:") throw new ConfigError(`SMTP_URL must be smtp:// or smtps://, not ${url.protocol}`);
  if (url.search || url.hash || (url.pathname !== "" && url.pathname !== "/")) {
    throw new ConfigError("SMTP_URL takes no path nor ?options: smtp[s]://user:password@host:port");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new ConfigError("SMTP_URL has no host");
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const timeout = opts.timeoutMs ?? 30_000;
  return {
    pool: true,
    maxConnections: 3,
    host,
    port: Number(url.port || (secure ? 465 : 587)),
    secure,
    // STARTTLS whenever offered (nodemailer's default); required before a password leaves the machine.
    requireTLS: !secure && Boolean(user) && !isLoopback(host),
    auth: user ? { user, pass } : undefined,
    // Credentials given are used even if the server forgot to advertise AUTH (it then refuses them, clearly).
    forceAuth: Boolean(user),
    tls: { ...opts.tls },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    idleTimeout: Math.floor((timeout * 2) / 3),
    logger: false,
    debug: false,
    transactionLog: false,
  };
}

/** Our error from nodemailer's: the step and the reply, with the password and the recipient taken out. */
function smtpError(err: NodemailerError, secrets: string[], recipient: string): SmtpError {
  let message = err.responseCode
    ? `SMTP server answered ${err.responseCode} to ${err.command ?? "a command"}: ${(err.response ?? "").replace(/^\d{3}[ -]?/, "")}`
    : ["ECONNECTION", "ESOCKET", "ETIMEDOUT", "EDNS", "ETLS", "EPROXY"].includes(err.code ?? "")
      ? `SMTP connection failed: ${err.message}`
      : `SMTP sending failed: ${err.message}`;
  for (const s of secrets) if (s.length >= 1) message = message.split(s).join("***");
  if (recipient) message = message.replace(new RegExp(recipient.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), "<recipient>");
  return new SmtpError(message.slice(0, 300), err.responseCode, err.code);
}

export function createSmtpTransport(opts: SmtpOptions): SmtpTransport {
  const options = smtpPoolOptions(opts);
  const from = addressparser(opts.from, { flatten: true })[0];
  if (!from?.address.includes("@")) throw new ConfigError("MAIL_FROM must be an address, e.g. Hameau <no-reply@example.org>");
  const domain = from.address.slice(from.address.lastIndexOf("@") + 1);
  const pass = options.auth?.pass ?? "";
  // The password as it may travel: raw, percent-encoded in the URL, base64 in AUTH LOGIN/PLAIN.
  const secrets = pass
    ? [pass, encodeURIComponent(pass), Buffer.from(pass, "utf8").toString("base64"), Buffer.from(`\0${options.auth?.user ?? ""}\0${pass}`, "utf8").toString("base64")]
    : [];
  const transporter = nodemailer.createTransport(options);

  return {
    async send(mail) {
      try {
        await transporter.sendMail({
          from: { name: from.name, address: from.address },
          // An address object: one mailbox, whatever it contains (a string would be parsed as a list).
          to: { name: "", address: mail.to },
          subject: mail.subject,
          text: mail.text,
          messageId: `<${randomBytes(16).toString("hex")}@${domain}>`,
          date: new Date(),
          // RFC 3834: an automatic mail, so auto-responders do not answer it.
          headers: { ...mail.headers, "Auto-Submitted": "auto-generated" },
          disableFileAccess: true,
          disableUrlAccess: true,
        });
      } catch (err) {
        throw smtpError(err as NodemailerError, secrets, mail.to);
      }
    },
    close() {
      transporter.close();
    },
  };
}
