/**
 * An automated accessibility check (axe-core, injected into the page) of the
 * game's HTML: the page as it opens, then each panel and dialog opened the way
 * a player opens it (decorations, barn, daily quests, basket, account, friends,
 * notifications, news, sharing, campaigns, my donations, your impact), on a 1280×800 laptop
 * and a 390×844 touch phone. Zero serious or critical violations: what axe
 * finds is fixed in the app, not here.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AxeFinding as Finding, seriousViolations } from "../support/axe.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const SIZES = [
  { name: "laptop", lang: "en", options: { viewport: { width: 1280, height: 800 } } },
  { name: "phone", lang: "fr", options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
] as const;

for (const size of SIZES) {
  describe(`the game's panels on a ${size.name}`, () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];
    const found: Record<string, Finding[]> = {};

    beforeAll(async () => {
      const guest = await server.guest();
      // axe is evaluated through the DevTools protocol (test/support/axe.ts): the page keeps its real CSP.
      context = await browser.browser.newContext(size.options);
      await context.addInitScript((token) => localStorage.setItem("hameau.token", token), guest.token);
      page = await context.newPage();
      errors = watchErrors(page);
      await page.goto(`${server.url}/?lang=${size.lang}`);
      await page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 20_000 });
      await page.locator("#open-account:not([hidden])").waitFor({ timeout: 10_000 });
    }, 40_000);
    afterAll(async () => {
      await context?.close();
    });

    /** Opens a panel with `open`, checks `scope`, closes it with `close`. */
    async function check(name: string, open: () => Promise<unknown>, scope: string, close: () => Promise<unknown>): Promise<void> {
      await open();
      await page.locator(scope).waitFor({ state: "visible", timeout: 10_000 });
      await page.waitForTimeout(300);
      found[name] = await seriousViolations(page, scope);
      await screenshot(page, `a11y-${size.name}-${name}`);
      await close();
    }
    const click = (selector: string) => () => page.locator(selector).first().click();
    const escape = () => page.keyboard.press("Escape");

    it("the page as it opens (header, toolbar, shop, basket, coach)", async () => {
      found.page = await seriousViolations(page);
      await screenshot(page, `a11y-${size.name}-page`);
      expect(found.page).toEqual([]);
    }, 30_000);

    it("every panel and dialog", async () => {
      await check("decorations", click('[data-panel="shop"]'), "#decorations", click("#decorations [data-close]"));
      await check("barn", click('[data-panel="barn"]'), "#barn-panel", click('[data-panel="barn"]'));
      await check("quests", click("#level-badge"), "#quests", escape);
      await check("account", click("#open-account"), "#account", escape);
      await check("friends", click("#open-friends"), "#friends", escape);
      await check("notifications", click("#open-notifications"), "#notifications", escape);
      await check("news", click("#open-feed"), "#feed", escape);
      // On a phone the top bar has no Share button: the account dialog holds it.
      if (await page.locator("#open-share").isVisible()) await check("share", click("#open-share"), "#share", escape);
      else await check("share", async () => (await click("#open-account")(), await click("#account-share-village")()), "#share", escape);
      await check("campaigns", click("#open-campaigns"), "#campaigns", escape);
      await check("donations", click("#open-receipts"), "#receipts", escape);
      await check("impact", click("#open-impact"), "#impact", escape);
      await check("basket", async () => page.locator("#basket").scrollIntoViewIfNeeded(), "#basket", async () => undefined);
      // With a gift in it, "Dedicate this gift" opened (its fields, the e-card chosen for a player with no friend).
      await check("dedication", async () => {
        await page.locator('#shop [data-gift-slug="chevre"] button.add').click();
        await page.locator("#dedicate-toggle").click();
      }, "#dedication-fields", async () => undefined);
      const failing = Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0));
      expect(failing).toEqual({});
      expect(errors).toEqual([]);
    }, 120_000);
  });
}
