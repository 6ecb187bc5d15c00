/**
 * The embeddable widget in Chromium, on other websites: a test page served
 * by a second small HTTP server (another origin, declared by the NGO as one
 * of its sites) frames /embed/campaigns/:id and also carries the script
 * alternative (markup + /embed/live.js from Hameau). A TEST MODE payment moves
 * the bar and the figures inside the iframe and in the script's markup, and
 * the sponsor's matched amount moves with it. A page on an origin the NGO
 * did not declare gets no widget (frame-ancestors). The console's Widget
 * section shows the live preview and the snippets. Laptop and phone shots.
 */
import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { CampaignView } from "../../shared/campaigns.ts";
import { iframeSnippet, scriptSnippet } from "../../shared/embed.ts";
import { formatMoney } from "../../shared/money.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { gifting } from "../support/gifting.ts";
import { addNgoMember, demoNgoId } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const HOUR = 3_600_000;

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);
let editor: SessionResponse;
let ngoId: string;
let campaign: CampaignView;
let allowed: { url: string; close(): Promise<void> };
let blocked: { url: string; close(): Promise<void> };

/** A tiny website on its own port (another origin): one page with the given body. */
async function website(body: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const s = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>An NGO's website</title></head><body>${body()}</body></html>`);
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => s.close(() => resolve())),
  };
}

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/embed/live.js"))) throw new Error("dist/client/embed/live.js is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  ngoId = await demoNgoId(server);
  editor = await signUpAccount(server, "Weditor");
  await addNgoMember(server, ngoId, editor.player.id, "editor");
  const created = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns`, {
    token: editor.token,
    body: {
      titleFr: "Des chèvres pour le Sahel", titleEn: "Goats for the Sahel", descriptionFr: "Chaque chèvre nourrit une famille.", descriptionEn: "Each goat feeds a family.",
      goalCents: 20_000, startsAt: new Date(Date.now() - HOUR).toISOString(), endsAt: new Date(Date.now() + 72 * HOUR).toISOString(), giftIds: [g.gift("chevre").id],
    },
  });
  expect(created.status).toBe(201);
  campaign = (await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns/${created.body.id}/publish`, { method: "POST", token: editor.token })).body;
  // A sponsor matches every euro 1:1 up to 100 €.
  const pledge = await server.api(`/api/ngos/${ngoId}/campaigns/${campaign.id}/pledges`, {
    token: editor.token, body: { sponsorName: "Fondation Exemple", ratioPercent: 100, capCents: 10_000 },
  });
  expect(pledge.status).toBe(201);
  const options = { base: server.url, campaignId: campaign.id, size: "medium" as const, lang: "en" as const };
  const page = () => `<h1>Our campaign</h1>${iframeSnippet({ ...options, title: "Goats" }).replace("<iframe ", '<iframe id="widget" ')}`
    + `<section id="script-markup">${scriptSnippet(options)}</section>`;
  allowed = await website(page);
  blocked = await website(page);
  const sites = await server.api(`/api/ngos/${ngoId}/embed-sites`, { method: "PUT", token: editor.token, body: { sites: [allowed.url] } });
  expect(sites.status).toBe(200);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await allowed?.close();
  await blocked?.close();
  await server?.stop();
});

function widgetFrame(page: Page): Frame | undefined {
  return page.frames().find((f) => f.url().includes(`/embed/campaigns/${campaign.id}`));
}
const text = (f: Frame | Page, selector: string) => f.locator(selector).first().innerText();

describe("the widget on another website", () => {
  it("moves inside the iframe and in the script's markup when a gift is paid, matched amount included; fits a phone", async () => {
    const context = await browser.browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(allowed.url);
    await expect.poll(() => widgetFrame(page) !== undefined, { timeout: 10_000 }).toBe(true);
    const frame = widgetFrame(page)!;
    await frame.waitForSelector('[data-campaign-live][data-live-state="live"]', { timeout: 10_000 });
    expect(await text(frame, "h1")).toBe("Goats for the Sahel");
    expect(await text(frame, '[data-live="raised"]')).toBe("€0");
    expect(await frame.locator('[data-live="bar"]').getAttribute("width")).toBe("0%");
    expect(await frame.locator("[data-show-matched]").isVisible()).toBe(false);
    const give = frame.locator("a.give");
    expect(await give.getAttribute("href")).toBe(`/?campaign=${campaign.id}&ch=widget`);
    expect(await give.getAttribute("target")).toBe("_blank");
    expect(await give.getAttribute("rel")).toBe("noopener");
    // The script alternative, on the NGO's own page: live.js from Hameau, cross-origin.
    await page.waitForSelector('#script-markup [data-live-state="live"]', { timeout: 10_000 });
    expect(await text(page, '#script-markup [data-live="goal"]')).toBe("€200");

    const donor = await server.guest();
    const checkout = await g.checkout(donor, [["chevre", 1]]);
    expect(checkout.status).toBe(201);
    await g.pay(checkout.body);
    const paid = await g.order(checkout.body.orderId);
    const euros = formatMoney({ cents: paid.totalCents, currency: "EUR" }, "en");
    const pct = Math.floor((paid.totalCents * 100) / 20_000);
    await expect.poll(() => text(frame, '[data-live="raised"]'), { timeout: 5000 }).toBe(euros);
    expect(await frame.locator('[data-live="bar"]').getAttribute("width")).toBe(`${pct}%`);
    expect(await text(frame, '[data-live="percent"]')).toBe(`${pct}%`);
    expect(await text(frame, '[data-live="donors"]')).toBe("1");
    // Matched 1:1, shown apart from the donors' own gifts.
    await expect.poll(() => text(frame, '[data-live="matched"]'), { timeout: 5000 }).toBe(euros);
    expect(await frame.locator("[data-show-matched]").isVisible()).toBe(true);
    await expect.poll(() => text(page, '#script-markup [data-live="raised"]'), { timeout: 5000 }).toBe(euros);
    expect(await text(page, '#script-markup [data-live="matched"]')).toBe(euros);
    expect(await page.locator('#script-markup [data-live="bar"]').evaluate((el) => (el as HTMLElement).style.width)).toBe(`${pct}%`);
    await screenshot(page, "widget-on-website-laptop");
    // On a phone's width the widget adapts: the Give button stays inside the frame.
    await page.setViewportSize(PHONE);
    await expect.poll(async () => {
      const give = await frame.locator("a.give").boundingBox();
      const box = await page.locator("#widget").boundingBox();
      return Boolean(give && box && give.width > 0 && give.x + give.width <= box.x + box.width + 0.5 && give.y + give.height <= box.y + box.height + 0.5);
    }).toBe(true);
    await screenshot(page, "widget-on-website-phone");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("is refused on a website the NGO did not declare (frame-ancestors)", async () => {
    const context = await browser.browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on("console", (m) => m.type() === "error" && refused.push(m.text()));
    await page.goto(blocked.url);
    // The script alternative needs no declaration: it still works there.
    await page.waitForSelector('#script-markup [data-live-state="live"]', { timeout: 10_000 });
    await expect.poll(() => refused.some((e) => /frame-ancestors/.test(e)), { timeout: 10_000 }).toBe(true);
    const frame = widgetFrame(page);
    expect(frame ? await frame.locator("[data-campaign-live]").count() : 0).toBe(0);
    await context.close();
  });
});

describe("the console's Widget section", () => {
  it("shows the live preview and the snippets to copy, on a laptop and a phone", async () => {
    const context = await browser.browser.newContext({ viewport: LAPTOP });
    await context.addInitScript((t) => localStorage.setItem("hameau.token", t), editor.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/console?lang=en#/ngo/${ngoId}/embed/${campaign.id}`);
    await page.waitForSelector("#embed-preview", { timeout: 15_000 });
    await expect.poll(() => page.frames().some((f) => f.url().includes("/embed/campaigns/")), { timeout: 10_000 }).toBe(true);
    const preview = page.frames().find((f) => f.url().includes("/embed/campaigns/"))!;
    await preview.waitForSelector('[data-live-state="live"]', { timeout: 10_000 });
    expect(await page.locator("#embed-iframe-code").inputValue()).toContain(`${server.url}/embed/campaigns/${campaign.id}?size=medium`);
    expect(await page.locator("#embed-script-code").inputValue()).toContain(`data-campaign-live="${campaign.id}"`);
    expect(await page.locator("#embed-sites").inputValue()).toBe(allowed.url);
    await page.locator('label[for="embed-size-small"]').click();
    await expect.poll(() => page.locator("#embed-iframe-code").inputValue()).toContain("?size=small");
    await page.locator('label[for="embed-size-medium"]').click();
    await screenshot(page, "console-widget-laptop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "console-widget-phone");
    expect(errors).toEqual([]);
    await context.close();
  });
});
