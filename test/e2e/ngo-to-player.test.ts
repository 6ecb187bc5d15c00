/**
 * From the NGO console to a player's village, in two browsers: an editor
 * creates a gift in the console; a player already in their village sees it in
 * the shop without reloading, buys it through the TEST MODE checkout; the
 * campaign's progress moves on the NGO's page; an update the NGO posts
 * appears in that player's feed.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignView } from "../../shared/campaigns.ts";
import { gifts } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { addNgoMember, insertNgoWithGift } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const eventually = <T>(read: () => Promise<T>, timeout = 15_000) => expect.poll(read, { timeout, interval: 100 });

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/console.html"))) throw new Error("dist/client is missing: run `npm run build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(token: string, url: string, ready: (page: Page) => Promise<unknown>) {
  const context = await browser.browser.newContext({ viewport: { width: 1200, height: 780 } });
  await context.addInitScript((t) => localStorage.setItem("hameau.token", t), token);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + url);
  await ready(page);
  return { context, page, errors };
}

describe("from the NGO console to a player's village", () => {
  it("a new gift reaches an open shop live, is bought, moves the campaign, and the NGO's update reaches the feed", { timeout: 120_000 }, async () => {
    const ngo = await insertNgoWithGift(server, { name: "Puits du Sahel", projectName: "Puits au Sahel", giftName: "Corde de puits", priceCents: 500 });
    const editor = await signUpAccount(server, "Editrice");
    await addNgoMember(server, ngo.ngoId, editor.player.id, "editor");
    const player = await signUpAccount(server, "Joueur");

    const village = await open(player.token, "/?lang=en", (p) =>
      p.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 20_000 }));
    const console_ = await open(editor.token, "/console?lang=en", (p) =>
      p.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 }));
    expect(await village.page.locator("#shop").textContent()).not.toContain("Well bucket");

    // The editor creates a gift in the console.
    await console_.page.locator("#new-gift").click();
    await console_.page.fill("#gift-form-nameFr", "Seau de puits");
    await console_.page.fill("#gift-form-nameEn", "Well bucket");
    await console_.page.fill("#gift-form-impactFr", "Un seau pour puiser l'eau du puits du village.");
    await console_.page.fill("#gift-form-impactEn", "A bucket to draw water from the village well.");
    await console_.page.fill("#gift-form-priceCents", "25");
    await console_.page.locator('#gift-form-sprite [data-sprite="well"]').click();
    await console_.page.locator("#gift-form-submit").click();
    await eventually(async () => (await server.hameau.database.db.select().from(gifts).where(and(eq(gifts.ngoId, ngo.ngoId), eq(gifts.nameEn, "Well bucket")))).length).toBe(1);
    const [bucket] = await server.hameau.database.db.select().from(gifts).where(and(eq(gifts.ngoId, ngo.ngoId), eq(gifts.nameEn, "Well bucket")));

    // The player's open shop shows it, without a reload.
    const card = village.page.locator(`#shop [data-gift-id="${bucket!.id}"]`);
    await eventually(() => card.count(), 5_000).toBe(1);
    expect(await card.textContent()).toContain("Well bucket");
    await screenshot(village.page, "ngo-player-01-new-gift-in-shop");

    // A campaign with that gift, published; the console shows its live page.
    const now = Date.now();
    const campaign = await server.api<CampaignView>(`/api/ngos/${ngo.ngoId}/campaigns`, {
      token: editor.token,
      body: {
        titleFr: "Des seaux pour le Sahel", titleEn: "Buckets for the Sahel", goalCents: 10_000, giftIds: [bucket!.id],
        startsAt: new Date(now - 3_600_000).toISOString(), endsAt: new Date(now + 7 * 86_400_000).toISOString(),
      },
    });
    expect(campaign.status).toBe(201);
    expect((await server.api(`/api/ngos/${ngo.ngoId}/campaigns/${campaign.body.id}/publish`, { method: "POST", token: editor.token })).status).toBe(200);
    await console_.page.goto(`${server.url}/console?lang=en#/ngo/${ngo.ngoId}/campaigns/${campaign.body.id}`);
    await eventually(() => console_.page.locator("#campaign-live").getAttribute("data-state")).toBe("live");
    expect(await console_.page.locator("#campaign-bar").getAttribute("aria-valuenow")).toBe("0");

    // The player buys it through the TEST MODE checkout and sees it arrive.
    await card.locator("button.add").click();
    await village.page.locator("#give").click();
    await village.page.waitForURL(/\/checkout\/test\//);
    await village.page.locator("#pay").click();
    await village.page.waitForURL(/\/\?order=/);
    await village.page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 20_000 });
    await eventually(async () => (await village.page.evaluate(() =>
      (window as unknown as { hameau: { state(): { items: Array<{ giftId: string; donated: boolean }> } } }).hameau.state().items))
      .some((i) => i.donated && i.giftId === bucket!.id)).toBe(true);

    // The campaign's progress moves on the NGO's page, live: 25 € of 100 €.
    await eventually(() => console_.page.locator("#campaign-bar").getAttribute("aria-valuenow"), 10_000).toBe("25");
    expect(await console_.page.locator('[data-figure="donors"] dd').innerText()).toBe("1");
    await screenshot(console_.page, "ngo-player-02-campaign-moved");

    // The NGO posts an update to the project: it reaches the player's bell and feed, live.
    const posted = await server.api(`/api/ngos/${ngo.ngoId}/updates`, {
      token: editor.token,
      body: {
        projectId: ngo.projectId, titleFr: "Les seaux sont au puits", titleEn: "The buckets are at the well",
        bodyFr: "Le village puise l'eau avec vos seaux.", bodyEn: "The village draws its water with your buckets.",
      },
    });
    expect(posted.status).toBe(201);
    await village.page.keyboard.press("Escape");
    await eventually(() => village.page.locator("#open-feed").isVisible()).toBe(true);
    await village.page.click("#open-feed");
    await eventually(() => village.page.locator("#feed-list li.feed-update").first().textContent()).toContain("The village draws its water with your buckets.");
    await screenshot(village.page, "ngo-player-03-update-in-feed");
    await village.page.keyboard.press("Escape");
    await eventually(async () => (await server.api<{ notifications: Array<{ kind: string }> }>("/api/notifications", { token: player.token })).body.notifications
      .some((n) => n.kind === "impact_update")).toBe(true);

    expect(village.errors).toEqual([]);
    expect(console_.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await village.context.close();
    await console_.context.close();
  });
});
