/**
 * An SMTP client (RFC 5321) on node:net and node:tls, enough for a server's
 * own mail: one message per connection.
 *
 * - `smtps://host[:465]`: TLS from the first byte.
 * - `smtp://host[:587|25]`: upgrades with STARTTLS whenever the server offers it.
 * - `user:password@` in the URL: AUTH PLAIN (or LOGIN). Credentials are never
 *   sent over an unencrypted connection except to a loopback address.
 * - Certificates are verified (Node's defaults); `?tls=insecure` is not offered.
 *
 * Errors name the step and the server's reply, never the credentials or the
 * message (which holds a confirmation link).
 */
import net from "node:net";
import os from "node:os";
import tls from "node:tls";
import { formatMessage, type Mail, parseMailbox } from "./mime.ts";

export interface SmtpOptions {
  /** smtp:// or smtps:// URL, with optional user:password. */
  url: string;
  /** The From header and envelope sender (MAIL_FROM). */
  from: string;
  /** Extra TLS options (tests pass their own CA). */
  tls?: tls.ConnectionOptions;
  /** Per-step timeout. */
  timeoutMs?: number;
}

export class SmtpError extends Error {
  readonly replyCode: number | undefined;
  constructor(message: string, replyCode?: number) {
    super(message);
    this.name = "SmtpError";
    this.replyCode = replyCode;
  }
}

interface Reply {
  code: number;
  lines: string[];
}

/** Replies read off a socket, one complete (possibly multi-line) reply at a time. */
class ReplyReader {
  private buffer = "";
  private lines: string[] = [];
  private ready: Reply[] = [];
  private waiter: { resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  feed(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, "");
      this.buffer = this.buffer.slice(nl + 1);
      this.lines.push(line);
      if (line.length < 4 || line[3] !== "-") {
        const code = Number(line.slice(0, 3));
        const reply = { code: Number.isInteger(code) ? code : 0, lines: this.lines.map((l) => l.slice(4)) };
        this.lines = [];
        if (this.waiter) {
          const w = this.waiter;
          this.waiter = undefined;
          w.resolve(reply);
        } else this.ready.push(reply);
      }
    }
    if (this.buffer.length > 64 * 1024) this.fail(new SmtpError("SMTP server sent an over-long line"));
  }

  fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.failure);
  }

  /** True when nothing is buffered (required before a TLS upgrade). */
  get idle(): boolean {
    return this.buffer === "" && this.lines.length === 0 && this.ready.length === 0;
  }

  next(): Promise<Reply> {
    const r = this.ready.shift();
    if (r) return Promise.resolve(r);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

export async function sendSmtp(opts: SmtpOptions, mail: Mail): Promise<void> {
  const url = new URL(opts.url);
  const secure = url.protocol === "smtps:";
  if (!secure && url.protocol !== "smtp:") throw new SmtpError(`SMTP_URL must be smtp:// or smtps://, not ${url.protocol}`);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || (secure ? 465 : 587));
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const from = parseMailbox(opts.from);
  const reader = new ReplyReader();

  let socket: net.Socket = await open(secure ? tls.connect({ host, port, servername: host, ...opts.tls }) : net.connect({ host, port }), secure);
  let encrypted = secure;
  const attach = (s: net.Socket) => {
    s.setEncoding("utf8");
    s.setTimeout(timeoutMs, () => s.destroy(new SmtpError(`SMTP server did not answer within ${timeoutMs} ms`)));
    s.on("data", (chunk: string) => reader.feed(chunk));
    s.on("error", (err) => reader.fail(err instanceof SmtpError ? err : new SmtpError(`SMTP connection failed: ${err.message}`)));
    s.on("close", () => reader.fail(new SmtpError("SMTP server closed the connection")));
  };
  attach(socket);

  const expect = async (step: string, ok: number[]): Promise<Reply> => {
    const reply = await reader.next();
    if (!ok.includes(reply.code)) throw new SmtpError(`SMTP server answered ${reply.code} to ${step}: ${reply.lines.join(" ").slice(0, 200)}`, reply.code);
    return reply;
  };
  const command = (line: string, step: string, ok: number[]) => {
    socket.write(`${line}\r\n`);
    return expect(step, ok);
  };
  const hello = async (): Promise<Set<string>> => {
    const name = os.hostname().replace(/[^A-Za-z0-9.-]/g, "") || "localhost";
    socket.write(`EHLO ${name}\r\n`);
    const reply = await reader.next();
    if (reply.code === 250) return new Set(reply.lines.slice(1).map((l) => l.toUpperCase()));
    await command(`HELO ${name}`, "HELO", [250]);
    return new Set();
  };

  try {
    await expect("the greeting", [220]);
    let extensions = await hello();
    if (!secure && extensions.has("STARTTLS")) {
      await command("STARTTLS", "STARTTLS", [220]);
      if (!reader.idle) throw new SmtpError("SMTP server sent data before the TLS handshake");
      socket.removeAllListeners("data").removeAllListeners("error").removeAllListeners("close").setTimeout(0);
      socket = await open(tls.connect({ socket, servername: host, ...opts.tls }), true);
      encrypted = true;
      attach(socket);
      extensions = await hello();
    }
    if (user) {
      if (!encrypted && !LOOPBACK.has(host)) {
        throw new SmtpError("SMTP server offers no TLS: refusing to send the SMTP password unencrypted");
      }
      const auth = [...extensions].find((e) => e.startsWith("AUTH ") || e.startsWith("AUTH="))?.slice(5).split(/\s+/) ?? [];
      if (auth.includes("PLAIN") || auth.length === 0) {
        await command(`AUTH PLAIN ${Buffer.from(`\0${user}\0${pass}`, "utf8").toString("base64")}`, "AUTH PLAIN", [235]);
      } else if (auth.includes("LOGIN")) {
        await command("AUTH LOGIN", "AUTH LOGIN", [334]);
        await command(Buffer.from(user, "utf8").toString("base64"), "AUTH LOGIN (user)", [334]);
        await command(Buffer.from(pass, "utf8").toString("base64"), "AUTH LOGIN (password)", [235]);
      } else {
        throw new SmtpError(`SMTP server offers no supported AUTH mechanism (${auth.join(" ")})`);
      }
    }
    await command(`MAIL FROM:<${from.address}>`, "MAIL FROM", [250]);
    await command(`RCPT TO:<${mail.to.replace(/[\r\n<>]/g, "")}>`, "RCPT TO", [250, 251]);
    await command("DATA", "DATA", [354]);
    const data = formatMessage(from, mail).replace(/^\./gm, "..");
    await command(`${data}.`, "the message", [250]);
    await command("QUIT", "QUIT", [221]).catch(() => undefined);
  } finally {
    socket.destroy();
  }
}

/** Resolves once the socket is connected (and, for TLS, the handshake and certificate check passed). */
function open(socket: net.Socket, isTls: boolean): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const failed = (err: Error) => reject(new SmtpError(`SMTP connection failed: ${err.message}`));
    socket.once("error", failed);
    socket.once(isTls ? "secureConnect" : "connect", () => {
      socket.off("error", failed);
      resolve(socket);
    });
  });
}
