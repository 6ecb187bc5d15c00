/**
 * What a player sees: the village renders in WebGL, a gift bought through the
 * TEST MODE checkout arrives in the village with a thank-you.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface HameauHooks {
  ready: boolean;
  itemCount(): number;
  state(): { items: Array<{ id: string; giftId: string; sprite: string; x: number; y: number; donated: boolean }> };
}
declare global {
  interface Window {
    hameau?: HameauHooks;
  }
}

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npm run build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openVillage(page: Page) {
  await page.goto(server.url + "/?lang=en");
  await page.waitForFunction(() => window.hameau?.ready === true, undefined, { timeout: 20_000 });
}

describe("a player gives a gift", () => {
  // Two page loads, a checkout page and an arrival animation in Chromium on two shared cores: allow a minute.
  it("sees the village, pays on the TEST MODE page, and watches the gift arrive", { timeout: 60_000 }, async () => {
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openVillage(page);

    // A real WebGL canvas, with the starter village in it.
    const webgl = await page.evaluate(() => {
      const canvas = document.querySelector("canvas");
      return Boolean(canvas && (canvas.getContext("webgl2") || canvas.getContext("webgl")));
    });
    expect(webgl).toBe(true);
    const before = await page.evaluate(() => window.hameau!.state().items);
    expect(before.length).toBe(6);
    expect(before.every((i) => !i.donated)).toBe(true);
    await expect.poll(() => page.locator("#shop [data-gift-slug]").count()).toBeGreaterThanOrEqual(6);
    await screenshot(page, "01-village");

    // The same guest comes back after a reload.
    const villageBefore = await page.evaluate(() => localStorage.getItem("hameau.token"));
    await page.reload();
    await page.waitForFunction(() => window.hameau?.ready === true, undefined, { timeout: 20_000 });
    expect(await page.evaluate(() => localStorage.getItem("hameau.token"))).toBe(villageBefore);
    expect(await page.evaluate(() => window.hameau!.itemCount())).toBe(6);

    // A lone 1 € gift: the shop suggests completing the basket (fixed card fee).
    await page.locator('#shop [data-gift-slug="sachet-de-graines"] button.add').click();
    await expect.poll(() => page.locator("#basket-hint").isVisible()).toBe(true);
    await page.locator('#basket [data-gift-slug="sachet-de-graines"] button.less').click();
    await expect.poll(() => page.locator("#basket-hint").count()).toBe(0);

    // Basket → Give → TEST MODE checkout.
    await page.locator('[data-gift-slug="chevre"] button.add').click();
    await expect.poll(() => page.locator("#basket-total").textContent()).toContain("35");
    await page.locator('#basket .support-choice[data-support="200"]').click();
    await expect.poll(() => page.locator("#basket-total").textContent()).toContain("37");
    await screenshot(page, "02-basket");
    await page.locator("#give").click();
    await page.waitForURL(/\/checkout\/test\//);
    await expect.poll(() => page.textContent("body")).toMatch(/TEST MODE/);
    expect(await page.textContent("#total")).toContain("37");
    await screenshot(page, "03-test-checkout");
    await page.locator("#pay").click();

    // Back in the village: the goat arrives, with a thank-you naming its impact.
    await page.waitForURL(/\/\?order=/);
    await page.waitForFunction(() => window.hameau?.ready === true, undefined, { timeout: 20_000 });
    await page.waitForFunction(() => window.hameau!.state().items.some((i) => i.donated && i.sprite === "goat"), undefined, { timeout: 10_000 });
    await expect.poll(() => page.locator("#thanks").textContent(), { timeout: 10_000 }).toMatch(/goat/i);
    await page.waitForTimeout(1200); // let the arrival animation play before the picture
    await screenshot(page, "04-gift-arrived");
    expect(await page.evaluate(() => window.hameau!.itemCount())).toBe(7);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a gift paid elsewhere appear live in an open village, without a reload", async () => {
    const context = await browser.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openVillage(page);
    const token = await page.evaluate(() => localStorage.getItem("hameau.token"));
    const catalog = (await server.api<{ gifts: Array<{ id: string; slug: string }> }>("/api/catalog")).body;
    const hens = catalog.gifts.find((g) => g.slug === "poules")!;
    const checkout = await server.api<{ checkoutUrl: string }>("/api/checkout", { token: token!, body: { lines: [{ giftId: hens.id, quantity: 2 }] } });
    await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
    await page.waitForFunction(() => window.hameau!.state().items.filter((i) => i.donated).length === 2, undefined, { timeout: 5_000 });
    await page.waitForTimeout(1200);
    await screenshot(page, "05-phone-live-gift");
    expect(errors).toEqual([]);
    await context.close();
  });
});
