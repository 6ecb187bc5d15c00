/**
 * The owner shows visitors out, in the browser. A visitor's tap on the owner
 * opens nothing; the owner taps a visitor's avatar: a menu with their name,
 * Escape closes it. "Show out" sends one visitor away (the toast confirms);
 * "Show out and block" asks once more, saying what a block does, then the
 * friend's page goes home with the translated message, cannot visit again
 * (a block looks like a private village), the friendship is gone from their
 * Friends list and the owner's list shows them blocked.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { type Room } from "@colyseus/sdk";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { CLOSE_SENT_AWAY } from "../../shared/messages.ts";
import type { FriendsResponse } from "../../shared/social.ts";
import { VillageState } from "../../shared/state.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { joinVillageRoom } from "../support/room-join.ts";

interface Avatar {
  sessionId: string; playerId: string; name: string; isOwner: boolean; x: number; y: number;
}
interface Hooks {
  ready: boolean;
  state(): { villageId: string; ownerId: string; mySessionId: string; avatars: Avatar[] };
  pointOfAvatar(sessionId: string): { x: number; y: number } | null;
  drawn(): { avatars: Record<string, { x: number; y: number; alpha: number }> } | null;
  connection?: { visit(villageId: string): Promise<void> };
}
const state = (page: Page) => page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.state());
const eventually = <T>(read: () => Promise<T>, timeout = 10_000) => expect.poll(read, { timeout, interval: 100 });

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const rooms: Room<unknown, VillageState>[] = [];

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  await browser?.close();
  await server?.stop();
});

async function openAs(who: SessionResponse, viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.browser.newContext({ viewport });
  await context.addInitScript((token) => localStorage.setItem("hameau.token", token), who.token);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/?lang=en");
  await page.waitForFunction(() => (window as unknown as { hameau?: Hooks }).hameau?.ready === true, undefined, { timeout: 20_000 });
  return { context, page, errors };
}

async function befriend(a: SessionResponse, b: SessionResponse): Promise<void> {
  expect((await server.api("/api/friends/requests", { token: a.token, body: { name: b.player.name } })).status).toBe(201);
  expect((await server.api(`/api/friends/${a.player.id}/accept`, { method: "POST", token: b.token })).status).toBe(204);
}

/** Clicks someone's figure where this page draws it, once it has finished arriving (or walking). */
async function clickAvatar(page: Page, playerId: string): Promise<void> {
  await eventually(async () => (await state(page)).avatars.some((a) => a.playerId === playerId)).toBe(true);
  const sessionId = (await state(page)).avatars.find((a) => a.playerId === playerId)!.sessionId;
  // Settled: fully drawn (the arrival hop is over) and standing where the state says.
  await eventually(async () => {
    const avatar = (await state(page)).avatars.find((a) => a.sessionId === sessionId);
    const drawn = (await page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.drawn()))?.avatars[sessionId];
    return !!avatar && !!drawn && drawn.alpha > 0.99 && Math.hypot(drawn.x - avatar.x, drawn.y - avatar.y) < 0.05;
  }).toBe(true);
  const point = await page.evaluate((id) => (window as unknown as { hameau: Hooks }).hameau.pointOfAvatar(id), sessionId);
  if (!point) throw new Error("that avatar is not drawn");
  await page.mouse.click(point.x, point.y);
}

describe("the owner shows visitors out", () => {
  let owner: SessionResponse, friend: SessionResponse, passer: SessionResponse;
  let home: Awaited<ReturnType<typeof openAs>>, guest: Awaited<ReturnType<typeof openAs>>;
  beforeAll(async () => {
    [owner, friend, passer] = [await signUpAccount(server, "Hosta"), await signUpAccount(server, "Vic"), await signUpAccount(server, "Passer")];
    await befriend(friend, owner);
    await befriend(passer, owner);
    [home, guest] = await Promise.all([openAs(owner, { width: 920, height: 620 }), openAs(friend, { width: 390, height: 760 })]);
  }, 60_000);
  afterAll(async () => {
    await guest?.context.close();
    await home?.context.close();
  });

  it("a visitor's tap on someone opens no menu; the owner's tap on a visitor does, and Escape closes it", { timeout: 45_000 }, async () => {
    // The friend visits from the Friends panel.
    await guest.page.locator("#open-friends").click();
    await guest.page.locator(`#friends-list [data-player-id="${owner.player.id}"] [data-action="visit"]`).click();
    await eventually(async () => (await state(guest.page)).villageId).toBe(owner.villageId);
    await eventually(async () => (await state(home.page)).avatars.length).toBe(2);

    // Visitors never get the menu: the friend taps the owner.
    await clickAvatar(guest.page, owner.player.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await guest.page.locator("#visitor-menu").isVisible()).toBe(false);

    // The owner taps the friend: their menu, with their name, near the avatar.
    await clickAvatar(home.page, friend.player.id);
    const menu = home.page.locator("#visitor-menu");
    await eventually(() => menu.isVisible()).toBe(true);
    expect(await menu.locator("#visitor-menu-name").textContent()).toBe(friend.player.name);
    expect(await menu.locator("[data-show-out]").allTextContents()).toEqual(["Show out", "Show out and block"]);
    const box = (await menu.boundingBox())!;
    const friendSession = (await state(home.page)).avatars.find((a) => a.playerId === friend.player.id)!.sessionId;
    const at = (await home.page.evaluate((id) => (window as unknown as { hameau: Hooks }).hameau.pointOfAvatar(id), friendSession))!;
    expect(at.x).toBeGreaterThan(box.x);
    expect(at.x).toBeLessThan(box.x + box.width);
    expect(Math.min(Math.abs(at.y - box.y), Math.abs(at.y - (box.y + box.height)))).toBeLessThan(90);
    // The keyboard is on the first action; Escape closes the menu and nothing is sent.
    expect(await home.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.showOut)).toBe("out");
    await screenshot(home.page, "send-away-01-menu");
    await home.page.keyboard.press("Escape");
    await eventually(() => menu.isVisible()).toBe(false);
    expect((await state(home.page)).avatars.length).toBe(2);

    // On a phone, in French: the same menu, translated, beside or over the avatar within the screen.
    await home.page.setViewportSize({ width: 390, height: 760 });
    await home.page.locator('[data-lang="fr"]').click();
    await clickAvatar(home.page, friend.player.id);
    await eventually(() => menu.locator("[data-show-out]").allTextContents()).toEqual(["Raccompagner à la sortie", "Raccompagner et bloquer"]);
    const phoneBox = (await menu.boundingBox())!;
    expect(phoneBox.x).toBeGreaterThanOrEqual(0);
    expect(phoneBox.x + phoneBox.width).toBeLessThanOrEqual(390);
    await screenshot(home.page, "send-away-05-phone-fr");
    await menu.locator('[data-show-out="block"]').click();
    await eventually(() => menu.locator("#visitor-menu-warning").textContent()).toMatch(/ne pourra plus vous rendre visite, vous envoyer de demande ni vous voir/);
    await screenshot(home.page, "send-away-06-phone-fr-confirm");
    await menu.locator('[data-show-out="back"]').click();
    expect(await menu.locator("[data-show-out]").count()).toBe(2);
    await home.page.keyboard.press("Escape");
    await eventually(() => menu.isVisible()).toBe(false);
    await home.page.locator('[data-lang="en"]').click();
    await home.page.setViewportSize({ width: 920, height: 620 });
    expect((await state(home.page)).avatars.length).toBe(2);
    expect(home.errors).toEqual([]);
  });

  it("\"Show out\" sends one visitor away, and the toast says so", { timeout: 30_000 }, async () => {
    const room = await joinVillageRoom(server.url, passer.token, owner.villageId);
    rooms.push(room);
    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    // The passer stands at the gate; their menu opens above them, over the friend (who walked up to the
    // owner): a click on the menu is the menu's, never a tap on the avatar under it.
    await clickAvatar(home.page, passer.player.id);
    await eventually(() => home.page.locator("#visitor-menu-name").textContent()).toBe(passer.player.name);
    await home.page.locator('#visitor-menu [data-show-out="out"]').click();
    expect(await left).toBe(CLOSE_SENT_AWAY);
    await eventually(() => home.page.locator("#toast").textContent()).toBe(`${passer.player.name} was shown out.`);
    await eventually(async () => (await state(home.page)).avatars.some((a) => a.playerId === passer.player.id)).toBe(false);
    expect(await home.page.locator("#visitor-menu").isVisible()).toBe(false);
    // Only the passer left: the friend is still there.
    expect((await state(home.page)).avatars.some((a) => a.playerId === friend.player.id)).toBe(true);
  });

  it("\"Show out and block\" asks once more; the friend goes home, cannot come back and is no longer a friend", { timeout: 45_000 }, async () => {
    await clickAvatar(home.page, friend.player.id);
    const menu = home.page.locator("#visitor-menu");
    await menu.locator('[data-show-out="block"]').click();
    // Asked once more, saying what a block does; nothing is sent yet.
    await eventually(() => menu.locator("#visitor-menu-warning").textContent())
      .toBe(`Block ${friend.player.name}? They will be shown out and can no longer visit you, send you requests or see you. You can unblock them later in Friends.`);
    expect(await menu.locator("[data-show-out]").allTextContents()).toEqual(["Show out and block", "Cancel"]);
    expect(await home.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.showOut)).toBe("block-confirmed");
    await screenshot(home.page, "send-away-02-confirm-block");
    expect((await state(home.page)).avatars.some((a) => a.playerId === friend.player.id)).toBe(true);
    await menu.locator('[data-show-out="block-confirmed"]').click();

    // The owner: the toast confirms, the avatar leaves the scene.
    await eventually(() => home.page.locator("#toast").textContent()).toBe(`${friend.player.name} was shown out and blocked.`);
    await eventually(async () => (await state(home.page)).avatars.map((a) => a.playerId)).toEqual([owner.player.id]);
    await eventually(async () => Object.keys((await home.page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.drawn()))!.avatars).length).toBe(1);
    await screenshot(home.page, "send-away-03-shown-out");

    // The friend: home again, told why in their language.
    await eventually(async () => (await state(guest.page)).villageId).toBe(friend.villageId);
    await eventually(() => guest.page.locator("#toast").textContent()).toBe("The owner showed you out of the village.");
    expect(await guest.page.locator("#visit-banner").isVisible()).toBe(false);
    await screenshot(guest.page, "send-away-04-sent-home");

    // They cannot visit again: the block looks like a private village, with its shared code.
    const refused = await guest.page.evaluate(async (villageId) => {
      try {
        await (window as unknown as { hameau: Hooks }).hameau.connection!.visit(villageId);
        return "joined";
      } catch (err) {
        return (err as { code?: string }).code;
      }
    }, owner.villageId);
    expect(refused).toBe("village_private");
    expect((await state(guest.page)).villageId).toBe(friend.villageId);

    // A block ends the friendship: the friend's Friends list no longer has the owner.
    await guest.page.locator("#open-friends").click();
    await eventually(() => guest.page.locator("#friends-empty").isVisible()).toBe(true);
    expect(await guest.page.locator(`#friends [data-player-id="${owner.player.id}"]`).count()).toBe(0);

    // The owner's list has them under blocked, and no longer as a friend.
    const owners = (await server.api<FriendsResponse>("/api/friends", { token: owner.token })).body;
    expect(owners.blocked.map((b) => b.id)).toEqual([friend.player.id]);
    expect(owners.friends.map((f) => f.player.id)).not.toContain(friend.player.id);

    expect(home.errors).toEqual([]);
    // The refused visit is the matchmaking door's 403 (checked before any room is looked at); nothing else.
    expect(guest.errors).toEqual([expect.stringMatching(/status of 403 .*\/matchmake\/joinOrCreate\/village\]$/)]);
  });
});
