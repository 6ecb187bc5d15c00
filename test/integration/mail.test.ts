/**
 * Mail through SMTP: a server started with SMTP_URL sends its sign-up mails to
 * a loopback SMTP server (test/support/smtp-server.ts) and serves no TEST MODE
 * outbox; the SMTP transport itself (nodemailer) over STARTTLS and implicit
 * TLS, with certificate checks and both AUTH mechanisms. (Its own file: a second server
 * in the same process would share Colyseus' matchmaker with the first.)
 */
import os from "node:os";
import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeResponse, SessionResponse } from "../../shared/api.ts";
import type { SignUpResponse } from "../../shared/social.ts";
import { mailOutbox, pendingSignups } from "../../server/db/schema.ts";
import { ConfigError } from "../../server/config.ts";
import { createLogger } from "../../server/logger.ts";
import { createMailer } from "../../server/mail/mailer.ts";
import { createSmtpTransport, SmtpError, type SmtpOptions } from "../../server/mail/smtp-transport.ts";
import { confirmationToken, uniqueSuffix as unique } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { selfSignedCertificate, startSmtpServer, type SmtpServer } from "../support/smtp-server.ts";

/** A trace-level logger whose lines land in a string. */
const capturedLogs = () => {
  const captured = { text: "", logger: createLogger("trace", new Writable({ write(chunk, _enc, done) { captured.text += String(chunk); done(); } })) };
  return captured;
};

describe("a server with SMTP_URL", () => {
  let smtp: SmtpServer;
  let live: TestServer;
  const logs = capturedLogs();
  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: { user: "hameau", pass: "smtp pass" } });
    live = await startTestServer({
      logger: logs.logger,
      env: { SMTP_URL: `smtp://hameau:${encodeURIComponent("smtp pass")}@127.0.0.1:${smtp.port}`, MAIL_FROM: "Hameau <no-reply@hameau.example>", PUBLIC_URL: "https://play.hameau.example" },
    });
  });
  afterAll(async () => {
    await live?.stop();
    await smtp?.close();
  });

  it("sends a real mail with the recipient and the link, and the link confirms", async () => {
    const email = `smtp.${unique()}@example.org`;
    const res = await live.api<SignUpResponse>("/api/account/signup", { body: { email, name: `Cumin ${unique()}`, locale: "en" } });
    expect(res.status).toBe(202);
    const mail = await smtp.nextMail();
    expect(mail.to).toEqual([email]);
    expect(mail.from).toBe("no-reply@hameau.example");
    expect(mail.user).toBe("hameau");
    expect(mail.headers.to).toBe(email);
    expect(mail.headers.from).toBe("Hameau <no-reply@hameau.example>");
    expect(mail.subject).toBe("Confirm your Hameau account");
    const token = confirmationToken(mail.text)!;
    expect(mail.text).toContain(`https://play.hameau.example/?confirm=${token}`);
    expect(await live.hameau.database.db.$count(pendingSignups, eq(pendingSignups.email, email))).toBe(1);
    const confirmed = await live.api<SessionResponse>("/api/account/confirm", { body: { token, password: "a password by smtp" } });
    expect(confirmed.status).toBe(201);
    expect((await live.api<MeResponse>("/api/me", { token: confirmed.body.token })).body.account).toEqual({ email });

    // A taken address gets "someone tried", in French by default, through SMTP too.
    expect((await live.api("/api/account/signup", { body: { email, name: `Anis ${unique()}` } })).status).toBe(202);
    const tried = await smtp.nextMail();
    expect(tried.to).toEqual([email]);
    expect(tried.subject).toBe("Quelqu'un a essayé de créer un compte Hameau avec votre adresse");
    expect(tried.text).toContain("https://play.hameau.example/");
    // One pooled transport per process: both mails went through one connection, one AUTH.
    expect(smtp.verbs.filter((v) => v === "EHLO" || v === "AUTH")).toEqual(["EHLO", "AUTH"]);

    // The logs say which mails went out and how, never the address, the link, the token nor the SMTP password.
    expect(logs.text).toMatch(/"mail":"signup_confirmation","transport":"smtp".*"mail sent"/);
    expect(logs.text).toMatch(/"mail":"signup_existing_account","transport":"smtp".*"mail sent"/);
    for (const secret of [email, token, "?confirm=", "smtp pass", encodeURIComponent("smtp pass"), Buffer.from("\0hameau\0smtp pass").toString("base64")]) {
      expect(logs.text).not.toContain(secret);
    }
  });

  it("serves no outbox: the TEST MODE mail pages do not exist", async () => {
    expect((await live.api("/dev/mail")).status).toBe(404);
    expect((await live.api("/dev/mail.json")).status).toBe(404);
    // Nothing is kept in the local outbox either: the mails went through SMTP.
    expect(await live.hameau.database.db.$count(mailOutbox)).toBe(0);
  });
});


describe("the SMTP transport", () => {
  const certificate = selfSignedCertificate();
  const mail = { to: "someone@example.org", subject: "Ça pousse — été", text: "Première ligne\n.une ligne qui commence par un point\nhttps://example.org/?confirm=abc" };
  const servers: SmtpServer[] = [];
  const start = async (opts: Parameters<typeof startSmtpServer>[0]) => {
    const s = await startSmtpServer(opts);
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  /** One mail through a transport of its own, closed afterwards. */
  const sendSmtp = async (opts: SmtpOptions, m: typeof mail) => {
    const transport = createSmtpTransport(opts);
    try {
      await transport.send(m);
    } finally {
      transport.close();
    }
  };

  it("upgrades with STARTTLS, checks the certificate, and authenticates with LOGIN when PLAIN is not offered", async () => {
    const smtp = await start({ tls: certificate, auth: { user: "me@example.org", pass: "p@ss:wörd" }, mechanisms: ["LOGIN"] });
    await sendSmtp({ url: `smtp://${encodeURIComponent("me@example.org")}:${encodeURIComponent("p@ss:wörd")}@127.0.0.1:${smtp.port}`, from: "Hameau <no-reply@hameau.example>", tls: { ca: certificate.cert } }, mail);
    const got = await smtp.nextMail();
    expect(got).toMatchObject({ from: "no-reply@hameau.example", to: ["someone@example.org"], user: "me@example.org", encrypted: true, subject: mail.subject });
    expect(got.text).toBe(mail.text);
    expect(got.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(got.headers["message-id"]).toMatch(/^<[0-9a-f]{32}@hameau\.example>$/);
    expect(got.headers.from).toBe("Hameau <no-reply@hameau.example>");
    expect(got.headers.to).toBe("someone@example.org");
    expect(got.headers["mime-version"]).toBe("1.0");
    expect(got.headers["auto-submitted"]).toBe("auto-generated");
    expect(Math.abs(Date.parse(got.headers.date!) - Date.now())).toBeLessThan(60_000);
    // Sent as 7-bit-safe text whatever the language: only ASCII crossed the wire.
    expect(got.raw).toMatch(/^[\x00-\x7f]*$/);
  });

  // Needs an address of this machine that is not loopback (every machine of this project has one; shown as skipped elsewhere).
  const address = Object.values(os.networkInterfaces()).flat().find((i) => i && !i.internal && i.family === "IPv4")?.address;
  it.skipIf(!address)("sends the password over a network only inside TLS: no STARTTLS on a non-loopback host, no AUTH", async () => {
    if (!address) throw new Error("unreachable: skipped without a non-loopback address");
    const smtp = await start({ host: address, auth: { user: "hameau", pass: "a secret" } });
    const url = `smtp://hameau:${encodeURIComponent("a secret")}@${address}:${smtp.port}`;
    const sending = sendSmtp({ url, from: "no-reply@hameau.example" }, mail);
    await expect(sending).rejects.toThrow(/SMTP server answered 502 to STARTTLS/);
    expect(smtp.verbs).toEqual(["EHLO", "STARTTLS"]);
    expect(smtp.mails).toHaveLength(0);
  });

  it("reuses its connection for the next mail, and close() ends it", async () => {
    const smtp = await start({});
    const transport = createSmtpTransport({ url: smtp.url, from: "no-reply@hameau.example" });
    try {
      await transport.send(mail);
      await transport.send({ ...mail, subject: "Second" });
      expect((await smtp.nextMail()).subject).toBe(mail.subject);
      expect((await smtp.nextMail()).subject).toBe("Second");
      expect(smtp.verbs.filter((v) => v === "EHLO")).toHaveLength(1);
      expect(smtp.openConnections()).toBe(1);
    } finally {
      transport.close();
    }
    await expect.poll(() => smtp.openConnections(), { timeout: 5000 }).toBe(0);
  });

  it("takes no ?options in the URL (nodemailer would read tls.rejectUnauthorized or logger from it)", () => {
    for (const url of ["smtp://127.0.0.1:2525?tls.rejectUnauthorized=false", "smtps://u:p@smtp.example.org/?logger=true", "smtp://127.0.0.1:2525/x", "http://smtp.example.org"]) {
      expect(() => createSmtpTransport({ url, from: "no-reply@hameau.example" })).toThrow(ConfigError);
    }
  });

  it("names a refused recipient's step and code, never the address the server echoed", async () => {
    const smtp = await start({ rejectRecipients: true });
    const err = (await sendSmtp({ url: smtp.url, from: "no-reply@hameau.example" }, mail).catch((e: unknown) => e)) as SmtpError;
    expect(err).toBeInstanceOf(SmtpError);
    expect(err.replyCode).toBe(550);
    expect(err.message).toMatch(/^SMTP server answered 550 to RCPT TO: /);
    expect(err.message).not.toContain(mail.to);
  });

  it("logs a mail that could not be sent with its kind and the server's answer, never the password or the address", async () => {
    const smtp = await start({ auth: { user: "hameau", pass: "the right one" } });
    const logs = capturedLogs();
    const mailer = createMailer(
      { mode: "smtp", url: `smtp://hameau:${encodeURIComponent("the wrong one")}@127.0.0.1:${smtp.port}`, from: "Hameau <no-reply@hameau.example>" },
      { db: undefined as never, logger: logs.logger },
    );
    try {
      await expect(mailer.send("signup_confirmation", mail)).rejects.toThrow("the signup_confirmation mail could not be sent");
    } finally {
      mailer.close();
    }
    expect(logs.text).toMatch(/"mail":"signup_confirmation","transport":"smtp","code":"EAUTH","replyCode":535,"reason":"SMTP server answered 535 to AUTH PLAIN/);
    for (const secret of ["the wrong one", encodeURIComponent("the wrong one"), Buffer.from("\0hameau\0the wrong one").toString("base64"), mail.to, "confirm=abc"]) {
      expect(logs.text).not.toContain(secret);
    }
  });

  it("speaks TLS from the first byte with smtps://", async () => {
    const smtp = await start({ tls: certificate, implicitTls: true });
    await sendSmtp({ url: smtp.url, from: "no-reply@hameau.example", tls: { ca: certificate.cert } }, mail);
    expect(await smtp.nextMail()).toMatchObject({ encrypted: true, to: ["someone@example.org"], user: undefined });
  });

  it("refuses a certificate it cannot verify", async () => {
    const smtp = await start({ tls: certificate });
    await expect(sendSmtp({ url: smtp.url, from: "no-reply@hameau.example" }, mail)).rejects.toThrow(/SMTP connection failed: .*certificate/i);
    expect(smtp.mails).toHaveLength(0);
  });

  it("fails with the server's answer to wrong credentials, never with the password", async () => {
    const smtp = await start({ auth: { user: "hameau", pass: "the right one" } });
    const sending = sendSmtp({ url: `smtp://hameau:not-the-right-one@127.0.0.1:${smtp.port}`, from: "no-reply@hameau.example" }, mail);
    await expect(sending).rejects.toBeInstanceOf(SmtpError);
    const err = (await sending.catch((e: unknown) => e)) as SmtpError;
    expect(err.replyCode).toBe(535);
    expect(err.message).toMatch(/AUTH PLAIN/);
    expect(err.message).not.toContain("not-the-right-one");
    expect(smtp.mails).toHaveLength(0);
  });

  it("says so when nothing listens", async () => {
    const smtp = await start({});
    const url = smtp.url;
    await smtp.close();
    servers.pop();
    await expect(sendSmtp({ url, from: "no-reply@hameau.example", timeoutMs: 5000 }, mail)).rejects.toThrow(/SMTP connection failed/);
  });
});
