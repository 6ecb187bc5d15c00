/**
 * The NGO console's payments account in Chromium (TEST MODE): an admin of an
 * approved NGO that never connected sees why its gifts are hidden, connects
 * from the Payments account section, completes the local TEST MODE
 * onboarding, comes back to the console and sees the account take payments;
 * the gift is then in the shop. A viewer sees the status without the button.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import { ngos } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { addNgoMember, createNgoWithGift } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let ngo: Awaited<ReturnType<typeof createNgoWithGift>>;
let admin: SessionResponse;
let viewer: SessionResponse;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/console.html"))) throw new Error("dist/client/console.html is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
  ngo = await createNgoWithGift(server, "approved", { connected: false });
  await server.hameau.database.db.update(ngos).set({ address: { addressLines: ["2 quai Vert"], postalCode: "69002", city: "Lyon", country: "France" } }).where(eq(ngos.id, ngo.ngoId));
  [admin, viewer] = await Promise.all([signUpAccount(server, "PayAdmin"), signUpAccount(server, "PayViewer")]);
  await addNgoMember(server, ngo.ngoId, admin.player.id, "admin");
  await addNgoMember(server, ngo.ngoId, viewer.player.id, "viewer");
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(token: string): Promise<BrowserContext> {
  const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((t) => localStorage.setItem("hameau.token", t), token);
  return context;
}

async function openConsole(page: Page, hash: string): Promise<void> {
  await page.goto(`${server.url}/console?lang=en${hash}`);
  await page.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 });
}

const inShop = async () => (await server.api<CatalogResponse>("/api/catalog")).body.gifts.some((g) => g.id === ngo.giftId);

describe("the payments account section", () => {
  it("a viewer sees the status and why the gifts are hidden, without the connect button", async () => {
    const context = await signedIn(viewer.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, `#/ngo/${ngo.ngoId}/payments`);
    await expect.poll(() => page.locator("#payments-status").count()).toBe(1);
    expect(await page.locator("#payments-hidden").innerText()).toContain("hidden from the shop until your Stripe account can take payments");
    expect(await page.locator("#payments-charges").innerText()).toContain("Not yet");
    expect(await page.locator("#payments-connect").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("an admin connects through the TEST MODE onboarding and comes back to an account that takes payments", async () => {
    expect(await inShop()).toBe(false);
    const context = await signedIn(admin.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, `#/ngo/${ngo.ngoId}/catalog`);
    await expect.poll(() => page.locator("#catalog-payments-hidden").count()).toBe(1);
    await screenshot(page, "ngo-console-payments-01-catalog-hidden");
    await page.locator("#catalog-to-payments").click();
    await expect.poll(() => page.locator("#payments-connect").count()).toBe(1);
    expect(await page.locator("#payments-connect").innerText()).toBe("Connect your Stripe account");
    await page.locator("#payments-connect").click();
    await page.waitForURL(/\/connect\/test\/acct_test_local_/);
    expect(await page.locator(".banner").innerText()).toContain("TEST");
    await screenshot(page, "ngo-console-payments-02-test-onboarding");
    await page.locator("#complete-onboarding").click();
    await page.waitForURL(/\/console\/#\/ngo\/.*\/payments/);
    await page.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 });
    await expect.poll(() => page.locator("#payments-charges").innerText().catch(() => "")).toContain("Yes");
    expect(await page.locator("#payments-payouts").innerText()).toContain("Yes");
    expect(await page.locator("#payments-hidden").count()).toBe(0);
    expect(await page.locator("#payments-test-mode").innerText()).toContain("TEST MODE");
    await screenshot(page, "ngo-console-payments-03-connected");
    expect(await inShop()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
