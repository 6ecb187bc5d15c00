/**
 * The campaigns panel in the village: the deep link /?campaign=<id> opens it
 * on the campaign's card; a gift paid elsewhere (TEST MODE) moves its bar,
 * the emergency banner's bar and the opt-in leaderboard live; a gift goes
 * from a card into the basket; on a 390×844 touch phone every part of the
 * card can be reached and used. Screenshots at both sizes go to
 * test-output/ (and SHOTS_DIR when set).
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import { campaignGifts, campaigns } from "../../server/db/schema.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { gifting } from "../support/gifting.ts";
import { demoNgoId } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);
const eventually = <T>(read: () => Promise<T>, timeout = 10_000) => expect.poll(read, { timeout, interval: 100 });
const HOUR = 3_600_000;
let t0 = Date.now();
const mark = (what: string) => process.env.E2E_TIMING && console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npm run build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  t0 = Date.now();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function shot(page: Page, name: string): Promise<void> {
  const file = await screenshot(page, name);
  if (process.env.SHOTS_DIR) {
    mkdirSync(process.env.SHOTS_DIR, { recursive: true });
    copyFileSync(file, path.join(process.env.SHOTS_DIR, `${name}.png`));
  }
}

async function openVillage(who: SessionResponse, url: string, phone = false) {
  const context = await browser.browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } });
  await context.addInitScript((t) => localStorage.setItem("hameau.token", t), who.token);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + url);
  await page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 45_000 })
    .catch((err: unknown) => {
      throw new Error(`the village did not get ready: ${String(err)}; page errors: ${errors.join(" | ")}`);
    });
  return { context, page, errors };
}

describe("the campaigns panel", () => {
  it("opens from a link, moves live with a payment, fills the basket, and fits a phone", { timeout: 150_000 }, async () => {
    // A published emergency campaign of the demo NGO (written directly: the console's API has its own tests).
    const now = Date.now();
    const db = g.db();
    const [campaign] = await db.insert(campaigns).values({
      ngoId: await demoNgoId(server), titleFr: "Des chèvres pour l'hiver", titleEn: "Goats for the winter", descriptionFr: "Chaque chèvre compte.",
      descriptionEn: "Every goat counts.", goalCents: 14_000, emergency: true, startsAt: new Date(now - HOUR), endsAt: new Date(now + 50 * HOUR), publishedAt: new Date(now),
    }).returning({ id: campaigns.id });
    const campaignId = campaign!.id;
    await db.insert(campaignGifts).values([g.gift("chevre").id, g.gift("poules").id].map((giftId) => ({ campaignId, giftId })));
    const [player, giver] = await Promise.all([server.guest(), server.guest()]);
    await server.api("/api/account/settings", { method: "PATCH", token: giver.token, body: { showOnLeaderboards: true } });
    mark("campaign made");

    // The laptop (deep link) and the phone load side by side.
    const [laptop, phone] = await Promise.all([openVillage(player, `/?campaign=${campaignId}&lang=en`), openVillage(player, "/?lang=fr", true)]);
    const page = laptop.page;
    mark("pages ready");

    // The deep link opened the panel on the campaign's card, with its bar at 0 and the emergency banner's bar.
    const card = page.locator(`#campaigns [data-campaign-id="${campaignId}"]`);
    await eventually(() => card.isVisible()).toBe(true);
    expect(new URL(page.url()).searchParams.has("campaign")).toBe(false);
    expect(await card.locator(".campaign-title").innerText()).toContain("Goats for the winter");
    expect(await card.locator(".campaign-countdown").innerText()).toMatch(/^Ends in 2 d [01] h/);
    await eventually(() => card.locator(".campaign-bar").getAttribute("aria-valuenow")).toBe("0");
    expect(await card.locator(".milestone").count()).toBe(3);
    expect(await card.locator('.milestone[data-state="next"]').getAttribute("data-percent")).toBe("25");
    await eventually(() => card.locator(".board-empty").innerText()).toContain("No gift yet");
    mark("panel open");

    // Someone else pays a goat (35 €) in TEST MODE: the bar, the milestone and the leaderboard move, live.
    const checkout = await g.checkout(giver, [["chevre", 1]]);
    expect(checkout.status).toBe(201);
    await g.pay(checkout.body);
    await eventually(() => card.locator(".campaign-bar").getAttribute("aria-valuenow")).toBe("25");
    expect(await card.locator('[data-live="raised"]').innerText()).toBe("€35");
    expect(await card.locator('.milestone[data-percent="25"]').getAttribute("data-state")).toBe("reached");
    await eventually(() => card.locator(".board-entry .board-name").first().innerText()).toBe(giver.player.name);
    expect(await card.locator(".board-entry .board-figures").first().innerText()).toBe("gifts: 1 · villages: 1");
    await card.locator('[data-board="villages"]').click();
    await eventually(() => card.locator(".board-entry").count()).toBe(1);
    expect(await card.locator('[data-board="villages"]').getAttribute("aria-pressed")).toBe("true");
    mark("moved");

    // Add a gift to the basket from the card.
    await card.locator(`[data-add-gift="${g.gift("poules").id}"]`).click();
    await eventually(() => page.locator("#campaigns .dialog-toast").innerText()).toContain("Three hens");
    await shot(page, "campaign-panel-1280x800");
    await page.keyboard.press("Escape");
    await eventually(() => page.locator(`#basket [data-gift-id="${g.gift("poules").id}"] .quantity`).innerText()).toBe("1");
    // The emergency banner shows the campaign's live bar, which opens the panel on it.
    const bannerBar = page.locator(`#emergency-banner [data-progress-of="${campaignId}"]`);
    await eventually(() => bannerBar.locator(".campaign-bar").getAttribute("aria-valuenow")).toBe("25");
    await shot(page, "campaign-banner-1280x800");
    await bannerBar.click();
    await eventually(() => card.isVisible()).toBe(true);
    expect(laptop.errors).toEqual([]);
    await laptop.context.close();
    mark("laptop done");

    // The phone, in French: the button, the card, every control reachable by touch.
    await phone.page.locator("#open-campaigns").tap();
    const phoneCard = phone.page.locator(`#campaigns [data-campaign-id="${campaignId}"]`);
    await eventually(() => phoneCard.isVisible()).toBe(true);
    await eventually(() => phoneCard.locator(".campaign-bar").getAttribute("aria-valuenow")).toBe("25");
    await shot(phone.page, "campaign-panel-390x844");
    for (const target of [".campaign-countdown", `[data-add-gift="${g.gift("chevre").id}"]`, '[data-board="villages"]', ".board-privacy"]) {
      const el = phoneCard.locator(target).first();
      await el.scrollIntoViewIfNeeded();
      const box = (await el.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(844);
    }
    await phoneCard.locator(`[data-add-gift="${g.gift("chevre").id}"]`).tap();
    await eventually(() => phone.page.locator("#campaigns .dialog-toast").innerText()).toContain("Une chèvre");
    await shot(phone.page, "campaign-panel-390x844-bottom");
    mark("phone added");
    await phone.page.locator("#campaigns .receipts-close").tap();
    await eventually(() => phone.page.locator("#campaigns").evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(phone.errors).toEqual([]);
    mark("phone closed");
    await phone.context.close();
  });
});
