/**
 * "My donations" in the game, on a laptop and on a phone: the player's paid
 * orders with their status, refunds and NGOs, and the payment receipt PDF a
 * click downloads; a refund shows the donor their tax receipt cancelled and
 * replaced; an NGO admin declares its tax-receipt eligibility in the console.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse } from "../../shared/api.ts";
import { orders } from "../../server/db/schema.ts";
import { eq } from "drizzle-orm";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import type { NgoSettingsView } from "../../shared/ngo-accounts.ts";
import { parisYear } from "../../server/services/receipts.ts";
import { signUpAccount } from "../support/accounts.ts";
import { addNgoMember, createNgoWithGift, insertTestNgo } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, send, stripeEvent } from "../support/stripe-events.ts";

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let catalog: CatalogResponse;
let otherGift: string;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npm run build` first (npm test does)");
  server = await startTestServer();
  otherGift = (await createNgoWithGift(server, "approved")).giftId;
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Pays a basket for the page's player through the TEST MODE checkout. */
async function pay(token: string, lines: Array<[string, number]>) {
  const checkout = await server.api<CheckoutResponse>("/api/checkout", { token, body: { lines: lines.map(([giftId, quantity]) => ({ giftId, quantity })) } });
  expect(checkout.status).toBe(201);
  const res = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
  expect(res.status).toBe(303);
  const [row] = await server.hameau.database.db.select().from(orders).where(eq(orders.id, checkout.body.orderId));
  return row!;
}

async function openGame(page: Page, lang: "fr" | "en"): Promise<string> {
  await page.goto(`${server.url}/?lang=${lang}`);
  await page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 20_000 });
  return (await page.evaluate(() => localStorage.getItem("hameau.token")))!;
}

describe("my donations", () => {
  for (const size of [{ name: "laptop", width: 1280, height: 800, lang: "en" as const }, { name: "phone", width: 390, height: 844, lang: "fr" as const }]) {
    it(`lists the orders with their papers on a ${size.name}`, { timeout: 60_000 }, async () => {
      const context = await browser.browser.newContext({ viewport: { width: size.width, height: size.height }, acceptDownloads: true });
      const page = await context.newPage();
      const errors = watchErrors(page);
      const token = await openGame(page, size.lang);
      const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
      const mixed = await pay(token, [[goat.id, 1], [otherGift, 2]]);
      await pay(token, [[catalog.gifts.find((g) => g.slug === "poules")!.id, 1]]);
      const refund = stripeEvent("charge.refunded", chargeObject({ sessionId: mixed.checkoutSessionId!, orderId: mixed.id, totalCents: mixed.totalCents, paymentIntentId: mixed.paymentIntentId! }, 900));
      expect((await send(server.url, refund)).body.outcome).toBe("refunded");

      // The gifts arrived in the open village: the thank-you card shows first; close it.
      await page.locator("#thanks.visible button.close").click({ timeout: 15_000 });
      await expect.poll(() => page.locator("#thanks.visible").count()).toBe(0);
      await page.locator("#open-receipts").click();
      const panel = page.locator("#my-donations");
      await expect.poll(() => panel.locator("li.donation").count(), { timeout: 10_000 }).toBe(2);
      const row = panel.locator(`li.donation[data-order-id="${mixed.id}"]`);
      await expect.poll(() => row.locator(".donation-status").textContent()).toBe(size.lang === "en" ? "Partly refunded" : "Remboursé en partie");
      expect(await row.locator(".donation-ngos").textContent()).toContain(goat.ngo.name);
      expect(await row.locator(".donation-refunded").textContent()).toMatch(/€9\b|\b9\s€/);
      // Reachable: the row and its receipt button are visible inside the viewport once scrolled to.
      const receiptButton = row.locator("button.donation-paper.receipt");
      await receiptButton.scrollIntoViewIfNeeded();
      const box = await receiptButton.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
      await screenshot(page, `my-donations-${size.name}`);
      const [download] = await Promise.all([page.waitForEvent("download"), receiptButton.click()]);
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("shows the donor a tax receipt cancelled and replaced after a refund", { timeout: 60_000 }, async () => {
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const token = await openGame(page, "en");
    const lastYear = parisYear(new Date()) - 1;
    const goat = await pay(token, [[catalog.gifts.find((g) => g.slug === "chevre")!.id, 1]]);
    await server.hameau.database.db.update(orders).set({ paidAt: new Date(Date.UTC(lastYear, 5, 15, 10)) }).where(eq(orders.id, goat.id));
    const donor = { firstName: "Claire", lastName: "Dubœuf", addressLines: ["3 place de l'Église"], postalCode: "35000", city: "Rennes", country: "France" };
    expect((await server.api("/api/me/donor", { method: "PUT", token, body: donor })).status).toBe(200);
    const first = await server.api<{ number: string }>("/api/tax-receipts", { token, body: { ngoId: catalog.gifts.find((g) => g.slug === "chevre")!.ngo.id, year: lastYear } });
    expect(first.status).toBe(201);
    const refund = stripeEvent("charge.refunded", chargeObject({ sessionId: goat.checkoutSessionId!, orderId: goat.id, totalCents: goat.totalCents, paymentIntentId: goat.paymentIntentId! }, 1000));
    expect((await send(server.url, refund)).body.outcome).toBe("refunded");

    await page.locator("#thanks.visible button.close").click({ timeout: 15_000 }).catch(() => undefined);
    await page.locator("#open-receipts").click();
    const row = page.locator(`#my-donations li.donation[data-order-id="${goat.id}"]`);
    await expect.poll(() => row.locator("button.donation-paper.tax").count(), { timeout: 10_000 }).toBe(2);
    expect(await row.locator("button.donation-paper.tax.cancelled").textContent()).toContain(`${first.body.number} — cancelled, replaced by no.`);
    expect(await row.locator("button.donation-paper.tax:not(.cancelled)").textContent()).toContain(`cancels and replaces no. ${first.body.number}`);
    const tax = page.locator(".tax-row").first();
    await expect.poll(() => tax.locator(".tax-cancelled button").count(), { timeout: 10_000 }).toBe(1);
    expect(await tax.locator(".tax-total").textContent()).toMatch(/€25/);
    await tax.scrollIntoViewIfNeeded();
    await screenshot(page, "my-donations-tax-replaced-laptop");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("lets an NGO admin declare its tax-receipt eligibility and refund window in the console", { timeout: 60_000 }, async () => {
    const ngo = await insertTestNgo(server, { name: "Zeta Wells" });
    const admin = await signUpAccount(server, "ZetaAdmin");
    await addNgoMember(server, ngo.id, admin.player.id, "admin");
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((t) => localStorage.setItem("hameau.token", t), admin.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/console?lang=en#/ngo/${ngo.id}/members`);
    await page.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 });
    await expect.poll(() => page.locator("#tax-receipts-form-taxStatus").count(), { timeout: 10_000 }).toBe(1);
    await page.selectOption("#tax-receipts-form-taxStatus", "interet_general");
    await page.locator("#tax-receipts-form-submit").click();
    // No evidence: the reference and the date are asked for, nothing is saved.
    await expect.poll(() => page.locator("#tax-receipts-form .c-field-error").count()).toBeGreaterThanOrEqual(2);
    await page.fill("#tax-receipts-form-taxReference", "Rescrit fiscal n° 2024-117");
    await page.fill("#tax-receipts-form-taxDate", "2024-03-18");
    await page.fill("#tax-receipts-form-refundWindowDays", "45");
    await page.locator("#tax-receipts-form-submit").click();
    await expect.poll(async () => (await server.api<NgoSettingsView>(`/api/ngos/${ngo.id}/settings`, { token: admin.token })).body.taxEligibility.status).toBe("interet_general");
    const settings = (await server.api<NgoSettingsView>(`/api/ngos/${ngo.id}/settings`, { token: admin.token })).body;
    expect(settings.taxEligibility).toEqual({ status: "interet_general", reference: "Rescrit fiscal n° 2024-117", date: "2024-03-18", documentUrl: null });
    expect(settings.refundWindowDays).toBe(45);
    await page.locator("#tax-receipt-settings").scrollIntoViewIfNeeded();
    await screenshot(page, "ngo-console-tax-receipts-laptop");
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await context.close();
  });
});
