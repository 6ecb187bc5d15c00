/**
 * The NGO console page (/console) in Chromium: it shares the game's session
 * (the token in localStorage), shows a member only their own NGO, shows the
 * API's field errors under their fields, moves a campaign's progress bar
 * live when a gift is paid, gives a viewer reports and no write button, and
 * gives a non-member no NGO data. Laptop and phone screenshots.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import type { CampaignView } from "../../shared/campaigns.ts";
import { gifts } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { addNgoMember, insertNgoWithGift, insertTestNgo, makeTestPlatformAdmin } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let alpha: Awaited<ReturnType<typeof insertNgoWithGift>>;
let beta: Awaited<ReturnType<typeof insertNgoWithGift>>;
let editor: SessionResponse;
let viewer: SessionResponse;
let outsider: SessionResponse;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/console.html"))) throw new Error("dist/client/console.html is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
  alpha = await insertNgoWithGift(server, { name: "Alpha Wells", projectName: "Alpha water project", giftName: "Alpha bucket", priceCents: 1000 });
  beta = await insertNgoWithGift(server, { name: "Beta Schools", projectName: "Beta school project", giftName: "Beta notebook", priceCents: 500 });
  [editor, viewer, outsider] = await Promise.all([signUpAccount(server, "Editor"), signUpAccount(server, "Viewer"), signUpAccount(server, "Outsider")]);
  await addNgoMember(server, alpha.ngoId, editor.player.id, "editor");
  await addNgoMember(server, alpha.ngoId, viewer.player.id, "viewer");
  // Someone else runs Beta: its data must never reach Alpha's members.
  const betaAdmin = await signUpAccount(server, "BetaAdmin");
  await addNgoMember(server, beta.ngoId, betaAdmin.player.id, "admin");
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A browser context signed in the way the game leaves it: the token in localStorage. */
async function signedIn(token: string | null, viewport = LAPTOP): Promise<BrowserContext> {
  const context = await browser.browser.newContext({ viewport, acceptDownloads: true });
  if (token) await context.addInitScript((t) => localStorage.setItem("hameau.token", t), token);
  return context;
}

async function openConsole(page: Page, hash = ""): Promise<void> {
  await page.goto(`${server.url}/console?lang=en${hash}`);
  await page.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 });
}

const pageText = (page: Page) => page.locator("body").innerText();
/** Console errors, less the browser's own line for each refusal a test provokes on purpose (400). */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 400/.test(e));

describe("the NGO console", () => {
  it("asks someone without an account session to sign in through the game", async () => {
    const context = await signedIn(null);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page);
    await expect.poll(() => page.locator("#signin-needed").isVisible()).toBe(true);
    expect(await page.locator("#to-game").getAttribute("href")).toBe("/");
    // It never makes a guest of its own.
    expect(await page.evaluate(() => localStorage.getItem("hameau.token"))).toBeNull();

    const guest = await server.guest();
    const asGuest = await signedIn(guest.token);
    const guestPage = await asGuest.newPage();
    await openConsole(guestPage);
    await expect.poll(() => guestPage.locator("#signin-needed").innerText()).toContain("guest");
    expect(errors).toEqual([]);
    await context.close();
    await asGuest.close();
  });

  it("shows a member only their NGO, and the price's field error before creating a good gift", async () => {
    const context = await signedIn(editor.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page);

    // Only Alpha in the picker and on the page; an editor lands on the catalog.
    const options = await page.locator("#ngo-select option").allInnerTexts();
    expect(options).toEqual(["Alpha Wells · editor"]);
    await expect.poll(() => page.locator('#gifts [data-gift-id]').count()).toBe(1);
    expect(await page.locator(`#gifts [data-gift-id="${alpha.giftId}"]`).count()).toBe(1);
    const text = await pageText(page);
    expect(text).toContain("Alpha bucket");
    expect(text).not.toContain("Beta");
    expect(await page.locator("#nav-members").count()).toBe(0);
    expect(await page.locator("#nav-applications").count()).toBe(0);
    await screenshot(page, "ngo-console-01-catalog-laptop");

    // A price under 1 €: the server's field error shows under the price, and nothing is written.
    const before = await giftCount(alpha.ngoId);
    await page.locator("#new-gift").click();
    await page.fill("#gift-form-nameFr", "Seau de puits");
    await page.fill("#gift-form-nameEn", "Well bucket");
    await page.fill("#gift-form-impactFr", "Un seau pour puiser l'eau du puits du village.");
    await page.fill("#gift-form-impactEn", "A bucket to draw water from the village well.");
    await page.fill("#gift-form-priceCents", "0,50");
    await page.locator('#gift-form-sprite [data-sprite="well"]').click();
    await page.locator("#gift-form-submit").click();
    await expect.poll(() => page.locator("#gift-form-priceCents-error").isVisible()).toBe(true);
    expect(await page.locator("#gift-form-priceCents-error").innerText()).toBe("At least 1 €.");
    expect(await page.locator("#gift-form-priceCents").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#gift-form-nameEn-error").count()).toBe(0);
    expect(await giftCount(alpha.ngoId)).toBe(before);
    await screenshot(page, "ngo-console-02-field-error-laptop");

    // A good price: the gift is created with it, in cents, and listed.
    await page.fill("#gift-form-priceCents", "12,50");
    await page.locator("#gift-form-submit").click();
    await expect.poll(() => page.locator("#gifts [data-gift-id]").count()).toBe(2);
    const [created] = await server.hameau.database.db.select().from(gifts).where(and(eq(gifts.ngoId, alpha.ngoId), eq(gifts.nameEn, "Well bucket")));
    expect(created).toMatchObject({ priceCents: 1250, sprite: "well", nameFr: "Seau de puits", projectId: alpha.projectId });
    expect(await page.locator(`#gifts [data-gift-id="${created!.id}"]`).innerText()).toContain("€12.50");

    // The same screen on a phone, in French.
    const phone = await signedIn(editor.token, PHONE);
    const phonePage = await phone.newPage();
    await phonePage.goto(`${server.url}/console?lang=fr`);
    await expect.poll(() => phonePage.locator("#gifts [data-gift-id]").count()).toBe(2);
    expect(await phonePage.locator("#nav-catalog").innerText()).toBe("Catalogue");
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(phonePage, "ngo-console-03-catalog-phone");
    await phonePage.locator("#new-gift").click();
    await phonePage.fill("#gift-form-priceCents", "abc");
    await phonePage.locator("#gift-form-submit").click();
    await expect.poll(() => phonePage.locator("#gift-form-priceCents-error").isVisible()).toBe(true);
    expect(await phonePage.locator("#gift-form-priceCents-error").innerText()).toBe("Un montant en euros, comme 12,50.");
    expect(await phonePage.locator("#gift-form-nameFr-error").innerText()).toBe("Obligatoire.");
    await phonePage.locator("#gift-form-priceCents").scrollIntoViewIfNeeded();
    await screenshot(phonePage, "ngo-console-04-field-error-phone");

    expect(unexpected(errors)).toEqual([]);
    await phone.close();
    await context.close();
  });

  it("moves a campaign's progress bar live when a gift is paid", async () => {
    const now = Date.now();
    const made = await server.api<CampaignView>(`/api/ngos/${alpha.ngoId}/campaigns`, {
      token: editor.token,
      body: {
        titleFr: "Un puits pour Alpha", titleEn: "A well for Alpha", goalCents: 10_000, giftIds: [alpha.giftId],
        startsAt: new Date(now - 3_600_000).toISOString(), endsAt: new Date(now + 7 * 86_400_000).toISOString(),
      },
    });
    expect(made.status).toBe(201);
    expect((await server.api(`/api/ngos/${alpha.ngoId}/campaigns/${made.body.id}/publish`, { method: "POST", token: editor.token })).status).toBe(200);

    const context = await signedIn(editor.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, `#/ngo/${alpha.ngoId}/campaigns/${made.body.id}`);
    await expect.poll(() => page.locator("#campaign-live").getAttribute("data-state")).toBe("live");
    expect(await page.locator("#campaign-bar").getAttribute("aria-valuenow")).toBe("0");

    // A player gives two buckets through the TEST MODE checkout.
    const donor = await server.guest();
    const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: donor.token, body: { lines: [{ giftId: alpha.giftId, quantity: 2 }] } });
    expect(checkout.status).toBe(201);
    const paid = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
    expect(paid.status).toBe(303);

    await expect.poll(() => page.locator("#campaign-bar").getAttribute("aria-valuenow"), { timeout: 10_000 }).toBe("20");
    expect(await page.locator('[data-figure="units"] dd').innerText()).toBe("2");
    expect(await page.locator('[data-figure="donors"] dd').innerText()).toBe("1");
    expect(await page.locator('[data-figure="raised"] dd').innerText()).toBe("€20");
    await screenshot(page, "ngo-console-05-campaign-live-laptop");

    await page.setViewportSize(PHONE);
    await screenshot(page, "ngo-console-06-campaign-live-phone");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("gives a viewer the reports and their CSV, and no write button anywhere", async () => {
    const context = await signedIn(viewer.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, `#/ngo/${alpha.ngoId}/reports`);
    await expect.poll(() => page.locator("#report-rows").count()).toBe(1);
    const rows = await page.locator("#report-rows tbody tr").allInnerTexts();
    expect(rows.join("\n")).toContain("Alpha water project");
    expect(rows.join("\n")).toContain("€20");
    expect(await pageText(page)).not.toContain("Beta");
    // The NGO's money, from the books: given by donors, and what reached its (simulated, TEST MODE) Stripe account.
    await expect.poll(() => page.locator("#money-given-EUR").count()).toBe(1);
    expect(await page.locator("#money-given-EUR").innerText()).toContain("€20");
    expect(await page.locator("#money-transferred-EUR").innerText()).toContain("€20");

    const download = page.waitForEvent("download");
    await page.locator("#donations-csv").click();
    const csv = await readFile((await (await download).path())!, "utf8");
    expect(csv).toContain("Alpha water project");
    await screenshot(page, "ngo-console-07-reports-viewer-laptop");

    for (const section of ["catalog", "campaigns", "updates"]) {
      await page.locator(`#nav-${section}`).click();
      await expect.poll(() => page.locator(`#${section} .c-loading`).count()).toBe(0);
      expect(await page.locator("#new-gift, #new-project, #new-campaign, #new-update, [data-action]").count()).toBe(0);
    }
    expect(await page.locator("#nav-members").count()).toBe(0);
    // The members page by its address falls back to what a viewer may see.
    await page.goto(`${server.url}/console?lang=en#/ngo/${alpha.ngoId}/members`);
    await expect.poll(() => page.locator("#catalog").count()).toBe(1);
    expect(await page.locator("#members").count()).toBe(0);

    await page.setViewportSize(PHONE);
    await page.locator("#nav-reports").click();
    await expect.poll(() => page.locator("#report-rows").count()).toBe(1);
    await screenshot(page, "ngo-console-08-reports-viewer-phone");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("opens an admin's members, settings, updates and trail, and a platform admin's applications", async () => {
    const admin = await signUpAccount(server, "Admin");
    await addNgoMember(server, alpha.ngoId, admin.player.id, "admin");
    await makeTestPlatformAdmin(server, admin.player.id);
    const pending = await insertTestNgo(server, { status: "pending", name: "Delta Pending" });
    const context = await signedIn(admin.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, `#/ngo/${alpha.ngoId}/members`);
    await expect.poll(() => page.locator("#members-table [data-player-id]").count()).toBe(3);
    expect(await page.locator("#settings-form-legalName").inputValue()).toBe("Association Alpha Wells");
    await screenshot(page, "ngo-console-10-members-laptop");

    await page.locator("#nav-updates").click();
    await expect.poll(() => page.locator("#update-list").count()).toBe(1);
    await page.locator(`[data-trail-gift="${alpha.giftId}"]`).click();
    await expect.poll(() => page.locator("#trail-form").count()).toBe(1);

    await page.locator("#nav-applications").click();
    await expect.poll(() => page.locator(`[data-ngo-id="${pending.id}"]`).count()).toBe(1);
    expect(await page.locator(`[data-ngo-id="${alpha.ngoId}"]`).count()).toBe(0);
    await page.setViewportSize(PHONE);
    await screenshot(page, "ngo-console-11-applications-phone");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("gives a non-member no NGO data, only the application form", async () => {
    const context = await signedIn(outsider.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, `#/ngo/${alpha.ngoId}/reports`);
    await expect.poll(() => page.locator("#apply-form").count()).toBe(1);
    expect(await page.locator("#ngo-select").count()).toBe(0);
    expect(await page.locator("#nav-catalog, #nav-reports").count()).toBe(0);
    const text = await pageText(page);
    expect(text).not.toContain("Alpha");
    expect(text).not.toContain("Beta");
    // The server refuses the data itself, not only the page.
    expect((await server.api(`/api/ngos/${alpha.ngoId}/gifts`, { token: outsider.token })).status).toBe(404);

    // Applying without a legal name: the field error under it, and no NGO.
    await page.fill("#apply-form-name", "Gamma Gardens");
    await page.locator("#apply-form-submit").click();
    await expect.poll(() => page.locator("#apply-form-legalName-error").isVisible()).toBe(true);
    expect(await page.locator("#apply-form-legalName-error").innerText()).toBe("Required.");
    expect(await page.locator("#apply-form-name-error").count()).toBe(0);
    await screenshot(page, "ngo-console-09-apply-laptop");
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

async function giftCount(ngoId: string): Promise<number> {
  return (await server.hameau.database.db.select({ id: gifts.id }).from(gifts).where(eq(gifts.ngoId, ngoId))).length;
}
