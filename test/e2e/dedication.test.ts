/**
 * Dedicating a gift, in two browsers: on a laptop (1280×800) player A opens
 * "Dedicate this gift" in the basket, is stopped by the rule on an empty
 * name, dedicates a goat to friend B's village with a message, pays on the
 * TEST MODE page and is told it is on its way; B, in a second context, sees
 * the goat land live in their open village and the bell's dedication, which
 * opens their village. A's My donations shows it. On a phone (390×844,
 * touch, in French) the server's refusal of a friend who just left shows
 * under the friend, and the e-card choice refuses a wrong address next to its
 * field and lets a right one through to the checkout; cancelled there, the
 * basket comes back with its dedication.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Item { id: string; giftId: string; sprite: string; donated: boolean; fromName: string }
interface Hooks {
  ready: boolean;
  state(): { villageId: string; items: Item[] };
}
const state = (page: Page) => page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.state());
const eventually = <T>(read: () => Promise<T>, timeout = 15_000) => expect.poll(read, { timeout, interval: 100 });

const LAPTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

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

async function openAs(who: SessionResponse, options: typeof LAPTOP | typeof PHONE, lang = "en"): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.browser.newContext(options);
  await context.addInitScript((token) => localStorage.setItem("hameau.token", token), who.token);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/?lang=${lang}`);
  await page.waitForFunction(() => (window as unknown as { hameau?: Hooks }).hameau?.ready === true, undefined, { timeout: 20_000 });
  return { context, page, errors };
}

async function befriend(a: SessionResponse, b: SessionResponse): Promise<void> {
  expect((await server.api("/api/friends/requests", { token: a.token, body: { name: b.player.name } })).status).toBe(201);
  expect((await server.api(`/api/friends/${a.player.id}/accept`, { method: "POST", token: b.token })).status).toBe(204);
}

describe("dedicating a gift", () => {
  it("A dedicates a goat to friend B's village with a message; B sees it land and the notification opens their village", { timeout: 180_000 }, async () => {
    const [giver, honoree] = [await signUpAccount(server, "Anouk"), await signUpAccount(server, "Basile")];
    await befriend(giver, honoree);
    const b = await openAs(honoree, LAPTOP);
    const a = await openAs(giver, LAPTOP);

    await a.page.locator('#shop [data-gift-slug="chevre"] button.add').click();
    await a.page.locator("#dedicate-toggle").click();
    await expect.poll(() => a.page.locator("#dedicate-toggle").getAttribute("aria-expanded")).toBe("true");
    // The rule of the server, checked here first: no name, no checkout.
    await a.page.locator("#give").click();
    await eventually(() => a.page.locator("#dedication-name-error").textContent()).toContain("Write the name");
    expect(await a.page.locator("#dedication-name").evaluate((el) => el === document.activeElement)).toBe(true);
    expect(a.page.url()).not.toMatch(/checkout/);

    await a.page.locator("#dedication-name").fill("Grandma Rose");
    await a.page.locator("#dedication-message").fill("Happy birthday!\nWith love");
    const today = await a.page.locator("#dedication-date").inputValue();
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await eventually(() => a.page.locator("#dedication-friend option").count()).toBe(2);
    await a.page.locator("#dedication-friend").selectOption(honoree.villageId);
    await a.page.locator("#dedication").scrollIntoViewIfNeeded();
    await screenshot(a.page, "dedication-01-form-laptop");

    await a.page.locator("#give").click();
    await a.page.waitForURL(/\/checkout\/test\//);
    await a.page.locator("#pay").click();
    await a.page.waitForURL((url) => !url.pathname.startsWith("/checkout/"));
    await eventually(() => a.page.locator("#toast").textContent()).toContain("on its way to Grandma Rose");

    // B's open village: the goat lands, anonymous (A did not show their name), and the bell rings.
    await eventually(async () => (await state(b.page)).items.filter((i) => i.donated && i.sprite === "goat").length).toBe(1);
    expect((await state(b.page)).items.find((i) => i.sprite === "goat")?.fromName).toBe("");
    await eventually(() => b.page.locator("#open-notifications .topbar-badge").textContent()).toBe("1");
    await b.page.keyboard.press("Escape");
    await b.page.locator("#open-notifications").click();
    const row = b.page.locator('#notification-list li[data-kind="dedication_received"]');
    await eventually(() => row.textContent()).toContain("Someone gave a goat in honour of Grandma Rose");
    expect(await row.textContent()).toContain("Happy birthday!");
    expect(await b.page.locator("#notification-list").textContent()).not.toMatch(/€|\d+[,.]\d\d|Anouk/);
    await screenshot(b.page, "dedication-02-honoree-notification-laptop");
    await row.locator("button[data-open-village]").click();
    await eventually(() => b.page.locator("#notifications").evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    expect((await state(b.page)).villageId).toBe(honoree.villageId);
    await screenshot(b.page, "dedication-03-honoree-village-laptop");

    // A's village holds no goat of it; A's My donations shows the dedication.
    expect((await state(a.page)).items.filter((i) => i.donated)).toEqual([]);
    await a.page.keyboard.press("Escape");
    await a.page.locator("#open-receipts").click();
    await eventually(() => a.page.locator("#my-donations .donation-dedication").textContent()).toContain("In honour of Grandma Rose");
    expect(await a.page.locator("#my-donations .donation-dedication").textContent()).toContain("delivered");
    await screenshot(a.page, "dedication-04-my-donations-laptop");

    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it("on a phone, a refusal of the server shows under the friend; the e-card refuses a wrong address, then goes to the checkout", { timeout: 90_000 }, async () => {
    const [giver, friend] = [await signUpAccount(server, "Capucine"), await signUpAccount(server, "Dorian")];
    await befriend(giver, friend);
    const phone = await openAs(giver, PHONE, "fr");
    const { page } = phone;
    await page.locator('#shop [data-gift-slug="chevre"] button.add').tap();
    await page.locator("#dedicate-toggle").tap();
    await page.locator("#dedication-name").fill("Mamie Jo");
    await eventually(() => page.locator("#dedication-friend option").count()).toBe(2);
    await page.locator("#dedication-friend").selectOption(friend.villageId);
    // The friendship ends meanwhile (their village is private): the server refuses, and says so under the friend.
    expect((await server.api(`/api/friends/${giver.player.id}`, { method: "DELETE", token: friend.token })).status).toBe(204);
    await page.locator("#give").tap();
    await eventually(() => page.locator("#dedication-friend-error").textContent()).toContain("privé");
    expect(page.url()).not.toMatch(/checkout/);
    await page.locator("#dedication-friend").scrollIntoViewIfNeeded();
    await screenshot(page, "dedication-05a-server-refusal-phone");

    await page.locator("#dedication-to-email").tap();
    await page.locator("#dedication-email").fill("pas une adresse");
    await page.locator("#give").tap();
    await eventually(() => page.locator("#dedication-email-error").textContent()).toContain("adresse e-mail valide");
    expect(await page.locator("#dedication-email").getAttribute("aria-invalid")).toBe("true");
    await page.locator("#dedication-email").scrollIntoViewIfNeeded();
    await screenshot(page, "dedication-05-ecard-error-phone");

    // Every control of the part is tappable on the phone.
    for (const id of ["#dedication-name", "#dedication-message", "#dedication-date", "#dedication-to-village", "#dedication-to-email", "#dedication-email", "#dedication-show-name", "#give"]) {
      await page.locator(id).scrollIntoViewIfNeeded();
      expect(await page.locator(id).isVisible(), id).toBe(true);
    }
    await page.locator("#dedication-email").fill("jo@example.org");
    await page.locator("#dedication-show-name").tap();
    await page.locator("#dedication").scrollIntoViewIfNeeded();
    await screenshot(page, "dedication-06-ecard-filled-phone");
    await page.locator("#give").tap();
    await page.waitForURL(/\/checkout\/test\//);
    // Cancelled: back in the game, the basket and its dedication are as they were.
    await page.locator("#cancel").tap();
    await page.waitForURL((url) => !url.pathname.startsWith("/checkout/"));
    await page.waitForFunction(() => (window as unknown as { hameau?: Hooks }).hameau?.ready === true, undefined, { timeout: 20_000 });
    await eventually(() => page.locator("#dedication-email").inputValue()).toBe("jo@example.org");
    expect(await page.locator("#dedication-name").inputValue()).toBe("Mamie Jo");
    expect(await page.locator("#dedication-show-name").isChecked()).toBe(true);
    // The one refusal asked for above, and nothing else.
    expect(phone.errors.filter((e) => !/403 \(Forbidden\) \[.*\/api\/checkout\]/.test(e))).toEqual([]);
    await phone.context.close();
  });
});
