/**
 * The console's Payment alerts list in Chromium: a platform administrator
 * sees a payment whose amount did not match its order (what Stripe said,
 * what Hameau holds), marks it resolved, and it leaves the open list; in
 * French too. Someone who is not a platform administrator has no such screen.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import type { PaymentAlertsResponse } from "../../shared/payment-alerts.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, watchErrors } from "../support/browser.ts";
import { makeTestPlatformAdmin } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { send, sessionObject, stripeEvent } from "../support/stripe-events.ts";

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let admin: SessionResponse;
let player: SessionResponse;
let eventId: string;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/console.html"))) throw new Error("dist/client/console.html is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
  [admin, player] = await Promise.all([signUpAccount(server, "AlertAdmin"), signUpAccount(server, "AlertPlayer")]);
  await makeTestPlatformAdmin(server, admin.player.id);
  // A payment whose amount does not match its order, validly signed.
  const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
  const checkout = (await server.api<CheckoutResponse>("/api/checkout", { token: player.token, body: { lines: [{ giftId: goat.id, quantity: 1 }] } })).body;
  const sessionId = /\/checkout\/test\/([^?]+)/.exec(checkout.checkoutUrl)![1]!;
  const event = stripeEvent("checkout.session.completed", { ...sessionObject({ sessionId, orderId: checkout.orderId, totalCents: checkout.totalCents, paymentIntentId: "pi_e2e_alert" }), amount_total: 1 });
  eventId = event.id;
  expect((await send(server.url, event)).body.outcome).toBe("amount_mismatch");
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

async function openConsole(page: Page, lang: string, hash: string): Promise<void> {
  await page.goto(`${server.url}/console?lang=${lang}${hash}`);
  await page.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 });
}

describe("payment alerts in the console", () => {
  it("a platform administrator sees the alert, in French too, and marks it resolved", async () => {
    const context = await signedIn(admin.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, "fr", "#/admin/payment-alerts");
    const row = page.locator("#payment-alerts-table tbody tr");
    await expect.poll(() => row.count()).toBe(1);
    expect(await page.locator("#nav-payment-alerts").textContent()).toBe("Alertes de paiement");
    const text = await row.textContent();
    expect(text).toContain("Montant différent");
    expect(text).toContain(eventId);
    expect(text).toMatch(/0,01\s€ · cs_test_local_/);
    await row.locator("button[data-alert-id]").click();
    await expect.poll(() => page.locator("#payment-alerts-table").count()).toBe(0);
    expect(await page.locator("#payment-alerts .c-empty").textContent()).toBe("Aucune alerte de paiement.");
    const all = await server.api<PaymentAlertsResponse>("/api/admin/payment-alerts?status=all", { token: admin.token });
    expect(all.body).toMatchObject({ open: 0, alerts: [{ stripeEventId: eventId, resolvedAt: expect.any(String) }] });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("has no such screen for anyone else", async () => {
    const context = await signedIn(player.token);
    const page = await context.newPage();
    await openConsole(page, "en", "#/admin/payment-alerts");
    expect(await page.locator("#nav-payment-alerts").count()).toBe(0);
    expect(await page.locator("#payment-alerts").count()).toBe(0);
    await context.close();
  });
});
