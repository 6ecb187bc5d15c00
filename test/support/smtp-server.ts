/**
 * A tiny loopback SMTP server for tests (RFC 5321's line protocol: EHLO,
 * STARTTLS, AUTH PLAIN/LOGIN, MAIL FROM, RCPT TO, DATA, QUIT). It keeps every
 * message it accepts, decoded (headers with RFC 2047 words, a base64 or
 * quoted-printable UTF-8 body), so a test can prove that
 * a real mail left with the right recipient and link.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The user that authenticated, if any. */
  user: string | undefined;
  /** Whether the message came over TLS. */
  encrypted: boolean;
  headers: Record<string, string>;
  subject: string;
  text: string;
  raw: string;
}

export interface SmtpServer {
  port: number;
  url: string;
  mails: ReceivedMail[];
  /** Every command verb received, in order (EHLO, STARTTLS, AUTH, ...), without arguments. */
  verbs: string[];
  /** How many client connections are open right now. */
  openConnections(): number;
  /** Resolves with the next mail accepted (or one already accepted and not yet taken). */
  nextMail(timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export interface SmtpServerOptions {
  /** A key and certificate: STARTTLS is offered (or, with implicitTls, TLS from the start). */
  tls?: { key: string; cert: string };
  implicitTls?: boolean;
  /** Required credentials: MAIL FROM is refused before they are given. */
  auth?: { user: string; pass: string };
  /** Offer only these AUTH mechanisms (default PLAIN LOGIN). */
  mechanisms?: string[];
  /** Refuse every recipient with a 550 that echoes the address, as real servers do. */
  rejectRecipients?: boolean;
  /** The address to listen on (default 127.0.0.1). */
  host?: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost (Debian's openssl), valid one day. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hameau-smtp-"));
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
      "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    return { key: readFileSync(path.join(dir, "key.pem"), "utf8"), cert: readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RFC 2047 encoded words (B and Q), adjacent ones joined without the space between them. */
const decodeWords = (s: string) =>
  s
    .replace(/(\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_m, enc: string, word: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(word, "base64").toString("utf8")
        : Buffer.from(word.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8"));

/** A quoted-printable body (RFC 2045): soft line breaks dropped, =XX bytes read as UTF-8. */
const decodeQuotedPrintable = (body: string) =>
  Buffer.from(body.replace(/[ \t]+\r\n/g, "\r\n").replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8");

function decode(raw: string): Pick<ReceivedMail, "headers" | "subject" | "text"> {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const encoding = (headers["content-transfer-encoding"] ?? "").toLowerCase();
  // A base64 body holds the text's exact bytes; otherwise the CRLF that ends the last line is the message's, not the text's.
  const text =
    encoding === "base64" ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
    : (encoding === "quoted-printable" ? decodeQuotedPrintable(body) : body).replace(/\r\n$/, "");
  return { headers, subject: decodeWords(headers.subject ?? ""), text: text.replace(/\r\n/g, "\n") };
}

export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<SmtpServer> {
  const mails: ReceivedMail[] = [];
  const verbs: string[] = [];
  const waiters: ((m: ReceivedMail) => void)[] = [];
  const unclaimed: ReceivedMail[] = [];
  const sockets = new Set<net.Socket>();
  const mechanisms = opts.mechanisms ?? ["PLAIN", "LOGIN"];
  const secureContext = opts.tls ? tls.createSecureContext(opts.tls) : undefined;

  const accept = (mail: ReceivedMail) => {
    mails.push(mail);
    const w = waiters.shift();
    if (w) w(mail);
    else unclaimed.push(mail);
  };

  const session = (initial: net.Socket, encryptedFromStart: boolean) => {
    let socket = initial;
    let encrypted = encryptedFromStart;
    let buffer = "";
    let mode: "command" | "data" | "auth-login-user" | "auth-login-pass" = "command";
    let from = "";
    let to: string[] = [];
    let user: string | undefined;
    let loginUser = "";
    let data: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    const authenticated = (u: string, p: string) => {
      if (opts.auth && (u !== opts.auth.user || p !== opts.auth.pass)) return reply("535 5.7.8 Authentication credentials invalid");
      user = u;
      reply("235 2.7.0 Authentication successful");
    };
    const onLine = (line: string) => {
      if (mode === "data") {
        if (line === ".") {
          mode = "command";
          const raw = data.join("\r\n") + "\r\n";
          accept({ from, to, user, encrypted, raw, ...decode(raw) });
          from = "";
          to = [];
          data = [];
          return reply("250 2.0.0 Ok: queued");
        }
        data.push(line.startsWith(".") ? line.slice(1) : line);
        return;
      }
      if (mode === "auth-login-user") {
        loginUser = Buffer.from(line, "base64").toString("utf8");
        mode = "auth-login-pass";
        return reply(`334 ${Buffer.from("Password:").toString("base64")}`);
      }
      if (mode === "auth-login-pass") {
        mode = "command";
        return authenticated(loginUser, Buffer.from(line, "base64").toString("utf8"));
      }
      const [verb = "", ...rest] = line.split(" ");
      const arg = rest.join(" ");
      verbs.push(verb.toUpperCase());
      switch (verb.toUpperCase()) {
        case "EHLO": {
          const ext = [...(secureContext && !encrypted ? ["STARTTLS"] : []), ...(mechanisms.length ? [`AUTH ${mechanisms.join(" ")}`] : []), "8BITMIME"];
          return reply(["250-hameau-test-smtp Hello", ...ext.map((e, i) => `250${i === ext.length - 1 ? " " : "-"}${e}`)].join("\r\n"));
        }
        case "HELO":
          return reply("250 hameau-test-smtp");
        case "STARTTLS": {
          if (!secureContext || encrypted) return reply("502 5.5.1 Not offered");
          reply("220 2.0.0 Ready to start TLS");
          socket.removeAllListeners("data");
          const upgraded = new tls.TLSSocket(socket, { isServer: true, secureContext });
          sockets.add(upgraded);
          upgraded.once("close", () => sockets.delete(upgraded));
          upgraded.setEncoding("utf8");
          upgraded.on("data", onData);
          upgraded.on("error", () => upgraded.destroy());
          socket = upgraded;
          encrypted = true;
          user = undefined;
          return;
        }
        case "AUTH": {
          const [mech = "", initialResponse] = arg.split(" ");
          if (mech.toUpperCase() === "PLAIN" && mechanisms.includes("PLAIN") && initialResponse) {
            const [, u = "", p = ""] = Buffer.from(initialResponse, "base64").toString("utf8").split("\0");
            return authenticated(u, p);
          }
          if (mech.toUpperCase() === "LOGIN" && mechanisms.includes("LOGIN")) {
            mode = "auth-login-user";
            return reply(`334 ${Buffer.from("Username:").toString("base64")}`);
          }
          return reply("504 5.5.4 Unrecognized authentication type");
        }
        case "MAIL": {
          if (opts.auth && !user) return reply("530 5.7.0 Authentication required");
          from = /<([^>]*)>/.exec(arg)?.[1] ?? "";
          return reply("250 2.1.0 Ok");
        }
        case "RCPT":
          if (!from) return reply("503 5.5.1 Need MAIL first");
          if (opts.rejectRecipients) return reply(`550 5.1.1 <${/<([^>]*)>/.exec(arg)?.[1] ?? ""}>: Recipient address rejected: User unknown`);
          to.push(/<([^>]*)>/.exec(arg)?.[1] ?? "");
          return reply("250 2.1.5 Ok");
        case "DATA":
          if (to.length === 0) return reply("503 5.5.1 Need RCPT first");
          mode = "data";
          return reply("354 End data with <CR><LF>.<CR><LF>");
        case "RSET":
          from = "";
          to = [];
          return reply("250 2.0.0 Ok");
        case "NOOP":
          return reply("250 2.0.0 Ok");
        case "QUIT":
          reply("221 2.0.0 Bye");
          return void socket.end();
        default:
          return reply("502 5.5.2 Command not recognized");
      }
    };
    const onData = (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        onLine(line);
      }
    };
    socket.setEncoding("utf8");
    socket.on("data", onData);
    socket.on("error", () => socket.destroy());
    reply("220 hameau-test-smtp ESMTP ready");
  };

  const server = opts.implicitTls
    ? tls.createServer({ ...opts.tls! }, (s) => session(s, true))
    : net.createServer((s) => session(s, false));
  const clients = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    clients.add(s);
    s.once("close", () => {
      sockets.delete(s);
      clients.delete(s);
    });
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `${opts.implicitTls ? "smtps" : "smtp"}://${net.isIPv6(host) ? `[${host}]` : host}:${port}`,
    mails,
    verbs,
    openConnections: () => clients.size,
    nextMail(timeoutMs = 10_000) {
      const ready = unclaimed.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const waiter = (m: ReceivedMail) => {
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no mail reached the test SMTP server within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
