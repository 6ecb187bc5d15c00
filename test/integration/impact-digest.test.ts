// @both-databases: one digest per player and month under racing sweepers.
/**
 * The monthly impact digest on the real server, mailed through a loopback
 * SMTP server, with the test clock moved to the next month: one digest per
 * opted-in account with news, in its language, with its List-Unsubscribe
 * headers, exactly once even with several processes sweeping at once; none
 * for an account that did not opt in, a guest, or a month with nothing new;
 * the signed unsubscribe link works once without signing in, and a forged
 * or altered one is refused and changes nothing; the digests are in the data
 * export and go with the account.
 */
import { randomBytes } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, MeResponse, SessionResponse } from "../../shared/api.ts";
import { parisDate } from "../../shared/fund-trail.ts";
import { digestMonth, monthRange } from "../../shared/my-impact.ts";
import type { DataExport } from "../../shared/privacy.ts";
import { accounts, impactDigests, mailQueue } from "../../server/db/schema.ts";
import { sweepImpactDigests } from "../../server/services/impact-digest.ts";
import { TestClock } from "../support/clock.ts";
import { impactWorld } from "../support/impact-world.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { type ReceivedMail, type SmtpServer, startSmtpServer } from "../support/smtp-server.ts";

let smtp: SmtpServer;
let server: TestServer;
let catalog: CatalogResponse;
const clock = new TestClock();
const w = impactWorld(() => server, () => catalog, (prefix) => account(prefix, { digest: false }));

beforeAll(async () => {
  smtp = await startSmtpServer();
  // Sweeps only when the test asks (a long period), so each step is seen.
  server = await startTestServer({
    now: clock.now, digestSweepMs: 3_600_000,
    env: { SMTP_URL: smtp.url, MAIL_FROM: "Hameau <no-reply@hameau.example>" },
  });
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

const db = () => server.hameau.database.db;

/** A signed-up player (the account row written as a confirmed sign-up would: mails go to SMTP here, not to the outbox). */
const PASSWORD = "a long test password";
let passwordHash: Promise<string> | undefined;
async function account(prefix: string, opts: { digest: boolean; locale?: "fr" | "en" }): Promise<SessionResponse & { email: string }> {
  const guest = await server.guest();
  const email = `${prefix.toLowerCase()}.${randomBytes(4).toString("hex")}@example.org`;
  passwordHash ??= hash(PASSWORD);
  await db().insert(accounts).values({ playerId: guest.player.id, email, passwordHash: await passwordHash, nameKey: guest.player.name.toLowerCase() });
  if (opts.digest) expect((await server.api("/api/account/settings", { method: "PATCH", token: guest.token, body: { impactDigest: true } })).status).toBe(200);
  expect((await server.api("/api/me/preferences", { method: "PATCH", token: guest.token, body: { mailLocale: opts.locale ?? "fr" } })).status).toBe(200);
  return { ...guest, email };
}

const digestOn = async (who: SessionResponse) => (await server.api<MeResponse>("/api/me", { token: who.token })).body.settings.impactDigest;
const rowOf = async (who: SessionResponse, month: string) =>
  (await db().select().from(impactDigests).where(eq(impactDigests.playerId, who.player.id))).find((r) => r.month === month);
/** The digests mailed (the receipts of the test's payments go through the same SMTP server). */
const digests = () => smtp.mails.filter((m) => m.headers["list-unsubscribe"] !== undefined);
const mailsTo = (email: string) => digests().filter((m) => m.to.includes(email));
/** Moves the server's clock into the next Paris month (an hour after it starts). */
function nextMonth(): string {
  const month = parisDate(clock.now()).slice(0, 7);
  clock.advance(monthRange(month).to - clock.now() + 3_600_000);
  return month;
}
/** Several processes sweeping at once: this server's sweeper and two more on the same database. */
async function sweepRacing() {
  const other = { db: db(), logger: server.hameau.logger, now: clock.now, mailOwed: () => undefined };
  await Promise.all([server.hameau.digests.sweep(), sweepImpactDigests(other), sweepImpactDigests(other), server.hameau.digests.sweep()]);
}
const linkIn = (mail: ReceivedMail) => {
  const found = /https?:\/\/[^\s>]+\/mail\/unsubscribe\?[^\s>]+/.exec(mail.text)?.[0];
  expect(found).toBeTruthy();
  const url = new URL(found!);
  return `${url.pathname}${url.search}`;
};

let english: Awaited<ReturnType<typeof account>>;
let french: Awaited<ReturnType<typeof account>>;
let englishMail: ReceivedMail;

describe("the monthly digest", () => {
  it("mails each opted-in account with news once, in its language, and nobody else", async () => {
    english = await account("English", { digest: true, locale: "en" });
    french = await account("French", { digest: true, locale: "fr" });
    const quiet = await account("Quiet", { digest: true });
    const notOptedIn = await account("Silent", { digest: false });
    const guest = await server.guest();
    expect((await server.api("/api/account/settings", { method: "PATCH", token: guest.token, body: { impactDigest: true } })).status).toBe(200);
    for (const who of [english, french, notOptedIn, guest]) await w.paid(who, [["chevre", 2]]);
    await w.step("chevre", "sent_to_field", parisDate(Date.now()));
    await w.update("elevage-familial-burkina", { fr: "Les chèvres sont arrivées", en: "The goats have arrived" }, { photo: true });

    // Still this month: the digest tells last month's news, and there was none.
    await sweepRacing();
    const lastMonth = digestMonth(clock.now());
    expect(await rowOf(english, lastMonth)).toMatchObject({ status: "skipped", outcome: "nothing_new" });

    const month = nextMonth();
    await sweepRacing();
    await vi.waitFor(() => expect(mailsTo(english.email).length + mailsTo(french.email).length).toBe(2), { timeout: 10_000 });
    englishMail = mailsTo(english.email)[0]!;
    const frenchMail = mailsTo(french.email)[0]!;
    const monthEn = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-15T12:00:00Z`));
    expect(englishMail.subject).toBe(`News of your gifts — ${monthEn}`);
    expect(englishMail.text).toContain("The goats have arrived (with a photo)");
    expect(englishMail.text).toContain("Family livestock in Burkina Faso");
    expect(englishMail.text).toMatch(/• .+ × 2: sent to the field/);
    expect(frenchMail.subject).toMatch(/^Des nouvelles de vos cadeaux — /);
    expect(frenchMail.text).toContain("Les chèvres sont arrivées (avec photo)");
    expect(frenchMail.text).toMatch(/• .+ × 2 : envoyé sur le terrain/);
    for (const mail of [englishMail, frenchMail]) {
      // Never an amount; a one-click unsubscribe link in the text and the headers.
      expect(mail.text).not.toMatch(/€|EUR|\d+[.,]\d\d/);
      const link = linkIn(mail);
      expect(mail.headers["list-unsubscribe"]).toContain(link);
      expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    }
    expect(await rowOf(english, month)).toMatchObject({ status: "sent", outcome: "queued" });
    expect(await rowOf(quiet, month)).toMatchObject({ status: "skipped", outcome: "nothing_new" });
    expect(await rowOf(notOptedIn, month)).toBeUndefined();
    expect(await rowOf(guest, month)).toBeUndefined();

    // Sweeping again (any process, any time this month) sends nothing more.
    await sweepRacing();
    await server.hameau.digests.sweep();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo(english.email)).toHaveLength(1);
    expect(mailsTo(french.email)).toHaveLength(1);
    expect(digests().filter((m) => [quiet.email, notOptedIn.email].some((e) => m.to.includes(e)))).toEqual([]);
    expect(digests()).toHaveLength(2);
    const queued = await db().select().from(mailQueue).where(eq(mailQueue.kind, "impact_digest"));
    expect(queued.map((q) => q.playerId).sort()).toEqual([english.player.id, french.player.id].sort());
  });

  it("unsubscribes by its signed link once, without signing in; a forged or altered link is refused and changes nothing", async () => {
    const path = linkIn(englishMail);
    const page = await fetch(server.url + path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Stop the monthly e-mail?");
    expect(html).toMatch(/<form method="post" action="\/mail\/unsubscribe\?[^"]+"/);
    // Opening the page changes nothing (mail scanners open links).
    expect(await digestOn(english)).toBe(true);

    const url = new URL(server.url + path);
    const forged = (change: (q: URLSearchParams) => void) => {
      const q = new URLSearchParams(url.search);
      change(q);
      return `${server.url}/mail/unsubscribe?${q.toString()}`;
    };
    const signature = url.searchParams.get("s")!;
    const attempts = [
      forged((q) => q.set("p", french.player.id)),
      forged((q) => q.set("s", `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`)),
      forged((q) => q.set("m", "2020-01")),
      forged((q) => q.delete("s")),
      forged((q) => q.set("s", "x".repeat(5000))),
      `${server.url}/mail/unsubscribe`,
    ];
    for (const attempt of attempts) {
      expect((await fetch(attempt)).status, attempt).toBe(403);
      expect((await fetch(attempt, { method: "POST" })).status, attempt).toBe(403);
    }
    expect((await fetch(`${server.url}/mail/unsubscribe?p=%00`, { method: "POST" })).status).toBe(400);
    expect(await digestOn(french)).toBe(true);
    expect(await digestOn(english)).toBe(true);

    // A mail program's one-click POST (RFC 8058), no session.
    const done = await fetch(server.url + path, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click",
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Done");
    expect(await digestOn(english)).toBe(false);
    expect(await digestOn(french)).toBe(true);

    // Turned on again: the spent link no longer turns it off.
    expect((await server.api("/api/account/settings", { method: "PATCH", token: english.token, body: { impactDigest: true } })).status).toBe(200);
    const again = await Promise.all(Array.from({ length: 5 }, () => fetch(server.url + path, { method: "POST" })));
    expect(again.map((r) => r.status)).toEqual([410, 410, 410, 410, 410]);
    expect(await digestOn(english)).toBe(true);
    expect(await (await fetch(server.url + path)).text()).toContain("already used");
  });

  it("sends nothing the next month when nothing new happened", async () => {
    const month = nextMonth();
    await sweepRacing();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(digests()).toHaveLength(2);
    expect(await rowOf(english, month)).toMatchObject({ status: "skipped", outcome: "nothing_new" });
    expect(await rowOf(french, month)).toMatchObject({ status: "skipped", outcome: "nothing_new" });
  });

  it("is in the player's data export, and goes with their account", async () => {
    const exported = await server.api<DataExport>("/api/me/export", { token: english.token });
    expect(exported.body.player.preferences.mailLocale).toBe("en");
    expect(exported.body.impactDigests).toEqual([
      expect.objectContaining({ status: "skipped", outcome: "nothing_new", unsubscribedAt: null }),
      expect.objectContaining({ status: "sent", outcome: "queued", unsubscribedAt: expect.any(String) }),
      expect.objectContaining({ status: "skipped", outcome: "nothing_new", unsubscribedAt: null }),
    ]);
    expect((await server.api("/api/me", { method: "DELETE", token: english.token, body: { confirm: "DELETE", password: PASSWORD } })).status).toBe(204);
    expect(await db().select().from(impactDigests).where(eq(impactDigests.playerId, english.player.id))).toEqual([]);
    // Its link is spent with it; the next month sends it nothing.
    expect((await fetch(server.url + linkIn(englishMail), { method: "POST" })).status).toBe(410);
    nextMonth();
    await sweepRacing();
    expect(await db().select().from(impactDigests).where(eq(impactDigests.playerId, english.player.id))).toEqual([]);
  });
});
