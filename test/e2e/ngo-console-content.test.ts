/**
 * The NGO console's content forms in Chromium, driven as an NGO editor would:
 * posting an impact update with a photo uploaded through the form, editing a
 * draft campaign's goal from its form and publishing it from its page, and
 * adding a fund-trail step (sent to the field) to a gift that was given.
 * Each result is checked through the API, not only on the page.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import type { CampaignView } from "../../shared/campaigns.ts";
import type { TrailStepsResponse } from "../../shared/fund-trail.ts";
import type { NgoUpdatesResponse } from "../../shared/impact-updates.ts";
import { parisDay } from "../../shared/paris-day.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { addNgoMember, insertNgoWithGift } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const LAPTOP = { width: 1280, height: 800 };

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let alpha: Awaited<ReturnType<typeof insertNgoWithGift>>;
let editor: SessionResponse;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/console.html"))) throw new Error("dist/client/console.html is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
  alpha = await insertNgoWithGift(server, { name: "Alpha Wells", projectName: "Alpha water project", giftName: "Alpha bucket", priceCents: 1000 });
  editor = await signUpAccount(server, "Editor");
  await addNgoMember(server, alpha.ngoId, editor.player.id, "editor");
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A browser context signed in the way the game leaves it: the token in localStorage. */
async function signedIn(token: string): Promise<BrowserContext> {
  const context = await browser.browser.newContext({ viewport: LAPTOP });
  await context.addInitScript((t) => localStorage.setItem("hameau.token", t), token);
  return context;
}

async function openConsole(page: Page, hash = ""): Promise<void> {
  await page.goto(`${server.url}/console?lang=en${hash}`);
  await page.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 });
}

/** A player gives `quantity` of the gift through the TEST MODE checkout. */
async function give(giftId: string, quantity: number): Promise<void> {
  const donor = await server.guest();
  const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: donor.token, body: { lines: [{ giftId, quantity }] } });
  expect(checkout.status).toBe(201);
  const paid = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
  expect(paid.status).toBe(303);
}

describe("the NGO console's content forms", () => {
  it("posts an impact update with a photo uploaded through the form", async () => {
    const context = await signedIn(editor.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, `#/ngo/${alpha.ngoId}/updates`);
    await expect.poll(() => page.locator("#update-list").count()).toBe(1);

    await page.locator("#new-update").click();
    await expect.poll(() => page.locator("#update-form").count()).toBe(1);
    expect(await page.locator("#update-form-projectId").inputValue()).toBe(alpha.projectId);
    await page.fill("#update-form-titleFr", "Le puits est creusé");
    await page.fill("#update-form-titleEn", "The well is dug");
    await page.fill("#update-form-bodyFr", "Grâce à vous, le village a de l'eau.");
    await page.fill("#update-form-bodyEn", "Thanks to you, the village has water.");
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 63, g: 125, b: 42 } } }).jpeg().toBuffer();
    await page.locator("#update-form-photoId").setInputFiles({ name: "well.jpg", mimeType: "image/jpeg", buffer: jpeg });
    await page.locator("#update-form-submit").click();

    // The form closes and the update is listed, with its photo.
    await expect.poll(() => page.locator("#update-form").count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.locator("#update-list [data-update-id]").count()).toBe(1);
    const listed = await server.api<NgoUpdatesResponse>(`/api/ngos/${alpha.ngoId}/updates`, { token: editor.token });
    expect(listed.status).toBe(200);
    expect(listed.body.updates).toHaveLength(1);
    const [update] = listed.body.updates;
    expect(update).toMatchObject({ title: { fr: "Le puits est creusé", en: "The well is dug" }, body: { en: "Thanks to you, the village has water." } });
    expect(update!.project.id).toBe(alpha.projectId);
    expect(update!.photo).not.toBeNull();
    expect(update!.photo).toMatchObject({ width: 640, height: 480 });
    expect(await page.locator(`[data-update-id="${update!.id}"] img`).getAttribute("src")).toBe(update!.photo!.url);
    // The stored photo is served to the member.
    const served = await fetch(server.url + update!.photo!.url, { headers: { authorization: `Bearer ${editor.token}` } });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toMatch(/^image\//);
    await screenshot(page, "ngo-console-content-01-update-laptop");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("edits a draft campaign's goal from its form and publishes it from its page", async () => {
    const now = Date.now();
    const made = await server.api<CampaignView>(`/api/ngos/${alpha.ngoId}/campaigns`, {
      token: editor.token,
      body: {
        titleFr: "Un puits pour Alpha", titleEn: "A well for Alpha", goalCents: 10_000, giftIds: [alpha.giftId],
        startsAt: new Date(now - 3_600_000).toISOString(), endsAt: new Date(now + 7 * 86_400_000).toISOString(),
      },
    });
    expect(made.status).toBe(201);
    expect(made.body.publishedAt).toBeNull();

    const context = await signedIn(editor.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    page.on("dialog", (dialog) => void dialog.accept());
    await openConsole(page, `#/ngo/${alpha.ngoId}/campaigns/${made.body.id}`);
    await expect.poll(() => page.locator(`article[data-campaign-id="${made.body.id}"]`).count()).toBe(1);

    await page.locator(`article[data-campaign-id="${made.body.id}"] [data-action="edit"]`).click();
    await expect.poll(() => page.locator("#campaign-form").count()).toBe(1);
    expect(await page.locator("#campaign-form-goalCents").inputValue()).toBe("100");
    expect(await page.locator("#campaign-form-titleEn").inputValue()).toBe("A well for Alpha");
    await page.fill("#campaign-form-goalCents", "250.50");
    await page.locator("#campaign-form-submit").click();
    await expect.poll(() => page.locator("#campaign-form").count(), { timeout: 10_000 }).toBe(0);

    const edited = await server.api<CampaignView>(`/api/ngos/${alpha.ngoId}/campaigns/${made.body.id}`, { token: editor.token });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ goalCents: 25_050, title: { fr: "Un puits pour Alpha", en: "A well for Alpha" }, giftIds: [alpha.giftId], publishedAt: null });
    // The edit kept the period (to the minute the form shows).
    expect(Math.abs(Date.parse(edited.body.startsAt) - Date.parse(made.body.startsAt))).toBeLessThan(60_000);
    expect(Math.abs(Date.parse(edited.body.endsAt) - Date.parse(made.body.endsAt))).toBeLessThan(60_000);
    await expect.poll(() => page.locator('[data-figure="goal"] dd').innerText()).toBe("€250.50");

    await page.locator("#publish").click();
    await expect.poll(async () => (await server.api<CampaignView>(`/api/ngos/${alpha.ngoId}/campaigns/${made.body.id}`, { token: editor.token })).body.publishedAt, { timeout: 10_000 }).not.toBeNull();
    const published = await server.api<CampaignView>(`/api/ngos/${alpha.ngoId}/campaigns/${made.body.id}`, { token: editor.token });
    expect(published.body).toMatchObject({ goalCents: 25_050, phase: "running" });
    await expect.poll(() => page.locator("#publish").count()).toBe(0);
    await screenshot(page, "ngo-console-content-02-campaign-published-laptop");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("adds a fund-trail step (sent to the field) to a given gift from its form", async () => {
    await give(alpha.giftId, 2);
    const context = await signedIn(editor.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, `#/ngo/${alpha.ngoId}/updates`);
    await expect.poll(() => page.locator(`[data-trail-gift="${alpha.giftId}"]`).count()).toBe(1);
    await page.locator(`[data-trail-gift="${alpha.giftId}"]`).click();
    await expect.poll(() => page.locator("#trail-form").count()).toBe(1);
    await expect.poll(() => page.locator(".c-trail .c-loading").count()).toBe(0);

    // Today in Paris, the trail's calendar (between 22:00 and midnight UTC it is already tomorrow there).
    const today = parisDay(Date.now());
    expect(await page.locator("#trail-form-stage").inputValue()).toBe("sent_to_field");
    expect(await page.locator("#trail-form-happenedOn").inputValue()).toBe(today);
    await page.fill("#trail-form-noteFr", "Parti par camion");
    await page.fill("#trail-form-noteEn", "Left by truck");
    await page.locator("#trail-form-submit").click();

    await expect.poll(() => page.locator("#trail-steps tbody tr").count(), { timeout: 10_000 }).toBe(1);
    const trail = await server.api<TrailStepsResponse>(`/api/ngos/${alpha.ngoId}/gifts/${alpha.giftId}/trail`, { token: editor.token });
    expect(trail.status).toBe(200);
    expect(trail.body.steps).toHaveLength(1);
    expect(trail.body.steps[0]).toMatchObject({ giftId: alpha.giftId, stage: "sent_to_field", happenedOn: today, note: { fr: "Parti par camion", en: "Left by truck" } });
    expect(await page.locator("#trail-steps tbody tr").first().innerText()).toContain("Left by truck");
    await screenshot(page, "ngo-console-content-03-trail-laptop");
    expect(errors).toEqual([]);
    await context.close();
  });
});
