/**
 * Real money for real NGOs, end to end in Chromium (TEST MODE, no Stripe key):
 * a newly approved NGO's admin connects its Stripe account from the console
 * and its gift appears in the shop; a donor with an account and a donor
 * profile pays one basket holding a gift of the demo NGO and gifts of the new
 * NGO (one charge, one transfer to each NGO's account); each NGO's console
 * shows what donors gave it and what reached its account; the year over and
 * the refund window passed (the server's clock), the donor gets both annual
 * tax receipts in "My donations", and a partial refund cancels the new NGO's
 * receipt and replaces it with a new number, which the donor sees there.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse, TaxReceiptSummary } from "../../shared/api.ts";
import type { MyDonationsResponse } from "../../shared/my-donations.ts";
import type { NgoMoneyResponse } from "../../shared/ngo-money.ts";
import { ngos, ngoTransfers, orders } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { parisYear } from "../../server/services/receipts.ts";
import { outboxFor, signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { TestClock } from "../support/clock.ts";
import { addNgoMember, demoNgoOf, insertNgoWithGift, makeTestPlatformAdmin } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, send, stripeEvent } from "../support/stripe-events.ts";

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const donorDetails = { firstName: "Claire", lastName: "Dubœuf", addressLines: ["3 place de l'Église"], postalCode: "35000", city: "Rennes", country: "France" };

const clock = new TestClock();
let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let wells: Awaited<ReturnType<typeof insertNgoWithGift>>;
let demo: { id: string; name: string };
let wellsAdmin: SessionResponse;
let demoViewer: SessionResponse;
let donor: SessionResponse & { email: string };
/** The two-NGO order, once paid. */
let orderId: string;
/** The calendar year of the payment (Paris), receipts' year. */
let year: number;

const WELLS_NAME = "Puits du Sahel";

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/console.html"))) throw new Error("dist/client is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer({ now: clock.now });
  browser = await launchBrowser();
  // An NGO that applied (address and signatory, as its application gave them) with one gift, approved by a platform administrator, never connected.
  wells = await insertNgoWithGift(server, { name: WELLS_NAME, projectName: "Puits de Kaya", giftName: "Seau d'eau", priceCents: 500, status: "pending", connected: false });
  await server.hameau.database.db.update(ngos).set({
    address: { addressLines: ["2 quai Vert"], postalCode: "69002", city: "Lyon", country: "France" }, signatoryName: "Awa Diallo", signatoryTitle: "Présidente",
  }).where(eq(ngos.id, wells.ngoId));
  demo = await demoNgoOf(server);
  let reviewer: SessionResponse;
  [wellsAdmin, demoViewer, donor, reviewer] = await Promise.all([
    signUpAccount(server, "WellsAdmin"), signUpAccount(server, "SemsolViewer"), signUpAccount(server, "Donor"), signUpAccount(server, "Reviewer"),
  ]);
  await makeTestPlatformAdmin(server, reviewer.player.id);
  expect((await server.api(`/api/admin/ngos/${wells.ngoId}/approve`, { token: reviewer.token, body: { receiptPrefix: "PUITS" } })).status).toBe(200);
  await addNgoMember(server, wells.ngoId, wellsAdmin.player.id, "admin");
  await addNgoMember(server, demo.id, demoViewer.player.id, "viewer");
  expect((await server.api("/api/me/donor", { method: "PUT", token: donor.token, body: donorDetails })).status).toBe(200);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(token: string, options: Parameters<typeof browser.browser.newContext>[0] = { viewport: LAPTOP }): Promise<BrowserContext> {
  const context = await browser.browser.newContext(options);
  await context.addInitScript((t) => localStorage.setItem("hameau.token", t), token);
  return context;
}

async function openConsole(page: Page, lang: "en" | "fr", hash: string): Promise<void> {
  await page.goto(`${server.url}/console?lang=${lang}${hash}`);
  await page.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 });
}

async function openGame(page: Page, lang: "en" | "fr"): Promise<void> {
  await page.goto(`${server.url}/?lang=${lang}`);
  await page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 20_000 });
}

const money = async (ngoId: string, token: string) => (await server.api<NgoMoneyResponse>(`/api/ngos/${ngoId}/money`, { token })).body.currencies.find((c) => c.currency === "EUR");
const wellsGiftSlug = () => `${wells.slug}-gift`;

describe("an NGO connects, a donor gives to two NGOs, the money and the receipts follow", () => {
  it("the new NGO's admin connects its Stripe account (TEST MODE) and its gift appears in the shop", { timeout: 60_000 }, async () => {
    const inShop = async () => (await server.api<CatalogResponse>("/api/catalog")).body.gifts.some((g) => g.id === wells.giftId);
    expect(await inShop()).toBe(false);
    const context = await signedIn(wellsAdmin.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, "en", `#/ngo/${wells.ngoId}`);
    await page.locator("#nav-payments").click();
    await expect.poll(() => page.locator("#payments-hidden").count()).toBe(1);
    expect(await page.locator("#payments-hidden").innerText()).toBe("Your gifts are hidden from the shop until your Stripe account can take payments.");
    expect(await page.locator("#payments-charges").innerText()).toContain("Not yet");
    await page.locator("#payments-connect").click();
    await page.waitForURL(/\/connect\/test\/acct_test_local_/);
    expect(await page.locator("body").innerText()).toContain(WELLS_NAME);
    await page.locator("#complete-onboarding").click();
    await page.waitForURL(/\/console\/#\/ngo\/.*\/payments/);
    await page.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 });
    await expect.poll(() => page.locator("#payments-charges").innerText().catch(() => "")).toContain("Yes");
    expect(await page.locator("#payments-payouts").innerText()).toContain("Yes");
    expect(await page.locator("#payments-hidden").count()).toBe(0);
    expect(await page.locator("#payments-connect").count()).toBe(0);
    expect(await inShop()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a donor pays one basket with a gift of each NGO on the TEST MODE checkout: one charge, one transfer per NGO", { timeout: 60_000 }, async () => {
    const context = await signedIn(donor.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openGame(page, "en");
    const wellsCard = page.locator(`#shop [data-gift-slug="${wellsGiftSlug()}"]`);
    await expect.poll(() => wellsCard.count(), { timeout: 10_000 }).toBe(1);
    expect(await wellsCard.locator(".gift-project").innerText()).toBe(`Puits de Kaya · ${WELLS_NAME}`);
    await page.locator('#shop [data-gift-slug="chevre"] button.add').click();
    await wellsCard.locator("button.add").click();
    await wellsCard.locator("button.add").click();
    // 35 € + 2 × 5 €; the extra support for Hameau is never pre-selected.
    await expect.poll(() => page.locator("#basket-total").textContent()).toContain("45");
    await page.locator("#give").click();
    await page.waitForURL(/\/checkout\/test\//);
    const checkout = await page.locator("body").innerText();
    expect(checkout).toContain(WELLS_NAME);
    expect(checkout).toContain(demo.name);
    expect(await page.textContent("#total")).toContain("45");
    await page.locator("#pay").click();
    await page.waitForURL(/\/\?order=/);
    orderId = new URL(page.url()).searchParams.get("order")!;
    await page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 20_000 });
    await expect.poll(() => page.locator("#thanks.visible").count(), { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
    await context.close();

    const [order] = await server.hameau.database.db.select().from(orders).where(eq(orders.id, orderId));
    expect(order).toMatchObject({ status: "paid", totalCents: 4500, chargeMode: "separate" });
    year = parisYear(order!.paidAt!);
    // The outbox makes the transfers after the payment: wait for both, then read them.
    await expect.poll(async () => (await server.hameau.database.db.select().from(ngoTransfers).where(eq(ngoTransfers.orderId, orderId))).filter((t) => t.status === "done").length, { timeout: 15_000 }).toBe(2);
    const transfers = await server.hameau.database.db.select().from(ngoTransfers).where(eq(ngoTransfers.orderId, orderId));
    expect(transfers.map((t) => [t.ngoId, t.kind, t.amountCents, t.chargeMode]).sort()).toEqual([
      [demo.id, "transfer", 3500, "separate"], [wells.ngoId, "transfer", 1000, "separate"],
    ].sort());
    for (const t of transfers) expect(t.stripeTransferId).toMatch(/^tr_test_local_/);
  });

  it("each NGO's console shows what donors gave it and what reached its Stripe account", { timeout: 60_000 }, async () => {
    await expect.poll(() => money(wells.ngoId, wellsAdmin.token)).toMatchObject({ givenCents: 1000, transferredCents: 1000, owedCents: 0 });
    await expect.poll(() => money(demo.id, demoViewer.token)).toMatchObject({ givenCents: 3500, transferredCents: 3500, owedCents: 0 });

    const views = [
      { who: wellsAdmin, ngoId: wells.ngoId, name: "wells", given: /^€10$/, zero: /^€0$/, options: { viewport: LAPTOP }, lang: "en" as const },
      { who: demoViewer, ngoId: demo.id, name: "demo", given: /^€35$/, zero: /^€0$/, options: { viewport: LAPTOP }, lang: "en" as const },
      { who: wellsAdmin, ngoId: wells.ngoId, name: "wells-phone", given: /^10\s€$/, zero: /^0\s€$/, options: PHONE, lang: "fr" as const },
    ];
    for (const v of views) {
      const context = await signedIn(v.who.token, v.options);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await openConsole(page, v.lang, `#/ngo/${v.ngoId}/reports`);
      await expect.poll(() => page.locator("#money-given-EUR").count(), { timeout: 10_000 }).toBe(1);
      // The screen draws again when its report arrives (the money card with it): measure once all is in.
      await expect.poll(() => page.locator("#view .c-loading").count(), { timeout: 10_000 }).toBe(0);
      expect(await page.locator("#money-given-EUR").innerText()).toMatch(v.given);
      expect(await page.locator("#money-transferred-EUR").innerText()).toMatch(v.given);
      expect(await page.locator("#money-owed-EUR").innerText()).toMatch(v.zero);
      expect(await page.locator("#money-pending-EUR").innerText()).toMatch(v.zero);
      // The current section's tab is in view, also where the navigation scrolls sideways (phone).
      const tab = await page.locator("#nav-reports").boundingBox();
      expect(tab!.x).toBeGreaterThanOrEqual(0);
      expect(tab!.x + tab!.width).toBeLessThanOrEqual(v.options.viewport!.width);
      const card = page.locator("#ngo-money");
      await card.scrollIntoViewIfNeeded();
      // The figures fit the screen: nothing cut off on the right.
      const box = await page.locator("#money-transferred-EUR").boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(v.options.viewport!.width);
      await screenshot(page, `ngo-connect-to-donor-01-money-${v.name}`);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("the year over, the donor gets both tax receipts in My donations; a partial refund cancels and replaces one", { timeout: 90_000 }, async () => {
    // The new NGO declares it may issue tax receipts (the demo NGO is seeded eligible).
    const declared = await server.api(`/api/ngos/${wells.ngoId}/settings`, {
      method: "PATCH", token: wellsAdmin.token, body: { taxEligibility: { status: "interet_general", reference: "Rescrit fiscal n° 2024-117", date: "2024-03-18" } },
    });
    expect(declared.status).toBe(200);
    // 15 February of the next year: the year is over and the 30-day refund window has passed.
    clock.advance(Date.UTC(year + 1, 1, 15, 12) - clock.now());

    const context = await signedIn(donor.token, { viewport: LAPTOP, acceptDownloads: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openGame(page, "en");
    await page.locator("#open-receipts").click();
    await page.selectOption("#receipt-year", String(year));
    for (const ngoId of [demo.id, wells.ngoId]) {
      const issue = page.locator(`.tax-row[data-ngo-id="${ngoId}"] button.issue`);
      await expect.poll(() => issue.count(), { timeout: 10_000 }).toBe(1);
      const [download] = await Promise.all([page.waitForEvent("download"), issue.click()]);
      expect(download.suggestedFilename()).toMatch(/^recu-fiscal-.+\.pdf$/);
      await expect.poll(() => page.locator(`.tax-row[data-ngo-id="${ngoId}"] .tax-number`).count()).toBe(1);
    }
    const summary = async () => (await server.api<TaxReceiptSummary>(`/api/tax-receipts?year=${year}`, { token: donor.token })).body.ngos;
    const before = await summary();
    const wellsFirst = before.find((n) => n.ngoId === wells.ngoId)!.receipt!.number;
    const demoReceipt = before.find((n) => n.ngoId === demo.id)!.receipt!.number;
    expect(before.find((n) => n.ngoId === wells.ngoId)!.totalCents).toBe(1000);
    expect(wellsFirst).toBe(`PUITS-${year}-000001`);
    expect(await page.locator(`.tax-row[data-ngo-id="${wells.ngoId}"] .tax-number`).innerText()).toBe(`Receipt no. ${wellsFirst}`);

    // A 5 € refund: one bucket goes back, taken from the new NGO's share.
    const [order] = await server.hameau.database.db.select().from(orders).where(eq(orders.id, orderId));
    const session = { sessionId: order!.checkoutSessionId!, orderId, totalCents: order!.totalCents, paymentIntentId: order!.paymentIntentId! };
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(session, 500)))).body.outcome).toBe("refunded");
    await expect.poll(() => money(wells.ngoId, wellsAdmin.token)).toMatchObject({ givenCents: 500, transferredCents: 500, owedCents: 0 });
    expect(await money(demo.id, demoViewer.token)).toMatchObject({ givenCents: 3500, transferredCents: 3500 });
    const after = await summary();
    const wellsNow = after.find((n) => n.ngoId === wells.ngoId)!;
    const wellsReplacement = wellsNow.receipt!.number;
    expect(wellsReplacement).toBe(`PUITS-${year}-000002`);
    expect(wellsNow.totalCents).toBe(500);
    expect(after.find((n) => n.ngoId === demo.id)!.receipt!.number).toBe(demoReceipt);
    // The books stay balanced, transfers and reversals included.
    expect(await checkLedger(server.hameau.database.db, { transferGraceMs: 0 })).toEqual([]);
    // The donor is told by mail.
    expect((await outboxFor(server.url, donor.email)).some((m) => m.text.includes(wellsReplacement) && m.text.includes(wellsFirst))).toBe(true);

    // What the donor sees: the dialog opened again reads everything afresh.
    await page.locator("#receipts button.receipts-close").click();
    await page.locator("#open-receipts").click();
    const row = page.locator(`#my-donations li.donation[data-order-id="${orderId}"]`);
    await expect.poll(() => row.locator("button.donation-paper.tax").count(), { timeout: 10_000 }).toBe(3);
    expect(await row.locator(".donation-status").innerText()).toBe("Partly refunded");
    expect(await row.locator(".donation-ngos").innerText()).toContain(`${WELLS_NAME} (€5)`);
    expect(await row.locator(".donation-ngos").innerText()).toContain(`${demo.name} (€35)`);
    expect(await row.locator("button.donation-paper.tax.cancelled").innerText()).toBe(`Tax receipt no. ${wellsFirst} — cancelled, replaced by no. ${wellsReplacement}`);
    const inForce = await row.locator("button.donation-paper.tax:not(.cancelled)").allInnerTexts();
    expect(inForce.sort()).toEqual([
      `Tax receipt no. ${demoReceipt} (€35)`,
      `Tax receipt no. ${wellsReplacement} (€5), cancels and replaces no. ${wellsFirst}`,
    ].sort());
    await page.selectOption("#receipt-year", String(year));
    const taxRow = page.locator(`.tax-row[data-ngo-id="${wells.ngoId}"]`);
    await expect.poll(() => taxRow.locator(".tax-cancelled button").count(), { timeout: 10_000 }).toBe(1);
    expect(await taxRow.locator(".tax-total").innerText()).toBe("€5");
    expect(await taxRow.locator(".tax-number").innerText()).toBe(`Receipt no. ${wellsReplacement} · cancels and replaces no. ${wellsFirst}`);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, "ngo-connect-to-donor-02-my-donations-laptop");
    await taxRow.scrollIntoViewIfNeeded();
    await screenshot(page, "ngo-connect-to-donor-03-tax-receipts-laptop");
    expect(errors).toEqual([]);
    await context.close();

    // On a phone, in French.
    const phone = await signedIn(donor.token, PHONE);
    const small = await phone.newPage();
    const smallErrors = watchErrors(small);
    await openGame(small, "fr");
    await small.locator("#open-receipts").click();
    const phoneRow = small.locator(`#my-donations li.donation[data-order-id="${orderId}"]`);
    await expect.poll(() => phoneRow.locator("button.donation-paper.tax").count(), { timeout: 10_000 }).toBe(3);
    expect(await phoneRow.locator(".donation-status").innerText()).toBe("Remboursé en partie");
    expect(await phoneRow.locator("button.donation-paper.tax.cancelled").innerText()).toBe(`Reçu fiscal n° ${wellsFirst} — annulé, remplacé par le n° ${wellsReplacement}`);
    const replacing = phoneRow.locator("button.donation-paper.tax:not(.cancelled)", { hasText: "annule et remplace" });
    expect(await replacing.innerText()).toMatch(new RegExp(`^Reçu fiscal n° ${wellsReplacement} \\(5\\s€\\), annule et remplace le n° ${wellsFirst}$`));
    await replacing.scrollIntoViewIfNeeded();
    const box = await replacing.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await screenshot(small, "ngo-connect-to-donor-04-my-donations-phone");
    await small.selectOption("#receipt-year", String(year));
    const phoneTax = small.locator(`.tax-row[data-ngo-id="${wells.ngoId}"]`);
    await expect.poll(() => phoneTax.locator(".tax-cancelled button").count(), { timeout: 10_000 }).toBe(1);
    expect(await phoneTax.locator(".tax-cancelled button").innerText()).toBe(`Reçu n° ${wellsFirst} annulé, remplacé par le n° ${wellsReplacement}`);
    await phoneTax.scrollIntoViewIfNeeded();
    await screenshot(small, "ngo-connect-to-donor-05-tax-receipts-phone");
    expect(smallErrors).toEqual([]);
    await phone.close();
  });
});
