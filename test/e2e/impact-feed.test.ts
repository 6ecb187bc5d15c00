/**
 * A donor's village feed in Chromium: the donor gave a goat; while their
 * village is open, the NGO posts news with a photo about the goat's project.
 * The bell shows it live with the photo as thumbnail, and the News panel
 * shows the update (photo loaded, in the player's language). Once the NGO
 * sends the goats to the field, the goat's label shows its fund trail.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse } from "../../shared/api.ts";
import { parisDate } from "../../shared/fund-trail.ts";
import type { PhotoUploadResponse } from "../../shared/impact-updates.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { gifting } from "../support/gifting.ts";
import { addNgoMember, demoNgoOf } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Hooks {
  state(): { items: Array<{ id: string; donated: boolean; x: number; y: number }> };
  pointOf(x: number, y: number): { x: number; y: number } | null;
  drawn(): { tooltip: string | null } | null;
}

let server: TestServer;
let catalog: CatalogResponse;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const g = gifting(() => server, () => catalog);

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npm run build` first (npm test does)");
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the village feed", () => {
  it("shows an NGO's update live on the bell and in the News panel, with its photo", async () => {
    const ngo = await demoNgoOf(server);
    const [donor, editor] = [await signUpAccount(server, "Donor"), await signUpAccount(server, "Editor")];
    await addNgoMember(server, ngo.id, editor.player.id, "editor");
    const checkout = await g.checkout(donor, [["chevre", 1]]);
    await g.pay(checkout.body);
    await vi.waitFor(async () => expect((await g.order(checkout.body.orderId)).status).toBe("paid"));

    const context = await browser.browser.newContext({ viewport: { width: 1100, height: 760 } });
    await context.addInitScript((token) => localStorage.setItem("hameau.token", token), donor.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + "/?lang=en");
    await page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 20_000 });
    await expect.poll(() => page.locator("#open-feed").isVisible(), { timeout: 10_000 }).toBe(true);

    const jpeg = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 120, g: 170, b: 80 } } }).jpeg().toBuffer();
    const form = new FormData();
    form.append("image", new Blob([Uint8Array.from(jpeg)], { type: "image/jpeg" }), "goats.jpg");
    const uploaded = (await (await fetch(`${server.url}/api/ngos/${ngo.id}/photos`, {
      method: "POST", body: form, headers: { authorization: `Bearer ${editor.token}` },
    })).json()) as PhotoUploadResponse;
    const posted = await server.api(`/api/ngos/${ngo.id}/updates`, {
      token: editor.token,
      body: {
        projectId: ngo.projects.get("elevage-familial-burkina"), photoId: uploaded.photo.id,
        titleFr: "Les chèvres sont arrivées", titleEn: "The goats have arrived",
        bodyFr: "Douze familles ont reçu leur chèvre cette semaine.", bodyEn: "Twelve families received their goat this week.",
      },
    });
    expect(posted.status).toBe(201);

    // Live, without a reload: the bell counts it.
    await expect.poll(() => page.locator("#open-notifications .topbar-badge").textContent(), { timeout: 10_000 }).toBe("1");
    await page.click("#open-notifications");
    const row = page.locator("#notification-list li[data-kind=impact_update]");
    await expect.poll(() => row.textContent(), { timeout: 5_000 }).toContain("The goats have arrived");
    await expect.poll(() => row.locator("img.notification-photo").evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 5_000 }).toBeGreaterThan(0);
    // The photo says what it shows (the update's title), for screen readers and when it does not load.
    expect(await row.locator("img.notification-photo").getAttribute("alt")).toBe("Photo: The goats have arrived");
    await page.keyboard.press("Escape");

    await page.click("#open-feed");
    const card = page.locator("#feed-list li.feed-update").first();
    await expect.poll(() => card.textContent(), { timeout: 5_000 }).toContain("Twelve families received their goat this week.");
    expect(await card.textContent()).toContain("Family livestock in Burkina Faso");
    await expect.poll(() => card.locator("img.feed-photo").evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 5_000 }).toBe(1200);
    expect(await card.locator("img.feed-photo").getAttribute("alt")).toBe("Photo: The goats have arrived");
    await screenshot(page, "impact-feed");
    await page.keyboard.press("Escape");

    // The NGO sends the goats to the field: the goat's label says so, after "Funded".
    const sent = await server.api(`/api/ngos/${ngo.id}/gifts/${g.gift("chevre").id}/trail`, {
      token: editor.token, body: { stage: "sent_to_field", happenedOn: parisDate(Date.now()) },
    });
    expect(sent.status).toBe(201);
    const goat = (await page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.state())).items.find((i) => i.donated)!;
    const over = await page.evaluate(([x, y]) => (window as unknown as { hameau: Hooks }).hameau.pointOf(x!, y!), [goat.x, goat.y]);
    await page.mouse.move(over!.x, over!.y + 10);
    const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "Europe/Paris" }).format(new Date());
    await expect.poll(async () => (await page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.drawn()!)).tooltip, { timeout: 5_000 })
      .toContain(`Funded ${day} · Sent to the field ${day} · In use —`);
    await screenshot(page, "impact-trail");
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
