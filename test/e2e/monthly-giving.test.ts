/**
 * Monthly giving in the game, on a 1280×800 laptop (English) and a 390×844
 * touch phone (French): a guest is invited to create an account; a signed-in
 * player picks "Monthly" on the bag of seeds in the shop, chooses an amount, sets
 * it up on the TEST MODE checkout, lands on My donations with the gift
 * active, sees it in the village (stage 1, its label "Month 1 of your monthly
 * bag of seeds"); simulated months are paid (the dev route) and the item grows
 * in the open village; then the amount is changed and the gift stopped
 * (asked once more). axe finds no serious violation in the dialog or the section.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogGift, CatalogResponse } from "../../shared/api.ts";
import type { MonthlyGiftsResponse } from "../../shared/monthly-gifts.ts";
import { signUpAccount } from "../support/accounts.ts";
import { seriousViolations } from "../support/axe.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let seedBag: CatalogGift;

interface Drawn { items: Array<{ id: string; size: number; visible: boolean }>; tooltip: string | null }
interface Hooks { ready: boolean; drawn(): Drawn | null; pointOf(x: number, y: number): { x: number; y: number } | null; state(): { items: Array<{ id: string; x: number; y: number; monthlyStage: number }> } }

const SIZES = [
  { name: "laptop", lang: "en" as const, context: { viewport: { width: 1280, height: 800 } } },
  { name: "phone", lang: "fr" as const, context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
];
const TEXT = {
  en: { active: "Active", stopped: "Stopped", month1: "Month 1 of your monthly bag of seeds", month3: "Month 3 of your monthly bag of seeds", guest: "Monthly gifts need an account" },
  fr: { active: "Actif", stopped: "Arrêté", month1: "Mois 1 de votre don mensuel", month3: "Mois 3 de votre don mensuel", guest: "Les dons mensuels demandent un compte" },
};
const SHOTS = process.env.MONTHLY_SHOTS_DIR;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npm run build` first (npm test does)");
  server = await startTestServer();
  const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  seedBag = catalog.gifts.find((g) => g.slug === "sachet-de-graines")!;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `monthly-${name}`);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }
}

const hooks = (page: Page) => page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.drawn());
const ready = (page: Page) => page.waitForFunction(() => (window as unknown as { hameau?: Hooks }).hameau?.ready === true, undefined, { timeout: 20_000 });

/** Clicks on a laptop, taps on a touch phone. */
async function press(page: Page, selector: string, touch: boolean): Promise<void> {
  const target = page.locator(selector).first();
  await target.scrollIntoViewIfNeeded();
  if (touch) await target.tap();
  else await target.click();
}

describe("monthly giving", () => {
  it("invites a guest to create an account first", { timeout: 90_000 }, async () => {
    const context = await browser.browser.newContext(SIZES[0]!.context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/?lang=en`);
    await ready(page);
    await press(page, '#shop [data-gift-slug="sachet-de-graines"] button.monthly', false);
    const dialog = page.locator("#monthly");
    await expect.poll(() => dialog.locator(".monthly-guest h3").textContent(), { timeout: 20_000 }).toBe(TEXT.en.guest);
    expect(await dialog.locator("#monthly-amount").count()).toBe(0);
    // A gift with a stock limit is never offered monthly (the server refuses it too).
    const limited = (await server.api<CatalogResponse>("/api/catalog")).body.gifts.filter((g) => g.stockLeft !== null);
    for (const g of limited) expect(await page.locator(`#shop [data-gift-id="${g.id}"] button.monthly`).count()).toBe(0);
    await shot(page, "guest-laptop");
    expect(await seriousViolations(page, "#monthly")).toEqual([]);
    await dialog.locator("#monthly-need-account").click();
    await expect.poll(() => page.locator("#account-why").textContent(), { timeout: 20_000 }).toContain("Monthly gifts need an account");
    expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const size of SIZES) {
    it(`sets up a monthly gift, watches it grow, changes and stops it on a ${size.name}`, { timeout: 180_000 }, async () => {
      const touch = size.name === "phone";
      const player = await signUpAccount(server, `Monthly${size.name}`);
      const context = await browser.browser.newContext(size.context);
      await context.addInitScript((token) => localStorage.setItem("hameau.token", token), player.token);
      const page = await context.newPage();
      const errors = watchErrors(page);
      const t = TEXT[size.lang];
      await page.goto(`${server.url}/?lang=${size.lang}`);
      await ready(page);

      // The shop: "Monthly" beside Add, with the monthly price.
      const card = `#shop [data-gift-slug="sachet-de-graines"]`;
      expect(await page.locator(`${card} button.monthly`).textContent()).toMatch(size.lang === "en" ? /Monthly · €1/ : /Chaque mois · 1 €/);
      await press(page, `${card} button.monthly`, touch);
      const dialog = page.locator("#monthly");
      await expect.poll(() => dialog.locator("#monthly-amount").count(), { timeout: 20_000 }).toBe(1);
      // Below the gift's price: refused under the field, nothing started.
      await dialog.locator("#monthly-amount").fill("0,50");
      await press(page, "#monthly-start", touch);
      await expect.poll(() => dialog.locator(".field-error").count(), { timeout: 20_000 }).toBe(1);
      expect((await server.api<MonthlyGiftsResponse>("/api/me/monthly-gifts", { token: player.token })).body.monthlyGifts).toHaveLength(0);
      await dialog.locator("#monthly-amount").fill("3");
      await expect.poll(() => dialog.locator("#monthly-start").textContent(), { timeout: 20_000 }).toMatch(/3/);
      const box = await dialog.locator("#monthly-start").boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(size.context.viewport.width);
      await shot(page, `dialog-${size.name}`);
      expect(await seriousViolations(page, "#monthly")).toEqual([]);

      // The TEST MODE checkout, then back to My donations on the new gift.
      await Promise.all([page.waitForURL(/\/checkout\/test\/monthly\//), press(page, "#monthly-start", touch)]);
      expect(await page.locator("#total").textContent()).toMatch(/3/);
      await Promise.all([page.waitForURL((u) => u.pathname === "/" && !u.pathname.includes("checkout")), press(page, "#pay", touch)]);
      await ready(page);
      const row = page.locator("#my-donations .monthly-gift-row").first();
      await expect.poll(() => row.locator(".monthly-status").textContent(), { timeout: 15_000 }).toBe(t.active);
      expect(await row.locator(".monthly-back.ok").count()).toBe(1);
      expect(await row.locator(".monthly-amount").textContent()).toMatch(/3/);
      expect(page.url()).not.toContain("donations=1");
      await shot(page, `my-donations-${size.name}`);
      expect(await seriousViolations(page, "#monthly-gifts")).toEqual([]);
      const [mine] = (await server.api<MonthlyGiftsResponse>("/api/me/monthly-gifts", { token: player.token })).body.monthlyGifts;
      expect(mine).toMatchObject({ status: "active", monthsGiven: 1, amountCents: 300, stage: 1 });
      await press(page, "#receipts button.receipts-close", touch);

      // In the village: the seed bag at stage 1, labelled with its month for its owner.
      const itemId = mine!.itemId!;
      await expect.poll(async () => (await page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.state())).items.find((i) => i.id === itemId)?.monthlyStage, { timeout: 20_000 }).toBe(1);
      const sizeAt = async () => (await hooks(page))?.items.find((i) => i.id === itemId)?.size ?? 0;
      const before = await sizeAt();
      expect(before).toBeGreaterThan(0);
      const showLabel = async () => {
        const item = (await page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.state())).items.find((i) => i.id === itemId)!;
        const point = await page.evaluate(([x, y]) => (window as unknown as { hameau: Hooks }).hameau.pointOf(x!, y!), [item.x, item.y]);
        // The tile's centre is on the item's picture at every zoom.
        if (touch) await page.touchscreen.tap(point!.x, point!.y);
        else await page.mouse.move(point!.x, point!.y);
      };
      await showLabel();
      await page.waitForTimeout(300);
      await shot(page, `village-${size.name}`);
      await expect.poll(async () => { await showLabel(); return (await hooks(page))?.tooltip ?? ""; }, { timeout: 10_000 }).toContain(t.month1);

      // Two more months, paid (the dev route stands in for Stripe's invoices): stage 2, the item grows live.
      for (let i = 0; i < 2; i++) {
        const res = await server.api<{ outcome: string }>(`/api/dev/monthly-gifts/${mine!.id}/invoice`, { token: player.token, body: { outcome: "paid" } });
        expect(res.body.outcome).toBe("fulfilled");
      }
      await expect.poll(sizeAt, { timeout: 10_000 }).toBeGreaterThan(before * 1.1);
      await expect.poll(async () => { await showLabel(); return (await hooks(page))?.tooltip ?? ""; }, { timeout: 10_000 }).toContain(t.month3);
      await page.waitForTimeout(600);
      await shot(page, `village-grown-${size.name}`);

      // My donations: change the amount, then stop it (asked once more).
      await press(page, "#open-receipts", touch);
      await expect.poll(() => row.locator(".monthly-months").textContent(), { timeout: 20_000 }).toMatch(/3/);
      await press(page, `[data-monthly-id="${mine!.id}"] button[data-action="amount"]`, touch);
      await row.locator('input[name="monthly-amount"]').fill("5");
      await press(page, `[data-monthly-id="${mine!.id}"] button.monthly-save`, touch);
      await expect.poll(() => row.locator(".monthly-amount").textContent(), { timeout: 20_000 }).toMatch(/5/);
      await press(page, `[data-monthly-id="${mine!.id}"] button[data-action="cancel"]`, touch);
      await expect.poll(() => row.locator(".monthly-confirm").count(), { timeout: 20_000 }).toBe(1);
      await row.locator(".monthly-confirm").scrollIntoViewIfNeeded();
      await shot(page, `stop-confirm-${size.name}`);
      expect(await seriousViolations(page, "#monthly-gifts")).toEqual([]);
      await press(page, `[data-monthly-id="${mine!.id}"] button[data-action="confirm-cancel"]`, touch);
      await expect.poll(() => row.locator(".monthly-status").textContent(), { timeout: 20_000 }).toBe(t.stopped);
      expect(await row.locator(".monthly-next").count()).toBe(0);
      expect(await row.locator("button[data-action]").count()).toBe(0);
      const after = (await server.api<MonthlyGiftsResponse>("/api/me/monthly-gifts", { token: player.token })).body.monthlyGifts[0]!;
      expect(after).toMatchObject({ status: "cancelled", amountCents: 500, monthsGiven: 3 });
      await shot(page, `stopped-${size.name}`);
      // What was given stays: the item is still in the village.
      expect((await page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.state())).items.some((i) => i.id === itemId)).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
