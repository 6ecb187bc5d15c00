/**
 * "My donations" in the game, on a laptop and on a phone: the player's paid
 * orders with their status, refunds and NGOs, and the payment receipt PDF a
 * click downloads.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse } from "../../shared/api.ts";
import { orders } from "../../server/db/schema.ts";
import { eq } from "drizzle-orm";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { createNgoWithGift } from "../support/ngo.ts";
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
});
