/**
 * Neighbours in the browser: a player opens the Neighbours dialog, finds a
 * public village (suggested and searched, as cards with a level badge) and
 * visits it with one click; the owner, at home, sees "… arrived" at once.
 * The owner thanks an anonymous gift from the bell (a note and a lantern):
 * the row says it was sent, and the giver's bell shows the note, live. At
 * 1280×800 (English) and on a 390×844 touch phone (French), with screenshots.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import { signUpAccount, uniqueSuffix } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { gifting } from "../support/gifting.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let catalog: CatalogResponse;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const g = gifting(() => server, () => catalog);
const eventually = <T>(read: () => Promise<T>, timeout = 15_000) => expect.poll(read, { timeout, interval: 100 });

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npx vite build` first");
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  browser = await launchBrowser();
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

async function openAs(who: SessionResponse, phone = false, lang = "en") {
  const context = await browser.browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } });
  await context.addInitScript((t) => {
    localStorage.setItem("hameau.token", t);
  }, who.token);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/?lang=${lang}`);
  await page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 45_000 });
  return { page, errors };
}
const villageOf = (page: Page) => page.evaluate(() => (window as unknown as { hameau: { state(): { villageId: string } } }).hameau.state().villageId);
const press = (page: Page, selector: string, phone: boolean) => (phone ? page.locator(selector).tap() : page.locator(selector).click());

describe("neighbours in the browser", () => {
  it("finds and visits a public village, tells the owner, and thanks an anonymous gift", { timeout: 180_000 }, async () => {
    const tag = `Rosa${uniqueSuffix()}`;
    const owner = await signUpAccount(server, "Rosa", { name: `${tag} Owner` });
    const visitor = await signUpAccount(server, "Milo");
    await server.api("/api/account/settings", { method: "PATCH", token: owner.token, body: { villageVisibility: "public" } });
    // The visitor gives the owner a goat, anonymously (a public village takes gifts from anyone).
    const checkout = await g.checkout(visitor, [["chevre", 1]], { villageId: owner.villageId, showGiverName: false, locale: "en" });
    expect(checkout.status).toBe(201);
    await g.pay(checkout.body);
    await g.settled(checkout.body.orderId);

    const home = await openAs(owner);
    const guest = await openAs(visitor);
    // Suggested (an active public village) and found by search, as cards.
    await guest.page.locator("#open-neighbours").click();
    await eventually(() => guest.page.locator(`#neighbours-suggested [data-village="${owner.villageId}"]`).count()).toBe(1);
    await guest.page.locator("#neighbour-search").fill(tag);
    await guest.page.locator(".neighbour-search button[type=submit]").click();
    const card = guest.page.locator(`#neighbours-public [data-village="${owner.villageId}"]`);
    await eventually(() => card.count()).toBe(1);
    await expect.poll(() => card.locator(".neighbour-level").textContent()).toBe("Lv 1");
    await shot(guest.page, "neighbours-dialog-1280x800");

    await card.locator("button[data-visit]").click();
    await eventually(() => villageOf(guest.page)).toBe(owner.villageId);
    await eventually(() => home.page.locator(".toast").first().textContent()).toContain(`${visitor.player.name} arrived in your village!`);
    await shot(home.page, "neighbours-arrived-1280x800");

    // The owner thanks the anonymous giver from the bell.
    await home.page.locator("#open-notifications").click();
    const row = home.page.locator(`#notification-list li[data-kind="gift_received"]`).first();
    await row.locator("button[data-thank]").click();
    await home.page.locator(".thanks-input").fill("Thank you for the goat!");
    await home.page.locator('button[data-thank-decoration="lantern"]').click();
    await expect.poll(() => home.page.locator(".thanks-anonymous").count()).toBe(1);
    await shot(home.page, "neighbours-thanks-form-1280x800");
    await home.page.locator("button[data-thank-send]").click();
    await eventually(() => row.locator(".thanks-sent").count()).toBe(1);
    await shot(home.page, "neighbours-thanks-sent-1280x800");

    // The giver's bell rings with the note (live: they are in the owner's village).
    await eventually(() => guest.page.locator("#open-notifications .topbar-badge").textContent()).toBe("1");
    await guest.page.locator("#open-notifications").click();
    const thanks = guest.page.locator(`#notification-list li[data-kind="thanks_received"]`);
    await eventually(() => thanks.locator(".thanks-note").textContent()).toBe("Thank you for the goat!");
    await expect.poll(() => thanks.textContent()).toContain("lantern");
    await shot(guest.page, "neighbours-thanks-received-1280x800");
    expect(home.errors).toEqual([]);
    expect(guest.errors).toEqual([]);

  });

  it("on a 390×844 touch phone, in French: the cards fit, a visit is one tap, and the thank-you form works", { timeout: 180_000 }, async () => {
    const owner = await signUpAccount(server, "Lou");
    const visitor = await signUpAccount(server, "Ines");
    await server.api("/api/account/settings", { method: "PATCH", token: owner.token, body: { villageVisibility: "public" } });
    const checkout = await g.checkout(visitor, [["chevre", 1]], { villageId: owner.villageId, showGiverName: true, locale: "en" });
    await g.pay(checkout.body);
    await g.settled(checkout.body.orderId);

    const phone = await openAs(visitor, true, "fr");
    await press(phone.page, "#open-neighbours", true);
    const phoneCard = phone.page.locator(`#neighbours-suggested [data-village="${owner.villageId}"]`);
    await eventually(() => phoneCard.count()).toBe(1);
    await shot(phone.page, "neighbours-dialog-390x844");
    await phoneCard.scrollIntoViewIfNeeded();
    const box = await phoneCard.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await press(phone.page, `#neighbours-suggested [data-village="${owner.villageId}"] button[data-visit]`, true);
    await eventually(() => villageOf(phone.page)).toBe(owner.villageId);

    const home = await openAs(owner, true, "fr");
    await press(home.page, "#open-notifications", true);
    const row = home.page.locator(`#notification-list li[data-kind="gift_received"]`).first();
    await press(home.page, `#notification-list li[data-kind="gift_received"] button[data-thank]`, true);
    await home.page.locator(".thanks-input").fill("Merci !");
    await press(home.page, 'button[data-thank-decoration="flower-bed"]', true);
    await shot(home.page, "neighbours-thanks-form-390x844");
    await press(home.page, "button[data-thank-send]", true);
    await eventually(() => row.locator(".thanks-sent").count()).toBe(1);
    expect(home.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  });
});
