/**
 * Playing in a village, in two browsers. The owner plants a crop and sees it
 * grow with a progress bar, waters it, emotes, harvests for coins and finds
 * the decorations shop. A signed-up friend visits: each sees the other's
 * avatar walk and wave, the friend helps water and the owner sees who
 * helped; the friend goes home, comes back, and is sent away. While the
 * village does not answer (the owner's frames to the server dropped), a
 * planting shows no success, then an error; once it answers, the success
 * toast comes with the crop. The owner finishes a daily quest by planting
 * and claims it: the coins rise.
 * The server runs on a test clock, so crops ripen without waiting.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { ProgressView } from "../../shared/progress-api.ts";
import { findFreeTiles } from "../../shared/village.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { TestClock } from "../support/clock.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Item {
  id: string; kind: string; x: number; y: number; cropKind: string; growthMs: number; lastWateredAt: number;
}
interface Avatar {
  sessionId: string; playerId: string; name: string; isOwner: boolean; x: number; y: number; emote: string; emoteSeq: number; connected: boolean;
}
interface Drawn {
  items: Array<{ id: string; texture: string; visible: boolean; bar: number | null }>;
  avatars: Record<string, { x: number; y: number; alpha: number; faded: boolean; bubble: string }>;
  tooltip: string | null;
}
interface Hooks {
  ready: boolean;
  state(): {
    villageId: string; ownerId: string; name: string; mySessionId: string; items: Item[]; avatars: Avatar[];
    ownerView: { coins: number; helpers: Record<string, string[]> } | null;
  };
  pointOf(x: number, y: number): { x: number; y: number } | null;
  drawn(): Drawn | null;
  connection?: { visit(villageId: string): Promise<void>; sendAway(playerId: string): void };
}
const hooks = (page: Page) => page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.state());
const drawn = (page: Page) => page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.drawn()!);

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const clock = new TestClock();

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer({ now: clock.now });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A browser window signed in as this account (its token put where the client keeps it). */
async function openAs(who: SessionResponse, viewport = { width: 920, height: 620 }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.browser.newContext({ viewport });
  await context.addInitScript((token) => localStorage.setItem("hameau.token", token), who.token);
  // cut(page, true): what the page sends on its websockets never leaves it (the village stops answering).
  await context.addInitScript(() => {
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data) {
      if (!(window as unknown as { cutOff?: boolean }).cutOff) send.call(this, data);
    };
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/?lang=en");
  await page.waitForFunction(() => (window as unknown as { hameau?: Hooks }).hameau?.ready === true, undefined, { timeout: 20_000 });
  return { context, page, errors };
}

/** Clicks the centre of a tile of the village, where the scene says it is. */
async function clickTile(page: Page, x: number, y: number): Promise<void> {
  const point = await page.evaluate(([tx, ty]) => (window as unknown as { hameau: Hooks }).hameau.pointOf(tx!, ty!), [x, y]);
  if (!point) throw new Error("the scene is not running");
  await page.mouse.click(point.x, point.y);
}

const mine = async (page: Page) => {
  const state = await hooks(page);
  return state.avatars.find((a) => a.sessionId === state.mySessionId)!;
};
const cut = (page: Page, on: boolean) => page.evaluate((value) => ((window as unknown as { cutOff?: boolean }).cutOff = value), on);
const cropDrawn = async (page: Page, id: string) => (await drawn(page)).items.find((i) => i.id === id);

describe("playing in a village", () => {
  let owner: SessionResponse, friend: SessionResponse;
  let home: Awaited<ReturnType<typeof openAs>>, visit: Awaited<ReturnType<typeof openAs>>;
  let page: Page, guest: Page;
  beforeAll(async () => {
    [owner, friend] = [await signUpAccount(server, "Owner"), await signUpAccount(server, "Friend")];
    await server.api("/api/friends/requests", { token: owner.token, body: { name: friend.player.name } });
    expect((await server.api(`/api/friends/${owner.player.id}/accept`, { method: "POST", token: friend.token })).status).toBe(204);
    // Both windows open at once: the friend's starts in their own village.
    [home, visit] = await Promise.all([openAs(owner), openAs(friend, { width: 390, height: 760 })]);
    page = home.page;
    guest = visit.page;
  }, 45_000);
  afterAll(async () => {
    await visit?.context.close();
    await home?.context.close();
  });

  it("the owner plants a crop, sees it grow with a progress bar, waters it and emotes", async () => {
    // The owner's tools and coins, and no visit banner at home.
    await expect.poll(() => page.locator("#play-bar [data-tool]").count()).toBe(4);
    expect(await page.locator("#visit-banner").isVisible()).toBe(false);
    await expect.poll(() => page.locator("#coins").textContent(), { timeout: 5000 }).toBe("0");

    // Plant wheat on a free tile: it appears as a seed, with a progress bar under it; my avatar walks over.
    await page.locator('[data-tool="plant"]').click();
    await page.locator('[data-seed="wheat"]').click();
    await clickTile(page, 4, 2);
    await expect.poll(async () => (await hooks(page)).items.find((i) => i.kind === "crop" && i.x === 4 && i.y === 2)?.cropKind, { timeout: 5000 }).toBe("wheat");
    const crop = (await hooks(page)).items.find((i) => i.kind === "crop")!;
    await expect.poll(async () => (await cropDrawn(page, crop.id))?.bar ?? -1, { timeout: 3000 }).toBeGreaterThanOrEqual(0);
    expect((await cropDrawn(page, crop.id))?.texture).toBe("sprite:crop-seed");
    await expect.poll(async () => Math.abs((await mine(page)).y - 2.1), { timeout: 3000 }).toBeLessThan(0.2);

    // Water it: a quarter of the growth comes off at once; the bar jumps and the seed is a sprout now.
    await page.locator('[data-tool="water"]').click();
    await clickTile(page, 4, 2);
    await expect.poll(async () => (await hooks(page)).items.find((i) => i.id === crop.id)?.growthMs, { timeout: 5000 }).toBe(30_000);
    await screenshot(page, "play-01-watered");
    await expect.poll(async () => (await cropDrawn(page, crop.id))?.texture, { timeout: 3000 }).toBe("sprite:crop-sprout");
    expect((await cropDrawn(page, crop.id))?.bar).toBeGreaterThanOrEqual(0.25);

    // Watering again at once is refused, and the toast says why.
    await clickTile(page, 4, 2);
    await expect.poll(() => page.locator("#toast").textContent(), { timeout: 5000 }).toMatch(/just watered/i);

    // Emote: a bubble above my avatar.
    await page.locator('[data-emote="wave"]').click();
    await expect.poll(async () => {
      const state = await hooks(page);
      return (await drawn(page)).avatars[state.mySessionId]?.bubble;
    }, { timeout: 5000 }).toBe("wave");

    expect(home.errors).toEqual([]);
  }, 30_000);

  it("the owner harvests a ripe crop for coins and finds the decorations shop", async () => {
    const crop = (await hooks(page)).items.find((i) => i.kind === "crop" && i.x === 4 && i.y === 2)!;
    // Ripe once the server's clock moves on (a new planting tells this client the time): harvest for coins.
    clock.advance(120_000);
    await page.locator('[data-tool="plant"]').click();
    await clickTile(page, 6, 2);
    await expect.poll(async () => (await cropDrawn(page, crop.id))?.texture, { timeout: 5000 }).toBe("sprite:wheat");
    expect((await cropDrawn(page, crop.id))?.bar).toBeNull();
    await page.locator('[data-tool="harvest"]').click();
    await clickTile(page, 4, 2);
    await expect.poll(() => page.locator("#coins").textContent(), { timeout: 5000 }).toBe("5");
    expect((await hooks(page)).items.some((i) => i.id === crop.id)).toBe(false);
    await screenshot(page, "play-02-harvested");

    // The decorations shop: 5 coins buy nothing yet, and the button says how many are missing.
    await page.locator('[data-panel="shop"]').click();
    await expect.poll(() => page.locator('#decorations [data-buy="fence"]').isDisabled()).toBe(true);
    expect(await page.locator('#decorations [data-buy="fence"]').textContent()).toMatch(/5 more coins/);
    await screenshot(page, "play-03-shop");
    await page.locator("#decorations [data-close]").click();
    expect(home.errors).toEqual([]);
  }, 30_000);

  it("a friend visits: each sees the other walk and wave, the friend waters, goes home, comes back and is sent away", async () => {
    expect((await hooks(guest)).villageId).toBe(friend.villageId);
    await guest.evaluate((villageId) => (window as unknown as { hameau: Hooks }).hameau.connection!.visit(villageId), owner.villageId);
    await expect.poll(() => guest.locator("#visit-banner").textContent(), { timeout: 5000 }).toContain(owner.player.name);
    await expect.poll(async () => (await hooks(guest)).avatars.map((a) => a.name).sort(), { timeout: 5000 }).toEqual([owner.player.name, friend.player.name].sort());
    // A visitor's tools: walk and water only; no coins, no shop, no owner's view.
    expect(await guest.locator("#play-bar [data-tool]").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.tool))).toEqual(["walk", "water"]);
    expect(await guest.locator("#coins, [data-panel]").count()).toBe(0);
    expect((await hooks(guest)).ownerView).toBeNull();

    // Each sees the other move.
    await clickTile(guest, 8, 3);
    const seen = async (on: Page, playerId: string) => (await hooks(on)).avatars.find((a) => a.playerId === playerId);
    await expect.poll(async () => {
      const a = await seen(page, friend.player.id);
      return a ? Math.hypot(a.x - 8, a.y - 3) : 99;
    }, { timeout: 5000 }).toBeLessThan(0.5);
    await page.locator('[data-tool="arrange"]').click();
    await clickTile(page, 2, 5);
    await expect.poll(async () => {
      const a = await seen(guest, owner.player.id);
      if (!a) return 99;
      // Where the friend's screen draws the owner, once the glide is over.
      const drawnAt = (await drawn(guest)).avatars[a.sessionId]!;
      return Math.hypot(drawnAt.x - 2, drawnAt.y - 5);
    }, { timeout: 5000 }).toBeLessThan(0.5);
    // And wave: the owner sees the friend's bubble.
    await guest.locator('[data-emote="heart"]').click();
    await expect.poll(async () => {
      const a = await seen(page, friend.player.id);
      return a ? (await drawn(page)).avatars[a.sessionId]?.bubble : "";
    }, { timeout: 5000 }).toBe("heart");
    await screenshot(guest, "play-04-visiting");

    // The friend waters the growing crop; the owner's view names the helper, the friend is thanked.
    const growing = (await hooks(page)).items.find((i) => i.kind === "crop")!;
    await guest.locator('[data-tool="water"]').click();
    await clickTile(guest, growing.x, growing.y);
    await expect.poll(async () => (await hooks(page)).ownerView?.helpers[growing.id], { timeout: 5000 }).toEqual([friend.player.name]);
    await expect.poll(() => guest.locator("#toast").textContent(), { timeout: 3000 }).toMatch(/thank you/i);
    // Hovering the crop, the owner reads who helped.
    const over = await page.evaluate(([x, y]) => (window as unknown as { hameau: Hooks }).hameau.pointOf(x!, y!), [growing.x, growing.y]);
    // Low on the picture: inside it even while it pops up from a seed to a sprout.
    await page.mouse.move(over!.x, over!.y + 10);
    await expect.poll(async () => (await drawn(page)).tooltip, { timeout: 3000 }).toContain(`Watered by ${friend.player.name}`);

    // Home and back; then the owner sends the friend away: home again, and told why.
    await guest.locator("#back-home").click();
    await expect.poll(async () => (await hooks(guest)).villageId, { timeout: 5000 }).toBe(friend.villageId);
    expect(await guest.locator("#visit-banner").isVisible()).toBe(false);
    await expect.poll(async () => (await hooks(page)).avatars.length, { timeout: 5000 }).toBe(1);
    await guest.evaluate((villageId) => (window as unknown as { hameau: Hooks }).hameau.connection!.visit(villageId), owner.villageId);
    await expect.poll(async () => (await hooks(page)).avatars.length, { timeout: 5000 }).toBe(2);
    await page.evaluate((id) => (window as unknown as { hameau: Hooks }).hameau.connection!.sendAway(id), friend.player.id);
    await expect.poll(async () => (await hooks(guest)).villageId, { timeout: 5000 }).toBe(friend.villageId);
    await expect.poll(() => guest.locator("#toast").textContent(), { timeout: 3000 }).toMatch(/showed you out/i);
    expect(await guest.locator("#visit-banner").isVisible()).toBe(false);
    await expect.poll(async () => (await hooks(page)).avatars.length, { timeout: 5000 }).toBe(1);

    expect(visit.errors).toEqual([]);
    expect(home.errors).toEqual([]);
  }, 30_000);

  it("a planting shows success only once the server confirmed it: nothing while it does not answer, then an error", async () => {
    // Every toast text the page shows, in order (a MutationObserver on #toast).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { toasts: string[] }).toasts = seen;
      new MutationObserver(() => seen.push(document.querySelector("#toast")?.textContent ?? "")).observe(document.querySelector("#toast")!, { subtree: true, childList: true, characterData: true });
    });
    const toasts = () => page.evaluate(() => (window as unknown as { toasts: string[] }).toasts.slice());
    const items = (await hooks(page)).items;
    const free = [[8, 5], [9, 5], [8, 6], [9, 6], [7, 5]].find(([x, y]) => !items.some((i) => i.x === x && i.y === y))!;
    await page.locator('[data-tool="plant"]').click();
    await page.locator('[data-seed="wheat"]').click();

    // The village does not answer: no "planted", then the error says so; nothing grows.
    await cut(page, true);
    await clickTile(page, free[0]!, free[1]!);
    await expect.poll(() => page.locator("#toast").textContent(), { timeout: 9000 }).toMatch(/did not answer/i);
    expect((await toasts()).filter((text) => /planted/i.test(text))).toEqual([]);
    expect((await hooks(page)).items.some((i) => i.x === free[0] && i.y === free[1])).toBe(false);
    await screenshot(page, "play-05-no-answer");

    // It answers again: the success toast comes with the crop the server planted.
    await cut(page, false);
    await clickTile(page, free[0]!, free[1]!);
    await expect.poll(() => page.locator("#toast").textContent(), { timeout: 5000 }).toMatch(/Wheat planted/);
    await expect.poll(async () => (await hooks(page)).items.find((i) => i.x === free[0] && i.y === free[1])?.kind, { timeout: 2000 }).toBe("crop");
    expect(home.errors).toEqual([]);
  }, 30_000);

  it("the owner finishes today's planting quest, claims it in the daily panel, and the coins rise", async () => {
    const progress = await server.api<ProgressView>("/api/progress", { token: owner.token });
    const quest = progress.body.quests.find((q) => q.activity === "plant")!;
    await page.locator("#level-badge").click();
    // Today's planting quest asks for 3 or 6 crops; the cases above planted some, so it may be done already.
    const missing = Math.max(0, quest.target - quest.progress);
    await expect.poll(() => page.locator(`#quests [data-quest="${quest.id}"]`).getAttribute("data-state"), { timeout: 5000 }).toBe(missing > 0 ? "open" : "done");
    // Plants what is missing on free tiles: the quest's row fills and offers Claim.
    const free = findFreeTiles((await hooks(page)).items.map((i) => ({ id: i.id, x: i.x < 0 ? null : i.x, y: i.y < 0 ? null : i.y })), quest.target);
    for (const tile of free.slice(0, missing)) {
      await page.evaluate(([x, y]) => (window as unknown as { hameau: { connection: { plant(c: string, x: number, y: number): void } } }).hameau.connection.plant("wheat", x!, y!), [tile!.x, tile!.y]);
    }
    await expect.poll(() => page.locator(`#quests [data-quest="${quest.id}"]`).getAttribute("data-state"), { timeout: 5000 }).toBe("done");
    const before = Number(await page.locator("#coins").textContent());
    await page.locator(`#quests [data-claim="${quest.id}"]`).click();
    await expect.poll(() => page.locator(`#quests [data-quest="${quest.id}"]`).getAttribute("data-state"), { timeout: 5000 }).toBe("claimed");
    await expect.poll(async () => Number(await page.locator("#coins").textContent()), { timeout: 5000 }).toBeGreaterThanOrEqual(before + quest.coins);
    await screenshot(page, "play-06-quest-claimed");
    expect(home.errors).toEqual([]);
  }, 20_000);
});
