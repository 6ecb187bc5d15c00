/**
 * What a player sees: the village renders in WebGL, a gift bought through the
 * TEST MODE checkout arrives in the village with a thank-you. A basket whose
 * checkout was paid without coming back through the return page (tab closed,
 * another tab or device) empties, on reopening and live, with no false error.
 */
import { randomUUID } from "node:crypto";
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
interface Seen {
  toasts: Array<{ kind: string; text: string }>;
  problems: string[];
  /** Each time the basket showed lines with an active Give button: how many lines. */
  activeGive: number[];
}
declare global {
  interface Window {
    hameau?: HameauHooks;
    seen?: Seen;
  }
}

/** Records, from the first paint on, every toast shown and every state of the basket (a flash is caught too). */
function recordWhatIsShown(): void {
  const seen: Seen = { toasts: [], problems: [], activeGive: [] };
  window.seen = seen;
  document.addEventListener("DOMContentLoaded", () => {
    const toast = document.getElementById("toast");
    const basket = document.getElementById("basket");
    if (!toast || !basket) return; // not the game (the TEST MODE checkout page)
    const look = () => {
      if (!toast.hidden && toast.textContent) {
        const last = seen.toasts.at(-1);
        const now = { kind: toast.dataset.kind ?? "", text: toast.textContent };
        if (last?.kind !== now.kind || last.text !== now.text) seen.toasts.push(now);
      }
      const problem = basket.querySelector(".basket-problem");
      if (problem) seen.problems.push(problem.textContent ?? "");
      const give = basket.querySelector<HTMLButtonElement>("#give");
      const lines = basket.querySelectorAll(".basket-line").length;
      if (give && !give.disabled && lines > 0) seen.activeGive.push(lines);
    };
    const observer = new MutationObserver(look);
    for (const el of [toast, basket]) observer.observe(el, { attributes: true, childList: true, subtree: true, characterData: true });
    look();
  });
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

/** Pays a TEST MODE checkout from outside the page (another device, a tab closed before the return page). */
async function payElsewhere(checkoutUrl: string) {
  const res = await fetch(checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
  expect(res.status).toBe(303);
}

/** The shop shows the catalog and the basket is done checking (a basket without a state predates the checks). */
async function basketSettled(page: Page) {
  await expect.poll(() => page.locator("#shop [data-gift-slug]").count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(6);
  await expect.poll(() => page.evaluate(() => document.getElementById("basket")!.dataset.state ?? "ready"), { timeout: 20_000 }).toBe("ready");
}

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
    await expect.poll(() => page.locator("#shop [data-gift-slug]").count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    await screenshot(page, "01-village");

    // The same guest comes back after a reload.
    const villageBefore = await page.evaluate(() => localStorage.getItem("hameau.token"));
    await page.reload();
    await page.waitForFunction(() => window.hameau?.ready === true, undefined, { timeout: 20_000 });
    expect(await page.evaluate(() => localStorage.getItem("hameau.token"))).toBe(villageBefore);
    expect(await page.evaluate(() => window.hameau!.itemCount())).toBe(6);

    // A lone 1 € gift: the shop suggests completing the basket (fixed card fee).
    await page.locator('#shop [data-gift-slug="sachet-de-graines"] button.add').click();
    await expect.poll(() => page.locator("#basket-hint").isVisible(), { timeout: 10_000 }).toBe(true);
    await page.locator('#basket [data-gift-slug="sachet-de-graines"] button.less').click();
    await expect.poll(() => page.locator("#basket-hint").count(), { timeout: 10_000 }).toBe(0);

    // Basket → Give → TEST MODE checkout.
    await page.locator('[data-gift-slug="chevre"] button.add').click();
    await expect.poll(() => page.locator("#basket-total").textContent(), { timeout: 10_000 }).toContain("35");
    await page.locator('#basket .support-choice[data-support="200"]').click();
    await expect.poll(() => page.locator("#basket-total").textContent(), { timeout: 10_000 }).toContain("37");
    await screenshot(page, "02-basket");
    await page.locator("#give").click();
    await page.waitForURL(/\/checkout\/test\//);
    await expect.poll(() => page.textContent("body"), { timeout: 10_000 }).toMatch(/TEST MODE/);
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

  it("empties a basket whose checkout was paid without coming back, on reopening, with no false error", { timeout: 60_000 }, async () => {
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(recordWhatIsShown);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openVillage(page);
    await page.locator('#shop [data-gift-slug="chevre"] button.add').click();
    await page.locator("#give").click();
    await page.waitForURL(/\/checkout\/test\//);
    // Paid, but this tab never comes back through the return page: the game is simply opened again.
    await payElsewhere(page.url());
    await openVillage(page);
    await page.waitForFunction(() => window.hameau!.state().items.some((i) => i.donated && i.sprite === "goat"), undefined, { timeout: 10_000 });
    await basketSettled(page);
    // Never "That gift does not exist (any more)" while the catalog loads, never the paid goat with an active Give button.
    const seen = (await page.evaluate(() => window.seen))!;
    expect(seen.problems).toEqual([]);
    expect(seen.activeGive).toEqual([]);
    expect(await page.locator("#basket .basket-line").count()).toBe(0);
    expect(await page.locator("#give").isDisabled()).toBe(true);
    expect(seen.toasts.filter((t) => t.kind === "error")).toEqual([]);
    expect(seen.toasts.map((t) => t.text)).toContain("Your donation went through, thank you! Its gifts left your basket.");
    await screenshot(page, "06-basket-paid-elsewhere");

    // A saved line whose gift really left the shop is taken out with one clear message, and nothing else.
    await page.evaluate((id) => localStorage.setItem("hameau.basket", JSON.stringify([{ giftId: id, quantity: 1 }])), randomUUID());
    await openVillage(page);
    await expect.poll(() => page.evaluate(() => window.seen!.toasts.length)).toBeGreaterThan(0);
    await basketSettled(page);
    const gone = (await page.evaluate(() => window.seen))!;
    expect(gone.toasts).toEqual([{ kind: "error", text: "A gift in your basket is no longer offered; it was taken out." }]);
    expect(gone.problems).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem("hameau.basket"))).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps an abandoned checkout's basket to retry, and empties it live when another tab pays", { timeout: 60_000 }, async () => {
    const context = await browser.browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addInitScript(recordWhatIsShown);
    const checkoutTab = await context.newPage();
    await openVillage(checkoutTab);
    await checkoutTab.locator('#shop [data-gift-slug="poules"] button.add').click();
    await checkoutTab.locator("#give").click();
    await checkoutTab.waitForURL(/\/checkout\/test\//);
    // Cancelled: back in the game, the basket is as it was and may be given again.
    await checkoutTab.locator("#cancel").click();
    await checkoutTab.waitForURL(/cancelled=1/);
    await basketSettled(checkoutTab);
    expect(await checkoutTab.locator('#basket [data-gift-slug="poules"] .quantity').textContent()).toBe("1");
    await checkoutTab.locator("#give").click();
    await checkoutTab.waitForURL(/\/checkout\/test\//);

    // A second tab while that checkout is open: the basket is there, its checkout not paid yet.
    const game = await context.newPage();
    const errors = watchErrors(game);
    await openVillage(game);
    await basketSettled(game);
    expect(await game.locator("#basket .basket-line").count()).toBe(1);
    expect(await game.locator("#give").isEnabled()).toBe(true);
    // Paid in the checkout tab, which is closed before it comes back: the open game hears it and the basket empties.
    await payElsewhere(checkoutTab.url());
    await checkoutTab.close();
    await expect.poll(() => game.locator("#basket .basket-line").count(), { timeout: 10_000 }).toBe(0);
    expect(await game.locator("#give").isDisabled()).toBe(true);
    expect(await game.evaluate(() => localStorage.getItem("hameau.basket"))).toBeNull();
    const seen = (await game.evaluate(() => window.seen))!;
    expect(seen.problems).toEqual([]);
    expect(seen.toasts.filter((t) => t.kind === "error")).toEqual([]);
    await expect.poll(() => game.locator("#toast").textContent()).toContain("Its gifts left your basket");
    await game.locator("#basket").scrollIntoViewIfNeeded();
    await screenshot(game, "07-phone-basket-paid-in-another-tab");
    expect(errors).toEqual([]);
    await context.close();
  });
});
