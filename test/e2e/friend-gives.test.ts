/**
 * Friends in the village, in two browsers: a friend opens the owner's village
 * from the Friends panel, each sees the other walk, the friend gives a goat
 * through the TEST MODE checkout, comes back to the friend's village, and the
 * goat appears live in the owner's open village, with the giver's name (they
 * allowed it) and a notification on the owner's bell, without a reload.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Item {
  id: string; kind: string; giftId: string; sprite: string; donated: boolean; fromName: string; x: number; y: number;
}
interface Avatar {
  sessionId: string; playerId: string; name: string; isOwner: boolean; x: number; y: number;
}
interface Hooks {
  ready: boolean;
  state(): { villageId: string; ownerId: string; mySessionId: string; items: Item[]; avatars: Avatar[] };
  pointOf(x: number, y: number): { x: number; y: number } | null;
}
const state = (page: Page) => page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.state());
const eventually = <T>(read: () => Promise<T>, timeout = 15_000) => expect.poll(read, { timeout, interval: 100 });

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

async function openAs(who: SessionResponse): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.browser.newContext({ viewport: { width: 1100, height: 720 } });
  await context.addInitScript((token) => localStorage.setItem("hameau.token", token), who.token);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/?lang=en");
  await page.waitForFunction(() => (window as unknown as { hameau?: Hooks }).hameau?.ready === true, undefined, { timeout: 20_000 });
  return { context, page, errors };
}

async function clickTile(page: Page, x: number, y: number): Promise<void> {
  const point = await page.evaluate(([tx, ty]) => (window as unknown as { hameau: Hooks }).hameau.pointOf(tx!, ty!), [x, y]);
  if (!point) throw new Error("the scene is not running");
  await page.mouse.click(point.x, point.y);
}

/** Where this player's avatar stands, as the page sees it. */
async function avatarOf(page: Page, playerId: string): Promise<{ x: number; y: number } | undefined> {
  const a = (await state(page)).avatars.find((p) => p.playerId === playerId);
  return a && { x: Math.round(a.x), y: Math.round(a.y) };
}

describe("a friend visits and gives", () => {
  it("both see each other move; the friend's gift through the test checkout appears in the owner's open village", { timeout: 90_000 }, async () => {
    const owner = await signUpAccount(server, "Nour");
    const friend = await signUpAccount(server, "Malo");
    expect((await server.api("/api/friends/requests", { token: friend.token, body: { name: owner.player.name } })).status).toBe(201);
    expect((await server.api(`/api/friends/${friend.player.id}/accept`, { method: "POST", token: owner.token })).status).toBe(204);

    const home = await openAs(owner);
    const guest = await openAs(friend);

    // The friend opens the owner's village from the Friends panel.
    await guest.page.locator("#open-friends").click();
    await guest.page.locator(`#friends-list [data-player-id="${owner.player.id}"] [data-action="visit"]`).click();
    await eventually(async () => (await state(guest.page)).villageId).toBe(owner.villageId);
    await eventually(() => guest.page.locator("body").textContent()).toContain(`You are visiting ${owner.player.name}'s village`);

    // Each sees the other: the owner sees the visitor arrive, the visitor sees the owner.
    await eventually(async () => (await avatarOf(home.page, friend.player.id)) !== undefined).toBe(true);
    await eventually(async () => (await avatarOf(guest.page, owner.player.id)) !== undefined).toBe(true);

    // The visitor walks to a free tile; the owner's page sees it get there. Then the other way round.
    await clickTile(guest.page, 8, 7);
    await eventually(() => avatarOf(home.page, friend.player.id)).toEqual({ x: 8, y: 7 });
    await clickTile(home.page, 4, 2);
    await eventually(() => avatarOf(guest.page, owner.player.id)).toEqual({ x: 4, y: 2 });
    await screenshot(guest.page, "friend-01-visiting");

    // The visitor gives a goat into this village, with their name shown.
    await eventually(() => guest.page.locator("#basket-recipient").textContent()).toContain(`${owner.player.name}'s village`);
    await guest.page.locator('#shop [data-gift-slug="chevre"] button.add').click();
    await guest.page.locator("#show-giver-name").check();
    await guest.page.locator("#give").click();
    await guest.page.waitForURL(/\/checkout\/test\//);
    await eventually(() => guest.page.locator("#recipient").textContent()).toContain(`${owner.player.name}'s village`);
    await guest.page.locator("#pay").click();

    // The goat appears in the owner's open village, live, from the friend; the bell says so.
    await eventually(async () => (await state(home.page)).items.find((i) => i.donated && i.sprite === "goat")?.fromName).toBe(friend.player.name);
    await eventually(() => home.page.locator("#open-notifications .topbar-badge").textContent()).toBe("1");
    // The owner's card says who gave; the receipt is the payer's, so the owner is offered none.
    await eventually(() => home.page.locator("#thanks").textContent()).toContain(`${friend.player.name} gave it to your village`);
    expect(await home.page.locator("#thanks button.receipt").count()).toBe(0);
    await home.page.waitForTimeout(1200); // the arrival animation, for the picture
    await screenshot(home.page, "friend-02-owner-sees-gift");

    // The giver comes back to the friend's village (not their own) and sees it there too.
    // (Not the ?order= address itself: the page may already have read it and cleaned it away.)
    await guest.page.waitForURL((url) => !url.pathname.startsWith("/checkout/"));
    await guest.page.waitForFunction(() => (window as unknown as { hameau?: Hooks }).hameau?.ready === true, undefined, { timeout: 20_000 });
    await eventually(async () => (await state(guest.page)).villageId).toBe(owner.villageId);
    await eventually(async () => (await state(guest.page)).items.some((i) => i.donated && i.sprite === "goat")).toBe(true);
    // The giver is thanked, with their receipt.
    await eventually(() => guest.page.locator("#thanks").textContent()).toMatch(/Thank you/);
    expect(await guest.page.locator("#thanks button.receipt").count()).toBe(1);
    await screenshot(guest.page, "friend-03-giver-back-in-friends-village");

    // The owner's bell names the giver and the gift, never an amount.
    await home.page.keyboard.press("Escape");
    await home.page.locator("#open-notifications").click();
    await eventually(() => home.page.locator("#notification-list").textContent()).toContain(`${friend.player.name} gave you a goat`);
    expect(await home.page.locator("#notification-list").textContent()).not.toMatch(/€|\d+[,.]\d\d/);
    expect(home.errors).toEqual([]);
    expect(guest.errors).toEqual([]);
    await home.context.close();
    await guest.context.close();
  });
});
