/**
 * One plain-text mail as an RFC 5322 message: UTF-8 text in base64 (safe
 * through any server, whatever the language), non-ASCII headers as RFC 2047
 * encoded words, CRLF line ends. Headers never take a CR or LF from input.
 */
import { randomBytes } from "node:crypto";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailbox {
  /** The display name, if any ("Hameau"). */
  name: string | undefined;
  address: string;
}

/** Parses `Name <addr@host>` or `addr@host` (MAIL_FROM; its format is checked by the config). */
export function parseMailbox(value: string): Mailbox {
  const m = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (m) return { name: m[1]!.replace(/^"|"$/g, "") || undefined, address: m[2]! };
  return { name: undefined, address: value.trim() };
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");

/** An RFC 2047 encoded word when the text is not plain ASCII. */
function headerText(s: string): string {
  const clean = oneLine(s);
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean, "utf8").toString("base64")}?=`;
}

function formatMailbox(box: Mailbox): string {
  if (!box.name) return `<${oneLine(box.address)}>`;
  const ascii = /^[\x20-\x7e]*$/.test(box.name);
  const phrase = ascii ? `"${oneLine(box.name).replace(/["\\]/g, "\\$&")}"` : headerText(box.name);
  return `${phrase} <${oneLine(box.address)}>`;
}

/** The whole message, ready for SMTP DATA (before dot-stuffing). */
export function formatMessage(from: Mailbox, mail: Mail, date = new Date()): string {
  const domain = from.address.split("@")[1] ?? "localhost";
  const body = Buffer.from(mail.text.replace(/\r?\n/g, "\r\n"), "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");
  const headers = [
    `From: ${formatMailbox(from)}`,
    `To: <${oneLine(mail.to)}>`,
    `Subject: ${headerText(mail.subject)}`,
    `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${randomBytes(16).toString("hex")}@${oneLine(domain)}>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "Auto-Submitted: auto-generated",
  ];
  return `${headers.join("\r\n")}\r\n\r\n${body.replace(/\r\n$/, "")}\r\n`;
}
