/**
 * Mail through SMTP: a server started with SMTP_URL sends its sign-up mails to
 * a loopback SMTP server (test/support/smtp-server.ts) and serves no TEST MODE
 * outbox; the SMTP client itself over STARTTLS and implicit TLS, with
 * certificate checks and both AUTH mechanisms. (Its own file: a second server
 * in the same process would share Colyseus' matchmaker with the first.)
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeResponse, SessionResponse } from "../../shared/api.ts";
import type { SignUpResponse } from "../../shared/social.ts";
import { mailOutbox, pendingSignups } from "../../server/db/schema.ts";
import { SmtpError, sendSmtp } from "../../server/mail/smtp.ts";
import { confirmationToken, uniqueSuffix as unique } from "../support/accounts.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { selfSignedCertificate, startSmtpServer, type SmtpServer } from "../support/smtp-server.ts";

describe("a server with SMTP_URL", () => {
  let smtp: SmtpServer;
  let live: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: { user: "hameau", pass: "smtp pass" } });
    live = await startTestServer({
      env: { SMTP_URL: `smtp://hameau:${encodeURIComponent("smtp pass")}@127.0.0.1:${smtp.port}`, MAIL_FROM: "Hameau <no-reply@hameau.example>", PUBLIC_URL: "https://play.hameau.example" },
    });
  });
  afterAll(async () => {
    await live?.stop();
    await smtp?.close();
  });

  it("sends a real mail with the recipient and the link, and the link confirms", async () => {
    const email = `smtp.${unique()}@example.org`;
    const res = await live.api<SignUpResponse>("/api/account/signup", { body: { email, password: "a password by smtp", name: `Cumin ${unique()}`, locale: "en" } });
    expect(res.status).toBe(202);
    const mail = await smtp.nextMail();
    expect(mail.to).toEqual([email]);
    expect(mail.from).toBe("no-reply@hameau.example");
    expect(mail.user).toBe("hameau");
    expect(mail.headers.to).toBe(`<${email}>`);
    expect(mail.headers.from).toBe(`"Hameau" <no-reply@hameau.example>`);
    expect(mail.subject).toBe("Confirm your Hameau account");
    const token = confirmationToken(mail.text)!;
    expect(mail.text).toContain(`https://play.hameau.example/?confirm=${token}`);
    expect(await live.hameau.database.db.$count(pendingSignups, eq(pendingSignups.email, email))).toBe(1);
    const confirmed = await live.api<SessionResponse>("/api/account/confirm", { body: { token } });
    expect(confirmed.status).toBe(201);
    expect((await live.api<MeResponse>("/api/me", { token: confirmed.body.token })).body.account).toEqual({ email });

    // A taken address gets "someone tried", in French by default, through SMTP too.
    expect((await live.api("/api/account/signup", { body: { email, password: "someone else's", name: `Anis ${unique()}` } })).status).toBe(202);
    const tried = await smtp.nextMail();
    expect(tried.to).toEqual([email]);
    expect(tried.subject).toBe("Quelqu'un a essayé de créer un compte Hameau avec votre adresse");
    expect(tried.text).toContain("https://play.hameau.example/");
  });

  it("serves no outbox: the TEST MODE mail pages do not exist", async () => {
    expect((await live.api("/dev/mail")).status).toBe(404);
    expect((await live.api("/dev/mail.json")).status).toBe(404);
    // Nothing is kept in the local outbox either: the mails went through SMTP.
    expect(await live.hameau.database.db.$count(mailOutbox)).toBe(0);
  });
});


describe("the SMTP client", () => {
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

  it("upgrades with STARTTLS, checks the certificate, and authenticates with LOGIN when PLAIN is not offered", async () => {
    const smtp = await start({ tls: certificate, auth: { user: "me@example.org", pass: "p@ss:wörd" }, mechanisms: ["LOGIN"] });
    await sendSmtp({ url: `smtp://${encodeURIComponent("me@example.org")}:${encodeURIComponent("p@ss:wörd")}@127.0.0.1:${smtp.port}`, from: "Hameau <no-reply@hameau.example>", tls: { ca: certificate.cert } }, mail);
    const got = await smtp.nextMail();
    expect(got).toMatchObject({ from: "no-reply@hameau.example", to: ["someone@example.org"], user: "me@example.org", encrypted: true, subject: mail.subject });
    expect(got.text).toBe(mail.text);
    expect(got.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(got.headers["message-id"]).toMatch(/^<[0-9a-f]{32}@hameau\.example>$/);
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
