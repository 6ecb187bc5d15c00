/**
 * Tax receipts an NGO can sign: only an eligible NGO issues them, only once
 * every donation of the year is past the NGO's refund window, and a later
 * refund or lost dispute cancels an issued receipt and issues an "annule et
 * remplace" one with a new number, gapless per NGO and year (also under
 * concurrent issues), with a mail to the donor. The server runs on a test
 * clock set to early January of next year, so "last year" is just over.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse, TaxReceiptSummary } from "../../shared/api.ts";
import type { NgoAdminListResponse, NgoSettingsView } from "../../shared/ngo-accounts.ts";
import type { TaxReceiptDeclaration } from "../../shared/reports.ts";
import { mailQueue, ngos, orders, taxReceipts } from "../../server/db/schema.ts";
import { parisYear } from "../../server/services/receipts.ts";
import { outboxFor, signUpAccount } from "../support/accounts.ts";
import { TestClock } from "../support/clock.ts";
import { addNgoMember, createNgoWithGift, demoNgoId, makeTestPlatformAdmin } from "../support/ngo.ts";
import { pdfText } from "../support/pdf-text.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, disputeObject, send, stripeEvent } from "../support/stripe-events.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock();
let server: TestServer;
let catalog: CatalogResponse;
let ngoId: string;
/** The year that just ended, on the test clock. */
let year: number;
const donor = { firstName: "Claire", lastName: "Dubœuf", addressLines: ["3 place de l'Église"], postalCode: "35000", city: "Rennes", country: "France" };

beforeAll(async () => {
  // 2 January next year, 12:00 UTC: last year is over, its late-December payments are inside a 30-day window.
  const next = parisYear(new Date()) + 1;
  clock.advance(Date.UTC(next, 0, 2, 12) - Date.now());
  year = next - 1;
  server = await startTestServer({ now: clock.now });
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  ngoId = await demoNgoId(server);
});
afterAll(() => server?.stop());

const db = () => server.hameau.database.db;
const giftId = (slug: string) => catalog.gifts.find((g) => g.slug === slug)!.id;

/** Pays an order through the TEST MODE checkout, then dates its payment `daysAgo` days before the test clock. */
async function paid(who: SessionResponse, lines: Array<[string, number]>, daysAgo: number) {
  const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: who.token, body: { lines: lines.map(([g, quantity]) => ({ giftId: g.length === 36 ? g : giftId(g), quantity })) } });
  expect(checkout.status).toBe(201);
  const pay = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
  expect(pay.status).toBe(303);
  await db().update(orders).set({ paidAt: new Date(clock.now() - daysAgo * DAY) }).where(eq(orders.id, checkout.body.orderId));
  const [row] = await db().select().from(orders).where(eq(orders.id, checkout.body.orderId));
  return { ...row!, session: { sessionId: row!.checkoutSessionId!, orderId: row!.id, totalCents: row!.totalCents, paymentIntentId: row!.paymentIntentId! } };
}

async function donorWithProfile(account = false): Promise<SessionResponse & { email?: string }> {
  const who = account ? await signUpAccount(server, "Donor") : await server.guest();
  expect((await server.api("/api/me/donor", { method: "PUT", token: who.token, body: donor })).status).toBe(200);
  return who;
}

const issue = (who: SessionResponse, ngo = ngoId) =>
  server.api<{ id: string; number: string; totalCents: number; error?: { code: string; message: string } }>("/api/tax-receipts", { token: who.token, body: { ngoId: ngo, year } });
const summary = async (who: SessionResponse) => (await server.api<TaxReceiptSummary>(`/api/tax-receipts?year=${year}`, { token: who.token })).body.ngos;
const seq = (n: string) => Number(n.split("-").at(-1));

async function pdf(path: string, token: string): Promise<{ status: number; text: string }> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, text: res.ok ? pdfText(Buffer.from(await res.arrayBuffer())) : "" };
}

/** Every number of the demo NGO's year, sorted: they must be 1..n with no gap. */
async function numbersOfYear(): Promise<number[]> {
  const rows = await db().select({ number: taxReceipts.number }).from(taxReceipts).where(and(eq(taxReceipts.ngoId, ngoId), eq(taxReceipts.year, year)));
  return rows.map((r) => seq(r.number)).sort((a, b) => a - b);
}
const gapless = (numbers: number[]) => numbers.every((n, i) => n === i + 1);

describe("eligibility", () => {
  it("an NGO that declared no eligible status issues nothing, and the donor is told why", async () => {
    const other = await createNgoWithGift(server, "approved");
    const who = await donorWithProfile();
    await paid(who, [[other.giftId, 2]], 200);
    const row = (await summary(who)).find((n) => n.ngoId === other.ngoId)!;
    expect(row).toMatchObject({ eligible: false, totalCents: 1000, receipt: null });
    const refused = await issue(who, other.ngoId);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe("ngo_not_eligible");
    expect(await db().select().from(taxReceipts).where(eq(taxReceipts.ngoId, other.ngoId))).toEqual([]);
  });

  it("is declared by the NGO's admins with its evidence, and shown in the platform review", async () => {
    const other = await createNgoWithGift(server, "pending");
    const admin = await signUpAccount(server, "Admin");
    await addNgoMember(server, other.ngoId, admin.player.id, "admin");
    const path = `/api/ngos/${other.ngoId}/settings`;
    const missing = await server.api<{ error: { code: string; fields: Record<string, string> } }>(path, { method: "PATCH", token: admin.token, body: { taxEligibility: { status: "interet_general" } } });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.error.fields).sort()).toEqual(["taxEligibility.date", "taxEligibility.reference"]);
    const badWindow = await server.api(path, { method: "PATCH", token: admin.token, body: { refundWindowDays: 400 } });
    expect(badWindow.status).toBe(400);
    const badUrl = await server.api(path, { method: "PATCH", token: admin.token, body: { taxEligibility: { status: "utilite_publique", reference: "Décret du 2 mars 1990", date: "1990-03-02", documentUrl: "javascript:alert(1)" } } });
    expect(badUrl.status).toBe(400);
    const declared = await server.api<NgoSettingsView>(path, {
      method: "PATCH", token: admin.token,
      body: { taxEligibility: { status: "utilite_publique", reference: "Décret du 2 mars 1990", date: "1990-03-02", documentUrl: "https://example.org/decret.pdf" }, refundWindowDays: 45 },
    });
    expect(declared.status).toBe(200);
    expect(declared.body.taxEligibility).toEqual({ status: "utilite_publique", reference: "Décret du 2 mars 1990", date: "1990-03-02", documentUrl: "https://example.org/decret.pdf" });
    expect(declared.body.refundWindowDays).toBe(45);
    // Someone else's session: not a member, nothing to see or change.
    const stranger = await signUpAccount(server, "Stranger");
    expect((await server.api(path, { method: "PATCH", token: stranger.token, body: { refundWindowDays: 0 } })).status).toBe(404);

    const reviewer = await signUpAccount(server, "Reviewer");
    await makeTestPlatformAdmin(server, reviewer.player.id);
    const review = await server.api<NgoAdminListResponse>("/api/admin/ngos?status=pending", { token: reviewer.token });
    expect(review.body.ngos.find((n) => n.id === other.ngoId)?.taxEligibility).toMatchObject({ status: "utilite_publique", reference: "Décret du 2 mars 1990" });

    const none = await server.api<NgoSettingsView>(path, { method: "PATCH", token: admin.token, body: { taxEligibility: { status: "none" } } });
    expect(none.body.taxEligibility).toEqual({ status: "none", reference: null, date: null, documentUrl: null });
  });
});

describe("refund window", () => {
  it("issues the annual receipt only once every donation of the year is past the NGO's window", async () => {
    const who = await donorWithProfile();
    await paid(who, [["poules", 1]], 100);
    await paid(who, [["chevre", 1]], 10); // 23 December: inside the 30-day window until 22 January
    const before = (await summary(who)).find((n) => n.ngoId === ngoId)!;
    expect(before.eligible).toBe(true);
    expect(before.availableFrom).not.toBeNull();
    const refused = await issue(who);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe("receipt_window_open");
    clock.advance(21 * DAY);
    const issued = await issue(who);
    expect(issued.status).toBe(201);
    expect(issued.body.totalCents).toBe(1500 + 3500);
    expect((await summary(who)).find((n) => n.ngoId === ngoId)!.availableFrom).toBeNull();
  });
});

describe("annule et remplace", () => {
  it("a partial refund cancels the issued receipt and issues a new, gapless number that names it; the donor is mailed and sees both", async () => {
    const alice = await donorWithProfile(true);
    const bob = await donorWithProfile();
    const goat = await paid(alice, [["chevre", 1]], 120); // 35 €
    await paid(alice, [["poules", 2]], 110); // 30 €
    await paid(bob, [["sachet-de-graines", 3]], 100);
    const first = await issue(alice);
    expect(first.status).toBe(201);
    expect(first.body.totalCents).toBe(6500);
    const second = await issue(bob);
    expect(seq(second.body.number)).toBe(seq(first.body.number) + 1);

    const refund = stripeEvent("charge.refunded", chargeObject(goat.session, 1000));
    expect((await send(server.url, refund)).body.outcome).toBe("refunded");
    // A replayed event, and a later one with the same cumulative amount, cancel nothing twice.
    expect((await send(server.url, refund)).body.outcome).toMatch(/^duplicate/);
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(goat.session, 1000)))).body.outcome).toBe("already_applied");

    const mine = await db().select().from(taxReceipts).where(and(eq(taxReceipts.playerId, alice.player.id), eq(taxReceipts.year, year)));
    expect(mine).toHaveLength(2);
    const old = mine.find((r) => r.id === first.body.id)!;
    const replacement = mine.find((r) => r.id !== first.body.id)!;
    expect(old).toMatchObject({ status: "cancelled", cancellationReason: "refunded", totalCents: 6500, number: first.body.number });
    expect(replacement).toMatchObject({ status: "issued", replacesId: old.id, totalCents: 5500 });
    expect(seq(replacement.number)).toBe(seq(second.body.number) + 1);
    expect(gapless(await numbersOfYear())).toBe(true);

    const row = (await summary(alice)).find((n) => n.ngoId === ngoId)!;
    expect(row.receipt).toEqual({ id: replacement.id, number: replacement.number });
    expect(row.history.map((h) => [h.number, h.status, h.replaces, h.replacedBy])).toEqual([
      [replacement.number, "issued", old.number, null],
      [old.number, "cancelled", null, replacement.number],
    ]);
    // Asking again gives the receipt in force, not a third one.
    expect((await issue(alice)).body.number).toBe(replacement.number);

    const oldPdf = await pdf(`/api/tax-receipts/${old.id}/pdf`, alice.token);
    expect(oldPdf.status).toBe(200);
    expect(oldPdf.text).toContain("REÇU ANNULÉ");
    expect(oldPdf.text).toContain(`remplacé par le reçu n° ${replacement.number}`);
    const newPdf = await pdf(`/api/tax-receipts/${replacement.id}/pdf`, alice.token);
    expect(newPdf.text).toContain(`Annule et remplace le reçu n° ${old.number}`);
    expect(newPdf.text).toContain("55,00");
    expect((await pdf(`/api/tax-receipts/${old.id}/pdf`, bob.token)).status).toBe(404);

    await vi.waitFor(async () => {
      const mails = (await outboxFor(server.url, alice.email!)).filter((m) => m.subject.includes(old.number));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain(`remplacé par le reçu n° ${replacement.number}`);
    }, { timeout: 10_000, interval: 200 });
  });

  it("a full refund cancels the receipt with no replacement; a lost dispute cancels and replaces", async () => {
    const carol = await donorWithProfile(true);
    const only = await paid(carol, [["chevre", 1]], 90);
    const first = await issue(carol);
    expect(first.status).toBe(201);
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(only.session, only.totalCents)))).body.outcome).toBe("refunded");
    const [cancelled] = await db().select().from(taxReceipts).where(eq(taxReceipts.id, first.body.id));
    expect(cancelled!.status).toBe("cancelled");
    expect(await db().select().from(taxReceipts).where(eq(taxReceipts.replacesId, first.body.id))).toEqual([]);
    const row = (await summary(carol)).find((n) => n.ngoId === ngoId)!;
    expect(row).toMatchObject({ totalCents: 0, receipt: null });
    expect(row.history.map((h) => h.status)).toEqual(["cancelled"]);

    const dave = await donorWithProfile(true);
    const disputed = await paid(dave, [["chevre", 1]], 80);
    await paid(dave, [["poules", 1]], 70);
    const daveFirst = await issue(dave);
    expect(daveFirst.body.totalCents).toBe(5000);
    // Opening a dispute changes no receipt (it may be won); losing it does.
    expect((await send(server.url, stripeEvent("charge.dispute.created", disputeObject(disputed.session, "dp_receipt_1", "needs_response")))).body.outcome).toBe("dispute_opened");
    expect((await db().select().from(taxReceipts).where(eq(taxReceipts.id, daveFirst.body.id)))[0]!.status).toBe("issued");
    expect((await send(server.url, stripeEvent("charge.dispute.closed", disputeObject(disputed.session, "dp_receipt_1", "lost")))).body.outcome).toBe("dispute_lost");
    const [lost] = await db().select().from(taxReceipts).where(eq(taxReceipts.replacesId, daveFirst.body.id));
    expect(lost).toMatchObject({ status: "issued", totalCents: 1500 });
    expect((await db().select().from(taxReceipts).where(eq(taxReceipts.id, daveFirst.body.id)))[0]).toMatchObject({ status: "cancelled", cancellationReason: "dispute_lost" });
    expect(gapless(await numbersOfYear())).toBe(true);
    await vi.waitFor(async () => {
      expect((await outboxFor(server.url, carol.email!)).filter((m) => m.text.includes("aucun reçu ne le remplace"))).toHaveLength(1);
    }, { timeout: 10_000, interval: 200 });
  });

  it("an open dispute holds the receipt back until it is closed", async () => {
    const erin = await donorWithProfile();
    const order = await paid(erin, [["poules", 1]], 60);
    await send(server.url, stripeEvent("charge.dispute.created", disputeObject(order.session, "dp_receipt_2", "needs_response")));
    const refused = await issue(erin);
    expect(refused.body.error?.code).toBe("receipt_dispute_open");
  });
});

describe("concurrent issues", () => {
  it("numbers stay gapless and nothing fails with 20 simultaneous requests", async () => {
    const donors = [];
    for (let i = 0; i < 12; i++) {
      const who = await donorWithProfile();
      await paid(who, [["sachet-de-graines", 1]], 50);
      donors.push(who);
    }
    // Some donors ask twice at once: one receipt each, the same number twice.
    const asks = [...donors, ...donors.slice(0, 8)];
    const answers = await Promise.all(asks.map((who) => issue(who)));
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.every((a) => a.status === 201 || a.status === 200)).toBe(true);
    const byDonor = new Map<string, Set<string>>();
    asks.forEach((who, i) => byDonor.set(who.player.id, (byDonor.get(who.player.id) ?? new Set()).add(answers[i]!.body.number)));
    expect([...byDonor.values()].every((numbers) => numbers.size === 1)).toBe(true);
    expect(new Set([...byDonor.values()].map((s) => [...s][0])).size).toBe(donors.length);
    expect(gapless(await numbersOfYear())).toBe(true);
  });
  it("an issue racing a refund of the same donor never certifies money refunded", async () => {
    const pairs = [];
    for (let i = 0; i < 6; i++) {
      const who = await donorWithProfile();
      const goat = await paid(who, [["chevre", 1]], 45);
      await paid(who, [["poules", 1]], 44);
      pairs.push({ who, goat });
    }
    const answers = await Promise.all(pairs.flatMap(({ who, goat }) => [
      issue(who),
      send(server.url, stripeEvent("charge.refunded", chargeObject(goat.session, 2000))),
    ]));
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    for (const { who } of pairs) {
      const rows = await db().select().from(taxReceipts).where(and(eq(taxReceipts.playerId, who.player.id), eq(taxReceipts.year, year)));
      const inForce = rows.filter((r) => r.status === "issued");
      expect(inForce).toHaveLength(1);
      // 35 € + 15 € − 20 € refunded: whichever came first, the receipt in force says 30 €.
      expect(inForce[0]!.totalCents).toBe(3000);
      expect(rows.length === 1 || rows.some((r) => r.status === "cancelled" && inForce[0]!.replacesId === r.id)).toBe(true);
    }
    expect(gapless(await numbersOfYear())).toBe(true);
  });
});

describe("receipt mail per paid order", () => {
  it("an account holder gets one receipt mail per paid order, even when the payment event is replayed; a guest gets none", async () => {
    const frank = await signUpAccount(server, "Frank");
    const order = await paid(frank, [["chevre", 1], ["poules", 1]], 0);
    const paidEvent = stripeEvent("checkout.session.completed", {
      id: order.session.sessionId, object: "checkout.session", mode: "payment", status: "complete", payment_status: "paid",
      amount_total: order.totalCents, currency: "eur", metadata: { orderId: order.id }, payment_intent: order.session.paymentIntentId,
    });
    expect((await send(server.url, paidEvent)).body.outcome).toBe("already_paid");
    expect((await send(server.url, paidEvent)).body.outcome).toMatch(/^duplicate/);
    await vi.waitFor(async () => {
      const mails = (await outboxFor(server.url, frank.email)).filter((m) => m.text.includes(order.id));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain("Total payé");
      expect(mails[0]!.text).toContain("Semences Solidaires");
      expect(mails[0]!.text).toContain("n'est pas un reçu fiscal");
    }, { timeout: 10_000, interval: 200 });
    expect(await db().select().from(mailQueue).where(eq(mailQueue.dedupeKey, `order_receipt:${order.id}`))).toHaveLength(1);

    const guest = await server.guest();
    const guestOrder = await paid(guest, [["poules", 1]], 0);
    expect(await db().select().from(mailQueue).where(eq(mailQueue.dedupeKey, `order_receipt:${guestOrder.id}`))).toEqual([]);
    // The NGO's own declaration is never read from the donor side.
    const [ngo] = await db().select({ status: ngos.taxReceiptStatus }).from(ngos).where(eq(ngos.id, ngoId));
    expect(ngo!.status).toBe("interet_general");
  });
});

describe("the NGO's yearly declaration", () => {
  it("counts the receipts in force, keeps the cancelled numbers used, and marks them in the CSV", async () => {
    const viewer = await signUpAccount(server, "Viewer");
    await addNgoMember(server, ngoId, viewer.player.id, "viewer");
    const rows = await db().select().from(taxReceipts).where(and(eq(taxReceipts.ngoId, ngoId), eq(taxReceipts.year, year)));
    const inForce = rows.filter((r) => r.status === "issued");
    expect(rows.length - inForce.length).toBeGreaterThanOrEqual(3);
    const declaration = await server.api<TaxReceiptDeclaration>(`/api/ngos/${ngoId}/reports/tax-receipts?year=${year}`, { token: viewer.token });
    expect(declaration.body).toMatchObject({
      receipts: inForce.length, cancelled: rows.length - inForce.length, totalCents: inForce.reduce((s, r) => s + r.totalCents, 0),
      numbers: { missingSequenceNumbers: [] },
    });
    const csv = await fetch(`${server.url}/api/ngos/${ngoId}/reports/tax-receipts.csv?year=${year}`, { headers: { authorization: `Bearer ${viewer.token}` } });
    const text = await csv.text();
    const replaced = rows.find((r) => r.replacesId)!;
    const old = rows.find((r) => r.id === replaced.replacesId)!;
    expect(text).toContain(`${old.number};`);
    expect(text).toContain(`annulé, remplacé par ${replaced.number}`);
  });
});
